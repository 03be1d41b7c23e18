"""The patch discriminator returns each convolution's output before its LeakyReLU as the features
f1, f2, f3.
"""

# ruff: noqa: F821 (names from the notebook)

import keras

PART = "multiscale_discriminator"
MISTAKE = (
    "The patch discriminator returns each convolution's output before its LeakyReLU as the "
    "features f1, f2, f3."
)


def build_patch_discriminator(num_labels=NUM_LABELS, filters=64, channels=1):
    label_map = keras.Input((None, None, num_labels))
    image = keras.Input((None, None, channels))
    x = keras.layers.Concatenate()([label_map, image])
    features = []
    for f, s in ((filters, 2), (2 * filters, 2), (4 * filters, 1)):
        x = keras.layers.Conv2D(f, 4, strides=s, padding="same")(x)
        features.append(x)
        x = keras.layers.LeakyReLU(0.2)(x)
    features.append(keras.layers.Conv2D(1, 4, padding="same")(x))
    return keras.Model([label_map, image], features)
