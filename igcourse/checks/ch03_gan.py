"""Public checks of chapter 3: GAN losses, DCGAN networks and training steps.

Each check is light (tiny models and inputs, a second or two) and says what to fix when it
fails. The hidden checks in autograder/ch03_gan/ test the same code more thoroughly.
"""

import contextlib
import math

import numpy as np

from igcourse.checks import N_, CheckFailure, describe, expect, require, rounded
from igcourse.checks.handed_in import load_handed_in
from igcourse.checks.networks import scaled_output
from igcourse.i18n import _


def _frameworks():
    import keras
    import tensorflow as tf

    return tf, keras


def _np(variable):
    import keras

    return np.array(keras.ops.convert_to_numpy(variable))


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
    # The saturating loss log(1 - sigmoid(l)) is negative (log 1/2 at l = 0); a cross-entropy
    # never is. A vanished gradient alone has other causes too (an epsilon inside the log).
    saturating = float(np.ravel(_np(generator_loss(tf.zeros((2, 1)))))[0]) < 0
    expect(
        np.all(np.isfinite(gradient)) and np.allclose(gradient, -0.5, atol=1e-3),
        _(
            "at logits -20 and -30 (D is sure the images are fake), the gradient of "
            "generator_loss should be about -1/B = -0.5 for each logit, but it is {got}{hint}"
        ).format(
            got=np.array2string(gradient, precision=4),
            hint=_(": the saturating loss log(1 - sigmoid(l)) has almost no gradient there")
            if saturating
            else "",
        ),
    )


# ------------------------------------------------------------------ dcgan_models


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
    images = scaled_output(build_generator(16, 8), z)
    expect(
        images.min() >= -1.0 - 1e-6 and images.max() <= 1.0 + 1e-6 and images.min() < -0.5,
        _(
            "with a large last layer, the generator's pixels range from {low:.3f} to {high:.3f}: "
            "end it with a tanh, so that images lie in [-1, 1] like the data"
        ).format(low=images.min(), high=images.max()),
    )
    inputs = np.random.default_rng(2).uniform(-1, 1, size=(8, 28, 28, 1)).astype(np.float32)
    logits = scaled_output(build_discriminator(8), inputs)
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
    """A linear generator z (B, 2) -> images (B, 28, 28, 1) and a linear discriminator."""
    _tf, keras = _frameworks()
    keras.utils.set_random_seed(3)
    generator = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(28 * 28), keras.layers.Reshape((28, 28, 1))]
    )
    discriminator = keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(1)]
    )
    return generator, discriminator


def _toy_images(rng, *shape):
    return rng.uniform(-1, 1, size=(*shape, 28, 28, 1)).astype(np.float32)


@contextlib.contextmanager
def _replaced(ns, **names):
    """The namespace with some names replaced while the block runs (then put back).

    The steps are checked with losses that are not the task's, as the hidden checks do: so a
    step is judged on calling the losses it is given, and a mistake in a loss does not fail
    the step's check as well."""
    saved = {name: ns[name] for name in names if name in ns}
    ns.update(names)
    try:
        yield
    finally:
        for name in names:
            if name in saved:
                ns[name] = saved[name]
            else:
                ns.pop(name, None)


def _flat(values):
    tf, _keras = _frameworks()
    return tf.reshape(tf.cast(values, tf.float32), [-1])


def _other_discriminator_loss(real_logits, fake_logits):
    """Least squares (real towards 1, generated towards -1): not the task's loss."""
    tf, _keras = _frameworks()
    real, fake = _flat(real_logits), _flat(fake_logits)
    return 0.5 * tf.reduce_mean((real - 1.0) ** 2) + 0.5 * tf.reduce_mean((fake + 1.0) ** 2)


def _other_generator_loss(fake_logits):
    """Least squares (generated towards 1): not the task's loss."""
    tf, _keras = _frameworks()
    return 0.5 * tf.reduce_mean((_flat(fake_logits) - 1.0) ** 2)


def _values(model):
    return [_np(v) for v in model.trainable_variables]


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
    real = _toy_images(rng, 5)
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


def _counted(function, calls, name):
    """`function`, counting its calls (traces included) in calls[name]."""

    def counted(*args, **kwargs):
        calls[name] = calls.get(name, 0) + 1
        return function(*args, **kwargs)

    return counted


@describe(N_("the steps return the losses they minimise, computed before the update"))
def steps_losses(ns):
    _tf, keras = _frameworks()
    make_gan_steps = require(ns, "make_gan_steps")
    generator, discriminator = _toy_gan()
    calls = {}
    with _replaced(
        ns,
        discriminator_loss=_counted(_other_discriminator_loss, calls, "discriminator_loss"),
        generator_loss=_counted(_other_generator_loss, calls, "generator_loss"),
    ):
        d_step, g_step = make_gan_steps(
            generator, discriminator, keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1)
        )
        rng = np.random.default_rng(5)
        real = _toy_images(rng, 5)
        z = rng.normal(size=(5, 2)).astype(np.float32)
        real_logits = np.asarray(discriminator(real)).astype(np.float64).ravel()
        fake_logits = np.asarray(discriminator(generator(z))).astype(np.float64).ravel()
        expected = 0.5 * np.mean((real_logits - 1) ** 2) + 0.5 * np.mean((fake_logits + 1) ** 2)
        got = _scalar(d_step(real, z))
        _expect_called(calls, "d_step", "discriminator_loss")
        expect(
            math.isclose(got, expected, rel_tol=1e-4),
            _(
                "with discriminator_loss replaced by another loss, d_step returned {got:.5f}, "
                "expected that loss of D(real) and D(G(z)) = {expected:.5f}, computed before "
                "the update"
            ).format(got=got, expected=expected),
        )
        fake_logits = np.asarray(discriminator(generator(z))).astype(np.float64).ravel()
        expected = 0.5 * np.mean((fake_logits - 1) ** 2)
        got = _scalar(g_step(z))
        _expect_called(calls, "g_step", "generator_loss")
        expect(
            math.isclose(got, expected, rel_tol=1e-4),
            _(
                "with generator_loss replaced by another loss, g_step returned {got:.5f}, "
                "expected that loss of D(G(z)) = {expected:.5f}, computed before the update"
            ).format(got=got, expected=expected),
        )


def _expect_called(calls, step, loss):
    expect(
        calls.get(loss, 0) > 0,
        _(
            "{step} never called {loss}: call the function (this check replaces it by another "
            "loss) rather than computing a loss in the step"
        ).format(step=step, loss=loss),
    )


# ------------------------------------------------------------------ wgan: wasserstein_losses


@describe(N_("critic loss mean(fake) - mean(real), generator loss -mean(fake)"))
def wasserstein_values(ns):
    critic_loss = require(ns, "critic_loss")
    wgan_generator_loss = require(ns, "wgan_generator_loss")
    got = _scalar(critic_loss(_REAL, _FAKE))
    expected = float(np.mean(_FAKE) - np.mean(_REAL))
    hint = ""
    if math.isclose(got, -expected, rel_tol=1e-4):
        hint = _(" (the sign is flipped: the critic minimises mean(fake) - mean(real))")
    expect(
        math.isclose(got, expected, rel_tol=1e-4),
        _("critic_loss returned {got:.5f}, expected {expected:.5f}{hint}").format(
            got=got, expected=expected, hint=hint
        ),
    )
    got = _scalar(wgan_generator_loss(_FAKE))
    expected = float(-np.mean(_FAKE))
    expect(
        math.isclose(got, expected, rel_tol=1e-4),
        _(
            "wgan_generator_loss returned {got:.5f}, expected -mean(fake_scores) = {expected:.5f}"
        ).format(got=got, expected=expected),
    )


@describe(N_("uses the raw scores (no sigmoid, no log)"))
def wasserstein_raw_scores(ns):
    critic_loss = require(ns, "critic_loss")
    real = np.array([[50.0], [30.0]], np.float32)
    fake = np.array([[-40.0]], np.float32)
    got = _scalar(critic_loss(real, fake))
    expect(
        math.isclose(got, -80.0, rel_tol=1e-4),
        _(
            "critic_loss on real scores 50, 30 and a fake score -40 returned {got}, expected "
            "-80: the Wasserstein losses use the scores as they are"
        ).format(got=got),
    )


# ------------------------------------------------------------------ wgan: weight_clipping


def _critic_with_batch_norm():
    _tf, keras = _frameworks()
    keras.utils.set_random_seed(6)
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(5),
            keras.layers.BatchNormalization(),
            keras.layers.Dense(1),
        ]
    )
    for variable in model.variables:
        variable.assign(np.random.default_rng(7).normal(size=variable.shape).astype(np.float32))
    return model


@describe(N_("clips every kernel to [-c, c] and leaves batch-norm statistics alone"))
def clipping_kernels_only(ns):
    clip_critic_weights = require(ns, "clip_critic_weights")
    critic = _critic_with_batch_norm()
    batch_norm = critic.layers[1]
    statistics = [_np(batch_norm.moving_mean), _np(batch_norm.moving_variance)]
    kernels = [_np(layer.kernel) for layer in (critic.layers[0], critic.layers[2])]
    clip_critic_weights(critic, 0.05)
    for before, layer in zip(kernels, (critic.layers[0], critic.layers[2]), strict=True):
        expect(
            np.allclose(_np(layer.kernel), np.clip(before, -0.05, 0.05)),
            _(
                "after clip_critic_weights(critic, 0.05) the kernel of layer {name} is not "
                "clip(kernel, -0.05, 0.05): assign the clipped values to every layer's kernel"
            ).format(name=layer.name),
        )
    after = [_np(batch_norm.moving_mean), _np(batch_norm.moving_variance)]
    expect(
        all(np.array_equal(b, a) for b, a in zip(statistics, after, strict=True)),
        _(
            "clip_critic_weights changed batch normalisation's moving mean or variance; they are "
            "statistics of the data, not weights: clip the kernels only"
        ),
    )


# ------------------------------------------------------------------ wgan: wgan_train_step


def _toy_wgan():
    """A linear generator z (B, 2) -> images (B, 28, 28, 1) and a linear critic."""
    _tf, keras = _frameworks()
    keras.utils.set_random_seed(8)
    generator = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(28 * 28), keras.layers.Reshape((28, 28, 1))]
    )
    critic = keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(1)]
    )
    return generator, critic


def _other_critic_loss(real_scores, fake_scores):
    """0.5 mean(fake) - mean(real): not the task's loss."""
    tf, _keras = _frameworks()
    return 0.5 * tf.reduce_mean(_flat(fake_scores)) - tf.reduce_mean(_flat(real_scores))


def _other_wgan_generator_loss(fake_scores):
    """0.5 mean((fake - 1)^2): not the task's loss."""
    tf, _keras = _frameworks()
    return 0.5 * tf.reduce_mean((_flat(fake_scores) - 1.0) ** 2)


@describe(N_("n_critic critic updates, then one generator update, each on its own network"))
def wgan_step_updates(ns):
    tf, keras = _frameworks()
    make_wgan_train_step = require(ns, "make_wgan_train_step")
    generator, critic = _toy_wgan()
    rng = np.random.default_rng(9)
    real = _toy_images(rng, 3, 4)
    critic_z = rng.normal(size=(3, 4, 2)).astype(np.float32)
    generator_z = rng.normal(size=(4, 2)).astype(np.float32)
    g_kernel, g_bias = (w.astype(np.float64) for w in _values(generator))
    kernel, bias = (w.astype(np.float64) for w in _values(critic))
    # What 3 SGD steps on the critic and then one on the generator give, with the stand-in
    # losses (their gradients with respect to the scores are known), computed here.
    for i in range(3):
        fake = critic_z[i] @ g_kernel + g_bias  # (4, 784)
        d_real, d_fake = -np.ones((4, 1)) / 4, np.full((4, 1), 0.5 / 4)
        flat_real = real[i].reshape(4, -1).astype(np.float64)
        kernel, bias = (
            kernel - 0.1 * (flat_real.T @ d_real + fake.T @ d_fake),
            bias - 0.1 * (d_real.sum(0) + d_fake.sum(0)),
        )
    fake = generator_z @ g_kernel + g_bias
    d_scores = (fake @ kernel + bias - 1.0) / 4  # (4, 1)
    g_kernel = g_kernel - 0.1 * (generator_z.T @ (d_scores @ kernel.T))
    calls = {}
    with _replaced(
        ns,
        critic_loss=_counted(_other_critic_loss, calls, "critic_loss"),
        wgan_generator_loss=_counted(_other_wgan_generator_loss, calls, "wgan_generator_loss"),
    ):
        step = make_wgan_train_step(
            generator, critic, keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1), n_critic=3
        )
        expect(
            isinstance(step, tf.types.experimental.PolymorphicFunction),
            _(
                "make_wgan_train_step must return a function decorated with @tf.function, "
                "not {kind}"
            ).format(kind=type(step).__name__),
        )
        step(real, critic_z, generator_z)
    # Counted while tracing: a loop over tf.range traces its body once, so only "never" is sure.
    _expect_called(calls, _("the step"), "critic_loss")
    _expect_called(calls, _("the step"), "wgan_generator_loss")
    expect(
        np.allclose(_np(critic.layers[-1].kernel), kernel, atol=1e-5),
        _(
            "with critic_loss replaced by another loss, the critic's kernel after one step with "
            "n_critic=3 differs from 3 SGD steps on that loss, one per batch of real_batches "
            "and critic_z"
        ),
    )
    expect(
        np.allclose(_np(generator.layers[0].kernel), g_kernel, atol=1e-5),
        _(
            "with wgan_generator_loss replaced by another loss, the generator's kernel differs "
            "from one SGD step on that loss with generator_z, taken after the critic's updates "
            "(which leave the generator as it is)"
        ),
    )


# ------------------------------------------------------------------ wgan: gradient_penalty


def _recording_critic(kind, weights):
    """A critic that keeps the inputs it is called on: linear or quadratic in the pixels."""
    tf, keras = _frameworks()

    class Recorder(keras.Model):
        def __init__(self):
            super().__init__()
            self.seen = []
            self.w = tf.constant(weights, tf.float32)

        def call(self, inputs, training=False):
            self.seen.append(inputs)
            if kind == "linear":
                return tf.reduce_sum(inputs * self.w, axis=[1, 2, 3])[:, None]
            return 0.5 * tf.reduce_sum(self.w * inputs * inputs, axis=[1, 2, 3])[:, None]

    return Recorder()


def _images(seed, shape=(5, 4, 4, 1)):
    return np.random.default_rng(seed).uniform(-1, 1, size=shape).astype(np.float32)


@describe(N_("a linear critic f(x) = <w, x> gives weight * (||w|| - 1)^2"))
def gp_linear_critic(ns):
    gradient_penalty = require(ns, "gradient_penalty")
    w = 0.2 * np.random.default_rng(10).normal(size=(1, 4, 4, 1))
    got = _scalar(gradient_penalty(_recording_critic("linear", w), _images(11), _images(12), 10.0))
    expected = 10.0 * (float(np.linalg.norm(w)) - 1.0) ** 2
    squared = 10.0 * (float(np.linalg.norm(w)) ** 2 - 1.0) ** 2
    hint = ""
    if math.isclose(got, squared, rel_tol=1e-3):
        hint = _(" (that is the penalty on the squared norm: use (||g|| - 1)^2)")
    expect(
        math.isclose(got, expected, rel_tol=1e-3),
        _(
            "for a linear critic with ||w|| = {norm:.3f}, gradient_penalty(..., weight=10) "
            "returned {got:.5f}, expected 10 * (||w|| - 1)^2 = {expected:.5f}{hint}"
        ).format(norm=float(np.linalg.norm(w)), got=got, expected=expected, hint=hint),
    )


@describe(N_("one epsilon and one gradient norm per sample"))
def gp_per_sample(ns):
    gradient_penalty = require(ns, "gradient_penalty")
    critic = _recording_critic("quadratic", np.full((1, 4, 4, 1), 0.6))
    real, fake = _images(13), _images(14)
    got = _scalar(gradient_penalty(critic, real, fake, 10.0))
    seen = [np.asarray(x) for x in critic.seen if hasattr(x, "numpy")]
    expect(
        len(seen) >= 1,
        _("gradient_penalty never called the critic (eagerly) on the interpolated images"),
    )
    points = seen[-1].astype(np.float64)
    expect(
        points.shape == real.shape,
        _(
            "the critic was called on a batch of shape {got}, expected the interpolates {shape}"
        ).format(got=points.shape, shape=real.shape),
    )
    ratio = (points - fake) / (real - fake)  # epsilon for every pixel
    per_sample = np.allclose(ratio, ratio.reshape(len(ratio), -1)[:, :1, None, None], atol=1e-4)
    expect(
        per_sample,
        _(
            "the critic was called on points that are not eps * real + (1 - eps) * fake with one "
            "eps per sample: draw eps with shape (batch, 1, 1, 1)"
        ),
    )
    expect(
        ratio.min() >= -1e-4 and ratio.max() <= 1 + 1e-4,
        _(
            "the critic was called on points eps * real + (1 - eps) * fake with one eps per "
            "sample, but eps ranges from {low:.3f} to {high:.3f}, outside [0, 1]: draw eps "
            "uniformly in [0, 1]"
        ).format(low=float(ratio.min()), high=float(ratio.max())),
    )
    norms = np.sqrt(np.sum((0.6 * points) ** 2, axis=(1, 2, 3)))
    expected = 10.0 * float(np.mean((norms - 1.0) ** 2))
    whole_batch = 10.0 * (float(np.sqrt(np.sum(norms**2))) - 1.0) ** 2
    hint = ""
    if math.isclose(got, whole_batch, rel_tol=1e-3):
        hint = _(
            " (that is one norm over the whole batch: take the norm over axes 1, 2, 3 of each "
            "sample, then the mean)"
        )
    expect(
        math.isclose(got, expected, rel_tol=1e-3),
        _(
            "for a critic whose gradient norm differs per sample, gradient_penalty returned "
            "{got:.5f}, expected weight * mean((||g_i|| - 1)^2) = {expected:.5f}{hint}"
        ).format(got=got, expected=expected, hint=hint),
    )


# ------------------------------------------------------------------ mode_collapse


_MEANS = np.array([[0.0, 0.0], [4.0, 1.0]])
_COVARIANCES = np.array([[[1.0, 0.5], [0.5, 2.0]], [[0.3, -0.4], [-0.4, 1.0]]])


@describe(N_("returns float32 points (n, 2) and their components, the same for the same seed"))
def mixture_shapes(ns):
    sample_mixture = require(ns, "sample_mixture")
    points, components = sample_mixture(50, _MEANS.copy(), _COVARIANCES.copy(), 3)
    expect(
        isinstance(points, np.ndarray) and points.shape == (50, 2) and points.dtype == np.float32,
        _("sample_mixture must return float32 points of shape (n, 2), not {kind}").format(
            kind=getattr(points, "dtype", type(points).__name__)
        ),
    )
    expect(
        np.shape(components) == (50,) and set(np.unique(components)) <= {0, 1},
        _("sample_mixture must return the component of each point, integers of shape (n,)"),
    )
    again, _components = sample_mixture(50, _MEANS.copy(), _COVARIANCES.copy(), 3)
    expect(
        np.array_equal(points, again),
        _(
            "sample_mixture gave other points for the same seed: draw everything from "
            "np.random.default_rng(seed)"
        ),
    )


@describe(N_("each component has the asked mean and covariance"))
def mixture_statistics(ns):
    sample_mixture = require(ns, "sample_mixture")
    points, components = sample_mixture(40_000, _MEANS.copy(), _COVARIANCES.copy(), 4)
    components = np.asarray(components)
    for k in range(2):
        chosen = np.asarray(points, np.float64)[components == k]
        expect(
            abs(len(chosen) / len(points) - 0.5) < 0.02,
            _(
                "component {k} got {share:.1%} of the points; with 2 components each gets 50%"
            ).format(k=k, share=len(chosen) / len(points)),
        )
        covariance = np.cov(chosen.T)
        squared = _COVARIANCES[k] @ _COVARIANCES[k].T
        expect(
            np.allclose(chosen.mean(axis=0), _MEANS[k], atol=0.05)
            and np.allclose(covariance, _COVARIANCES[k], atol=0.06),
            _(
                "the points of component {k} have mean {mean} and covariance {cov}, expected "
                "{expected_mean} and {expected_cov}{hint}"
            ).format(
                k=k,
                mean=rounded(chosen.mean(axis=0), 2),
                cov=rounded(covariance, 2),
                expected_mean=_MEANS[k].tolist(),
                expected_cov=_COVARIANCES[k].tolist(),
                hint=_(
                    ": that is the covariance squared, what multiplying the noise by the "
                    "covariance itself gives; multiply by A with A A^T = the covariance"
                )
                if np.allclose(covariance, squared, rtol=0.1, atol=0.1)
                else "",
            ),
        )


@describe(N_("refuses a covariance that is not symmetric positive semi-definite"))
def mixture_refuses_bad_covariances(ns):
    sample_mixture = require(ns, "sample_mixture")
    book = np.array([[[1.0, 0.0], [0.0, 1.0]], [[0.2, -2.0], [-2.0, 5.0]]])
    try:
        sample_mixture(10, _MEANS.copy(), book, 0)
    except ValueError:
        return
    raise CheckFailure(
        _(
            "sample_mixture accepted the book's covariance [[0.2, -2], [-2, 5]], whose "
            "eigenvalues are -0.52 and 5.72: raise ValueError when an eigenvalue is negative"
        )
    )


@describe(N_("counts modes with at least min_share of all samples within radius"))
def coverage_counts(ns):
    modes_covered = require(ns, "modes_covered")
    means = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    near_first = np.zeros((90, 2))
    stray = np.array([[10.0, 0.5]] * 5)  # 5 of 100 samples near the second mode
    far = np.array([[5.0, 5.0]] * 5)  # near no mode
    samples = np.concatenate([near_first, stray, far])
    cases = [
        ((samples, means, 1.0, 0.01), 2),
        ((samples, means, 1.0, 0.1), 1),
        ((samples, means, 0.1, 0.01), 1),
        ((far, means, 1.0, 0.01), 0),
    ]
    for args, expected in cases:
        got = modes_covered(*(a.copy() if isinstance(a, np.ndarray) else a for a in args))
        expect(
            int(got) == expected,
            _(
                "modes_covered(samples, means, radius={radius}, min_share={share}) returned "
                "{got}, expected {expected}: a mode counts when at least min_share of all the "
                "samples lie within radius of its mean"
            ).format(radius=args[2], share=args[3], got=got, expected=expected),
        )


# ------------------------------------------------------------------ trained_generator

TRAINED_WEIGHTS = "dcgan_generator.weights.h5"
TRAINED_SETTINGS = "dcgan_generator.json"


@describe(N_("the trained generator's two files are next to the notebook and load"))
def trained_generator_files(ns):
    _tf, keras = _frameworks()
    build_generator = require(ns, "build_generator")
    generator, (z_dim, _filters) = load_handed_in(
        build_generator, "build_generator", TRAINED_WEIGHTS, TRAINED_SETTINGS, ("z_dim", "filters")
    )
    z = np.random.default_rng(0).normal(size=(4, z_dim)).astype(np.float32)
    images = np.asarray(generator(z, training=False))
    expect(
        images.shape == (4, 28, 28, 1) and np.all(np.abs(images) <= 1.0 + 1e-6),
        _(
            "the loaded generator maps noise of shape (4, {z_dim}) to images of shape {shape} "
            "ranging from {low:.3f} to {high:.3f}, expected (4, 28, 28, 1) in [-1, 1]"
        ).format(z_dim=z_dim, shape=images.shape, low=images.min(), high=images.max()),
    )


PUBLIC_CHECKS = {
    # dcgan.ipynb
    "discriminator_loss": [d_loss_values, d_loss_stable],
    "generator_loss": [g_loss_values, g_loss_gradient],
    "dcgan_models": [models_shapes, models_outputs],
    "train_steps": [steps_update_own_variables, steps_losses],
    "trained_generator": [trained_generator_files],
    # mode_collapse.ipynb
    "mixture_sampling": [mixture_shapes, mixture_statistics, mixture_refuses_bad_covariances],
    "mode_coverage": [coverage_counts],
    # wgan.ipynb
    "wasserstein_losses": [wasserstein_values, wasserstein_raw_scores],
    "weight_clipping": [clipping_kernels_only],
    "wgan_train_step": [wgan_step_updates],
    "gradient_penalty": [gp_linear_critic, gp_per_sample],
}
