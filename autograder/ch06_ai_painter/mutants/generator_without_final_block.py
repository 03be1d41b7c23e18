"""The generator leaves out the last SPADEResBlock(filters) at full size, after the last
upsampling.
"""

# ruff: noqa: F821 (names from the notebook)

import keras

PART = "gaugan_generator"
MISTAKE = (
    "The generator leaves out the last SPADEResBlock(filters) at full size, after the last "
    "upsampling."
)


def build_gaugan_generator(
    num_labels=NUM_LABELS, z_dim=64, filters=64, image_size=IMAGE_SIZE, channels=1, hidden=64
):
    z = keras.Input((z_dim,))
    label_map = keras.Input((image_size, image_size, num_labels))
    x = keras.layers.Dense(4 * 4 * 4 * filters)(z)
    x = keras.layers.Reshape((4, 4, 4 * filters))(x)
    steps = (image_size // 4).bit_length() - 1
    for k in range(steps):
        x = SPADEResBlock(filters * 2 ** max(0, 2 - k), hidden=hidden)(x, label_map)
        x = keras.layers.UpSampling2D(2)(x)
    x = keras.layers.LeakyReLU(0.2)(x)
    x = keras.layers.Conv2D(channels, 3, padding="same", activation="tanh")(x)
    return keras.Model([z, label_map], x)
