"""The channel axis of the images is squeezed without naming it."""

import math

import keras

PART = "bits_per_dim"
MISTAKE = (
    "bits_per_dim squeezes the images without naming the axis, so a batch of one image loses "
    "its batch axis too and the cross-entropy no longer lines up with the logits; squeeze "
    "axis=-1 only (or index images[..., 0])."
)


def bits_per_dim(images, logits):
    logits = keras.ops.convert_to_tensor(logits, "float32")
    if logits.shape[-1] == 1:
        targets = keras.ops.cast(images, "float32")
        nats = keras.ops.binary_crossentropy(targets, logits, from_logits=True)
    else:
        targets = keras.ops.cast(keras.ops.squeeze(images), "int32")
        nats = keras.ops.sparse_categorical_crossentropy(targets, logits, from_logits=True)
    return keras.ops.mean(nats) / math.log(2.0)
