"""vgg_preprocess reverses axis 2 (the width) instead of the channel axis, mirroring the image and
leaving the channels in R, G, B order."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "vgg_preprocess"
MISTAKE = (
    "vgg_preprocess reverses axis 2 (the width) instead of the channel axis, mirroring the "
    "image and leaving the channels in R, G, B order."
)


def vgg_preprocess(images):
    pixels = keras.ops.convert_to_tensor(images, "float32") * 255.0
    mirrored = keras.ops.flip(pixels, axis=2)
    return mirrored - keras.ops.convert_to_tensor(IMAGENET_MEANS_BGR, "float32")
