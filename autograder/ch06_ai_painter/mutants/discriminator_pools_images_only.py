"""The multi-scale discriminator downsamples the images for the coarser scales but gives them the
full-size label map.
"""

# ruff: noqa: F821 (names from the notebook)

import keras

PART = "multiscale_discriminator"
MISTAKE = (
    "The multi-scale discriminator downsamples the images for the coarser scales but gives "
    "them the full-size label map."
)


def build_patch_discriminator(num_labels=NUM_LABELS, filters=64, channels=1):
    label_map = keras.Input((None, None, num_labels))
    image = keras.Input((None, None, channels))
    x = keras.layers.Concatenate()([label_map, image])
    features = []
    for f, s in ((filters, 2), (2 * filters, 2), (4 * filters, 1)):
        x = keras.layers.LeakyReLU(0.2)(keras.layers.Conv2D(f, 4, strides=s, padding="same")(x))
        features.append(x)
    features.append(keras.layers.Conv2D(1, 4, padding="same")(x))
    return keras.Model([label_map, image], features)


def build_multiscale_discriminator(num_labels=NUM_LABELS, filters=64, channels=1, scales=2):
    label_map = keras.Input((None, None, num_labels))
    image = keras.Input((None, None, channels))
    m, i = label_map, image
    outputs = []
    for k in range(scales):
        if k:
            i = keras.layers.AveragePooling2D(3, strides=2, padding="same")(i)
        outputs.append(build_patch_discriminator(num_labels, filters, channels)([m, i]))
    return keras.Model([label_map, image], outputs)
