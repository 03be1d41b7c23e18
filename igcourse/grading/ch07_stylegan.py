"""Chapter 7's StyleGAN, for the hidden checks: correct stand-ins, so that a part is graded apart
from the parts it builds on, and the small networks the training step is judged with.

It stays with the graders (the student package leaves out `igcourse/grading/ch0*`): a correct
stand-in is an answer. The stand-in AdaIN and noise layers record, at every call, the side of the
features they were given and the style they were given, so that a probe can say which layer took
which style.
"""

import math

import keras
import numpy as np

LEAK = 0.2


class StandInMappingNetwork(keras.Model):
    def __init__(self, latent_dim=64, depth=4, lr_multiplier=0.01, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim, self.depth, self.lr_multiplier = latent_dim, depth, lr_multiplier
        unit = keras.initializers.RandomNormal(stddev=1.0 / lr_multiplier)
        self.layer_weights = []
        for index in range(depth):
            kernel = self.add_weight(
                shape=(latent_dim, latent_dim), initializer=unit, name=f"w{index}"
            )
            bias = self.add_weight(shape=(latent_dim,), initializer="zeros", name=f"b{index}")
            self.layer_weights.append((kernel, bias))

    def call(self, z):
        x = z / keras.ops.sqrt(keras.ops.mean(z * z, axis=1, keepdims=True) + 1e-8)
        gain = self.lr_multiplier * math.sqrt(2.0 / self.latent_dim)
        for kernel, bias in self.layer_weights:
            x = keras.ops.leaky_relu(
                keras.ops.dot(x, gain * kernel) + self.lr_multiplier * bias, LEAK
            )
        return x


class StandInAdaIN(keras.layers.Layer):
    """Correct AdaIN that notes each call's feature side and style in `log` (eager calls)."""

    log = []

    def __init__(self, channels, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.channels, self.epsilon = channels, epsilon
        self.affine = keras.layers.Dense(2 * channels)

    def build(self, x_shape, w_shape=None):
        self.affine.build((None, w_shape[-1] if w_shape else None))

    def call(self, x, w):
        self._note(x, w)
        styles = self.affine(w)
        scale = 1.0 + styles[:, None, None, : self.channels]
        shift = styles[:, None, None, self.channels :]
        mean = keras.ops.mean(x, axis=(1, 2), keepdims=True)
        centred = x - mean
        variance = keras.ops.mean(centred * centred, axis=(1, 2), keepdims=True)
        return scale * centred / keras.ops.sqrt(variance + self.epsilon) + shift

    @staticmethod
    def _note(x, w):
        try:
            StandInAdaIN.log.append([int(x.shape[1]), np.asarray(w, np.float32)])
        except (TypeError, ValueError, NotImplementedError):  # traced: nothing to note
            pass


class StandInNoiseInjection(keras.layers.Layer):
    """Correct noise injection that notes each call's feature side in `log`."""

    log = []

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seeds = keras.random.SeedGenerator(7)

    def build(self, x_shape, noise_shape=None):
        self.strength = self.add_weight(shape=(x_shape[-1],), initializer="zeros", name="strength")

    def call(self, x, noise=None):
        StandInNoiseInjection.log.append(x.shape[1])
        if noise is None:
            shape = keras.ops.shape(x)
            noise = keras.random.normal((shape[0], shape[1], shape[2], 1), seed=self.seeds)
        return x + noise * keras.ops.reshape(self.strength, (1, 1, 1, -1))


class StandInStyleGenerator(keras.Model):
    def __init__(self, latent_dim=64, filters=32, channels=1, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim, self.filters, self.channels = latent_dim, filters, channels
        self.constant = self.add_weight(
            shape=(1, 4, 4, filters), initializer="ones", name="constant"
        )
        self.layers_ = [
            (
                None if i == 0 else keras.layers.Conv2D(filters, 3, padding="same"),
                StandInNoiseInjection(),
                StandInAdaIN(filters),
            )
            for i in range(8)
        ]
        self.to_image = keras.layers.Conv2D(channels, 1)

    def call(self, ws, noise=None):
        x = self.constant * keras.ops.ones((keras.ops.shape(ws)[0], 1, 1, 1))
        for i, (conv, noise_layer, adain) in enumerate(self.layers_):
            if i and i % 2 == 0:
                x = keras.layers.UpSampling2D(2)(x)
            if conv is not None:
                x = conv(x)
            x = noise_layer(x, None if noise is None else noise[i])
            x = adain(keras.ops.leaky_relu(x, LEAK), ws[:, i])
        return self.to_image(x)


# ---------------------------------------------------------------- the step's networks
class _Recorded(keras.Model):
    """A network that notes its name and training flag at every call (at trace time)."""

    def __init__(self, name, **kwargs):
        super().__init__(**kwargs)
        self.label = name
        self.calls = []

    def note(self, training):
        self.calls.append([self.label, bool(training)])


class StepMapping(_Recorded):
    def __init__(self, latent_dim, **kwargs):
        super().__init__("mapping", **kwargs)
        self.latent_dim = latent_dim
        self.dense = keras.layers.Dense(latent_dim, activation="tanh")

    def call(self, z, training=False):
        self.note(training)
        return self.dense(z)


class StepSynthesis(_Recorded):
    """(B, 8, D) styles -> (B, 32, 32, 1): each style slot through its own dense map, summed."""

    def __init__(self, latent_dim, **kwargs):
        super().__init__("generator", **kwargs)
        self.latent_dim = latent_dim
        self.head = keras.layers.Dense(32 * 32, activation="tanh")

    def call(self, ws, noise=None, training=False):
        self.note(training)
        flat = keras.ops.reshape(ws, (keras.ops.shape(ws)[0], -1))
        return keras.ops.reshape(self.head(flat), (-1, 32, 32, 1))


class StepCritic(_Recorded):
    """Images -> (B, 1) with a quadratic term, so that the R1 penalty depends on the weights."""

    def __init__(self, **kwargs):
        super().__init__("critic", **kwargs)
        self.linear = keras.layers.Dense(1)
        self.square = keras.layers.Dense(1, use_bias=False)

    def call(self, images, training=False):
        self.note(training)
        flat = keras.ops.reshape(images, (keras.ops.shape(images)[0], -1))
        return self.linear(flat) + 0.5 * self.square(flat * flat)


def step_networks(seed, latent_dim):
    """StepMapping, StepSynthesis and StepCritic from seeded weights, built, logs empty."""
    keras.utils.set_random_seed(seed)
    mapping, synthesis, critic = StepMapping(latent_dim), StepSynthesis(latent_dim), StepCritic()
    z = np.zeros((2, latent_dim), np.float32)
    critic(synthesis(np.repeat(mapping(z)[:, None], 8, axis=1)))
    for network in (mapping, synthesis, critic):
        network.calls.clear()
    return mapping, synthesis, critic
