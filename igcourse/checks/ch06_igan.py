"""Public checks of chapter 6's iGAN notebook (igan.ipynb): projection onto a generator's manifold.

Light checks on tiny inputs that say what to fix, against NumPy. They run on the student's own
functions (a mistake in the losses shows in the step's check too, after the losses' own). The
steps are checked on a tiny generator of the check's own, z (B, 4) -> Dense -> batch
normalisation -> tanh -> (B, 28, 28, 1): called with training=True its output and its moving
averages change, so a generator left out of inference mode shows. The expected numbers are
written here as plain formulas on NumPy arrays.
"""

import numpy as np

from igcourse.checks import N_, describe, expect, require, rounded
from igcourse.checks.ch03_gan import _frameworks
from igcourse.checks.ch04_cyclegan import _tensor
from igcourse.i18n import _

CODE = 4  # the tiny generator's latent size


def _array(value):
    import keras

    return np.asarray(keras.ops.convert_to_numpy(value), np.float64)


def _uniform(seed, shape, low=-1.0, high=1.0):
    return np.random.default_rng(seed).uniform(low, high, shape).astype(np.float32)


def _normal(seed, shape):
    return np.random.default_rng(seed).normal(size=shape).astype(np.float32)


def _masks(seed, count, share=0.3):
    """(count, 28, 28, 1) of 0 and 1, about `share` of them 1."""
    drawn = np.random.default_rng(seed).uniform(size=(count, 28, 28, 1)) < share
    return drawn.astype(np.float32)


def _scalar(value, function):
    got = _array(value)
    expect(
        got.size == 1,
        _("{function} returned shape {shape}, expected one number (a scalar)").format(
            function=function, shape=got.shape
        ),
    )
    return float(got.reshape(()))


def _colour_number(images, targets, masks):
    """The masked colour loss, written out pixel by pixel for each image."""
    values = []
    for image, target, mask in zip(images, targets, masks, strict=True):
        picked = np.asarray(mask, np.float64).ravel() > 0.5
        differences = (np.asarray(image, np.float64) - target).ravel()[picked]
        values.append(float(np.dot(differences, differences)) / max(int(picked.sum()), 1))
    return float(np.mean(values))


def _prior_number(z):
    z = np.asarray(z, np.float64)
    return float(np.mean([0.5 * np.dot(row, row) for row in z]))


def tiny_generator(seed=91):
    """z (B, CODE) -> (B, 28, 28, 1): Dense, BatchNormalization (moving statistics made unusual,
    so that training=True and training=False give other images), tanh."""
    _tf, keras = _frameworks()
    keras.utils.set_random_seed(seed)
    codes = keras.Input((CODE,))
    h = keras.layers.Dense(28 * 28)(codes)
    norm = keras.layers.BatchNormalization()
    h = keras.layers.Activation("tanh")(norm(h))
    generator = keras.Model(codes, keras.layers.Reshape((28, 28, 1))(h))
    norm.moving_mean.assign(_uniform(seed + 1, (28 * 28,), -0.3, 0.3))
    norm.moving_variance.assign(_uniform(seed + 2, (28 * 28,), 0.5, 2.0))
    return generator


def tiny_encoder(seed=95, zeros=False):
    """images (B, 28, 28, 1) -> codes (B, CODE): Flatten, Dense (all zeros if asked)."""
    _tf, keras = _frameworks()
    keras.utils.set_random_seed(seed)
    pictures = keras.Input((28, 28, 1))
    dense = keras.layers.Dense(CODE, kernel_initializer="zeros" if zeros else "glorot_uniform")
    return keras.Model(pictures, dense(keras.layers.Flatten()(pictures)))


def _weights(model):
    return [_array(v) for v in model.weights]


def _same_weights(before, model):
    return all(np.array_equal(b, a) for b, a in zip(before, _weights(model), strict=True))


# ------------------------------------------------------------------ constraint_losses


@describe(
    N_(
        "the colour loss averages each image over its own drawn pixels, then over the batch; "
        "pixels outside the mask never count"
    )
)
def masked_colour_values(ns):
    loss = require(ns, "masked_colour_loss")
    images, targets = _uniform(100, (3, 28, 28, 1)), _uniform(101, (3, 28, 28, 1))
    masks = _masks(102, 3)
    masks[1] = 0.0
    masks[1, 5:7, 9:12] = 1.0  # a short stroke: 6 pixels
    got = _scalar(loss(_tensor(images), _tensor(targets), _tensor(masks)), "masked_colour_loss")
    expected = _colour_number(images, targets, masks)
    squared = masks * (images.astype(np.float64) - targets) ** 2
    pooled = float(squared.sum() / masks.sum())
    whole = float(np.mean(squared.sum(axis=(1, 2, 3)) / (28 * 28)))
    plain = float(np.mean((images.astype(np.float64) - targets) ** 2))
    expect(
        abs(got - plain) > 1e-4,
        _(
            "masked_colour_loss gave {got}, the mean squared error over every pixel: multiply "
            "by the mask, so that only the drawn pixels count"
        ).format(got=rounded(got, 4)),
    )
    expect(
        abs(got - pooled) > 1e-4,
        _(
            "masked_colour_loss gave {got}, the drawn pixels of the whole batch pooled together "
            "(the sum over the batch divided by the batch's number of drawn pixels); expected "
            "{expected}: divide each image's sum by its own number of drawn pixels, then take "
            "the mean over the images"
        ).format(got=rounded(got, 4), expected=rounded(expected, 4)),
    )
    expect(
        abs(got - whole) > 1e-4,
        _(
            "masked_colour_loss gave {got}: each image's masked sum was divided by all its "
            "pixels (28 * 28); expected {expected}: divide it by the number of pixels the mask "
            "marks"
        ).format(got=rounded(got, 4), expected=rounded(expected, 4)),
    )
    expect(
        abs(got - expected) < 1e-4 * max(1.0, expected),
        _(
            "masked_colour_loss gave {got}, expected {expected}: for each image sum(mask * "
            "(image - target) ** 2) / max(sum(mask), 1), then the mean over the batch"
        ).format(got=rounded(got, 5), expected=rounded(expected, 5)),
    )
    changed = np.where(masks > 0, targets, _uniform(103, targets.shape, -5.0, 5.0))
    again = _scalar(loss(_tensor(images), _tensor(changed), _tensor(masks)), "masked_colour_loss")
    expect(
        abs(again - got) < 1e-4 * max(1.0, got),
        _(
            "masked_colour_loss changed from {got} to {again} when only the targets outside the "
            "mask changed: pixels where the mask is 0 must not count"
        ).format(got=rounded(got, 5), again=rounded(again, 5)),
    )


@describe(N_("an empty mask gives 0 and still counts as one image of the batch"))
def masked_colour_empty(ns):
    loss = require(ns, "masked_colour_loss")
    images, targets = _uniform(104, (2, 28, 28, 1)), _uniform(105, (2, 28, 28, 1))
    nothing = np.zeros_like(images)
    got = _scalar(loss(_tensor(images), _tensor(targets), _tensor(nothing)), "masked_colour_loss")
    expect(
        np.isfinite(got),
        _(
            "masked_colour_loss gave {got} when nothing was drawn: divide by max(sum(mask), 1), "
            "so that an empty mask gives 0 rather than 0 / 0"
        ).format(got=got),
    )
    expect(
        abs(got) < 1e-6,
        _("masked_colour_loss gave {got} when nothing was drawn, expected 0").format(
            got=rounded(got, 5)
        ),
    )
    masks = _masks(106, 2)
    masks[1] = 0.0  # the second image has nothing drawn
    got = _scalar(loss(_tensor(images), _tensor(targets), _tensor(masks)), "masked_colour_loss")
    expected = _colour_number(images, targets, masks)
    expect(
        abs(got - 2 * expected) > 1e-4,
        _(
            "masked_colour_loss gave {got}, the first image's loss alone, for a batch of two "
            "whose second image has an empty mask; expected {expected}: that image counts as 0 "
            "in the mean over the batch"
        ).format(got=rounded(got, 4), expected=rounded(expected, 4)),
    )
    expect(
        abs(got - expected) < 1e-4 * max(1.0, expected),
        _(
            "masked_colour_loss gave {got} for a batch of two whose second image has an empty "
            "mask, expected {expected} (the first image's loss and 0, averaged)"
        ).format(got=rounded(got, 5), expected=rounded(expected, 5)),
    )


@describe(N_("the prior term is 0.5 * sum(z ** 2) over the code, averaged over the batch"))
def prior_values(ns):
    prior = require(ns, "prior_loss")
    z = _normal(107, (3, 5)) * np.array([[1.0], [2.0], [0.5]], np.float32)
    got = _scalar(prior(_tensor(z)), "prior_loss")
    expected = _prior_number(z)
    z64 = z.astype(np.float64)
    expect(
        abs(got - 0.5 * float(np.mean(z64**2))) > 1e-4,
        _(
            "prior_loss gave {got}, a mean over every number of z; expected {expected}: sum "
            "over the code's axis, then take the mean over the batch"
        ).format(got=rounded(got, 4), expected=rounded(expected, 4)),
    )
    expect(
        abs(got - 2 * expected) > 1e-4,
        _("prior_loss gave {got}, twice {expected}: the term is 0.5 * sum(z ** 2)").format(
            got=rounded(got, 4), expected=rounded(expected, 4)
        ),
    )
    expect(
        abs(got - 0.5 * float(np.sum(z64**2))) > 1e-4,
        _(
            "prior_loss gave {got}, the sum over the batch; expected {expected}, the mean over "
            "the batch"
        ).format(got=rounded(got, 4), expected=rounded(expected, 4)),
    )
    expect(
        abs(got - expected) < 1e-4 * max(1.0, expected),
        _(
            "prior_loss gave {got} for z of shape (3, 5), expected {expected}: the mean over "
            "the batch of 0.5 * sum(z ** 2) over the code"
        ).format(got=rounded(got, 5), expected=rounded(expected, 5)),
    )


# ------------------------------------------------------------------ projection_step


@describe(
    N_(
        "one step returns the loss before the update, moves z downhill and leaves the "
        "generator as it was"
    )
)
def projection_step_values(ns):
    tf, keras = _frameworks()
    make = require(ns, "make_projection_step")
    z0 = _normal(110, (3, CODE))
    targets, masks = _uniform(111, (3, 28, 28, 1)), _masks(112, 3)
    in_training = tiny_generator()  # a copy: training=True moves its moving averages
    with_batch_statistics = _colour_number(
        _array(in_training(_tensor(z0), training=True)), targets, masks
    )
    generator = tiny_generator()
    before = _weights(generator)
    made = _array(generator(_tensor(z0), training=False))
    colour = _colour_number(made, targets, masks)
    expected = colour + 0.5 * _prior_number(z0)
    z = tf.Variable(z0)
    step = make(generator, keras.optimizers.SGD(0.02), 0.5)
    first = _scalar(step(z, _tensor(targets), _tensor(masks)), "the step")
    expect(
        _same_weights(before, generator),
        _(
            "the step changed the generator's weights or its batch normalisation's moving "
            "averages: apply the gradient to z alone, and call generator(z, training=False)"
        ),
    )
    expect(
        abs(first - (with_batch_statistics + 0.5 * _prior_number(z0))) > 1e-4,
        _(
            "the step's loss is that of generator(z, training=True), whose batch normalisation "
            "uses the batch's statistics: call generator(z, training=False)"
        ),
    )
    expect(
        abs(first - colour) > 1e-4,
        _(
            "the step returned {got}, the colour loss alone; expected {expected}: add "
            "prior_weight * prior_loss(z)"
        ).format(got=rounded(first, 4), expected=rounded(expected, 4)),
    )
    moved = _array(z)
    expect(
        not np.array_equal(moved, z0),
        _("the step did not change z: apply the gradient of the loss to z with the optimizer"),
    )
    expect(
        abs(first - expected) < 1e-4 * max(1.0, expected),
        _(
            "the step returned {got} for prior weight 0.5, expected {expected}: "
            "masked_colour_loss(generator(z, training=False), targets, masks) + 0.5 * "
            "prior_loss(z), computed before the update"
        ).format(got=rounded(first, 5), expected=rounded(expected, 5)),
    )
    after = _colour_number(_array(generator(_tensor(moved), training=False)), targets, masks)
    after += 0.5 * _prior_number(moved)
    expect(
        after < expected,
        _(
            "after one step of SGD the loss went from {before} to {after}: apply the gradient "
            "of the loss (not its negative) to z"
        ).format(before=rounded(expected, 5), after=rounded(after, 5)),
    )
    second = _scalar(step(z, _tensor(targets), _tensor(masks)), "the step")
    expect(
        abs(second - after) < 1e-4 * max(1.0, after),
        _(
            "the second call returned {got}, expected {expected}, the loss at z after the first "
            "update"
        ).format(got=rounded(second, 5), expected=rounded(after, 5)),
    )


# ------------------------------------------------------------------ inverse_encoder


@describe(
    N_(
        "two 3 x 3 strided convolutions (filters, 2 * filters) with LeakyReLU(0.2), Flatten, "
        "Dense(z_dim)"
    )
)
def inverse_encoder_plan(ns):
    _tf, keras = _frameworks()
    build = require(ns, "build_inverse_encoder")
    keras.utils.set_random_seed(120)
    encoder = build(5, 4)
    out = _array(encoder(_tensor(_uniform(121, (2, 28, 28, 1)))))
    expect(
        out.shape == (2, 5),
        _(
            "build_inverse_encoder(5, 4) gave shape {got} for images (2, 28, 28, 1), expected "
            "(2, 5)"
        ).format(got=out.shape),
    )
    convs = [layer for layer in encoder.layers if isinstance(layer, keras.layers.Conv2D)]
    got = [(c.filters, tuple(c.kernel_size), tuple(c.strides), c.padding) for c in convs]
    expected = [(4, (3, 3), (2, 2), "same"), (8, (3, 3), (2, 2), "same")]
    expect(
        got == expected,
        _(
            "the encoder's convolutions are {got} (filters, kernel, strides, padding), expected "
            "{expected} for filters=4"
        ).format(got=got, expected=expected),
    )
    slopes = [
        round(float(layer.negative_slope), 4)
        for layer in encoder.layers
        if isinstance(layer, keras.layers.LeakyReLU)
    ]
    expect(
        slopes == [0.2, 0.2],
        _(
            "the encoder has LeakyReLU layers with slopes {got}, expected two of 0.2, one after "
            "each convolution"
        ).format(got=slopes),
    )
    dense = [layer for layer in encoder.layers if isinstance(layer, keras.layers.Dense)]
    expect(
        len(dense) == 1
        and getattr(dense[0].activation, "__name__", "") == "linear"
        and dense[0].units == 5,
        _("the encoder should end in one Dense(z_dim) layer with no activation"),
    )
    count = encoder.count_params()
    expect(
        count == 40 + 296 + 1965,
        _(
            "the encoder for z_dim=5 and filters=4 has {got} parameters, expected 2301 (40 and "
            "296 in the convolutions, 1965 in the Dense layer)"
        ).format(got=count),
    )


@describe(
    N_(
        "one encoder step trains the encoder alone on fresh codes and returns "
        "mean((E(G(z)) - z) ** 2)"
    )
)
def encoder_step_values(ns):
    _tf, keras = _frameworks()
    make = require(ns, "make_encoder_step")
    generator = tiny_generator(93)
    frozen = _weights(generator)
    keras.utils.set_random_seed(122)
    # A zero encoder outputs 0, so the loss is the mean of z ** 2: about 1 for 256 x 4 numbers.
    encoder = tiny_encoder(zeros=True)
    still = _weights(encoder)
    step = make(encoder, generator, keras.optimizers.SGD(0.0), 256)
    losses = [_scalar(step(), "the encoder step") for _ in range(2)]
    expect(
        _same_weights(frozen, generator),
        _(
            "the encoder step changed the generator's weights or its batch normalisation's "
            "moving averages: update the encoder's variables alone, and call generator(z, "
            "training=False)"
        ),
    )
    expect(
        _same_weights(still, encoder),
        _("with learning rate 0 the encoder step still changed the encoder's weights"),
    )
    expect(
        0.75 < losses[0] < 1.25,
        _(
            "for an encoder that outputs 0 the step returned {got}, expected about 1 (the mean "
            "of z ** 2 for z drawn from N(0, I)): draw z with keras.random.normal and return "
            "mean((encoder(x) - z) ** 2)"
        ).format(got=rounded(losses[0], 4)),
    )
    expect(
        losses[0] != losses[1],
        _(
            "two calls returned the same loss {got} for an encoder that does not change: the "
            "step draws the same z every time; make the SeedGenerator once, outside the step, "
            "and pass it as keras.random.normal's seed"
        ).format(got=rounded(losses[0], 6)),
    )
    encoder = tiny_encoder()
    step = make(encoder, generator, keras.optimizers.Adam(0.01), 64)
    start = _weights(encoder)
    losses = [_scalar(step(), "the encoder step") for _ in range(40)]
    expect(
        not _same_weights(start, encoder),
        _("the encoder step did not change the encoder: apply the gradient to its variables"),
    )
    expect(
        _same_weights(frozen, generator),
        _("the encoder step changed the generator: apply the gradient to the encoder alone"),
    )
    early, late = float(np.mean(losses[:5])), float(np.mean(losses[-5:]))
    expect(
        late < early,
        _(
            "40 encoder steps with Adam(0.01) did not lower the loss ({early} in the first five "
            "steps, {late} in the last five): apply the gradient of the loss, not its negative"
        ).format(early=rounded(early, 4), late=rounded(late, 4)),
    )


# ------------------------------------------------------------------ projection


@describe(
    N_("project starts at the encoder's guess and returns z (B, Z) and one falling loss per step")
)
def projection_values(ns):
    _tf, _keras = _frameworks()
    project = require(ns, "project")
    generator, encoder = tiny_generator(97), tiny_encoder(98)
    # Targets the generator can draw (at codes far from the encoder's guess), so that the loss
    # depends on where z starts.
    wanted = 2.0 * _normal(130, (3, CODE))
    targets = _array(generator(_tensor(wanted), training=False)).astype(np.float32)
    masks = _masks(131, 3, 0.6)
    guess = _array(encoder(_tensor(targets)))
    at_guess = _colour_number(_array(generator(_tensor(guess), training=False)), targets, masks)
    at_guess += 0.1 * _prior_number(guess)
    got = project(generator, encoder, targets, masks, steps=30, rate=0.05, prior_weight=0.1)
    expect(
        isinstance(got, (tuple, list)) and len(got) == 2,
        _("project must return two things, (z, losses)"),
    )
    z, losses = got
    expect(
        isinstance(z, np.ndarray),
        _("project returned z as {kind}, expected a NumPy array (z.numpy())").format(
            kind=type(z).__name__
        ),
    )
    expect(
        z.shape == (3, CODE),
        _("project returned z of shape {got}, expected {expected}").format(
            got=z.shape, expected=(3, CODE)
        ),
    )
    expect(
        len(losses) == 30,
        _("project(..., steps=30) returned {count} losses, expected 30, one per step").format(
            count=len(losses)
        ),
    )
    values = [float(_array(value)) for value in losses]
    expect(
        bool(np.all(np.isfinite(values))),
        _("project returned losses that are not finite: {got}").format(got=rounded(values[:5], 4)),
    )
    expect(
        abs(values[0] - at_guess) < 1e-4 * max(1.0, at_guess),
        _(
            "the first loss is {got}, expected {expected}, the loss at z = encoder(targets): "
            "start from the encoder's guess, with prior_weight passed on to the step"
        ).format(got=rounded(values[0], 5), expected=rounded(at_guess, 5)),
    )
    expect(
        values[-1] < 0.9 * values[0],
        _(
            "after 30 steps with Adam(0.05) the loss went from {first} to {last}: optimise z "
            "with your projection step and keras.optimizers.Adam(rate)"
        ).format(first=rounded(values[0], 4), last=rounded(values[-1], 4)),
    )
    rises = int(np.sum(np.diff(values) > 1e-6))
    expect(
        rises <= 10,
        _("the loss rose at {rises} of 29 steps; it should mostly fall").format(rises=rises),
    )
    final = _colour_number(_array(generator(_tensor(z), training=False)), targets, masks)
    final += 0.1 * _prior_number(z)
    expect(
        final < values[0],
        _(
            "the z that project returned has the loss {final}, no lower than {first} at the "
            "encoder's guess: return the optimised z"
        ).format(final=rounded(final, 4), first=rounded(values[0], 4)),
    )


# ------------------------------------------------------------------ manifold_interpolation


def _angle(a, b):
    cosine = np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))
    return float(np.arccos(np.clip(cosine, -1.0, 1.0)))


@describe(
    N_(
        "slerp gives z_a and z_b at the ends, a length from |z_a| to |z_b|, and an angle that "
        "grows evenly"
    )
)
def slerp_values(ns):
    slerp = require(ns, "slerp")
    z_a = _normal(140, (2, 6)).astype(np.float64)
    z_b = _normal(141, (2, 6)).astype(np.float64) * 2.0
    z_b[1] = 3.0 * z_a[1]  # the second pair is parallel
    for t, end, name in ((0.0, z_a, "z_a"), (1.0, z_b, "z_b")):
        got = _array(slerp(_tensor(z_a), _tensor(z_b), t))
        expect(
            got.shape == z_a.shape,
            _("slerp gave shape {got} for codes of shape {expected}").format(
                got=got.shape, expected=z_a.shape
            ),
        )
        expect(
            bool(np.all(np.isfinite(got))),
            _(
                "slerp gave values that are not finite at t = {t} for two parallel codes: "
                "fall back to (1 - t) * z_a + t * z_b where sin(omega) is (nearly) 0"
            ).format(t=t),
        )
        expect(
            np.allclose(got, end, atol=1e-4),
            _("slerp at t = {t} should give {name}").format(t=t, name=name),
        )
    t = 0.3
    got = _array(slerp(_tensor(z_a), _tensor(z_b), t))
    expect(
        bool(np.all(np.isfinite(got))),
        _(
            "slerp gave values that are not finite for two parallel codes: fall back to "
            "(1 - t) * z_a + t * z_b where sin(omega) is (nearly) 0"
        ),
    )
    line = (1 - t) * z_a + t * z_b
    expect(
        not np.allclose(got[0], line[0], atol=1e-3),
        _(
            "slerp gave the straight line (1 - t) * z_a + t * z_b for two codes that are not "
            "parallel"
        ),
    )
    length = float(np.linalg.norm(got[0]))
    expected_length = (1 - t) * np.linalg.norm(z_a[0]) + t * np.linalg.norm(z_b[0])
    expect(
        abs(length - expected_length) < 1e-3 * expected_length,
        _(
            "slerp at t = 0.3 gave a code of length {got}, expected {expected}: 0.7 * |z_a| + "
            "0.3 * |z_b|"
        ).format(got=rounded(length, 4), expected=rounded(expected_length, 4)),
    )
    omega = _angle(z_a[0], z_b[0])
    turned = _angle(z_a[0], got[0])
    expect(
        abs(turned - t * omega) < 1e-3,
        _(
            "slerp at t = 0.3 is at angle {got} from z_a, expected {expected}, 0.3 of the angle "
            "between z_a and z_b"
        ).format(got=rounded(turned, 4), expected=rounded(t * omega, 4)),
    )
    plane = np.linalg.qr(np.stack([z_a[0], z_b[0]], axis=1))[0]
    outside = float(np.linalg.norm(got[0] - plane @ (plane.T @ got[0])))
    expect(
        outside < 1e-3,
        _("slerp left the plane of z_a and z_b (by {got})").format(got=rounded(outside, 4)),
    )
    # Last: a slerp that is wrong for every pair fails above, where the message says how.
    expect(
        np.allclose(got[1], line[1], atol=1e-4),
        _("for two parallel codes slerp should give (1 - t) * z_a + t * z_b"),
    )


@describe(N_("interpolate_on_manifold decodes the slerp codes at t = linspace(0, 1, steps)"))
def interpolation_values(ns):
    slerp = require(ns, "slerp")
    interpolate = require(ns, "interpolate_on_manifold")
    generator = tiny_generator(99)
    z_a, z_b = _normal(150, (CODE,)), 2.0 * _normal(151, (CODE,))
    images = _array(interpolate(generator, z_a, z_b, 5))
    expect(
        images.shape == (5, 28, 28, 1),
        _(
            "interpolate_on_manifold(generator, z_a, z_b, 5) gave shape {got}, expected "
            "(5, 28, 28, 1)"
        ).format(got=images.shape),
    )
    codes = np.concatenate(
        [_array(slerp(_tensor(z_a[None]), _tensor(z_b[None]), t)) for t in np.linspace(0, 1, 5)]
    )
    expected = _array(generator(_tensor(codes), training=False))
    straight = np.stack([(1 - t) * z_a + t * z_b for t in np.linspace(0, 1, 5)])
    expect(
        not np.allclose(images, _array(generator(_tensor(straight), training=False)), atol=1e-4),
        _("interpolate_on_manifold follows the straight line between the codes: use your slerp"),
    )
    expect(
        np.allclose(images[[0, -1]], expected[[0, -1]], atol=1e-4),
        _(
            "the first and last images should be generator(z_a) and generator(z_b), with "
            "training=False"
        ),
    )
    expect(
        np.allclose(images, expected, atol=1e-4),
        _(
            "image k should be generator(slerp(z_a, z_b, t_k), training=False) with t = "
            "linspace(0, 1, steps)"
        ),
    )


PUBLIC_CHECKS = {
    "constraint_losses": [masked_colour_values, masked_colour_empty, prior_values],
    "projection_step": [projection_step_values],
    "inverse_encoder": [inverse_encoder_plan, encoder_step_values],
    "projection": [projection_values],
    "manifold_interpolation": [slerp_values, interpolation_values],
}
