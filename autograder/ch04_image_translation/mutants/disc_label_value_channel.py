"""The label's value is spread over the image as a channel."""

import keras

PART = "conditional_discriminator"
MISTAKE = (
    "The discriminator's label channel holds the label's value in every pixel, so class 8 "
    "reads as twice class 4; embed the label (Embedding(num_classes, 28 * 28)) or tile a one-"
    "hot vector."
)


def build_conditional_discriminator(num_classes=10, filters=32):
    layers = keras.layers
    images = keras.Input((28, 28, 1), name="images")
    labels = keras.Input((), dtype="int32", name="labels")
    label_map = keras.ops.repeat(keras.ops.cast(labels, "float32")[:, None], 28 * 28, axis=1)
    label_map = layers.Reshape((28, 28, 1))(label_map)
    x = layers.Concatenate()([images, label_map])  # (B, 28, 28, 2)
    x = layers.Conv2D(filters, 4, strides=2, padding="same")(x)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Conv2D(2 * filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU(0.2)(x)
    logits = layers.Dense(1)(layers.Flatten()(x))
    return keras.Model([images, labels], logits, name="conditional_discriminator")
