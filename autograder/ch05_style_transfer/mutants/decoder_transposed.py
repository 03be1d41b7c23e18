"""build_adain_decoder doubles the size with strided transposed convolutions instead of nearest
upsampling."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "adain_decoder"
MISTAKE = (
    "build_adain_decoder doubles the size with strided transposed convolutions instead of"
    " nearest upsampling."
)


def build_adain_decoder(channels=512):
    features = keras.Input((None, None, channels))
    x = reflect_conv(features, 256)
    x = keras.layers.Conv2DTranspose(256, 2, strides=2)(x)
    for _ in range(3):
        x = reflect_conv(x, 256)
    x = reflect_conv(x, 128)
    x = keras.layers.Conv2DTranspose(128, 2, strides=2)(x)
    x = reflect_conv(x, 128)
    x = reflect_conv(x, 64)
    x = keras.layers.Conv2DTranspose(64, 2, strides=2)(x)
    x = reflect_conv(x, 64)
    images = reflect_conv(x, 3, activation=None)
    return keras.Model(features, images, name="adain_decoder")
