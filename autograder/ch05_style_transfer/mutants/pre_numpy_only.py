"""vgg_preprocess is written in NumPy (np.asarray, [..., ::-1]), which a symbolic tensor inside a
tf.function cannot go through."""

# ruff: noqa: F821 (names from the notebook)
import numpy as np

PART = "vgg_preprocess"
NAMED_BY = "write it with keras.ops or tf, not NumPy"
MISTAKE = (
    "vgg_preprocess is written in NumPy (np.asarray, [..., ::-1]), which a symbolic tensor "
    "inside a tf.function cannot go through."
)


def vgg_preprocess(images):
    pixels = np.asarray(images, np.float32) * 255.0
    return pixels[..., ::-1] - np.array(IMAGENET_MEANS_BGR, np.float32)
