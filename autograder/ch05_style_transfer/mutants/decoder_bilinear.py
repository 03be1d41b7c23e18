"""build_adain_decoder upsamples with interpolation="bilinear" instead of nearest."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "adain_decoder"
MISTAKE = 'build_adain_decoder upsamples with interpolation="bilinear" instead of nearest.'


def build_adain_decoder(channels=512):
    features = keras.Input((None, None, channels))
    x = reflect_conv(features, 256)
    x = keras.layers.UpSampling2D(2, interpolation="bilinear")(x)
    for _ in range(3):
        x = reflect_conv(x, 256)
    x = reflect_conv(x, 128)
    x = keras.layers.UpSampling2D(2, interpolation="bilinear")(x)
    x = reflect_conv(x, 128)
    x = reflect_conv(x, 64)
    x = keras.layers.UpSampling2D(2, interpolation="bilinear")(x)
    x = reflect_conv(x, 64)
    images = reflect_conv(x, 3, activation=None)
    return keras.Model(features, images, name="adain_decoder")
