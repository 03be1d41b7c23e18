"""The generator has no batch normalisation after its Dense layer."""

import keras

LABEL_DIM = 16

PART = "conditional_generator"
MISTAKE = (
    "The generator has no batch normalisation between its Dense layer and the ReLU (the "
    "table puts one there)."
)


def build_conditional_generator(z_dim=64, num_classes=10, filters=32):
    layers = keras.layers
    z = keras.Input((z_dim,), name="z")
    labels = keras.Input((), dtype="int32", name="labels")
    label_vector = layers.Embedding(num_classes, LABEL_DIM)(labels)  # (B, LABEL_DIM)
    x = layers.Concatenate()([z, label_vector])
    x = layers.Dense(7 * 7 * 4 * filters, use_bias=False)(x)
    x = layers.ReLU()(x)
    x = layers.Reshape((7, 7, 4 * filters))(x)
    x = layers.Conv2DTranspose(2 * filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    images = layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(x)
    return keras.Model([z, labels], images, name="conditional_generator")
