"""Recipe: WGAN-GP (chapter 3) on Fashion-MNIST.

Gulrajani et al., "Improved Training of Wasserstein GANs" (2017): the WGAN recipe without
clipping, the critic's loss plus lambda * mean_i (||grad f(x_i)||_2 - 1)^2 at
x_i = eps_i * real_i + (1 - eps_i) * fake_i, one eps_i ~ U(0, 1) per sample and the norm per
sample; lambda 10, n_critic 5, Adam(1e-4, beta_1 0.5, beta_2 0.9) as the book's notebook
(the paper uses beta_1 0). The networks and the Wasserstein losses come from the reference
module (solutions/ch03_gan/wgan.py).

The penalty is `gradient_penalty` below: the reference's own `gradient_penalty` is TensorFlow
code (tf.GradientTape, and tf.random.uniform, which ignores the trainer's step seeds), so JAX
cannot run it. This one takes the gradient with igcourse.training.autodiff.input_gradients
(a nested tape on TensorFlow, jax.vjp on JAX); tests/test_training_recipe_wgan.py checks that
it equals the reference's on a fixed batch and epsilon.
"""

from dataclasses import dataclass

import keras
from keras import ops

from igcourse.training import load_recipe
from igcourse.training.autodiff import input_gradients

WGANRecipe = type(load_recipe("wgan"))


@dataclass(frozen=True)
class WGANGPConfig:
    z_dim: int = 100  # noise dimensions
    filters: int = 32  # F of the notebook's tables
    n_critic: int = 5  # critic updates per generator update
    batch_size: int = 320  # real images per step: n_critic critic batches of batch_size/n_critic
    learning_rate: float = 1e-4  # Adam, both networks
    beta_1: float = 0.5  # Adam's first-moment decay (the book's notebook; the paper: 0)
    beta_2: float = 0.9  # Adam's second-moment decay
    gp_weight: float = 10.0  # lambda of the penalty
    clip_value: float = 0.0  # no clipping
    samples: int = 64  # images in a sample grid
    eval_samples: int = 5000  # samples for the evaluator at each evaluation; 0: none


def gradient_penalty(critic, real_images, fake_images, epsilon, weight=10.0):
    """weight * mean_i (||grad_x f(x_i)||_2 - 1)^2 at x_i = eps_i real_i + (1 - eps_i) fake_i.

    epsilon: (B, 1, 1, 1), one per sample; the norm is taken per sample over the pixel axes
    (the critic's score of sample i depends on sample i only). Returns a float32 scalar.
    """
    real_images, fake_images, epsilon = (
        ops.convert_to_tensor(x) for x in (real_images, fake_images, epsilon)
    )
    interpolates = epsilon * real_images + (1.0 - epsilon) * fake_images

    def scores(x):
        return ops.cast(critic(x, training=True), "float32")

    gradients = ops.cast(input_gradients(scores, interpolates), "float32")  # (B, 28, 28, 1)
    norms = ops.sqrt(ops.sum(ops.square(gradients), axis=(1, 2, 3)) + 1e-12)  # (B,)
    return weight * ops.mean(ops.square(norms - 1.0))


class WGANGPRecipe(WGANRecipe):
    name = "wgan_gp"
    Config = WGANGPConfig

    def build_optimizers(self):
        def adam():
            return keras.optimizers.Adam(
                self.config.learning_rate, beta_1=self.config.beta_1, beta_2=self.config.beta_2
            )

        return {"g_opt": adam(), "c_opt": adam()}

    def penalty(self, models, real, fake, seed):
        epsilon = keras.random.uniform((ops.shape(real)[0], 1, 1, 1), seed=seed, dtype=real.dtype)
        return gradient_penalty(models["critic"], real, fake, epsilon, self.config.gp_weight)


RECIPE = WGANGPRecipe
