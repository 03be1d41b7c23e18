"""Chapter 7's ProGAN, for the hidden checks: correct stand-ins, so that a part is graded apart
from the parts it builds on, and the small networks the training step is judged with.

It stays with the graders (the student package leaves out `igcourse/grading/ch0*`): a correct
stand-in is an answer.
"""

import math

import keras
import numpy as np
import tensorflow as tf

HE_GAIN = math.sqrt(2.0)


class StandInPixelNorm(keras.layers.Layer):
    def __init__(self, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = epsilon

    def call(self, x):
        return x / keras.ops.sqrt(keras.ops.mean(x * x, axis=-1, keepdims=True) + self.epsilon)


class StandInMinibatchStd(keras.layers.Layer):
    def __init__(self, group_size=4, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.group_size = group_size
        self.epsilon = epsilon

    def call(self, x):
        shape = keras.ops.shape(x)
        size = min(self.group_size, shape[0])
        grouped = keras.ops.reshape(x, (shape[0] // size, size) + tuple(shape[1:]))
        centred = grouped - keras.ops.mean(grouped, axis=1, keepdims=True)
        deviation = keras.ops.sqrt(keras.ops.mean(centred * centred, axis=1) + self.epsilon)
        value = keras.ops.mean(keras.ops.reshape(deviation, (shape[0] // size, -1)), axis=1)
        tiled = keras.ops.repeat(value[:, None], size, axis=1)  # (groups, size)
        channel = keras.ops.ones(tuple(shape[:3]) + (1,)) * keras.ops.reshape(
            tiled, (shape[0], 1, 1, 1)
        )
        return keras.ops.concatenate([x, channel], axis=-1)


class _StandInEqualized(keras.layers.Layer):
    """The kernel shape and fan-in come from the subclass; the scale is applied in call."""

    def _make(self, kernel_shape, outputs, fan_in):
        unit = keras.initializers.RandomNormal(mean=0.0, stddev=1.0)
        self.kernel = self.add_weight(shape=kernel_shape, initializer=unit, name="kernel")
        self.bias = self.add_weight(shape=(outputs,), initializer="zeros", name="bias")
        self.factor = self.gain * fan_in**-0.5


class StandInEqualizedDense(_StandInEqualized):
    def __init__(self, units, gain=HE_GAIN, **kwargs):
        super().__init__(**kwargs)
        self.units, self.gain = units, gain

    def build(self, input_shape):
        self._make((input_shape[-1], self.units), self.units, input_shape[-1])

    def call(self, x):
        return keras.ops.dot(x, self.factor * self.kernel) + self.bias


class StandInEqualizedConv2D(_StandInEqualized):
    def __init__(self, filters, kernel_size=3, gain=HE_GAIN, **kwargs):
        super().__init__(**kwargs)
        self.filters, self.kernel_size, self.gain = filters, kernel_size, gain

    def build(self, input_shape):
        k, channels = self.kernel_size, input_shape[-1]
        self._make((k, k, channels, self.filters), self.filters, k * k * channels)

    def call(self, x):
        out = tf.nn.conv2d(x, self.factor * self.kernel, strides=1, padding="SAME")
        return out + self.bias


def stand_in_fade_in(alpha, old, new):
    return (1.0 - alpha) * old + alpha * new


def stand_in_gradient_penalty(score_fn, real_images, fake_images, epsilon):
    real_images = tf.cast(real_images, tf.float32)
    fake_images = tf.cast(fake_images, tf.float32)
    between = fake_images + epsilon * (real_images - fake_images)
    with tf.GradientTape() as tape:
        tape.watch(between)
        total = tf.reduce_sum(score_fn(between))
    slopes = tf.norm(tf.reshape(tape.gradient(total, between), (tf.shape(between)[0], -1)), axis=1)
    return tf.reduce_mean((slopes - 1.0) ** 2)


def stand_in_progan_critic_loss(
    real_scores, fake_scores, penalty, gp_weight=10.0, drift_weight=0.001
):
    drift = keras.ops.mean(real_scores**2)
    return (
        keras.ops.mean(fake_scores)
        - keras.ops.mean(real_scores)
        + gp_weight * penalty
        + drift_weight * drift
    )


def stand_in_progan_generator_loss(fake_scores):
    return keras.ops.mean(-fake_scores)


# ---------------------------------------------------------------- the step's networks
class StepGenerator(keras.Model):
    """A small generator of the course's interface: z -> images of the stage's size, faded in
    by alpha from the last stage's images, upsampled; one dense layer per stage (stage s's built
    on its first use, as ProGenerator's are). Records every call's stage and training flag (at
    trace time) in `calls`."""

    def __init__(self, latent_dim, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        self.heads = [keras.layers.Dense((4 * 2**s) ** 2, name=f"head_{s}") for s in range(4)]
        self.calls = []

    def build(self, input_shape):
        pass

    def _image(self, z, stage):
        size = 4 * 2**stage
        return keras.ops.reshape(keras.ops.tanh(self.heads[stage](z)), (-1, size, size, 1))

    def call(self, z, stage=3, alpha=1.0, training=False):
        self.calls.append(["generator", int(stage), bool(training)])
        new = self._image(z, stage)
        if stage == 0:
            return new
        old = keras.ops.repeat(keras.ops.repeat(self._image(z, stage - 1), 2, axis=1), 2, axis=2)
        return old + alpha * (new - old)


class StepCritic(keras.Model):
    """A small critic of the course's interface: images -> (B, 1), a quadratic term so that the
    gradient penalty depends on the weights, faded in by alpha; one set of weights per stage."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.linear = [keras.layers.Dense(1, name=f"linear_{s}") for s in range(4)]
        self.square = [keras.layers.Dense(1, use_bias=False, name=f"square_{s}") for s in range(4)]
        self.calls = []

    def build(self, input_shape):
        pass

    def _score(self, images, stage):
        flat = keras.ops.reshape(images, (keras.ops.shape(images)[0], -1))
        return self.linear[stage](flat) + 0.5 * self.square[stage](flat * flat)

    def call(self, images, stage=3, alpha=1.0, training=False):
        self.calls.append(["critic", int(stage), bool(training)])
        new = self._score(images, stage)
        if stage == 0:
            return new
        pooled = keras.ops.average_pool(images, 2, 2)
        return alpha * new + (1.0 - alpha) * self._score(pooled, stage - 1)


def step_networks(seed, latent_dim, stage):
    """StepGenerator and StepCritic from seeded weights, every stage up to `stage` built."""
    keras.utils.set_random_seed(seed)
    generator, critic = StepGenerator(latent_dim), StepCritic()
    z = np.zeros((2, latent_dim), np.float32)
    for s in range(stage + 1):
        size = 4 * 2**s
        generator(z, stage=s)
        critic(np.zeros((2, size, size, 1), np.float32), stage=s)
    generator.calls.clear()
    critic.calls.clear()
    return generator, critic


# ---------------------------------------------------------------- the networks, for the step
def _widths(filters, stages=4):
    return [filters * min(4, 2 ** (stages - 1 - s)) for s in range(stages)]


def _leaky():
    return keras.layers.LeakyReLU(0.2)


def _doubled(x):
    return keras.ops.repeat(keras.ops.repeat(x, 2, axis=1), 2, axis=2)


class StandInProGenerator(keras.Model):
    def __init__(self, latent_dim=64, filters=16, channels=1, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        widths = _widths(filters)
        self.start = [
            StandInPixelNorm(),
            StandInEqualizedDense(16 * widths[0], gain=HE_GAIN / 4),
            keras.layers.Reshape((4, 4, widths[0])),
            _leaky(),
            StandInPixelNorm(),
            StandInEqualizedConv2D(widths[0], 3),
            _leaky(),
            StandInPixelNorm(),
        ]
        self.grown = [
            [
                StandInEqualizedConv2D(w, 3),
                _leaky(),
                StandInPixelNorm(),
                StandInEqualizedConv2D(w, 3),
                _leaky(),
                StandInPixelNorm(),
            ]
            for w in widths[1:]
        ]
        self.outputs_rgb = [StandInEqualizedConv2D(channels, 1, gain=1.0) for _ in widths]

    def build(self, input_shape):
        pass

    def call(self, z, stage=3, alpha=1.0):
        h = z
        for layer in self.start:
            h = layer(h)
        for s in range(1, stage):
            for layer in self.grown[s - 1]:
                h = layer(_doubled(h) if layer is self.grown[s - 1][0] else h)
        if stage == 0:
            return self.outputs_rgb[0](h)
        fresh = _doubled(h)
        for layer in self.grown[stage - 1]:
            fresh = layer(fresh)
        return stand_in_fade_in(
            alpha, _doubled(self.outputs_rgb[stage - 1](h)), self.outputs_rgb[stage](fresh)
        )


class StandInProDiscriminator(keras.Model):
    def __init__(self, filters=16, group_size=4, **kwargs):
        super().__init__(**kwargs)
        widths = _widths(filters)
        self.inputs_rgb = [[StandInEqualizedConv2D(w, 1), _leaky()] for w in widths]
        self.shrinking = [
            [
                StandInEqualizedConv2D(widths[s], 3),
                _leaky(),
                StandInEqualizedConv2D(widths[s - 1], 3),
                _leaky(),
            ]
            for s in range(1, len(widths))
        ]
        self.end = [
            StandInMinibatchStd(group_size),
            StandInEqualizedConv2D(widths[0], 3),
            _leaky(),
            keras.layers.Flatten(),
            StandInEqualizedDense(widths[0]),
            _leaky(),
            StandInEqualizedDense(1, gain=1.0),
        ]

    def build(self, input_shape):
        pass

    @staticmethod
    def _run(layers, h):
        for layer in layers:
            h = layer(h)
        return h

    def call(self, images, stage=3, alpha=1.0):
        h = self._run(self.inputs_rgb[stage], images)
        if stage > 0:
            fresh = keras.ops.average_pool(self._run(self.shrinking[stage - 1], h), 2, 2)
            coarse = self._run(self.inputs_rgb[stage - 1], keras.ops.average_pool(images, 2, 2))
            h = stand_in_fade_in(alpha, coarse, fresh)
            for s in range(stage - 1, 0, -1):
                h = keras.ops.average_pool(self._run(self.shrinking[s - 1], h), 2, 2)
        return self._run(self.end, h)
