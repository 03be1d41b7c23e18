"""encode_means ignores batch_size and encodes every image in one call of the encoder."""

import keras

PART = "encode_means"
MISTAKE = (
    "encode_means ignores batch_size and passes every image to the encoder in one call, which "
    "does not fit in memory for a real dataset."
)


def encode_means(encoder, images, batch_size=500):
    mean, _logvar = encoder(images, training=False)
    return keras.ops.convert_to_numpy(mean)
