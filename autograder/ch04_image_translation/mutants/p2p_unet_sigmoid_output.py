"""The U-Net ends in a sigmoid."""

# ruff: noqa: F821 (names from the notebook)
import keras

IMAGE_SIZE = 32

PART = "unet"
MISTAKE = "build_unet ends in a sigmoid instead of tanh, so its images cannot reach [-1, 0)."
NAMED_BY = "end it with a tanh"


def build_unet(filters=16, channels=1):
    inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    e1 = encoder_block(inputs, filters, normalize=False)  # 16 x 16
    e2 = encoder_block(e1, 2 * filters)  # 8 x 8
    e3 = encoder_block(e2, 4 * filters)  # 4 x 4
    bottleneck = encoder_block(e3, 4 * filters)  # 2 x 2
    x = decoder_block(bottleneck, e3, 4 * filters, dropout=True)  # 4 x 4
    x = decoder_block(x, e2, 2 * filters, dropout=True)  # 8 x 8
    x = decoder_block(x, e1, filters)  # 16 x 16
    outputs = keras.layers.Conv2DTranspose(
        channels, 4, strides=2, padding="same", activation="sigmoid"
    )(x)
    return keras.Model(inputs, outputs, name="unet")
