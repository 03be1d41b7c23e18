"""The model's input is always 28 x 28 x 1, whatever image_shape is given."""

# ruff: noqa: F821 (the layers come from the reference module this file runs on top of)
import keras

PART = "pixelcnn_model"
MISTAKE = (
    "build_pixelcnn builds keras.Input((28, 28, 1)) whatever image_shape it is given: build the "
    "input from the image_shape argument."
)
NAMED_BY = "build its keras.Input from the image_shape argument"


def build_pixelcnn(image_shape=(28, 28, 1), filters=64, residual_blocks=7, levels=2):
    inputs = keras.Input(shape=(28, 28, 1))
    x = MaskedConv2D(2 * filters, 7, "A")(inputs)
    for _ in range(residual_blocks):
        x = MaskedResidualBlock(filters)(x)
    x = keras.layers.ReLU()(x)
    x = MaskedConv2D(filters, 1, "B")(x)
    x = keras.layers.ReLU()(x)
    out_channels = 1 if levels == 2 else levels
    logits = MaskedConv2D(out_channels, 1, "B")(x)
    return keras.Model(inputs, logits)
