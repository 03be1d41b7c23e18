"""Recipe: PixelCNN (chapter 1) on binarised Fashion-MNIST, trained on bits per dimension.

van den Oord, Kalchbrenner and Kavukcuoglu, "Pixel Recurrent Neural Networks" (2016):
a stack of causally masked convolutions gives each pixel a distribution conditioned on the
pixels before it in raster order; training minimises the negative log-likelihood, reported
in bits per dimension. Model and loss come from the chapter's reference module.
"""

import functools
from dataclasses import dataclass

import keras
import numpy as np
from keras import ops

from igcourse.data import load_fashion_mnist
from igcourse.training import Recipe, Update, reference

pixelcnn = reference("ch01_pixelcnn", "pixelcnn")


@dataclass(frozen=True)
class PixelCNNConfig:
    filters: int = 64  # channels inside a residual block (2 * filters between blocks)
    residual_blocks: int = 7  # masked residual blocks after the 7x7 type-A convolution
    batch_size: int = 128  # global batch
    learning_rate: float = 1e-3  # Adam
    threshold: int = 128  # a pixel is 1 when its grey value is at least this
    samples: int = 64  # images in a sample grid
    eval_batches: int = 10  # test batches averaged for the test bits/dim
    eval_samples: int = 0  # samples for the evaluator (each costs 784 forward passes)


@functools.cache
def fashion_mnist(split):
    return load_fashion_mnist(split)[0]  # (N, 28, 28) uint8; loaded once per process


def binarise(images, threshold):
    """uint8 grey images (N, 28, 28) -> uint8 0/1 images (N, 28, 28, 1)."""
    return (images >= threshold).astype(np.uint8)[..., None]


class PixelCNNRecipe(Recipe):
    name = "pixelcnn"
    Config = PixelCNNConfig
    smoke = {"filters": 4, "residual_blocks": 1, "batch_size": 8, "samples": 4, "eval_batches": 1}
    # The grading threshold (course_config.py, solutions/ch01_pixelcnn/RESULTS.md).
    target = ("test_bits_per_dim", 0.25)

    def train_data(self):
        return (binarise(fashion_mnist("train"), self.config.threshold),)

    def test_data(self):
        return (binarise(fashion_mnist("test"), self.config.threshold),)

    def build_models(self):
        model = pixelcnn.build_pixelcnn(
            (28, 28, 1), self.config.filters, self.config.residual_blocks, levels=2
        )
        return {"pixelcnn": model}

    def build_optimizers(self):
        return {"adam": keras.optimizers.Adam(self.config.learning_rate)}

    def updates(self):
        return (Update(self.loss, "bits_per_dim", trains=("pixelcnn",), optimizer="adam"),)

    def loss(self, models, batch, seed):
        (images,) = batch  # (B, 28, 28, 1) of 0 and 1
        logits = models["pixelcnn"](ops.cast(images, "float32"), training=True)
        # Under mixed precision the logits are bfloat16: the likelihood is summed in float32.
        return {"bits_per_dim": pixelcnn.bits_per_dim(images, ops.cast(logits, "float32"))}

    def test_metrics(self, models, batch, seed):
        (images,) = batch
        logits = models["pixelcnn"](ops.cast(images, "float32"), training=False)
        return {"test_bits_per_dim": pixelcnn.bits_per_dim(images, ops.cast(logits, "float32"))}

    def sample(self, models, n, seed):
        """n images drawn pixel by pixel in raster order, as one compiled loop."""
        model = models["pixelcnn"]
        height, width = model.input_shape[1:3]

        def draw_pixel(position, images):
            logits = ops.cast(model(images, training=False), "float32")
            logit = ops.take(ops.reshape(logits, (n, height * width)), position, axis=1)  # (n,)
            uniform = keras.random.uniform((n,), seed=seed.fold_in(position))
            value = ops.cast(uniform < ops.sigmoid(logit), "float32")
            here = ops.reshape(ops.one_hot(position, height * width), (1, height, width, 1))
            return images + value[:, None, None, None] * here  # the pixel was 0 until now

        return ops.fori_loop(0, height * width, draw_pixel, ops.zeros((n, height, width, 1)))


RECIPE = PixelCNNRecipe
