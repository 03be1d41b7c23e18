"""vgg_preprocess subtracts the B, G, R means from the R, G, B channels, then reverses them (the
same values as reversing first and subtracting the means in R, G, B order)."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "vgg_preprocess"
MISTAKE = (
    "vgg_preprocess subtracts the means on the wrong channels: R, G, B's order of means on the "
    "B, G, R channels (the same as subtracting them before reversing the channels)."
)


def vgg_preprocess(images):
    pixels = keras.ops.convert_to_tensor(images, "float32") * 255.0
    centred = pixels - keras.ops.convert_to_tensor(IMAGENET_MEANS_BGR, "float32")
    return keras.ops.flip(centred, axis=-1)
