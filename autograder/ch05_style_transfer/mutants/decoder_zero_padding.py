"""build_adain_decoder builds its convolutions with Conv2D(padding="same") (zeros at the
border) instead of reflect_conv."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "adain_decoder"
MISTAKE = (
    'build_adain_decoder builds its convolutions with Conv2D(padding="same") (zeros at '
    "the border) instead of reflect_conv."
)


def build_adain_decoder(channels=512):
    features = keras.Input((None, None, channels))

    def reflect_conv(x, filters, activation="relu"):
        return keras.layers.Conv2D(filters, 3, padding="same", activation=activation)(x)

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
    images = reflect_conv(x, 3, activation=None)
    return keras.Model(features, images, name="adain_decoder")
