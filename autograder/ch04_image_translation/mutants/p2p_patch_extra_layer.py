"""A PatchGAN with one convolution too many."""

# ruff: noqa: F821 (names from the notebook)
import keras

IMAGE_SIZE = 32

PART = "patch_discriminator"
MISTAKE = (
    "build_patch_discriminator has an extra 4 x 4 convolution (4F filters, stride 1), so each "
    "cell sees a larger patch."
)
NAMED_BY = "three 4 x 4 convolutions"


def build_patch_discriminator(filters=16, channels=1):
    inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    targets = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    x = keras.layers.Concatenate()([inputs, targets])
    x = keras.layers.Conv2D(filters, 4, strides=2, padding="same")(x)
    x = keras.layers.LeakyReLU(0.2)(x)
    x = keras.layers.Conv2D(2 * filters, 4, strides=2, padding="same")(x)
    x = keras.layers.LeakyReLU(0.2)(x)
    x = keras.layers.LeakyReLU(0.2)(keras.layers.Conv2D(4 * filters, 4, padding="same")(x))
    logits = keras.layers.Conv2D(1, 4, padding="same")(x)
    return keras.Model([inputs, targets], logits)
