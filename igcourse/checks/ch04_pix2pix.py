"""Public checks of chapter 4's pix2pix notebook (pix2pix.ipynb).

Light checks on tiny inputs that say what to fix; the hidden checks in
autograder/ch04_image_translation/ test the same code more thoroughly. The training step is
checked with other losses in place of the task's, so that it is judged on calling the losses it
is given.
"""

import math

import numpy as np

from igcourse.checks import N_, describe, expect, require
from igcourse.checks.ch03_gan import (
    _changed,
    _frameworks,
    _other_discriminator_loss,
    _replaced,
    _values,
)
from igcourse.checks.handed_in import load_handed_in
from igcourse.checks.networks import gradient_window, scaled_output
from igcourse.i18n import _

# build_patch_discriminator(4, channels): parameters, by channels.
PATCH_PARAMS = {1: 781, 3: 1_037}
# Where cell (4, 4) of the 8 x 8 grid looks in a 32 x 32 image: rows and columns 9 to 30
# (three 4 x 4 convolutions with same padding, strides 2, 2 and 1).
PATCH_CELL = (4, 4)
PATCH_WINDOW = [9, 30, 9, 30]


def _tensor(array):
    tf, _keras = _frameworks()
    return tf.constant(np.asarray(array, np.float32))


def _images(seed, shape):
    return np.random.default_rng(seed).uniform(-1, 1, shape).astype(np.float32)


# ------------------------------------------------------------------ unet_blocks


@describe(N_("encoder_block halves the size; decoder_block doubles it and joins the skip"))
def blocks_shapes(ns):
    _tf, keras = _frameworks()
    encoder_block = require(ns, "encoder_block")
    decoder_block = require(ns, "decoder_block")
    encoded = encoder_block(keras.Input((8, 8, 3)), 5)
    expect(
        tuple(encoded.shape) == (None, 4, 4, 5),
        _(
            "encoder_block(input of shape (B, 8, 8, 3), 5) gives shape {got}, expected "
            "(B, 4, 4, 5): a 4 x 4 convolution with 5 filters, stride 2, same padding"
        ).format(got=tuple(encoded.shape)),
    )
    for normalize, expected in ((False, 240), (True, 250)):
        inputs = keras.Input((8, 8, 3))
        count = keras.Model(inputs, encoder_block(inputs, 5, normalize=normalize)).count_params()
        expect(
            count == expected,
            _(
                "encoder_block(input with 3 channels, 5, normalize={normalize}) has {got} "
                "parameters, expected {expected}: a 4 x 4 convolution without bias (240){norm}"
            ).format(
                normalize=normalize,
                got=count,
                expected=expected,
                norm=_(" and the instance norm's scale and offset (10)") if normalize else "",
            ),
        )
    decoded = decoder_block(keras.Input((4, 4, 6)), keras.Input((8, 8, 3)), 5)
    expect(
        tuple(decoded.shape) == (None, 8, 8, 8),
        _(
            "decoder_block(x of shape (B, 4, 4, 6), skip of shape (B, 8, 8, 3), 5) gives shape "
            "{got}, expected (B, 8, 8, 8): 5 channels of the transposed convolution, then the "
            "skip's 3 joined on the last axis"
        ).format(got=tuple(decoded.shape)),
    )


@describe(N_("decoder_block keeps the skip as it is, after its own ReLU channels"))
def blocks_skip(ns):
    _tf, keras = _frameworks()
    decoder_block = require(ns, "decoder_block")
    x, skip = keras.Input((4, 4, 6)), keras.Input((8, 8, 3))
    model = keras.Model([x, skip], decoder_block(x, skip, 5))
    x_value, skip_value = _images(1, (2, 4, 4, 6)), _images(2, (2, 8, 8, 3))
    out = np.asarray(model([_tensor(x_value), _tensor(skip_value)], training=False))
    expect(
        out.shape == (2, 8, 8, 8) and np.allclose(out[..., 5:], skip_value, atol=1e-6),
        _(
            "the last 3 channels of decoder_block's output are not the skip itself: concatenate "
            "[the block's own output, skip], in that order, on the last axis"
        ),
    )
    expect(
        out[..., :5].min() >= 0.0,
        _("decoder_block's own channels go below 0 ({low:.3f}): end them with a ReLU").format(
            low=out[..., :5].min()
        ),
    )


@describe(N_("instance norm: the encoder's output does not change when its input is scaled"))
def blocks_normalised(ns):
    _tf, keras = _frameworks()
    encoder_block = require(ns, "encoder_block")
    for normalised in (True, False):
        inputs = keras.Input((8, 8, 3))
        keras.utils.set_random_seed(3)
        model = keras.Model(inputs, encoder_block(inputs, 4, normalize=normalised))
        x = _images(3, (2, 8, 8, 3))
        small = np.asarray(model(_tensor(x), training=True))
        large = np.asarray(model(_tensor(10 * x), training=True))
        if normalised:
            # Large inputs, so that the normalisation's epsilon does not count whatever the
            # initial weights (N(0, 0.02) ones make the convolution's outputs small).
            large = np.asarray(model(_tensor(1000 * x), training=True))
            small = np.asarray(model(_tensor(100 * x), training=True))
            expect(
                np.allclose(small, large, atol=1e-3),
                _(
                    "encoder_block(..., normalize=True) gives another output when its input is "
                    "10 times larger: normalise each image's channels over height and width "
                    "(instance_norm()) between the convolution and the LeakyReLU"
                ),
            )
        else:
            expect(
                np.allclose(large, 10 * small, rtol=1e-4, atol=1e-4),
                _(
                    "encoder_block(..., normalize=False) should be a convolution without bias "
                    "and a LeakyReLU only (then a 10 times larger input gives a 10 times larger "
                    "output): leave out the normalisation and the bias"
                ),
            )


# ------------------------------------------------------------------ unet


def _table_count(ns, filters, channels):
    """The parameters of the table's U-Net built from the namespace's own two blocks: so that
    build_unet is judged on how it puts the blocks together, whatever they hold."""
    _tf, keras = _frameworks()
    encoder_block = require(ns, "encoder_block")
    decoder_block = require(ns, "decoder_block")
    count, size, depth, skips = 0, 32, channels, []
    for width, normalize in ((1, False), (2, True), (4, True), (4, True)):
        x = keras.Input((size, size, depth))
        block = keras.Model(x, encoder_block(x, width * filters, normalize=normalize))
        count += block.count_params()
        size, depth = size // 2, block.output.shape[-1]
        skips.append((size, depth))
    for width, dropout, (skip_size, skip_depth) in zip(
        (4, 2, 1), (True, True, False), reversed(skips[:3]), strict=True
    ):
        x, skip = keras.Input((size, size, depth)), keras.Input((skip_size, skip_size, skip_depth))
        block = keras.Model([x, skip], decoder_block(x, skip, width * filters, dropout=dropout))
        count += block.count_params()
        size, depth = size * 2, block.output.shape[-1]
    return count + 4 * 4 * depth * channels + channels  # the last transposed convolution


@describe(
    N_("build_unet maps (B, 32, 32, C) to (B, 32, 32, C) in [-1, 1], with the table's widths")
)
def unet_shapes(ns):
    build_unet = require(ns, "build_unet")
    for channels in (1, 3):
        model = build_unet(4, channels)
        out = np.asarray(model(_tensor(_images(4, (2, 32, 32, channels))), training=False))
        expect(
            out.shape == (2, 32, 32, channels),
            _(
                "build_unet(4, {channels}) maps images of shape (2, 32, 32, {channels}) to "
                "{got}, expected (2, 32, 32, {channels})"
            ).format(channels=channels, got=out.shape),
        )
        expected = _table_count(ns, 4, channels)
        expect(
            model.count_params() == expected,
            _(
                "build_unet(4, {channels}) has {got:,} parameters; your encoder_block and "
                "decoder_block called as the table says give {expected:,}: check the filters "
                "of each call, normalize=False in the first encoder block only, and the last "
                "layer"
            ).format(channels=channels, got=model.count_params(), expected=expected),
        )
    images = scaled_output(build_unet(4, 1), _tensor(_images(5, (4, 32, 32, 1))))
    expect(
        images.min() >= -1.0 - 1e-6 and images.max() <= 1.0 + 1e-6 and images.min() < -0.5,
        _(
            "with large weights, the U-Net's pixels range from {low:.3f} to {high:.3f}: end it "
            "with a tanh, so that images lie in [-1, 1] like the data"
        ).format(low=images.min(), high=images.max()),
    )


@describe(N_("dropout is active in training only"))
def unet_dropout(ns):
    build_unet = require(ns, "build_unet")
    model = build_unet(4, 1)
    x = _tensor(_images(6, (2, 32, 32, 1)))
    inference = [np.asarray(model(x, training=False)) for _ in range(2)]
    training = [np.asarray(model(x, training=True)) for _ in range(2)]
    expect(
        np.array_equal(*inference),
        _("the U-Net gives two different outputs in inference mode: dropout must be off there"),
    )
    expect(
        not np.allclose(*training),
        _(
            "the U-Net gives the same output twice in training mode: the two innermost decoder "
            "blocks need Dropout(0.5) (dropout=True)"
        ),
    )


# ------------------------------------------------------------------ patch_discriminator


@describe(N_("the PatchGAN maps the pair to an 8 x 8 grid of logits, with the table's widths"))
def patch_shapes(ns):
    build = require(ns, "build_patch_discriminator")
    for channels in (1, 3):
        model = build(4, channels)
        pair = [
            _tensor(_images(7, (2, 32, 32, channels))),
            _tensor(_images(8, (2, 32, 32, channels))),
        ]
        out = np.asarray(model(pair, training=False))
        expect(
            out.shape == (2, 8, 8, 1),
            _(
                "build_patch_discriminator(4, {channels}) maps a pair of (2, 32, 32, {channels}) "
                "images to {got}, expected (2, 8, 8, 1): one logit per patch"
            ).format(channels=channels, got=out.shape),
        )
        expect(
            model.count_params() == PATCH_PARAMS[channels],
            _(
                "build_patch_discriminator(4, {channels}) has {got:,} parameters, the table "
                "gives {expected:,}: three 4 x 4 convolutions with 4, 8 and 1 filters, nothing else"
            ).format(channels=channels, got=model.count_params(), expected=PATCH_PARAMS[channels]),
        )
    logits = scaled_output(build(4, 1), [_tensor(_images(9, (4, 32, 32, 1)))] * 2)
    expect(
        np.abs(logits).max() > 1.0,
        _(
            "with large weights, the PatchGAN's outputs stay within [{low:.3f}, {high:.3f}]: "
            "it must output logits, so leave its last convolution without an activation"
        ).format(low=logits.min(), high=logits.max()),
    )


@describe(N_("each cell looks at a 22 x 22 patch of both images of the pair"))
def patch_receptive_field(ns):
    build = require(ns, "build_patch_discriminator")
    model = build(4, 1)
    pair = [_images(10, (1, 32, 32, 1)), _images(11, (1, 32, 32, 1))]
    windows = gradient_window(model, pair, PATCH_CELL)
    for name, window in zip(("inputs", "targets"), windows, strict=True):
        expect(
            window is not None,
            _(
                "cell {cell} of the PatchGAN's output does not depend on the {name} at all: "
                "concatenate both images of the pair and feed them to the convolutions"
            ).format(cell=PATCH_CELL, name=name),
        )
        expect(
            window == PATCH_WINDOW,
            _(
                "cell {cell} of the PatchGAN's output looks at rows {r0} to {r1} and columns "
                "{c0} to {c1} of the {name}, expected rows and columns 9 to 30 (a 22 x 22 "
                "patch): use 4 x 4 kernels with same padding and strides 2, 2, 1, and no "
                "normalisation or Dense layer (they mix the whole image into every cell)"
            ).format(
                cell=PATCH_CELL, name=name, r0=window[0], r1=window[1], c0=window[2], c1=window[3]
            ),
        )


# ------------------------------------------------------------------ pix2pix_losses


def _bce_ones(logits):
    return np.mean(np.logaddexp(0.0, -logits))


def _bce_zeros(logits):
    return np.mean(np.logaddexp(0.0, logits))


@describe(N_("discriminator_loss and generator_loss match their formulas on a patch grid"))
def losses_values(ns):
    discriminator_loss = require(ns, "discriminator_loss")
    generator_loss = require(ns, "generator_loss")
    rng = np.random.default_rng(12)
    real = rng.normal(0, 2, (2, 8, 8, 1)).astype(np.float32)
    fake = rng.normal(0, 2, (2, 8, 8, 1)).astype(np.float32)
    generated, targets = _images(13, (2, 32, 32, 1)), _images(14, (2, 32, 32, 1))
    expected = _bce_ones(real.astype(np.float64)) + _bce_zeros(fake.astype(np.float64))
    got = float(np.asarray(discriminator_loss(_tensor(real), _tensor(fake))))
    expect(
        math.isclose(got, expected, rel_tol=1e-4),
        _(
            "discriminator_loss gives {got:.5f} on these logits, expected mean BCE(1, real) + "
            "mean BCE(0, fake) from logits = {expected:.5f}"
        ).format(got=got, expected=expected),
    )
    adversarial = _bce_ones(fake.astype(np.float64))
    l1 = np.mean(np.abs(targets.astype(np.float64) - generated))
    for weight in (100.0, 3.0):
        expected = adversarial + weight * l1
        got = float(
            np.asarray(generator_loss(_tensor(fake), _tensor(generated), _tensor(targets), weight))
        )
        expect(
            math.isclose(got, expected, rel_tol=1e-4),
            _(
                "generator_loss(fake_logits, generated, targets, l1_weight={weight}) gives "
                "{got:.5f}, expected mean BCE(1, fake_logits) + {weight} * mean |targets - "
                "generated| = {expected:.5f} (the GAN term {adversarial:.5f}, the L1 term "
                "{l1:.5f} before weighting)"
            ).format(weight=weight, got=got, expected=expected, adversarial=adversarial, l1=l1),
        )


# ------------------------------------------------------------------ random_jitter


@describe(N_("random_jitter keeps the shape and moves both images of a pair together"))
def jitter_pairs(ns):
    random_jitter = require(ns, "random_jitter")
    ramp = np.tile(np.linspace(-1, 1, 32, dtype=np.float32), (32, 1))  # dark left, light right
    inputs = (0.6 * ramp + 0.4 * _images(15, (32, 32)))[None, ..., None].repeat(2, axis=0)
    targets = 0.5 - 0.7 * inputs
    seen, flipped = set(), set()
    for _call in range(16):
        out = random_jitter(_tensor(inputs), _tensor(targets))
        expect(
            isinstance(out, (tuple, list)) and len(out) == 2,
            _("random_jitter must return a pair (inputs, targets)"),
        )
        a, b = np.asarray(out[0]), np.asarray(out[1])
        expect(
            a.shape == inputs.shape and b.shape == inputs.shape,
            _(
                "random_jitter returned shapes {a} and {b} for two (2, 32, 32, 1) batches: crop "
                "back to 32 x 32"
            ).format(a=a.shape, b=b.shape),
        )
        expect(
            not any(
                np.allclose(a[i], 0.5 - 0.7 * b[i], atol=1e-4)
                and not np.allclose(b[i], 0.5 - 0.7 * a[i], atol=1e-4)
                for i in range(len(a))
            ),
            _(
                "random_jitter returned the targets as the inputs and the inputs as the targets: "
                "something swapped the two images of the pair (a flip along the channel axis of "
                "the joined pair, say); flip along the width axis only"
            ),
        )
        expect(
            np.allclose(b, 0.5 - 0.7 * a, atol=1e-4),
            _(
                "random_jitter moved the inputs and the targets differently (the targets here "
                "are 0.5 - 0.7 * inputs, pixel by pixel, and after the jitter they are not): use "
                "the same crop offset and the same flip for both images of a pair"
            ),
        )
        seen.add(a.tobytes())
        flipped.add(bool(a[0, :, :4].mean() > a[0, :, -4:].mean()))
    expect(
        len(seen) >= 3,
        _(
            "random_jitter gave {count} different results in 16 calls: crop at a random offset "
            "each call"
        ).format(count=len(seen)),
    )
    expect(
        flipped == {True, False},
        _(
            "in 16 calls random_jitter flipped the images {how}: flip left to right with "
            "probability 1/2"
        ).format(how=_("every time") if flipped == {True} else _("never")),
    )


# ------------------------------------------------------------------ pix2pix_step


def _toy_pix2pix():
    """Small networks without normalisation or dropout: G a convolution with tanh, D a patch
    convolution on the pair."""
    _tf, keras = _frameworks()
    layers = keras.layers
    keras.utils.set_random_seed(16)
    x = keras.Input((32, 32, 1))
    generator = keras.Model(x, layers.Conv2D(1, 3, padding="same", activation="tanh")(x))
    a, b = keras.Input((32, 32, 1)), keras.Input((32, 32, 1))
    pair = layers.Concatenate()([a, b])
    discriminator = keras.Model([a, b], layers.Conv2D(1, 4, strides=4)(pair))
    return generator, discriminator


def _other_generator_loss(fake_logits, generated, targets, l1_weight=100.0):
    """Least squares plus l1_weight times the squared distance: not the task's loss."""
    tf, _keras = _frameworks()
    return 0.5 * tf.reduce_mean((fake_logits - 1.0) ** 2) + l1_weight * tf.reduce_mean(
        (targets - generated) ** 2
    )


def _make_step(ns, generator, discriminator, l1_weight):
    tf, keras = _frameworks()
    make = require(ns, "make_pix2pix_step")
    step = make(
        generator, discriminator, keras.optimizers.SGD(0.05), keras.optimizers.SGD(0.1), l1_weight
    )
    expect(
        isinstance(step, tf.types.experimental.PolymorphicFunction),
        _(
            "make_pix2pix_step must return a function decorated with @tf.function, not {kind}"
        ).format(kind=type(step).__name__),
    )
    return step


@describe(N_("train_step updates both networks and returns (g_loss, d_loss) of its forward pass"))
def step_losses(ns):
    with _replaced(
        ns, discriminator_loss=_other_discriminator_loss, generator_loss=_other_generator_loss
    ):
        generator, discriminator = _toy_pix2pix()
        step = _make_step(ns, generator, discriminator, 2.0)
        inputs, targets = _images(17, (4, 32, 32, 1)), _images(18, (4, 32, 32, 1))
        generated = np.asarray(generator(_tensor(inputs)), np.float64)
        real_logits = np.asarray(discriminator([_tensor(inputs), _tensor(targets)]), np.float64)
        fake_logits = np.asarray(discriminator([_tensor(inputs), _tensor(generated)]), np.float64)
        g_expected = 0.5 * np.mean((fake_logits - 1) ** 2) + 2.0 * np.mean(
            (targets - generated) ** 2
        )
        d_expected = 0.5 * np.mean((real_logits - 1) ** 2) + 0.5 * np.mean((fake_logits + 1) ** 2)
        g_before, d_before = _values(generator), _values(discriminator)
        returned = step(_tensor(inputs), _tensor(targets))
        expect(
            isinstance(returned, (tuple, list)) and len(returned) == 2,
            _("train_step must return (g_loss, d_loss)"),
        )
        g_loss, d_loss = (float(np.asarray(value)) for value in returned)
    expect(
        _changed(g_before, generator) and _changed(d_before, discriminator),
        _(
            "train_step left the {which} unchanged: apply each loss's gradients to its own "
            "network's trainable variables"
        ).format(which=_("generator") if not _changed(g_before, generator) else _("discriminator")),
    )
    expect(
        math.isclose(d_loss, d_expected, rel_tol=1e-4),
        _(
            "with discriminator_loss replaced by another loss, train_step returned d_loss "
            "{got:.5f}, expected that loss of D([inputs, targets]) and D([inputs, "
            "generator(inputs)]) = {expected:.5f}: D judges pairs, the input with each image"
        ).format(got=d_loss, expected=d_expected),
    )
    expect(
        math.isclose(g_loss, g_expected, rel_tol=1e-4),
        _(
            "with generator_loss replaced by another loss, train_step returned g_loss {got:.5f}, "
            "expected that loss of (D([inputs, generated]), generated, targets, l1_weight) = "
            "{expected:.5f}: pass the targets (not the inputs) and l1_weight to generator_loss"
        ).format(got=g_loss, expected=g_expected),
    )


# ------------------------------------------------------------------ trained_pix2pix

TRAINED_WEIGHTS = "pix2pix_generator.weights.h5"
TRAINED_SETTINGS = "pix2pix_generator.json"


@describe(N_("the trained generator's two files are next to the notebook and load"))
def trained_pix2pix_files(ns):
    build_unet = require(ns, "build_unet")
    generator, sizes = load_handed_in(
        build_unet, "build_unet", TRAINED_WEIGHTS, TRAINED_SETTINGS, ("filters", "channels")
    )
    images = np.asarray(generator(_tensor(_images(19, (2, 32, 32, sizes[1]))), training=False))
    expect(
        images.shape == (2, 32, 32, sizes[1]) and np.all(np.abs(images) <= 1.0 + 1e-6),
        _(
            "the loaded generator maps 2 images to shape {shape} ranging from {low:.3f} to "
            "{high:.3f}, expected (2, 32, 32, {channels}) in [-1, 1]"
        ).format(shape=images.shape, low=images.min(), high=images.max(), channels=sizes[1]),
    )


PUBLIC_CHECKS = {
    "unet_blocks": [blocks_shapes, blocks_skip, blocks_normalised],
    "unet": [unet_shapes, unet_dropout],
    "patch_discriminator": [patch_shapes, patch_receptive_field],
    "pix2pix_losses": [losses_values],
    "random_jitter": [jitter_pairs],
    "pix2pix_step": [step_losses],
    "trained_pix2pix": [trained_pix2pix_files],
}
