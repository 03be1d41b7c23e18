"""The label only adds a learned number of its own to the logit (a per-class bias)."""

import keras

PART = "conditional_discriminator"
MISTAKE = (
    "The label only adds a number of its own to the discriminator's logit and never meets the "
    "image, so D cannot judge whether an image fits its label; join the label map to the "
    "image's channels."
)
NAMED_BY = "never meets the image"


def build_conditional_discriminator(num_classes=10, filters=32):
    layers = keras.layers
    images = keras.Input((28, 28, 1), name="images")
    labels = keras.Input((), dtype="int32", name="labels")
    x = layers.Conv2D(filters, 4, strides=2, padding="same")(images)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Conv2D(2 * filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU(0.2)(x)
    label_score = layers.Embedding(num_classes, 1)(labels)  # (B, 1)
    logits = layers.Add()([layers.Dense(1)(layers.Flatten()(x)), label_score])
    return keras.Model([images, labels], logits, name="conditional_discriminator")
