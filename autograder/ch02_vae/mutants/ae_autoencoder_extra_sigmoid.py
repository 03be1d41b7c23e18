"""A second sigmoid on the decoder's output."""

import keras

PART = "autoencoder"
MISTAKE = (
    "build_autoencoder adds a sigmoid on top of the decoder's output, which already ends in "
    "one: the reconstructions are squashed into (0.5, 0.73); return decoder(encoder(images)) "
    "as it is."
)


def build_autoencoder(encoder, decoder):
    images = keras.Input((28, 28, 1))
    return keras.Model(images, keras.ops.sigmoid(decoder(encoder(images))))
