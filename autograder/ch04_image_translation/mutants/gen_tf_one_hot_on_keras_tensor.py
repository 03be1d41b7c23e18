"""The book's generator calls tf.one_hot on the Keras input, which Keras 3 refuses."""

import keras
import tensorflow as tf

LABEL_DIM = 16

PART = "conditional_generator"
MISTAKE = (
    "The generator calls tf.one_hot on a Keras input while building the model, which Keras 3 "
    "refuses; use keras.ops.one_hot or an Embedding layer."
)
NAMED_BY = "used as input to a TensorFlow function"


def build_conditional_generator(z_dim=64, num_classes=10, filters=32):
    layers = keras.layers
    z = keras.Input((z_dim,), name="z")
    labels = keras.Input((), dtype="int32", name="labels")
    label_vector = tf.one_hot(labels, num_classes)
    x = layers.Concatenate()([z, label_vector])
    x = layers.Dense(7 * 7 * 4 * filters, use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.Reshape((7, 7, 4 * filters))(x)
    x = layers.Conv2DTranspose(2 * filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    images = layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(x)
    return keras.Model([z, labels], images, name="conditional_generator")
