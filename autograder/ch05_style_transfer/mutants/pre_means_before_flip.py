"""vgg_preprocess subtracts the B, G, R means from the R, G, B channels, then reverses them: each
mean lands on the wrong channel."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "vgg_preprocess"
MISTAKE = (
    "vgg_preprocess subtracts the B, G, R means from the R, G, B channels, then reverses "
    "them: each mean lands on the wrong channel."
)


def vgg_preprocess(images):
    pixels = keras.ops.convert_to_tensor(images, "float32") * 255.0
    centred = pixels - keras.ops.convert_to_tensor(IMAGENET_MEANS_BGR, "float32")
    return keras.ops.flip(centred, axis=-1)
