"""Public checks of chapter 3: GAN losses, DCGAN networks and training steps.

Each check is light (tiny models and inputs, a second or two) and says what to fix when it
fails. The hidden checks in autograder/ch03_gan/ test the same code more thoroughly.
"""

import math

import numpy as np

from igcourse.checks import N_, describe, expect, require
from igcourse.i18n import _


def _frameworks():
    import keras
    import tensorflow as tf

    return tf, keras


def _softplus(x):
    return np.logaddexp(0.0, x)


def _scalar(value):
    value = np.asarray(value.numpy() if hasattr(value, "numpy") else value, dtype=np.float64)
    expect(
        value.shape == (),
        _(
            "the loss must be a scalar (a mean over the batch), not an array of shape {shape}"
        ).format(shape=value.shape),
    )
    return float(value)


_REAL = np.array([[2.0], [-0.5], [0.3], [1.2]], np.float32)
_FAKE = np.array([[-1.5], [0.7], [-0.2]], np.float32)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, np.float64)))


_SIGMOID_HINT = N_(" (it looks like a sigmoid was applied before a from-logits loss)")


# ------------------------------------------------------------------ discriminator_loss


def _d_loss(real, fake):
    return float(np.mean(_softplus(-real)) + np.mean(_softplus(fake)))


@describe(N_("mean BCE(1, real) + mean BCE(0, fake), from the logits"))
def d_loss_values(ns):
    discriminator_loss = require(ns, "discriminator_loss")
    got = _scalar(discriminator_loss(_REAL, _FAKE))
    expected = _d_loss(_REAL, _FAKE)
    swapped = _d_loss(-_REAL, -_FAKE)
    squashed = _d_loss(_sigmoid(_REAL), _sigmoid(_FAKE))
    hint = ""
    if math.isclose(got, swapped, rel_tol=1e-4):
        hint = _(" (the labels look swapped: real images have label 1, generated ones 0)")
    elif math.isclose(got, squashed, rel_tol=1e-4):
        hint = _(_SIGMOID_HINT)
    expect(
        math.isclose(got, expected, rel_tol=1e-4),
        _("discriminator_loss returned {got:.5f}, expected {expected:.5f}{hint}").format(
            got=got, expected=expected, hint=hint
        ),
    )


@describe(N_("stays finite and exact for logits of +-100"))
def d_loss_stable(ns):
    discriminator_loss = require(ns, "discriminator_loss")
    real = np.array([[-100.0], [100.0]], np.float32)
    fake = np.array([[100.0], [-100.0]], np.float32)
    got = _scalar(discriminator_loss(real, fake))
    expected = _d_loss(real, fake)  # 100
    expect(
        math.isfinite(got) and math.isclose(got, expected, rel_tol=1e-3),
        _(
            "discriminator_loss on logits of +-100 returned {got}, expected {expected:.1f}: "
            "compute the cross-entropy from the logits (from_logits=True), not log(sigmoid(l))"
        ).format(got=got, expected=expected),
    )


# ------------------------------------------------------------------ generator_loss


@describe(N_("non-saturating loss: mean BCE(1, fake), from the logits"))
def g_loss_values(ns):
    generator_loss = require(ns, "generator_loss")
    got = _scalar(generator_loss(_FAKE))
    expected = float(np.mean(_softplus(-_FAKE)))
    saturating = float(np.mean(-_softplus(_FAKE)))  # mean log(1 - sigmoid)
    hint = ""
    if math.isclose(got, float(np.mean(_softplus(-_sigmoid(_FAKE)))), rel_tol=1e-4):
        hint = _(_SIGMOID_HINT)
    elif math.isclose(got, saturating, rel_tol=1e-4):
        hint = _(" (this is the saturating minimax loss log(1 - sigmoid(l)); use -log sigmoid(l))")
    expect(
        math.isclose(got, expected, rel_tol=1e-4),
        _("generator_loss returned {got:.5f}, expected {expected:.5f}{hint}").format(
            got=got, expected=expected, hint=hint
        ),
    )


@describe(N_("keeps a strong gradient when D rejects the fakes"))
def g_loss_gradient(ns):
    tf, _keras = _frameworks()
    generator_loss = require(ns, "generator_loss")
    logits = tf.Variable([[-20.0], [-30.0]])
    with tf.GradientTape() as tape:
        loss = generator_loss(logits)
    gradient = tape.gradient(loss, logits)
    expect(
        gradient is not None,
        _("generator_loss gives no gradient: compute it with TensorFlow or keras.ops operations"),
    )
    gradient = gradient.numpy().ravel()
    expect(
        np.all(np.isfinite(gradient)) and np.allclose(gradient, -0.5, atol=1e-3),
        _(
            "at logits -20 and -30 (D is sure the images are fake), the gradient of "
            "generator_loss should be about -1/B = -0.5 for each logit, but it is {got}: the "
            "saturating loss log(1 - sigmoid(l)) has almost no gradient there"
        ).format(got=np.array2string(gradient, precision=4)),
    )


# ------------------------------------------------------------------ dcgan_models


def _scaled_output(model, inputs, factor=50.0):
    """The model's output after its last layer with a kernel has it multiplied by `factor`."""
    weighted = [layer for layer in model.layers if getattr(layer, "kernel", None) is not None]
    if weighted:
        weighted[-1].kernel.assign(weighted[-1].kernel * factor)
    return np.asarray(model(inputs, training=False))


@describe(N_("shapes: z (B, z_dim) -> (B, 28, 28, 1) -> logits (B, 1)"))
def models_shapes(ns):
    _tf, keras = _frameworks()
    build_generator = require(ns, "build_generator")
    build_discriminator = require(ns, "build_discriminator")
    keras.utils.set_random_seed(0)
    generator = build_generator(16, 8)
    discriminator = build_discriminator(8)
    z = np.random.default_rng(0).normal(size=(3, 16)).astype(np.float32)
    images = np.asarray(generator(z, training=False))
    expect(
        images.shape == (3, 28, 28, 1),
        _(
            "build_generator(16, 8) maps z of shape (3, 16) to shape {got}, expected (3, 28, 28, 1)"
        ).format(got=images.shape),
    )
    logits = np.asarray(discriminator(images, training=False))
    expect(
        logits.shape == (3, 1),
        _(
            "build_discriminator(8) maps images of shape (3, 28, 28, 1) to {got}, expected (3, 1)"
        ).format(got=logits.shape),
    )
    counts = (generator.count_params(), discriminator.count_params())
    expected = (17_889, 3_033)  # Dense 12,544 + BN 3,136 + ... (see the tables)
    expect(
        counts == expected,
        _(
            "build_generator(16, 8) and build_discriminator(8) have {got} parameters (counting "
            "batch-norm statistics), the tables give {expected}: follow the layers of the tables"
        ).format(got=counts, expected=expected),
    )


@describe(N_("the generator ends in tanh, the discriminator in a logit (no sigmoid)"))
def models_outputs(ns):
    _tf, keras = _frameworks()
    build_generator = require(ns, "build_generator")
    build_discriminator = require(ns, "build_discriminator")
    keras.utils.set_random_seed(1)
    z = np.random.default_rng(1).normal(size=(8, 16)).astype(np.float32)
    images = _scaled_output(build_generator(16, 8), z)
    expect(
        images.min() >= -1.0 - 1e-6 and images.max() <= 1.0 + 1e-6 and images.min() < -0.5,
        _(
            "with a large last layer, the generator's pixels range from {low:.3f} to {high:.3f}: "
            "end it with a tanh, so that images lie in [-1, 1] like the data"
        ).format(low=images.min(), high=images.max()),
    )
    inputs = np.random.default_rng(2).uniform(-1, 1, size=(8, 28, 28, 1)).astype(np.float32)
    logits = _scaled_output(build_discriminator(8), inputs)
    expect(
        np.abs(logits).max() > 1.0,
        _(
            "with a large last layer, the discriminator's outputs stay within [{low:.3f}, "
            "{high:.3f}]: it must output logits, so leave its last Dense layer without an "
            "activation (the losses apply the sigmoid)"
        ).format(low=logits.min(), high=logits.max()),
    )


# ------------------------------------------------------------------ train_steps


def _toy_gan():
    _tf, keras = _frameworks()
    keras.utils.set_random_seed(3)
    generator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3)])
    discriminator = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    return generator, discriminator


def _values(model):
    return [np.array(v) for v in model.trainable_variables]


def _changed(before, model):
    return any(not np.array_equal(b, a) for b, a in zip(before, _values(model), strict=True))


@describe(N_("returns two tf.functions; d_step changes only D, g_step only G"))
def steps_update_own_variables(ns):
    tf, keras = _frameworks()
    make_gan_steps = require(ns, "make_gan_steps")
    generator, discriminator = _toy_gan()
    steps = make_gan_steps(
        generator, discriminator, keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1)
    )
    expect(
        isinstance(steps, (tuple, list)) and len(steps) == 2,
        _("make_gan_steps must return a pair (d_step, g_step), not {kind}").format(
            kind=type(steps).__name__
        ),
    )
    d_step, g_step = steps
    for name, step in (("d_step", d_step), ("g_step", g_step)):
        expect(
            isinstance(step, tf.types.experimental.PolymorphicFunction),
            _("{name} must be decorated with @tf.function, not {kind}").format(
                name=name, kind=type(step).__name__
            ),
        )
    rng = np.random.default_rng(4)
    real = rng.normal(size=(5, 3)).astype(np.float32)
    z = rng.normal(size=(5, 2)).astype(np.float32)
    g_before, d_before = _values(generator), _values(discriminator)
    d_step(real, z)
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
    g_step(z)
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


@describe(N_("the steps return the losses and take one optimiser step"))
def steps_losses(ns):
    tf, keras = _frameworks()
    make_gan_steps = require(ns, "make_gan_steps")
    generator, discriminator = _toy_gan()
    d_step, g_step = make_gan_steps(
        generator, discriminator, keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1)
    )
    rng = np.random.default_rng(5)
    real = rng.normal(size=(5, 3)).astype(np.float32)
    z = rng.normal(size=(5, 2)).astype(np.float32)
    real_logits = np.asarray(discriminator(real)).astype(np.float64)
    fake_logits = np.asarray(discriminator(generator(z))).astype(np.float64)
    expected = _d_loss(real_logits, fake_logits)
    got = _scalar(d_step(real, z))
    expect(
        math.isclose(got, expected, rel_tol=1e-4),
        _(
            "d_step returned {got:.5f}, expected discriminator_loss(D(real), D(G(z))) = "
            "{expected:.5f}, computed before the update"
        ).format(got=got, expected=expected),
    )
    fake_logits = np.asarray(discriminator(generator(z))).astype(np.float64)
    expected = float(np.mean(_softplus(-fake_logits)))
    got = _scalar(g_step(z))
    expect(
        math.isclose(got, expected, rel_tol=1e-4),
        _(
            "g_step returned {got:.5f}, expected generator_loss(D(G(z))) = {expected:.5f}, "
            "computed before the update"
        ).format(got=got, expected=expected),
    )


PUBLIC_CHECKS = {
    # dcgan.ipynb
    "discriminator_loss": [d_loss_values, d_loss_stable],
    "generator_loss": [g_loss_values, g_loss_gradient],
    "dcgan_models": [models_shapes, models_outputs],
    "train_steps": [steps_update_own_variables, steps_losses],
}
