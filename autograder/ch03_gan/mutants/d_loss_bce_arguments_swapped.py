"""binary_crossentropy(logits, labels): the arguments in the wrong order in both terms."""

import keras

PART = "discriminator_loss"
MISTAKE = (
    "binary_crossentropy is given the logits first and the labels second, but its order is "
    "(target, output): the labels are read as logits and the logits as labels. Call it as "
    "binary_crossentropy(labels, logits, from_logits=True)."
)


def discriminator_loss(real_logits, fake_logits):
    ops = keras.ops
    real = ops.binary_crossentropy(real_logits, ops.ones_like(real_logits), from_logits=True)
    fake = ops.binary_crossentropy(fake_logits, ops.zeros_like(fake_logits), from_logits=True)
    return ops.mean(real) + ops.mean(fake)
