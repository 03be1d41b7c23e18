"""The multi-scale discriminator pools with AveragePooling2D(3, strides=2) and its default valid
padding instead of same padding, so the coarser scale loses its border.
"""

# ruff: noqa: F821 (names from the notebook)

import keras

PART = "multiscale_discriminator"
MISTAKE = (
    "The multi-scale discriminator pools with AveragePooling2D(3, strides=2) and its default "
    "valid padding instead of same padding, so the coarser scale loses its border."
)


def build_multiscale_discriminator(num_labels=NUM_LABELS, filters=64, channels=1, scales=2):
    label_map = keras.Input((None, None, num_labels))
    image = keras.Input((None, None, channels))
    m, i = label_map, image
    outputs = []
    for k in range(scales):
        if k:
            m = keras.layers.AveragePooling2D(3, strides=2)(m)
            i = keras.layers.AveragePooling2D(3, strides=2)(i)
        outputs.append(build_patch_discriminator(num_labels, filters, channels)([m, i]))
    return keras.Model([label_map, image], outputs)
