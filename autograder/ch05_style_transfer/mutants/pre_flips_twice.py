"""vgg_preprocess reverses the channels twice (the book's bug; never reversing them gives the same
values): the pixels stay R, G, B while the means subtracted are B, G, R's."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "vgg_preprocess"
MISTAKE = (
    "vgg_preprocess leaves the channels in R, G, B order (reversed twice, the book's bug, or "
    "never): the means subtracted are B, G, R's."
)


def vgg_preprocess(images):
    pixels = keras.ops.convert_to_tensor(images, "float32") * 255.0
    bgr = keras.ops.flip(pixels, axis=-1)
    again = keras.ops.flip(bgr, axis=-1)  # a second conversion, as if the input were BGR
    return again - keras.ops.convert_to_tensor(IMAGENET_MEANS_BGR, "float32")
