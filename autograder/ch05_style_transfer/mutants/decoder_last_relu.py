"""build_adain_decoder ends with a ReLU: the last, 3-channel convolution must be linear."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "adain_decoder"
MISTAKE = "build_adain_decoder ends with a ReLU: the last, 3-channel convolution must be linear."


def build_adain_decoder(channels=512):
    features = keras.Input((None, None, channels))
    x = reflect_conv(features, 256)
    x = keras.layers.UpSampling2D(2, interpolation="nearest")(x)
    for _ in range(3):
        x = reflect_conv(x, 256)
    x = reflect_conv(x, 128)
    x = keras.layers.UpSampling2D(2, interpolation="nearest")(x)
    x = reflect_conv(x, 128)
    x = reflect_conv(x, 64)
    x = keras.layers.UpSampling2D(2, interpolation="nearest")(x)
    x = reflect_conv(x, 64)
    images = reflect_conv(x, 3)
    return keras.Model(features, images, name="adain_decoder")
