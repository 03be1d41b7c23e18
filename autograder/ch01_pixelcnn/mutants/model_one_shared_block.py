"""One residual block instance applied residual_blocks times."""

# ruff: noqa: F821 (MaskedConv2D and MaskedResidualBlock come from the reference module)
import keras

PART = "pixelcnn_model"
NAMED_BY = "one MaskedResidualBlock applied residual_blocks times shares its weights"
MISTAKE = (
    "build_pixelcnn makes one MaskedResidualBlock and applies it residual_blocks times, so "
    "every block shares the same weights; make a new block in each pass of the loop."
)


def build_pixelcnn(image_shape=(28, 28, 1), filters=64, residual_blocks=7, levels=2):
    inputs = keras.Input(shape=image_shape)
    x = MaskedConv2D(2 * filters, 7, "A")(inputs)
    block = MaskedResidualBlock(filters)
    for _ in range(residual_blocks):
        x = block(x)
    x = keras.layers.ReLU()(x)
    x = MaskedConv2D(filters, 1, "B")(x)
    x = keras.layers.ReLU()(x)
    out_channels = 1 if levels == 2 else levels
    logits = MaskedConv2D(out_channels, 1, "B")(x)
    return keras.Model(inputs, logits)
