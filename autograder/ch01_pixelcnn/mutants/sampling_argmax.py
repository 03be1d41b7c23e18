"""The most likely value instead of a random draw."""

import tensorflow as tf

PART = "sampling"
MISTAKE = (
    "sample_pixelcnn takes the most likely value of each pixel instead of drawing it at "
    "random from the model's probabilities."
)


def sample_pixelcnn(model, n, seed=0, levels=2):
    height, width = model.input_shape[1:3]

    @tf.function
    def step(images, row, col, step_seed):
        logits = model(tf.cast(images, tf.float32) / (levels - 1), training=False)
        pixel = logits[:, row, col, :]  # (n, C)
        if levels == 2:
            value = tf.cast(pixel[:, 0] > 0, tf.int32)
        else:
            value = tf.argmax(pixel, axis=-1, output_type=tf.int32)
        zeros = tf.zeros([n], tf.int32)
        index = tf.stack([tf.range(n), zeros + row, zeros + col, zeros], axis=1)
        return tf.tensor_scatter_nd_update(images, index, value)

    images = tf.zeros((n, height, width, 1), tf.int32)
    for row in range(height):
        for col in range(width):
            step_seed = tf.constant([seed, row * width + col], tf.int32)
            images = step(images, tf.constant(row), tf.constant(col), step_seed)
    return images.numpy()
