"""Instance normalisation in the PatchGAN, as in the book."""

# ruff: noqa: F821 (names from the notebook)
import keras

IMAGE_SIZE = 32

PART = "patch_discriminator"
MISTAKE = (
    "build_patch_discriminator normalises its second convolution's output per image, so every "
    "cell sees the whole image."
)
NAMED_BY = "no normalisation or Dense layer"


def build_patch_discriminator(filters=16, channels=1):
    inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    targets = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    x = keras.layers.Concatenate()([inputs, targets])
    x = keras.layers.Conv2D(filters, 4, strides=2, padding="same")(x)
    x = keras.layers.LeakyReLU(0.2)(x)
    x = keras.layers.Conv2D(2 * filters, 4, strides=2, padding="same")(x)
    x = instance_norm()(x)
    x = keras.layers.LeakyReLU(0.2)(x)
    logits = keras.layers.Conv2D(1, 4, padding="same")(x)
    return keras.Model([inputs, targets], logits)
