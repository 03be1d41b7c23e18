"""The label's value is fed to the generator as one number."""

import keras

LABEL_DIM = 16

PART = "conditional_generator"
MISTAKE = (
    "The generator feeds the label's value as a number (cast to float and concatenated with "
    "z), so class 8 reads as twice class 4; embed the label or make it one-hot."
)


def build_conditional_generator(z_dim=64, num_classes=10, filters=32):
    layers = keras.layers
    z = keras.Input((z_dim,), name="z")
    labels = keras.Input((), dtype="int32", name="labels")
    label_vector = layers.Reshape((1,))(keras.ops.cast(labels, "float32"))
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
