"""vgg_preprocess forgets to scale [0, 1] to 0..255 before subtracting the ImageNet means."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "vgg_preprocess"
MISTAKE = "vgg_preprocess forgets to scale [0, 1] to 0..255 before subtracting the ImageNet means."


def vgg_preprocess(images):
    pixels = keras.ops.convert_to_tensor(images, "float32")
    bgr = keras.ops.flip(pixels, axis=-1)
    return bgr - keras.ops.convert_to_tensor(IMAGENET_MEANS_BGR, "float32")
