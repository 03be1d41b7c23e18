"""Every layer is type A."""

# ruff: noqa: F821 (MaskedConv2D and MaskedResidualBlock come from the reference module)
import keras

PART = "pixelcnn_model"
MISTAKE = (
    "every layer of the model uses a type A mask; only the first layer is type A (a 1x1 "
    "type A layer sees nothing at all), the later layers are type B."
)


def build_pixelcnn(image_shape=(28, 28, 1), filters=64, residual_blocks=7, levels=2):
    inputs = keras.Input(shape=image_shape)
    x = MaskedConv2D(2 * filters, 7, "A")(inputs)
    for _ in range(residual_blocks):
        x = MaskedResidualBlock(filters)(x)
    x = keras.layers.ReLU()(x)
    x = MaskedConv2D(filters, 1, "A")(x)
    x = keras.layers.ReLU()(x)
    out_channels = 1 if levels == 2 else levels
    logits = MaskedConv2D(out_channels, 1, "A")(x)
    return keras.Model(inputs, logits)
