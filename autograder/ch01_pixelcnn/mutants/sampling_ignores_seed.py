"""The seed argument is ignored: global random ops."""

import tensorflow as tf

PART = "sampling"
MISTAKE = (
    "sample_pixelcnn ignores its seed argument (it uses global random ops), so the same "
    "seed does not give the same images."
)


def sample_pixelcnn(model, n, seed=0, levels=2):
    height, width = model.input_shape[1:3]

    @tf.function
    def step(images, row, col, step_seed):
        logits = model(tf.cast(images, tf.float32) / (levels - 1), training=False)
        pixel = logits[:, row, col, :]  # (n, C)
        if levels == 2:
            u = tf.random.uniform((n, 1))
            value = tf.cast(u < tf.sigmoid(pixel), tf.int32)[:, 0]
        else:
            value = tf.random.categorical(pixel, 1, dtype=tf.int32)[:, 0]
        zeros = tf.zeros([n], tf.int32)
        index = tf.stack([tf.range(n), zeros + row, zeros + col, zeros], axis=1)
        return tf.tensor_scatter_nd_update(images, index, value)

    images = tf.zeros((n, height, width, 1), tf.int32)
    for row in range(height):
        for col in range(width):
            step_seed = tf.constant([seed, row * width + col], tf.int32)
            images = step(images, tf.constant(row), tf.constant(col), step_seed)
    return images.numpy()
