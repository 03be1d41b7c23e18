"""Probes of wgan: they run the code under test and return plain data only.

Each probe takes the code under test as `ns` and plain arguments, builds the tiny models it
needs with Keras, and returns numbers, arrays, lists and dicts. The checks in test_wgan.py
judge what comes back.

Parts are graded apart (STAND_INS): the training step calls the other three parts, so it is
graded with stand-ins that are not their answers, and so is the reference it is compared with:
- critic_loss and wgan_generator_loss: other differentiable losses of the scores
  (0.5 mean(fake) - mean(real), and 0.5 mean((fake - 1)^2));
- clip_critic_weights: a shrinking of every trainable variable of the model it is given by the
  factor 1 - clip_value (not a clipping), so that the step shows how often it calls it, after
  which update and on which network;
- gradient_penalty: 0.1 weight mean(critic(0.75 real + 0.25 fake)), deterministic (no random
  epsilon), so that a step that adds it can be compared exactly.
The losses are linear in the scores: with ones whose gradient depends on the scores (a mean
of squares), TensorFlow's results of the unrolled critic updates varied from run to run.
The stand-ins record their calls in the step's log (igcourse.grading.steptrace), so that a check
can tell which critic loss the step returns (the docstring allows it with or without the
penalty) and what else the step did.
"""

import keras
import numpy as np
import tensorflow as tf

from igcourse.grading import gansteps, steptrace
from igcourse.grading.checks import seeded_rng
from igcourse.grading.public import run_public_checks as public_checks  # noqa: F401

IMAGE = (28, 28, 1)


# ---------------------------------------------------------------- stand-ins
def _flat(scores):
    return tf.reshape(tf.cast(scores, tf.float32), [-1])


def _stand_in_critic_loss(real_scores, fake_scores):
    """Not the task's loss: 0.5 mean(fake) - mean(real), a differentiable scalar. (Linear in
    the scores: a loss whose gradient depends on the scores, such as mean(fake^2), made
    TensorFlow's results of the unrolled critic updates vary from run to run by about 1e-3.)"""
    loss = 0.5 * tf.reduce_mean(_flat(fake_scores)) - tf.reduce_mean(_flat(real_scores))
    return steptrace.logged("critic_loss", real_scores, fake_scores, loss)


def _stand_in_generator_loss(fake_scores):
    """Not the task's loss: 0.5 mean((fake - 1)^2)."""
    loss = 0.5 * tf.reduce_mean(tf.square(_flat(fake_scores) - 1.0))
    return steptrace.logged("wgan_generator_loss", fake_scores, loss)


def _stand_in_clip(critic, clip_value):
    """Not a clipping: every trainable variable of the model times 1 - clip_value, in place."""
    for variable in critic.trainable_variables:
        variable.assign(variable * (1.0 - clip_value))
    steptrace.logged(f"clip_critic_weights({getattr(critic, 'who', 'a model')})", None)


def _stand_in_penalty(critic, real_images, fake_images, weight=10.0):
    """Not a gradient penalty: 0.1 weight mean(critic(0.75 real + 0.25 fake)), one call of the
    critic, a differentiable scalar (linear in the scores, as the critic loss's stand-in)."""
    points = 0.75 * tf.cast(real_images, tf.float32) + 0.25 * tf.cast(fake_images, tf.float32)
    value = 0.1 * weight * tf.reduce_mean(_flat(critic(points, training=True)))
    weight = tf.cast(weight, tf.float32)
    return steptrace.logged("gradient_penalty", real_images, fake_images, weight, value)


STAND_INS = {
    "wgan_train_step": {
        "critic_loss": "_stand_in_critic_loss",
        "wgan_generator_loss": "_stand_in_generator_loss",
        "clip_critic_weights": "_stand_in_clip",
        "gradient_penalty": "_stand_in_penalty",
    },
}


def _numpy(variable):
    return np.array(keras.ops.convert_to_numpy(variable))


# ---------------------------------------------------------------- wasserstein_losses
def wasserstein(ns, real_scores, fake_scores):
    """critic_loss(real, fake) and wgan_generator_loss(fake)."""
    real = tf.constant(real_scores, tf.float32)
    fake = tf.constant(fake_scores, tf.float32)
    return {
        "critic": gansteps.plain(ns.critic_loss(real, fake)),
        "generator": gansteps.plain(ns.wgan_generator_loss(fake)),
    }


def wasserstein_gradients(ns, real_scores, fake_scores):
    """The gradients of both losses with respect to the scores, from a tf.GradientTape in eager
    mode (None where none flows), whether the losses returned something other than tensors,
    the error computing them raised (if any), and their values inside a tf.function (where the
    scores are symbolic), or that error's type name."""
    real = tf.constant(real_scores, tf.float32)
    fake = tf.constant(fake_scores, tf.float32)
    result = {"d_real": None, "d_fake": None, "d_generator": None, "gradient_error": None}
    result.update(forward_error=None, numpy_values=False)
    try:
        with tf.GradientTape(persistent=True) as tape:
            tape.watch([real, fake])
            critic = ns.critic_loss(real, fake)
            generator = ns.wgan_generator_loss(fake)
    except Exception as error:  # noqa: BLE001 (the losses themselves fail: measured)
        result["forward_error"] = f"{type(error).__name__}: {str(error)[:200]}"
        critic = generator = None
    if result["forward_error"] is None:
        result["numpy_values"] = not (tf.is_tensor(critic) and tf.is_tensor(generator))
        try:
            gradients = [*tape.gradient(critic, [real, fake]), tape.gradient(generator, fake)]
            result["d_real"], result["d_fake"], result["d_generator"] = (
                None if g is None else _numpy(g).astype(np.float64) for g in gradients
            )
        except Exception as error:  # noqa: BLE001 (a NumPy result is no tape target: measured)
            result["gradient_error"] = type(error).__name__
    try:

        @tf.function
        def graph(r, f):
            return ns.critic_loss(r, f), ns.wgan_generator_loss(f)

        result["graph_values"] = [gansteps.plain(v) for v in graph(real, fake)]
        result["graph_error"] = None
    except Exception as error:  # noqa: BLE001 (NumPy on a symbolic tensor raises: measured)
        result["graph_values"] = None
        result["graph_error"] = type(error).__name__
    return result


# ---------------------------------------------------------------- weight_clipping
def clipping(ns, clip_value, seed):
    """Variables of a small critic with batch normalisation, before and after clipping.

    Every variable starts at a random value of size about 1 (batch-norm statistics too), so
    that clipping shows on anything it touches.
    """
    keras.utils.set_random_seed(seed)
    critic = keras.Sequential(
        [
            keras.Input((5, 5, 1)),
            keras.layers.Conv2D(3, 3, padding="same"),
            keras.layers.BatchNormalization(),
            keras.layers.LeakyReLU(0.2),
            # Another kind of layer with a kernel: "every layer" is more than Dense and Conv2D.
            keras.layers.Conv2DTranspose(2, 3, padding="same"),
            keras.layers.Flatten(),
            keras.layers.Dense(1),
        ]
    )
    rng = seeded_rng(f"clipping {seed}")
    for variable in critic.variables:
        value = rng.normal(size=tuple(variable.shape))
        if "variance" in variable.path:
            value = np.abs(value) + 0.5
        variable.assign(value.astype(np.float32))
    conv, batch_norm, transposed, dense = (critic.layers[i] for i in (0, 1, 3, 5))
    named = {
        "kernels": [conv.kernel, transposed.kernel, dense.kernel],
        "biases": [conv.bias, transposed.bias, dense.bias],
        "batch_norm_parameters": [batch_norm.gamma, batch_norm.beta],
        "batch_norm_statistics": [batch_norm.moving_mean, batch_norm.moving_variance],
    }
    before = {key: gansteps.values(values) for key, values in named.items()}
    ns.clip_critic_weights(critic, clip_value)
    after = {key: gansteps.values(values) for key, values in named.items()}
    return {"before": before, "after": after}


# ---------------------------------------------------------------- wgan_train_step
def _tiny_wgan(seed):
    """A tiny generator with batch normalisation (so that training mode matters) and a tiny
    critic, on images of the task's shape."""
    keras.utils.set_random_seed(seed)
    generator = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(8),
            keras.layers.BatchNormalization(),
            keras.layers.Activation("tanh"),
            keras.layers.Dense(int(np.prod(IMAGE))),
            keras.layers.Reshape(IMAGE),
        ]
    )
    critic = keras.Sequential(
        [
            keras.Input(IMAGE),
            keras.layers.Flatten(),
            keras.layers.Dense(6, activation="tanh"),
            keras.layers.Dense(1),
        ]
    )
    return generator, critic


def wgan_step(ns, seed, n_critic, clip_value, gp_weight, g_rate=0.05, c_rate=0.05, batch=6):
    """One call of the training step on tiny image networks with plain SGD.

    Returns the losses it returned, the trainable variables of both networks before and after,
    the calls the step made ("calls", igcourse.grading.steptrace), and the last values the
    stand-ins of critic_loss and gradient_penalty returned (None where they were not called).
    """
    generator, critic = _tiny_wgan(seed)
    log = steptrace.CallLog(slots=48)
    g_optimizer = steptrace.RecordingSGD(g_rate, "g_optimizer", log)
    c_optimizer = steptrace.RecordingSGD(c_rate, "c_optimizer", log)
    g_optimizer.owners = c_optimizer.owners = steptrace.owners(generator=generator, critic=critic)
    step = ns.make_wgan_train_step(
        steptrace.RecordingNetwork(generator, "generator", log),
        steptrace.RecordingNetwork(critic, "critic", log),
        g_optimizer,
        c_optimizer,
        n_critic=n_critic,
        clip_value=clip_value,
        gp_weight=gp_weight,
    )
    rng = seeded_rng(f"wgan step {seed}")
    real = rng.uniform(-1, 1, size=(n_critic, batch, *IMAGE)).astype(np.float32)
    critic_z = rng.normal(size=(n_critic, batch, 3)).astype(np.float32)
    generator_z = rng.normal(size=(batch, 3)).astype(np.float32)
    result = {
        "real": real,
        "critic_z": critic_z,
        "generator_z": generator_z,
        "g_before": gansteps.values(generator.trainable_variables),
        "c_before": gansteps.values(critic.trainable_variables),
    }
    with steptrace.active(log):
        try:
            losses = step(tf.constant(real), tf.constant(critic_z), tf.constant(generator_z))
        except ValueError as error:
            if "No gradients provided" not in str(error):
                raise
            losses, result["no_gradient"] = None, True
    result["calls"] = log.plain()
    result["losses"] = None if losses is None else [gansteps.plain(value) for value in losses]
    result["g_after"] = gansteps.values(generator.trainable_variables)
    result["c_after"] = gansteps.values(critic.trainable_variables)
    result["last"] = {
        "critic_loss": _last_value(result["calls"], "critic_loss"),
        "penalty": _last_value(result["calls"], "gradient_penalty"),
    }
    return result


def _last_value(calls, who):
    """What the last call of the stand-in `who` returned, or None (never called)."""
    returned = [call["values"][-1] for call in calls if call["who"] == who and call["values"]]
    return float(np.ravel(returned[-1])[0]) if returned else None


# ---------------------------------------------------------------- gradient_penalty
class _Recorder(keras.Model):
    """A critic linear or quadratic in the pixels that keeps every input it is called on."""

    def __init__(self, kind, weights):
        super().__init__(name="recorder")  # a valid name scope inside a tf.function
        self.kind = kind
        self.w = tf.constant(weights, tf.float32)
        self.seen = []

    def call(self, inputs, training=False):
        if tf.executing_eagerly():
            self.seen.append(np.array(inputs))
        if self.kind == "linear":
            return tf.reduce_sum(inputs * self.w, axis=[1, 2, 3])[:, None]
        return 0.5 * tf.reduce_sum(self.w * inputs * inputs, axis=[1, 2, 3])[:, None]


def _without_gradient(error):
    """Whether an error is what a None gradient gives when used as a tensor."""
    text = str(error)
    return "None" in text and ("convert" in text or "NoneType" in text)


def penalty_with_critic(ns, kind, weights, real, fake, weight):
    """gradient_penalty with a linear or quadratic critic; the inputs the critic saw."""
    critic = _Recorder(kind, np.asarray(weights, np.float32))
    real, fake = np.array(real, np.float32), np.array(fake, np.float32)
    try:
        value = ns.gradient_penalty(critic, tf.constant(real), tf.constant(fake), weight)
    except (ValueError, TypeError) as error:
        if not _without_gradient(error):
            raise
        return {"value": None, "seen": critic.seen, "no_gradient": True}
    return {"value": gansteps.plain(value), "seen": critic.seen}


def penalty_kernel_gradient(ns, kernel, real, fake, weight):
    """Gradient of the penalty with respect to the kernel of a linear Dense critic."""
    critic = keras.Sequential(
        [keras.Input(IMAGE), keras.layers.Flatten(), keras.layers.Dense(1, use_bias=False)]
    )
    critic.layers[-1].kernel.assign(np.asarray(kernel, np.float32))
    with tf.GradientTape() as tape:
        value = ns.gradient_penalty(
            critic, tf.constant(real, tf.float32), tf.constant(fake, tf.float32), weight
        )
    gradient = tape.gradient(value, critic.layers[-1].kernel)
    return {
        "value": gansteps.plain(value),
        "gradient": None if gradient is None else _numpy(gradient),
    }


def penalty_in_tf_function(ns, kind, weights, real, fake, weight):
    """gradient_penalty called twice through one tf.function (traced once) on the same inputs,
    with a linear or quadratic critic: the two values, or the error's type name."""
    critic = _Recorder(kind, np.asarray(weights, np.float32))
    real, fake = tf.constant(real, tf.float32), tf.constant(fake, tf.float32)

    @tf.function
    def traced(r, f):
        return ns.gradient_penalty(critic, r, f, weight)

    try:
        values = [gansteps.plain(traced(real, fake)) for _ in range(2)]
    except Exception as error:  # noqa: BLE001 (what fails in a tf.function is the question)
        return {"values": None, "error": type(error).__name__}
    try:  # the same two calls made directly: equal there too means no random epsilon at all
        direct = [gansteps.plain(ns.gradient_penalty(critic, real, fake, weight)) for _ in range(2)]
    except Exception:  # noqa: BLE001 (the direct calls are judged by other checks)
        direct = None
    return {"values": values, "error": None, "direct": direct}
