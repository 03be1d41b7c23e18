"""ReLU in the PatchGAN."""

# ruff: noqa: F821 (names from the notebook)
import keras

IMAGE_SIZE = 32

PART = "patch_discriminator"
MISTAKE = (
    "build_patch_discriminator uses ReLU after its first two convolutions instead of "
    "LeakyReLU(0.2)."
)
NAMED_BY = "cuts negative values to zero"


def build_patch_discriminator(filters=16, channels=1):
    inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    targets = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    x = keras.layers.Concatenate()([inputs, targets])
    x = keras.layers.Conv2D(filters, 4, strides=2, padding="same")(x)
    x = keras.layers.ReLU()(x)
    x = keras.layers.Conv2D(2 * filters, 4, strides=2, padding="same")(x)
    x = keras.layers.ReLU()(x)
    logits = keras.layers.Conv2D(1, 4, padding="same")(x)
    return keras.Model([inputs, targets], logits)
