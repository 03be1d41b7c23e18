"""The generator's embedding has 10 rows whatever num_classes is."""

import keras

LABEL_DIM = 16

PART = "conditional_generator"
MISTAKE = (
    "The generator's label embedding is built for 10 classes whatever num_classes says, so "
    "other numbers of classes fail; use Embedding(num_classes, LABEL_DIM)."
)
NAMED_BY = "not a fixed number"


def build_conditional_generator(z_dim=64, num_classes=10, filters=32):
    layers = keras.layers
    z = keras.Input((z_dim,), name="z")
    labels = keras.Input((), dtype="int32", name="labels")
    label_vector = layers.Embedding(10, LABEL_DIM)(labels)  # (B, LABEL_DIM)
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
