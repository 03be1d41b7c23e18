"""Pixels visited column by column."""

import tensorflow as tf

PART = "sampling"
MISTAKE = (
    "sample_pixelcnn visits the pixels column by column; PixelCNN's raster order is row "
    "by row, left to right."
)


def sample_pixelcnn(model, n, seed=0, levels=2):
    height, width = model.input_shape[1:3]

    @tf.function
    def step(images, row, col, step_seed):
        logits = model(tf.cast(images, tf.float32) / (levels - 1), training=False)
        pixel = logits[:, row, col, :]  # (n, C)
        if levels == 2:
            u = tf.random.stateless_uniform((n, 1), step_seed)
            value = tf.cast(u < tf.sigmoid(pixel), tf.int32)[:, 0]
        else:
            value = tf.random.stateless_categorical(pixel, 1, step_seed, dtype=tf.int32)[:, 0]
        zeros = tf.zeros([n], tf.int32)
        index = tf.stack([tf.range(n), zeros + row, zeros + col, zeros], axis=1)
        return tf.tensor_scatter_nd_update(images, index, value)

    images = tf.zeros((n, height, width, 1), tf.int32)
    for col in range(width):
        for row in range(height):
            step_seed = tf.constant([seed, row * width + col], tf.int32)
            images = step(images, tf.constant(row), tf.constant(col), step_seed)
    return images.numpy()
