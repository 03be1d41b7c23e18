"""The codes pass through stop_gradient on their way to the decoder: fit trains the decoder only."""

import keras

PART = "autoencoder"
MISTAKE = (
    "build_autoencoder puts a stop_gradient between the encoder and the decoder, so training "
    "the autoencoder never updates the encoder."
)


def build_autoencoder(encoder, decoder):
    images = keras.Input((28, 28, 1))
    codes = keras.ops.stop_gradient(encoder(images))
    return keras.Model(images, decoder(codes), name="autoencoder")
