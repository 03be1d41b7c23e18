"""Public checks of chapter 4: the conditional GAN (cgan.ipynb).

Each check is light (tiny models and inputs, a second or two) and says what to fix when it
fails. The hidden checks in autograder/ch04_image_translation/ test the same code more
thoroughly. The training steps are checked with chapter 3's stand-in losses (least squares), so
that a step is judged on calling the losses it is given.
"""

import math

import numpy as np

from igcourse.checks import N_, describe, expect, require
from igcourse.checks import ch04_bicyclegan as bicyclegan_checks
from igcourse.checks import ch04_cyclegan as cyclegan_checks
from igcourse.checks import ch04_pix2pix as pix2pix_checks
from igcourse.checks.ch03_gan import (
    _changed,
    _counted,
    _expect_called,
    _frameworks,
    _other_discriminator_loss,
    _other_generator_loss,
    _replaced,
    _scalar,
    _values,
)
from igcourse.checks.handed_in import load_handed_in
from igcourse.checks.networks import midpoint_ratios, scaled_output
from igcourse.i18n import _

# A label read as a number moves the output along one smooth curve: the middle label's output
# lies near the midpoint of its neighbours'. Embedded or one-hot labels move it in unrelated
# directions (0.6 to 0.9 of the distance, the median over consecutive labels; a number 0.01).
CATEGORICAL_MIN = 0.35


def _labels(value, count):
    return np.full(count, value, np.int32)


def _per_label(model, first, labels, count):
    return [np.asarray(model([first, _labels(k, count)], training=False)) for k in labels]


def _expect_labels_matter(outputs, who):
    """Every label gives its own output, and labels act as categories, not as numbers."""
    for a in range(len(outputs)):
        for b in range(a + 1, len(outputs)):
            expect(
                not np.allclose(outputs[a], outputs[b], rtol=0, atol=1e-7),
                _(
                    "{who} gives the same output for labels {a} and {b}: the labels must reach "
                    "the network (join the label vector to its input)"
                ).format(who=who, a=a, b=b),
            )
    ratio = float(np.median(midpoint_ratios(outputs)))
    expect(
        ratio >= CATEGORICAL_MIN,
        _(
            "{who}'s output moves smoothly with the label's value (the output for label 1 lies "
            "near the midpoint of those for 0 and 2: {ratio:.2f} of their distance away): a "
            "label is a category, not a number; turn it into an Embedding or a one-hot vector"
        ).format(who=who, ratio=ratio),
    )


# ------------------------------------------------------------------ conditional_generator


@describe(N_("[z (B, z_dim), labels (B,)] -> images (B, 28, 28, 1) in [-1, 1] (tanh)"))
def generator_shapes(ns):
    _tf, keras = _frameworks()
    build = require(ns, "build_conditional_generator")
    keras.utils.set_random_seed(0)
    generator = build(8, 3, 4)
    z = np.random.default_rng(0).normal(size=(3, 8)).astype(np.float32)
    images = np.asarray(generator([z, np.array([0, 1, 2], np.int32)], training=False))
    expect(
        images.shape == (3, 28, 28, 1),
        _(
            "build_conditional_generator(8, 3, 4) maps z of shape (3, 8) and 3 labels to shape "
            "{got}, expected (3, 28, 28, 1)"
        ).format(got=images.shape),
    )
    keras.utils.set_random_seed(1)
    z = np.random.default_rng(1).normal(size=(8, 8)).astype(np.float32)
    scaled = scaled_output(build(8, 3, 4), [z, np.arange(8, dtype=np.int32) % 3])
    expect(
        scaled.min() >= -1.0 - 1e-6 and scaled.max() <= 1.0 + 1e-6 and scaled.min() < -0.5,
        _(
            "with large weights, the generator's pixels range from {low:.3f} to {high:.3f}: "
            "end it with a tanh, so that images lie in [-1, 1] like the data"
        ).format(low=scaled.min(), high=scaled.max()),
    )


@describe(N_("each label gives its own image, as a category (embedding or one-hot)"))
def generator_labels(ns):
    _tf, keras = _frameworks()
    build = require(ns, "build_conditional_generator")
    keras.utils.set_random_seed(2)
    generator = build(8, 12, 4)
    z = np.random.default_rng(2).normal(size=(4, 8)).astype(np.float32)
    outputs = _per_label(generator, z, range(12), 4)
    _expect_labels_matter(outputs, "build_conditional_generator(8, 12, 4)")


# ------------------------------------------------------------------ conditional_discriminator


@describe(N_("[images (B, 28, 28, 1), labels (B,)] -> logits (B, 1), no sigmoid"))
def discriminator_shapes(ns):
    _tf, keras = _frameworks()
    build = require(ns, "build_conditional_discriminator")
    keras.utils.set_random_seed(3)
    images = np.random.default_rng(3).uniform(-1, 1, (8, 28, 28, 1)).astype(np.float32)
    labels = np.arange(8, dtype=np.int32) % 3
    logits = np.asarray(build(3, 4)([images, labels], training=False))
    expect(
        logits.shape == (8, 1),
        _(
            "build_conditional_discriminator(3, 4) maps 8 images and labels to shape {got}, "
            "expected (8, 1)"
        ).format(got=logits.shape),
    )
    scaled = scaled_output(build(3, 4), [images, labels])
    expect(
        np.abs(scaled).max() > 1.0,
        _(
            "with large weights, the discriminator's outputs stay within [{low:.3f}, "
            "{high:.3f}]: it must output logits, so leave its last Dense layer without an "
            "activation (the losses apply the sigmoid)"
        ).format(low=scaled.min(), high=scaled.max()),
    )


@describe(N_("the logit depends on the label, as a category"))
def discriminator_labels(ns):
    _tf, keras = _frameworks()
    build = require(ns, "build_conditional_discriminator")
    keras.utils.set_random_seed(4)
    discriminator = build(12, 4)
    images = np.random.default_rng(4).uniform(-1, 1, (4, 28, 28, 1)).astype(np.float32)
    outputs = _per_label(discriminator, images, range(12), 4)
    _expect_labels_matter(outputs, "build_conditional_discriminator(12, 4)")


# ------------------------------------------------------------------ cgan_steps


def _toy_conditional_gan():
    """Linear networks without batch normalisation in which the labels matter: G adds a
    learned image per label to a linear map of z; D adds a learned score per label."""
    _tf, keras = _frameworks()
    layers = keras.layers
    keras.utils.set_random_seed(5)
    z = keras.Input((2,))
    labels = keras.Input((), dtype="int32")
    per_label = layers.Embedding(3, 28 * 28, embeddings_initializer="random_normal")(labels)
    images = layers.Reshape((28, 28, 1))(layers.Add()([layers.Dense(28 * 28)(z), per_label]))
    generator = keras.Model([z, labels], images)
    x = keras.Input((28, 28, 1))
    y = keras.Input((), dtype="int32")
    score = layers.Embedding(3, 1, embeddings_initializer=keras.initializers.RandomNormal(0, 3))(y)
    discriminator = keras.Model([x, y], layers.Add()([layers.Dense(1)(layers.Flatten()(x)), score]))
    return generator, discriminator


def _toy_batch(seed):
    rng = np.random.default_rng(seed)
    real = rng.uniform(-1, 1, (6, 28, 28, 1)).astype(np.float32)
    z = rng.normal(size=(6, 2)).astype(np.float32)
    real_labels = np.array([0, 1, 2, 0, 1, 2], np.int32)
    fake_labels = np.array([2, 2, 0, 1, 0, 1], np.int32)
    return real, real_labels, z, fake_labels


def _make_steps(ns, generator, discriminator):
    tf, keras = _frameworks()
    make = require(ns, "make_cgan_steps")
    steps = make(generator, discriminator, keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1))
    expect(
        isinstance(steps, (tuple, list)) and len(steps) == 2,
        _("make_cgan_steps must return a pair (d_step, g_step), not {kind}").format(
            kind=type(steps).__name__
        ),
    )
    for name, step in zip(("d_step", "g_step"), steps, strict=True):
        expect(
            isinstance(step, tf.types.experimental.PolymorphicFunction),
            _("{name} must be decorated with @tf.function, not {kind}").format(
                name=name, kind=type(step).__name__
            ),
        )
    return steps


@describe(N_("returns two tf.functions; d_step changes only D, g_step only G"))
def steps_update_own_variables(ns):
    generator, discriminator = _toy_conditional_gan()
    d_step, g_step = _make_steps(ns, generator, discriminator)
    real, real_labels, z, fake_labels = _toy_batch(6)
    g_before, d_before = _values(generator), _values(discriminator)
    d_step(real, real_labels, z, fake_labels)
    expect(
        _changed(d_before, discriminator),
        _("d_step did not change the discriminator: apply the gradients to its variables"),
    )
    expect(
        not _changed(g_before, generator),
        _(
            "d_step changed the generator's weights; apply the gradients of the discriminator's "
            "loss to discriminator.trainable_variables only"
        ),
    )
    g_before, d_before = _values(generator), _values(discriminator)
    g_step(z, fake_labels)
    expect(
        _changed(g_before, generator),
        _("g_step did not change the generator: apply the gradients to its variables"),
    )
    expect(
        not _changed(d_before, discriminator),
        _(
            "g_step changed the discriminator's weights; apply the gradients of the generator's "
            "loss to generator.trainable_variables only"
        ),
    )


@describe(N_("D judges real images with real_labels and generated ones with fake_labels"))
def steps_losses(ns):
    generator, discriminator = _toy_conditional_gan()
    calls = {}
    with _replaced(
        ns,
        discriminator_loss=_counted(_other_discriminator_loss, calls, "discriminator_loss"),
        generator_loss=_counted(_other_generator_loss, calls, "generator_loss"),
    ):
        d_step, g_step = _make_steps(ns, generator, discriminator)
        real, real_labels, z, fake_labels = _toy_batch(7)

        def logits(images, labels):
            return np.asarray(discriminator([images, labels])).astype(np.float64).ravel()

        fake = np.asarray(generator([z, fake_labels]))
        real_logits, fake_logits = logits(real, real_labels), logits(fake, fake_labels)
        expected = 0.5 * np.mean((real_logits - 1) ** 2) + 0.5 * np.mean((fake_logits + 1) ** 2)
        got = _scalar(d_step(real, real_labels, z, fake_labels))
        _expect_called(calls, "d_step", "discriminator_loss")
        swapped = 0.5 * np.mean((fake_logits - 1) ** 2) + 0.5 * np.mean((real_logits + 1) ** 2)
        expect(
            not math.isclose(got, swapped, rel_tol=1e-4),
            _(
                "d_step passes the logits to discriminator_loss the other way round: "
                "discriminator_loss(real_logits, fake_logits) takes the real images' logits "
                "first (with another loss in its place, d_step returned {got:.5f}, that loss of "
                "the swapped pair)"
            ).format(got=got),
        )
        expect(
            math.isclose(got, expected, rel_tol=1e-4),
            _(
                "with discriminator_loss replaced by another loss, d_step returned {got:.5f}, "
                "expected that loss of D([real_images, real_labels]) and D([G([z, fake_labels]), "
                "fake_labels]) = {expected:.5f}, computed before the update: each image is "
                "judged with its own labels"
            ).format(got=got, expected=expected),
        )
        fake_logits = logits(np.asarray(generator([z, fake_labels])), fake_labels)
        expected = 0.5 * np.mean((fake_logits - 1) ** 2)
        got = _scalar(g_step(z, fake_labels))
        _expect_called(calls, "g_step", "generator_loss")
        expect(
            math.isclose(got, expected, rel_tol=1e-4),
            _(
                "with generator_loss replaced by another loss, g_step returned {got:.5f}, "
                "expected that loss of D([G([z, fake_labels]), fake_labels]) = {expected:.5f}, "
                "computed before the update: D judges the images with the labels they were "
                "drawn for"
            ).format(got=got, expected=expected),
        )


# ------------------------------------------------------------------ class_grid


def _toy_grid_generator():
    """A generator whose image says which z and label it drew: pixel (0, 0) is the label,
    pixel (0, 1) the first number of z, and the rest a linear map of z."""
    _tf, keras = _frameworks()
    layers = keras.layers
    keras.utils.set_random_seed(8)
    z = keras.Input((3,))
    labels = keras.Input((), dtype="int32")
    label = layers.Reshape((1,))(keras.ops.cast(labels, "float32"))
    body = layers.Dense(28 * 28 - 2)(z)
    flat = layers.Concatenate()([label, z[:, :1], body])
    return keras.Model([z, labels], layers.Reshape((28, 28, 1))(flat))


@describe(N_("row c holds class c; column j uses z[j]; shape (num_classes * C, 28, 28, 1)"))
def grid_order(ns):
    class_grid = require(ns, "class_grid")
    generator = _toy_grid_generator()
    z = np.random.default_rng(9).normal(size=(4, 3)).astype(np.float32)
    grid = np.asarray(class_grid(generator, z, 5))
    expect(
        grid.shape == (20, 28, 28, 1),
        _(
            "class_grid(generator, z of shape (4, 3), 5) returned shape {got}, expected "
            "(20, 28, 28, 1): 5 rows of 4 images, one after the other"
        ).format(got=grid.shape),
    )
    got_labels = np.rint(grid[:, 0, 0, 0]).astype(int)
    expected_labels = np.repeat(np.arange(5), 4)
    expect(
        np.array_equal(got_labels, expected_labels),
        _(
            "class_grid drew its 20 images with labels {got}, expected {expected}: image "
            "c * C + j has label c (all of row 0 first)"
        ).format(got=got_labels.tolist(), expected=expected_labels.tolist()),
    )
    got_z = grid[:, 0, 1, 0]
    expected_z = np.tile(z[:, 0], 5)
    expect(
        np.allclose(got_z, expected_z, atol=1e-5),
        _(
            "class_grid's images do not use z[j] in column j of every row: image c * C + j must "
            "be drawn from z[j] (the same noise down each column)"
        ),
    )


# ------------------------------------------------------------------ trained_cgan

TRAINED_WEIGHTS = "cgan_generator.weights.h5"
TRAINED_SETTINGS = "cgan_generator.json"


@describe(N_("the trained generator's two files are next to the notebook and load"))
def trained_cgan_files(ns):
    build = require(ns, "build_conditional_generator")
    generator, sizes = load_handed_in(
        build,
        "build_conditional_generator",
        TRAINED_WEIGHTS,
        TRAINED_SETTINGS,
        ("z_dim", "num_classes", "filters"),
    )
    z = np.random.default_rng(0).normal(size=(4, sizes[0])).astype(np.float32)
    images = np.asarray(generator([z, np.arange(4, dtype=np.int32) % sizes[1]], training=False))
    expect(
        images.shape == (4, 28, 28, 1) and np.all(np.abs(images) <= 1.0 + 1e-6),
        _(
            "the loaded generator maps 4 noise vectors and labels to images of shape {shape} "
            "ranging from {low:.3f} to {high:.3f}, expected (4, 28, 28, 1) in [-1, 1]"
        ).format(shape=images.shape, low=images.min(), high=images.max()),
    )


PUBLIC_CHECKS = {
    # cgan.ipynb
    "conditional_generator": [generator_shapes, generator_labels],
    "conditional_discriminator": [discriminator_shapes, discriminator_labels],
    "cgan_steps": [steps_update_own_variables, steps_losses],
    "class_grid": [grid_order],
    "trained_cgan": [trained_cgan_files],
}
PUBLIC_CHECKS.update(pix2pix_checks.PUBLIC_CHECKS)  # pix2pix.ipynb, a module of its own
PUBLIC_CHECKS.update(cyclegan_checks.PUBLIC_CHECKS)  # cyclegan.ipynb, a module of its own
PUBLIC_CHECKS.update(bicyclegan_checks.PUBLIC_CHECKS)  # bicyclegan.ipynb, likewise
