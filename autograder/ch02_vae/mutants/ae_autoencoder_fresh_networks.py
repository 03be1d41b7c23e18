"""The autoencoder clones the networks it is given, so training it leaves them untrained."""

import keras

PART = "autoencoder"
MISTAKE = (
    "build_autoencoder makes new networks (copies, or networks built again) instead of using "
    "the two it is given, so training the autoencoder does not train the encoder and decoder "
    "used afterwards."
)


def build_autoencoder(encoder, decoder):
    encoder = keras.models.clone_model(encoder)
    decoder = keras.models.clone_model(decoder)
    images = keras.Input((28, 28, 1))
    return keras.Model(images, decoder(encoder(images)))
