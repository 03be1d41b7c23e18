"""Public checks of chapter 4's CycleGAN notebook (cyclegan.ipynb).

Light checks on tiny inputs that say what to fix; the hidden checks in
autograder/ch04_image_translation/ test the same code more thoroughly. The generators' objective
and the steps are checked on toy networks whose outputs the check computes itself, the steps
with other losses in place of the task's.
"""

import math

import numpy as np

from igcourse.checks import N_, describe, expect, require
from igcourse.checks.ch03_gan import _changed, _frameworks, _replaced, _values
from igcourse.checks.handed_in import load_handed_in
from igcourse.checks.networks import scaled_output
from igcourse.i18n import _


def _tensor(array):
    tf, _keras = _frameworks()
    return tf.constant(np.asarray(array, np.float32))


def _images(seed, shape):
    return np.random.default_rng(seed).uniform(-1, 1, shape).astype(np.float32)


# ------------------------------------------------------------------ resnet_generator


def table_count(filters, blocks, channels):
    """The parameters of the table's generator: convolutions without bias but the last, and an
    instance norm's scale and offset per channel after each of them."""
    f = filters
    count = 49 * channels * f + 2 * f  # 7 x 7 in
    count += 9 * f * 2 * f + 2 * 2 * f + 9 * 2 * f * 4 * f + 2 * 4 * f  # two downsamplings
    count += blocks * 2 * (9 * 4 * f * 4 * f + 2 * 4 * f)  # residual blocks
    count += 9 * 4 * f * 2 * f + 2 * 2 * f + 9 * 2 * f * f + 2 * f  # two upsamplings
    return count + 49 * f * channels + channels  # 7 x 7 out, with bias


@describe(N_("residual_block keeps the shape and adds its input to its branch"))
def block_identity(ns):
    _tf, keras = _frameworks()
    residual_block = require(ns, "residual_block")
    x = keras.Input((8, 8, 6))
    model = keras.Model(x, residual_block(x, 6))
    expect(
        tuple(model.output.shape) == (None, 8, 8, 6),
        _(
            "residual_block(input of shape (B, 8, 8, 6), 6) gives shape {got}, expected "
            "(B, 8, 8, 6): same padding, stride 1, `filters` channels"
        ).format(got=tuple(model.output.shape)),
    )
    expected = 2 * (9 * 6 * 6 + 12)
    expect(
        model.count_params() == expected,
        _(
            "residual_block(input with 6 channels, 6) has {got} parameters, expected {expected}: "
            "two 3 x 3 convolutions without bias (324 each) and two instance norms (12 each)"
        ).format(got=model.count_params(), expected=expected),
    )
    for variable in model.trainable_variables:
        if len(variable.shape) == 4:  # every kernel zero: the branch gives zeros
            variable.assign(np.zeros(variable.shape, np.float32))
    x_value = _images(7, (2, 8, 8, 6))
    out = np.asarray(model(_tensor(x_value), training=False))
    expect(
        np.allclose(out, x_value, atol=1e-5),
        _(
            "with every kernel set to zero, residual_block should return its input unchanged "
            "(x + a branch of zeros); it returned values from {low:.3f} to {high:.3f} for inputs "
            "from -1 to 1: add x to the branch's output, with no activation after the sum"
        ).format(low=out.min(), high=out.max()),
    )


@describe(N_("build_resnet_generator has the table's shapes and widths and a tanh output"))
def generator_shapes(ns):
    build = require(ns, "build_resnet_generator")
    for filters, blocks, channels in ((4, 2, 1), (4, 3, 3)):
        model = build(filters, blocks, channels)
        out = np.asarray(model(_tensor(_images(8, (2, 32, 32, channels))), training=False))
        expect(
            out.shape == (2, 32, 32, channels),
            _(
                "build_resnet_generator({filters}, {blocks}, {channels}) maps images of shape "
                "(2, 32, 32, {channels}) to {got}"
            ).format(filters=filters, blocks=blocks, channels=channels, got=out.shape),
        )
        expected = table_count(filters, blocks, channels)
        expect(
            model.count_params() == expected,
            _(
                "build_resnet_generator({filters}, {blocks}, {channels}) has {got:,} "
                "parameters, expected {expected:,}: check each layer's filters and kernel size, "
                "`blocks` residual blocks of 4 * filters, bias in the last convolution only"
            ).format(
                filters=filters,
                blocks=blocks,
                channels=channels,
                got=model.count_params(),
                expected=expected,
            ),
        )
    images = scaled_output(build(4, 2, 1), _tensor(_images(9, (4, 32, 32, 1))))
    expect(
        images.min() >= -1.0 - 1e-6 and images.max() <= 1.0 + 1e-6 and images.min() < -0.5,
        _(
            "with large weights, the generator's pixels range from {low:.3f} to {high:.3f}: end "
            "it with a tanh, so that images lie in [-1, 1] like the data"
        ).format(low=images.min(), high=images.max()),
    )


# ------------------------------------------------------------------ lsgan_losses


@describe(N_("the least-squares losses have the formulas' values"))
def lsgan_values(ns):
    d_loss = require(ns, "lsgan_discriminator_loss")
    g_loss = require(ns, "lsgan_generator_loss")
    real, fake = _images(10, (2, 8, 8, 1)) * 2, _images(11, (2, 8, 8, 1)) * 2
    expected_d = 0.5 * (np.mean((real - 1) ** 2) + np.mean(fake**2))
    got_d = float(np.asarray(d_loss(_tensor(real), _tensor(fake))))
    expect(
        math.isclose(got_d, expected_d, rel_tol=1e-4),
        _(
            "lsgan_discriminator_loss gave {got:.5f}, expected 0.5 * (mean (real - 1)^2 + mean "
            "fake^2) = {expected:.5f}"
        ).format(got=got_d, expected=expected_d),
    )
    expected_g = np.mean((fake - 1) ** 2)
    got_g = float(np.asarray(g_loss(_tensor(fake))))
    expect(
        math.isclose(got_g, expected_g, rel_tol=1e-4),
        _(
            "lsgan_generator_loss gave {got:.5f}, expected mean (fake - 1)^2 = {expected:.5f}"
        ).format(got=got_g, expected=expected_g),
    )


# ------------------------------------------------------------------ cycle_objective


def toy_networks():
    """Four different tiny networks (1 x 1 convolutions with tanh; the discriminators a 4 x 4
    patch convolution), so that every term of the objective has its own value."""
    _tf, keras = _frameworks()
    layers = keras.layers
    keras.utils.set_random_seed(21)
    networks = []
    for kind in ("g", "g", "d", "d"):
        x = keras.Input((32, 32, 1))
        if kind == "g":
            y = layers.Conv2D(1, 1, activation="tanh")(x)
        else:
            y = layers.Conv2D(1, 4, strides=4)(x)
        networks.append(keras.Model(x, y))
    # The generators as different as the check needs: one brightens, one darkens.
    for network, shift in zip(networks[:2], (0.4, -0.3), strict=True):
        kernel, bias = network.trainable_variables
        kernel.assign(np.full(kernel.shape, 0.8, np.float32))
        bias.assign(np.full(bias.shape, shift, np.float32))
    return networks


def _objective_parts(g_ab, g_ba, d_a, d_b, a, b):
    """The objective's three terms for these networks, computed here in NumPy (the adversarial
    one with _other_generator_loss)."""

    def run(network, x):
        return np.asarray(network(_tensor(x), training=True), np.float64)

    fake_b, fake_a = run(g_ab, a), run(g_ba, b)
    adversarial = np.mean(np.abs(run(d_b, fake_b) - 0.5)) + np.mean(np.abs(run(d_a, fake_a) - 0.5))
    cycle = np.mean(np.abs(a - run(g_ba, fake_b))) + np.mean(np.abs(b - run(g_ab, fake_a)))
    identity = np.mean(np.abs(b - run(g_ab, b))) + np.mean(np.abs(a - run(g_ba, a)))
    return adversarial, cycle, identity, fake_a, fake_b


def _other_generator_loss(fake_outputs):
    """Not the task's loss (mean |scores - 0.5|): the objective is judged on how it calls the
    loss it is given."""
    tf, _keras = _frameworks()
    return tf.reduce_mean(tf.abs(fake_outputs - 0.5))


@describe(N_("generator_objective: adversarial + cycle (both ways) + identity, and the fakes"))
def objective_values(ns):
    with _replaced(ns, lsgan_generator_loss=_other_generator_loss):
        _objective_values(require(ns, "generator_objective"))


def _objective_values(objective):
    g_ab, g_ba, d_a, d_b = toy_networks()
    a, b = _images(12, (2, 32, 32, 1)), _images(13, (2, 32, 32, 1))
    adversarial, cycle, identity, fake_a, fake_b = _objective_parts(g_ab, g_ba, d_a, d_b, a, b)
    returned = objective(g_ab, g_ba, d_a, d_b, _tensor(a), _tensor(b), 0.0, 0.0)
    expect(
        isinstance(returned, (tuple, list)) and len(returned) == 3,
        _("generator_objective must return (total, fake_a, fake_b)"),
    )
    expect(
        np.allclose(np.asarray(returned[1]), fake_a, atol=1e-5)
        and np.allclose(np.asarray(returned[2]), fake_b, atol=1e-5),
        _("generator_objective must return fake_a = g_ba(real_b) and fake_b = g_ab(real_a)"),
    )
    for weights, expected, what in (
        ((0.0, 0.0), adversarial, _("the adversarial term (both generators)")),
        ((2.0, 0.0), adversarial + 2 * cycle, _("with cycle_weight 2, the cycle term too")),
        ((0.0, 3.0), adversarial + 3 * identity, _("with identity_weight 3, the identity term")),
    ):
        total = objective(g_ab, g_ba, d_a, d_b, _tensor(a), _tensor(b), *weights)[0]
        got = float(np.asarray(total))
        expect(
            math.isclose(got, expected, rel_tol=1e-4),
            _("generator_objective returned {got:.5f} for {what}, expected {expected:.5f}").format(
                got=got, what=what, expected=expected
            ),
        )


# ------------------------------------------------------------------ image_pool


@describe(N_("ImagePool returns new images while filling, then stored ones about half the time"))
def pool_behaviour(ns):
    pool_class = require(ns, "ImagePool")
    pool = pool_class(6)
    batches = [np.full((3, 2, 2, 1), index, np.float32) for index in range(2)]
    for batch in batches:  # 6 images fill a pool of 6
        out = np.asarray(pool.query(batch))
        expect(
            out.shape == batch.shape and np.array_equal(out, batch),
            _("while the pool is not full, query must return the new images as they are"),
        )
    history = total = 0
    for index in range(2, 202):
        batch = np.stack([np.full((2, 2, 1), index * 10 + i, np.float32) for i in range(4)])
        out = np.asarray(pool.query(batch))
        expect(out.shape == batch.shape, _("query must return a batch of the shape it was given"))
        # The new image for position i is batch[i]; anything else there is a stored one (an
        # image this batch put in the pool a moment before, too), so a coin per image gives 50%.
        new = out[:, 0, 0, 0] == batch[:, 0, 0, 0]
        history += int(np.sum(~new))
        total += len(new)
    share = history / total
    expect(
        0.4 <= share <= 0.6,
        _(
            "once full, the pool returned a stored image for {share:.0%} of 800 new images; "
            "expected about 50% (a coin per image)"
        ).format(share=share),
    )


# ------------------------------------------------------------------ cyclegan_steps


def _other_objective(g_ab, g_ba, d_a, d_b, real_a, real_b, cycle_weight=10.0, identity_weight=5.0):
    """Not the task's objective: squared distances, so a step is judged on calling the one it
    is given."""
    tf, _keras = _frameworks()
    to_b, to_a = g_ab(real_a, training=True), g_ba(real_b, training=True)
    loss = tf.reduce_mean(tf.square(d_b(to_b, training=True) - 1.0)) + tf.reduce_mean(
        tf.square(d_a(to_a, training=True) - 1.0)
    )
    loss += cycle_weight * tf.reduce_mean(tf.square(real_a - g_ba(to_b, training=True)))
    loss += identity_weight * tf.reduce_mean(tf.square(real_b - g_ab(real_b, training=True)))
    return loss, to_a, to_b


def _other_discriminator_loss(real_outputs, fake_outputs):
    tf, _keras = _frameworks()
    return tf.reduce_mean(tf.abs(real_outputs - 1.0)) + tf.reduce_mean(tf.abs(fake_outputs))


@describe(N_("each step changes only its own two networks and returns its losses"))
def steps_update_own_networks(ns):
    tf, keras = _frameworks()
    make = require(ns, "make_cyclegan_steps")
    with _replaced(
        ns,
        generator_objective=_other_objective,
        lsgan_discriminator_loss=_other_discriminator_loss,
    ):
        networks = toy_networks()
        steps = make(*networks, keras.optimizers.SGD(0.05), keras.optimizers.SGD(0.1), 2.0, 3.0)
        expect(
            isinstance(steps, (tuple, list)) and len(steps) == 2,
            _("make_cyclegan_steps must return (generator_step, discriminator_step)"),
        )
        for step in steps:
            expect(
                isinstance(step, tf.types.experimental.PolymorphicFunction),
                _("both steps must be functions decorated with @tf.function, not {kind}").format(
                    kind=type(step).__name__
                ),
            )
        a, b = _tensor(_images(14, (2, 32, 32, 1))), _tensor(_images(15, (2, 32, 32, 1)))
        expected_total = float(np.asarray(_other_objective(*networks, a, b, 2.0, 3.0)[0]))
        before = [_values(network) for network in networks]
        returned = steps[0](a, b)
        changed = [_changed(values, net) for values, net in zip(before, networks, strict=True)]
        names = ("g_ab", "g_ba", "d_a", "d_b")
        expect(
            changed == [True, True, False, False],
            _(
                "generator_step changed {changed}; it must change g_ab and g_ba only (the "
                "gradients of the objective's total, applied with g_optimizer)"
            ).format(changed=", ".join(n for n, c in zip(names, changed, strict=True) if c) or "-"),
        )
        expect(
            isinstance(returned, (tuple, list))
            and len(returned) == 3
            and math.isclose(float(np.asarray(returned[0])), expected_total, rel_tol=1e-4),
            _(
                "with generator_objective replaced by another loss, generator_step must return "
                "(its total before the update, fake_a, fake_b); the total was {expected:.5f}"
            ).format(expected=expected_total),
        )
        fake_a, fake_b = _tensor(_images(16, (2, 32, 32, 1))), _tensor(_images(17, (2, 32, 32, 1)))
        d_a, d_b = networks[2], networks[3]
        expected = [
            float(np.asarray(_other_discriminator_loss(d(real), d(fake))))
            for d, real, fake in ((d_a, a, fake_a), (d_b, b, fake_b))
        ]
        before = [_values(network) for network in networks]
        returned = steps[1](a, b, fake_a, fake_b)
        changed = [_changed(values, net) for values, net in zip(before, networks, strict=True)]
        expect(
            changed == [False, False, True, True],
            _(
                "discriminator_step changed {changed}; it must change d_a and d_b only (the "
                "gradients of loss_a + loss_b, applied with d_optimizer)"
            ).format(changed=", ".join(n for n, c in zip(names, changed, strict=True) if c) or "-"),
        )
        got = (
            [float(np.asarray(v)) for v in returned] if isinstance(returned, (tuple, list)) else []
        )
        expect(
            len(got) == 2
            and all(math.isclose(g, e, rel_tol=1e-4) for g, e in zip(got, expected, strict=False)),
            _(
                "with lsgan_discriminator_loss replaced by another loss, discriminator_step must "
                "return (loss_a, loss_b) = ({a:.5f}, {b:.5f}): d_a judges real_a and fake_a, "
                "d_b real_b and fake_b; it returned {got}"
            ).format(a=expected[0], b=expected[1], got=[round(g, 5) for g in got]),
        )


# ------------------------------------------------------------------ trained_cyclegan

TRAINED_WEIGHTS = ("cyclegan_g_ab.weights.h5", "cyclegan_g_ba.weights.h5")
TRAINED_SETTINGS = "cyclegan_generators.json"
SETTINGS_KEYS = ("filters", "blocks", "channels")


@describe(N_("the trained generators' three files are next to the notebook and load"))
def trained_cyclegan_files(ns):
    build = require(ns, "build_resnet_generator")
    for weights in TRAINED_WEIGHTS:
        generator, sizes = load_handed_in(
            build, "build_resnet_generator", weights, TRAINED_SETTINGS, SETTINGS_KEYS
        )
        channels = sizes[2]
        images = np.asarray(generator(_tensor(_images(18, (2, 32, 32, channels))), training=False))
        expect(
            images.shape == (2, 32, 32, channels) and np.all(np.abs(images) <= 1.0 + 1e-6),
            _(
                "the generator loaded from {weights} maps 2 images to shape {shape} ranging "
                "from {low:.3f} to {high:.3f}, expected (2, 32, 32, {channels}) in [-1, 1]"
            ).format(
                weights=weights,
                shape=images.shape,
                low=images.min(),
                high=images.max(),
                channels=channels,
            ),
        )


PUBLIC_CHECKS = {
    "resnet_generator": [block_identity, generator_shapes],
    "lsgan_losses": [lsgan_values],
    "cycle_objective": [objective_values],
    "image_pool": [pool_behaviour],
    "cyclegan_steps": [steps_update_own_networks],
    "trained_cyclegan": [trained_cyclegan_files],
}
