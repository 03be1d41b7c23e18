"""The labels built as (B, 1), which does not fit logits of shape (B,) (the docstring allows
both shapes)."""

import keras
import tensorflow as tf

PART = "discriminator_loss"
MISTAKE = (
    "The labels are built with shape (B, 1) (tf.ones((batch, 1))), which does not fit logits of "
    "shape (B,); build them with the logits' own shape (ones_like)."
)


def discriminator_loss(real_logits, fake_logits):
    real_labels = tf.ones((tf.shape(real_logits)[0], 1))
    fake_labels = tf.zeros((tf.shape(fake_logits)[0], 1))
    real_loss = keras.ops.binary_crossentropy(real_labels, real_logits, from_logits=True)
    fake_loss = keras.ops.binary_crossentropy(fake_labels, fake_logits, from_logits=True)
    return keras.ops.mean(real_loss) + keras.ops.mean(fake_loss)
