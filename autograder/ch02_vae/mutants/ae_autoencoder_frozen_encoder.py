"""build_autoencoder freezes the encoder it is given."""

import keras

PART = "autoencoder"
MISTAKE = (
    "build_autoencoder sets encoder.trainable = False, so training the autoencoder never "
    "updates the encoder; leave both networks trainable."
)


def build_autoencoder(encoder, decoder):
    encoder.trainable = False
    images = keras.Input((28, 28, 1))
    return keras.Model(images, decoder(encoder(images)), name="autoencoder")
