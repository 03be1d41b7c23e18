"""Probabilities where the sampler takes logits: the softmax is applied twice."""

import tensorflow as tf

PART = "sampling"
MISTAKE = (
    "sample_pixelcnn gives the sampler softmax probabilities where it expects logits "
    "(tf.random.stateless_categorical and keras.random.categorical both take logits), so "
    "the softmax is applied twice and the draws are too uniform."
)
NAMED_BY = "softmax (or sigmoid) applied to the model's probabilities"


def sample_pixelcnn(model, n, seed=0, levels=2):
    height, width = model.input_shape[1:3]
    images = tf.zeros((n, height, width, 1), tf.int32)
    for position in range(height * width):
        row, col = divmod(position, width)
        logits = model(tf.cast(images, tf.float32) / (levels - 1), training=False)[:, row, col]
        if levels == 2:
            logits = tf.concat([tf.zeros_like(logits), logits], axis=-1)
        probabilities = tf.nn.softmax(logits, axis=-1)
        drawn = tf.random.stateless_categorical(
            probabilities, 1, seed=[seed, position], dtype=tf.int32
        )
        mask = tf.reshape(tf.one_hot(position, height * width, dtype=tf.int32), (height, width, 1))
        images = images + drawn[:, :, None, None] * mask
    return images.numpy()
