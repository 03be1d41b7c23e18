"""Recipe: WGAN with weight clipping (chapter 3) on Fashion-MNIST.

Arjovsky, Chintala and Bottou, "Wasserstein GAN" (2017): the critic maximises
mean(f(real)) - mean(f(fake)) and its kernels are clipped to [-c, c] after every update,
n_critic critic updates per generator update, RMSprop at 5e-5. Networks and losses come from
the chapter's reference module (solutions/ch03_gan/wgan.py).

A step's batch (B = batch_size images) holds the real images of all n_critic critic updates:
update i takes rows [i * b, (i + 1) * b) with b = B // n_critic, so each critic update sees
its own real images, as in the reference step. The generator update draws b noise vectors.

The clipping is a Keras kernel constraint (`ClipKernel`), put on the same variables the
reference's `clip_critic_weights` clips (the `kernel` of each layer; biases untouched). The
optimiser applies it right after each critic update, inside the compiled step on both
backends; `clip_critic_weights` assigns variables by hand, which a stateless (JAX) step cannot
run.
"""

import functools
from dataclasses import dataclass

import keras
from keras import ops

from igcourse.data import load_fashion_mnist
from igcourse.training import Recipe, Update, reference
from igcourse.training.pixels import to_range

wgan = reference("ch03_gan", "wgan")


@dataclass(frozen=True)
class WGANConfig:
    z_dim: int = 100  # noise dimensions
    filters: int = 32  # F of the notebook's tables
    n_critic: int = 5  # critic updates per generator update
    batch_size: int = 320  # real images per step: n_critic critic batches of batch_size/n_critic
    learning_rate: float = 5e-5  # RMSprop, both networks (the WGAN paper's setting)
    clip_value: float = 0.01  # the critic's kernels stay in [-clip_value, clip_value]
    samples: int = 64  # images in a sample grid
    eval_samples: int = 5000  # samples for the evaluator at each evaluation; 0: none


@functools.cache
def fashion_mnist(split):
    return load_fashion_mnist(split)[0][..., None]  # (N, 28, 28, 1) uint8, loaded once


class ClipKernel(keras.constraints.Constraint):
    """Clips a weight to [-value, value]; the optimiser applies it after each update."""

    def __init__(self, value):
        self.value = value

    def __call__(self, w):
        return ops.clip(w, -self.value, self.value)

    def get_config(self):
        return {"value": self.value}


def critic_kernels(critic):
    """The variables clip_critic_weights clips: the `kernel` of each layer that has one."""
    return [layer.kernel for layer in critic.layers if getattr(layer, "kernel", None) is not None]


class WGANRecipe(Recipe):
    name = "wgan"
    Config = WGANConfig
    smoke = {"z_dim": 8, "filters": 4, "batch_size": 20, "samples": 4, "eval_samples": 0}
    target = ("fd", 200.0)  # the threshold DCGAN is graded on (course_config.py)

    def train_data(self):
        return (fashion_mnist("train"),)

    def build_models(self):
        critic = wgan.build_critic(self.config.filters)
        if self.config.clip_value:
            for kernel in critic_kernels(critic):
                kernel.constraint = ClipKernel(self.config.clip_value)
        return {
            "generator": wgan.build_wgan_generator(self.config.z_dim, self.config.filters),
            "critic": critic,
        }

    def build_optimizers(self):
        rmsprop = functools.partial(keras.optimizers.RMSprop, self.config.learning_rate)
        return {"g_opt": rmsprop(), "c_opt": rmsprop()}

    def updates(self):
        critic = [
            Update(functools.partial(self.c_loss, part=i), "c_loss", ("critic",), "c_opt")
            for i in range(self.config.n_critic)
        ]
        return (*critic, Update(self.g_loss, "g_loss", trains=("generator",), optimizer="g_opt"))

    def _noise(self, batch, seed):
        return keras.random.normal((batch, self.config.z_dim), seed=seed)

    def _real(self, batch, part):
        """Critic update `part`'s real images, in [-1, 1]."""
        (pixels,) = batch
        # B // n_critic rows each (a batch size that is no multiple of n_critic leaves the
        # last rows unused). On TensorFlow replicas each slices its own share of the batch;
        # on JAX the slice is of the global, sharded batch.
        size = ops.shape(pixels)[0] // self.config.n_critic
        return to_range(pixels[part * size : (part + 1) * size])

    def _scores(self, critic, images):
        return ops.cast(critic(images, training=True), "float32")

    def penalty(self, models, real, fake, seed):
        """What the critic's loss adds to the Wasserstein term: nothing (WGAN-GP: a penalty)."""
        return None

    def c_loss(self, models, batch, seed, part=0):
        real = self._real(batch, part)  # (b, 28, 28, 1)
        fake = models["generator"](self._noise(ops.shape(real)[0], seed), training=True)
        fake = ops.cast(fake, real.dtype)
        distance = wgan.critic_loss(
            self._scores(models["critic"], real), self._scores(models["critic"], fake)
        )
        penalty = self.penalty(models, real, fake, seed)
        if penalty is None:
            return {"c_loss": distance}
        return {"c_loss": distance + penalty, "c_wasserstein": distance, "c_penalty": penalty}

    def g_loss(self, models, batch, seed):
        (pixels,) = batch
        size = ops.shape(pixels)[0] // self.config.n_critic
        fake = models["generator"](self._noise(size, seed), training=True)
        return {"g_loss": wgan.wgan_generator_loss(self._scores(models["critic"], fake))}

    def sample(self, models, n, seed):
        """n images in [0, 1] from noise N(0, I)."""
        images = models["generator"](self._noise(n, seed), training=False)
        return (ops.cast(images, "float32") + 1.0) / 2.0


RECIPE = WGANRecipe
