"""The raster loop stops one pixel early: the last pixel is never drawn."""

import numpy as np
import tensorflow as tf

PART = "sampling"
MISTAKE = (
    "sample_pixelcnn's loop stops one pixel early (range(H * W - 1)), so the last pixel of "
    "every image is never drawn and stays 0; visit all H * W pixels."
)


def sample_pixelcnn(model, n, seed=0, levels=2):
    height, width = model.input_shape[1:3]
    images = np.zeros((n, height, width, 1), np.int32)
    for position in range(height * width - 1):
        row, col = divmod(position, width)
        logits = model(images.astype(np.float32) / (levels - 1), training=False)[:, row, col, :]
        if logits.shape[-1] == 1:
            logits = tf.concat([tf.zeros_like(logits), logits], axis=-1)
        pair = tf.constant([seed, position], tf.int64)
        drawn = tf.random.stateless_categorical(logits, 1, seed=pair, dtype=tf.int32)
        images[:, row, col, 0] = drawn.numpy()[:, 0]
    return images
