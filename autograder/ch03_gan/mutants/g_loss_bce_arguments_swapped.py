"""binary_crossentropy(output, target): the logits taken as labels, the ones as logits."""

import keras

PART = "generator_loss"
MISTAKE = (
    "binary_crossentropy is given the logits first and the labels second, but its order is "
    "(target, output): the ones are read as logits and the logits as labels. Call it as "
    "binary_crossentropy(ones, fake_logits, from_logits=True)."
)


def generator_loss(fake_logits):
    ops = keras.ops
    return ops.mean(
        ops.binary_crossentropy(fake_logits, ops.ones_like(fake_logits), from_logits=True)
    )
