"""No ReLU between the 1x1 head and the output layer."""

# ruff: noqa: F821 (MaskedConv2D and MaskedResidualBlock come from the reference module)
import keras

PART = "pixelcnn_model"
MISTAKE = (
    "the model has no ReLU between the 1x1 head convolution and the output convolution, so the "
    "two 1x1 layers collapse into one linear map; the table puts a ReLU before each of them."
)


def build_pixelcnn(image_shape=(28, 28, 1), filters=64, residual_blocks=7, levels=2):
    inputs = keras.Input(shape=image_shape)
    x = MaskedConv2D(2 * filters, 7, "A")(inputs)
    for _ in range(residual_blocks):
        x = MaskedResidualBlock(filters)(x)
    x = keras.layers.ReLU()(x)
    x = MaskedConv2D(filters, 1, "B")(x)
    out_channels = 1 if levels == 2 else levels
    logits = MaskedConv2D(out_channels, 1, "B")(x)
    return keras.Model(inputs, logits)
