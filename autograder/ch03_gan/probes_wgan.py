"""Probes of wgan: they run the code under test and return plain data only.

Each probe takes the code under test as `ns` and plain arguments, builds the tiny models it
needs with Keras, and returns numbers, arrays, lists and dicts. The checks in test_wgan.py
judge what comes back.
"""

import keras
import numpy as np
import tensorflow as tf

from igcourse.grading.checks import seeded_rng
from igcourse.grading.public import run_public_checks as public_checks  # noqa: F401


def _plain(value):
    if value is None:
        return None
    array = np.asarray(value)
    return float(array) if array.ndim == 0 and array.dtype.kind in "biuf" else array


def _numpy(variable):
    return np.array(keras.ops.convert_to_numpy(variable))


# ---------------------------------------------------------------- wasserstein_losses
def wasserstein(ns, real_scores, fake_scores):
    """critic_loss(real, fake) and wgan_generator_loss(fake)."""
    real = tf.constant(real_scores, tf.float32)
    fake = tf.constant(fake_scores, tf.float32)
    return {
        "critic": _plain(ns.critic_loss(real, fake)),
        "generator": _plain(ns.wgan_generator_loss(fake)),
    }


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
    conv, batch_norm, dense = critic.layers[0], critic.layers[1], critic.layers[4]
    named = {
        "kernels": [conv.kernel, dense.kernel],
        "biases": [conv.bias, dense.bias],
        "batch_norm_parameters": [batch_norm.gamma, batch_norm.beta],
        "batch_norm_statistics": [batch_norm.moving_mean, batch_norm.moving_variance],
    }
    before = {key: [_numpy(v) for v in values] for key, values in named.items()}
    ns.clip_critic_weights(critic, clip_value)
    after = {key: [_numpy(v) for v in values] for key, values in named.items()}
    return {"before": before, "after": after}


# ---------------------------------------------------------------- wgan_train_step
def _tiny_wgan(seed):
    keras.utils.set_random_seed(seed)
    generator = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(8, activation="tanh"),
            keras.layers.Dense(16),
            keras.layers.Reshape((4, 4, 1)),
        ]
    )
    critic = keras.Sequential(
        [
            keras.Input((4, 4, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(6, activation="tanh"),
            keras.layers.Dense(1),
        ]
    )
    return generator, critic


def wgan_step(ns, seed, n_critic, clip_value, gp_weight, g_rate=0.05, c_rate=0.05, batch=6):
    """One call of the training step on tiny image networks with plain SGD.

    Returns the losses it returned and every variable of both networks before and after.
    TensorFlow is seeded right before the call, so that a penalty drawn with tf.random
    draws the same epsilons as the reference's.
    """
    generator, critic = _tiny_wgan(seed)
    step = ns.make_wgan_train_step(
        generator,
        critic,
        keras.optimizers.SGD(g_rate),
        keras.optimizers.SGD(c_rate),
        n_critic=n_critic,
        clip_value=clip_value,
        gp_weight=gp_weight,
    )
    rng = seeded_rng(f"wgan step {seed}")
    real = rng.uniform(-1, 1, size=(n_critic, batch, 4, 4, 1)).astype(np.float32)
    critic_z = rng.normal(size=(n_critic, batch, 3)).astype(np.float32)
    generator_z = rng.normal(size=(batch, 3)).astype(np.float32)
    result = {
        "g_before": [_numpy(v) for v in generator.variables],
        "c_before": [_numpy(v) for v in critic.variables],
    }
    keras.utils.set_random_seed(seed + 1)
    losses = step(tf.constant(real), tf.constant(critic_z), tf.constant(generator_z))
    result["losses"] = [_plain(value) for value in losses]
    result["g_after"] = [_numpy(v) for v in generator.variables]
    result["c_after"] = [_numpy(v) for v in critic.variables]
    return result


# ---------------------------------------------------------------- gradient_penalty
class _Recorder(keras.Model):
    """A critic linear or quadratic in the pixels that keeps every input it is called on."""

    def __init__(self, kind, weights):
        super().__init__()
        self.kind = kind
        self.w = tf.constant(weights, tf.float32)
        self.seen = []

    def call(self, inputs, training=False):
        if tf.executing_eagerly():
            self.seen.append(np.array(inputs))
        if self.kind == "linear":
            return tf.reduce_sum(inputs * self.w, axis=[1, 2, 3])[:, None]
        return 0.5 * tf.reduce_sum(self.w * inputs * inputs, axis=[1, 2, 3])[:, None]


def penalty_with_critic(ns, kind, weights, real, fake, weight):
    """gradient_penalty with a linear or quadratic critic; the inputs the critic saw."""
    critic = _Recorder(kind, np.asarray(weights, np.float32))
    value = ns.gradient_penalty(
        critic, tf.constant(real, tf.float32), tf.constant(fake, tf.float32), weight
    )
    return {"value": _plain(value), "seen": critic.seen}


def penalty_kernel_gradient(ns, kernel, real, fake, weight):
    """Gradient of the penalty with respect to the kernel of a linear Dense critic."""
    critic = keras.Sequential(
        [keras.Input((4, 4, 1)), keras.layers.Flatten(), keras.layers.Dense(1, use_bias=False)]
    )
    critic.layers[-1].kernel.assign(np.asarray(kernel, np.float32))
    with tf.GradientTape() as tape:
        value = ns.gradient_penalty(
            critic, tf.constant(real, tf.float32), tf.constant(fake, tf.float32), weight
        )
    gradient = tape.gradient(value, critic.layers[-1].kernel)
    return {"value": _plain(value), "gradient": None if gradient is None else _numpy(gradient)}
