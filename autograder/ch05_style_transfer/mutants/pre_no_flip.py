"""vgg_preprocess keeps the channels in R, G, B order and subtracts the B, G, R means."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "vgg_preprocess"
MISTAKE = "vgg_preprocess keeps the channels in R, G, B order and subtracts the B, G, R means."


def vgg_preprocess(images):
    pixels = keras.ops.convert_to_tensor(images, "float32") * 255.0
    return pixels - keras.ops.convert_to_tensor(IMAGENET_MEANS_BGR, "float32")
