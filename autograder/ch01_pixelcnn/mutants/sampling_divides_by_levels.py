"""The model is fed the images divided by levels instead of levels - 1."""

import tensorflow as tf

PART = "sampling"
MISTAKE = (
    "sample_pixelcnn feeds the model the images divided by levels instead of levels - 1, so "
    "the top level is seen as (levels - 1) / levels, not 1 (with two levels: 0.5)."
)


def sample_pixelcnn(model, n, seed=0, levels=2):
    height, width = model.input_shape[1:3]

    @tf.function
    def sample_pixel(images, position):
        row, col = position // width, position % width
        logits = model(tf.cast(images, tf.float32) / levels, training=False)[:, row, col, :]
        if logits.shape[-1] == 1:
            logits = tf.concat([tf.zeros_like(logits), logits], axis=-1)
        pair = tf.stack([tf.constant(seed, tf.int64), tf.cast(position, tf.int64)])
        values = tf.random.stateless_categorical(logits, 1, seed=pair, dtype=tf.int32)
        here = tf.reshape(
            tf.one_hot(position, height * width, dtype=tf.int32), (1, height, width, 1)
        )
        return images + values[:, :, None, None] * here

    images = tf.zeros((n, height, width, 1), dtype=tf.int32)
    for position in range(height * width):
        images = sample_pixel(images, tf.constant(position, dtype=tf.int32))
    return images.numpy()
