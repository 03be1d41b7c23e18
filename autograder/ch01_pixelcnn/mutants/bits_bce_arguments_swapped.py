"""binary_crossentropy(logits, targets): the arguments in the wrong order."""

import math

import keras

PART = "bits_per_dim"
MISTAKE = (
    "bits_per_dim gives the cross-entropy its two arguments the wrong way round, so the "
    "pixel values are read as logits and the logits as labels: the targets come first, as "
    "binary_crossentropy(target, output) and sigmoid_cross_entropy_with_logits(labels, "
    "logits) order them."
)


def bits_per_dim(images, logits):
    logits = keras.ops.convert_to_tensor(logits, "float32")
    if logits.shape[-1] == 1:
        x = keras.ops.cast(images, "float32")
        nats = keras.ops.binary_crossentropy(logits, x, from_logits=True)
    else:
        labels = keras.ops.cast(images[..., 0], "int32")
        nats = keras.ops.sparse_categorical_crossentropy(labels, logits, from_logits=True)
    return keras.ops.mean(nats) / math.log(2.0)
