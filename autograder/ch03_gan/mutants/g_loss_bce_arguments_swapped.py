"""binary_crossentropy(output, target): the logits taken as labels, the ones as logits."""

import keras

PART = "generator_loss"
MISTAKE = (
    "The cross-entropy gets its two arguments the wrong way round, so the ones are read as "
    "logits and the logits as labels: the labels come first, as binary_crossentropy(ones, "
    "fake_logits, from_logits=True) and BinaryCrossentropy(from_logits=True)(ones, "
    "fake_logits) order them."
)


def generator_loss(fake_logits):
    ops = keras.ops
    return ops.mean(
        ops.binary_crossentropy(fake_logits, ops.ones_like(fake_logits), from_logits=True)
    )
