"""All pixels sampled from one pass of the model over a blank image."""

import tensorflow as tf

PART = "sampling"
MISTAKE = (
    "sample_pixelcnn samples every pixel from one pass of the model over a blank image; "
    "each pixel must be sampled after the pixels before it, running the model again on "
    "the updated images."
)


def sample_pixelcnn(model, n, seed=0, levels=2):
    height, width = model.input_shape[1:3]
    logits = model(tf.zeros((n, height, width, 1)), training=False)
    if levels == 2:
        u = tf.random.stateless_uniform(tf.shape(logits), [seed, 0])
        return tf.cast(u < tf.sigmoid(logits), tf.int32).numpy()
    flat = tf.reshape(logits, (-1, levels))
    values = tf.random.stateless_categorical(flat, 1, [seed, 0], dtype=tf.int32)
    return tf.reshape(values, (n, height, width, 1)).numpy()
