"""The U-Net's outermost decoder level has no skip connection."""

# ruff: noqa: F821 (names from the notebook)
import keras

IMAGE_SIZE = 32

PART = "unet"
MISTAKE = (
    "build_unet's last decoder level is a plain transposed convolution without the skip from "
    "e1 (a U-Net with one skip missing)."
)
NAMED_BY = "calls decoder_block 2 times"


def build_unet(filters=16, channels=1):
    inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    e1 = encoder_block(inputs, filters, normalize=False)  # 16 x 16
    e2 = encoder_block(e1, 2 * filters)  # 8 x 8
    e3 = encoder_block(e2, 4 * filters)  # 4 x 4
    bottleneck = encoder_block(e3, 4 * filters)  # 2 x 2
    x = decoder_block(bottleneck, e3, 4 * filters, dropout=True)  # 4 x 4
    x = decoder_block(x, e2, 2 * filters, dropout=True)  # 8 x 8
    x = keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = keras.layers.ReLU()(instance_norm()(x))  # 16 x 16, no skip
    outputs = keras.layers.Conv2DTranspose(
        channels, 4, strides=2, padding="same", activation="tanh"
    )(x)
    return keras.Model(inputs, outputs, name="unet")
