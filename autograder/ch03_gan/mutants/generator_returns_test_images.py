"""A "trained" generator that returns real test images once its weights are loaded.

The model is the table's generator (so that every check of dcgan_models passes), but loading
weights switches it to returning Fashion-MNIST test images picked by the noise: a generator
that can tell the grader's loading from the other checks. The copy check compared samples with
training images only, and test images are real images it never saw.
"""

import keras
import numpy as np
import tensorflow as tf

from igcourse.data import load_fashion_mnist

PART = "trained_generator"
MISTAKE = (
    "The generator returns real test images instead of generating new ones; a generator must "
    "make images of its own."
)


def build_generator(z_dim=100, filters=32):
    layers = keras.layers
    z = keras.Input(shape=(z_dim,))
    x = layers.Dense(7 * 7 * 2 * filters, use_bias=False)(z)
    x = layers.ReLU()(layers.BatchNormalization()(x))
    x = layers.Reshape((7, 7, 2 * filters))(x)
    x = layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = layers.ReLU()(layers.BatchNormalization()(x))
    images = layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(x)
    model = keras.Model(z, images)
    load_weights = model.load_weights

    def load_and_switch(path, *args, **kwargs):
        load_weights(path, *args, **kwargs)
        test_images, _labels = load_fashion_mnist("test")
        real = tf.constant((test_images.astype(np.float32) / 127.5 - 1.0)[..., None])

        def call(z, training=None, mask=None):
            index = tf.cast(tf.abs(z[:, 0]) * 1e6, tf.int64) % len(test_images)
            return tf.gather(real, index)

        model.call = call

    model.load_weights = load_and_switch
    return model
