"""binary_crossentropy(logits, labels): the arguments in the wrong order in both terms."""

import keras

PART = "discriminator_loss"
MISTAKE = (
    "The cross-entropy gets its two arguments the wrong way round, so the labels are read "
    "as logits and the logits as labels: the labels come first, as "
    "binary_crossentropy(target, output, from_logits=True) and "
    "tf.nn.sigmoid_cross_entropy_with_logits(labels, logits) order them."
)


def discriminator_loss(real_logits, fake_logits):
    ops = keras.ops
    real = ops.binary_crossentropy(real_logits, ops.ones_like(real_logits), from_logits=True)
    fake = ops.binary_crossentropy(fake_logits, ops.zeros_like(fake_logits), from_logits=True)
    return ops.mean(real) + ops.mean(fake)
