"""One mean over the real and fake terms together instead of the sum of two means."""

import tensorflow as tf

PART = "discriminator_loss"
MISTAKE = (
    "one mean is taken over the real and the fake terms together, which halves the loss (and "
    "weighs the batches by their sizes): add the mean over the real logits and the mean over "
    "the fake ones."
)


def discriminator_loss(real_logits, fake_logits):
    real = tf.reshape(tf.cast(real_logits, tf.float32), [-1])
    fake = tf.reshape(tf.cast(fake_logits, tf.float32), [-1])
    terms = tf.concat(
        [
            tf.nn.sigmoid_cross_entropy_with_logits(tf.ones_like(real), real),
            tf.nn.sigmoid_cross_entropy_with_logits(tf.zeros_like(fake), fake),
        ],
        axis=0,
    )
    return tf.reduce_mean(terms)
