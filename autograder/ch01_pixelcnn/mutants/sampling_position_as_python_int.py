"""The position reaches the tf.function as a Python int: a new graph for every pixel."""

import tensorflow as tf

PART = "sampling"
MISTAKE = (
    "sample_pixelcnn passes the position to its tf.function as a Python int, so TensorFlow "
    "traces a new graph for every pixel (right values, very slow)."
)
NAMED_BY = "as it does when the position comes as a Python number"


def sample_pixelcnn(model, n, seed=0, levels=2):
    height, width = model.input_shape[1:3]

    @tf.function
    def draw(images, position):
        row, col = divmod(position, width)
        logits = model(tf.cast(images, tf.float32) / (levels - 1), training=False)[:, row, col]
        if levels == 2:
            logits = tf.concat([tf.zeros_like(logits), logits], axis=-1)
        value = tf.random.stateless_categorical(logits, 1, seed=[seed, position], dtype=tf.int32)
        mask = tf.reshape(tf.one_hot(position, height * width, dtype=tf.int32), (height, width, 1))
        return images + value[:, :, None, None] * mask

    images = tf.zeros((n, height, width, 1), tf.int32)
    for position in range(height * width):
        images = draw(images, position)
    return images.numpy()
