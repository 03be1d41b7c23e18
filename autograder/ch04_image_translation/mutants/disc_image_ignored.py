"""The discriminator judges the label map alone."""

import keras

PART = "conditional_discriminator"
MISTAKE = (
    "The discriminator convolves the label map alone and never the image, so it cannot tell "
    "real from generated; concatenate the image with the label map."
)


def build_conditional_discriminator(num_classes=10, filters=32):
    layers = keras.layers
    images = keras.Input((28, 28, 1), name="images")
    labels = keras.Input((), dtype="int32", name="labels")
    label_map = layers.Embedding(num_classes, 28 * 28)(labels)  # (B, 784)
    label_map = layers.Reshape((28, 28, 1))(label_map)
    x = label_map
    x = layers.Conv2D(filters, 4, strides=2, padding="same")(x)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Conv2D(2 * filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU(0.2)(x)
    logits = layers.Dense(1)(layers.Flatten()(x))
    return keras.Model([images, labels], logits, name="conditional_discriminator")
