"""A sigmoid or softmax at the end (the book's model)."""

# ruff: noqa: F821 (MaskedConv2D and MaskedResidualBlock come from the reference module)
import keras

PART = "pixelcnn_model"
MISTAKE = (
    "the model ends with a sigmoid (or softmax) and returns probabilities; it must return "
    "logits, because the loss applies the sigmoid or softmax itself."
)


def build_pixelcnn(image_shape=(28, 28, 1), filters=64, residual_blocks=7, levels=2):
    inputs = keras.Input(shape=image_shape)
    x = MaskedConv2D(2 * filters, 7, "A")(inputs)
    for _ in range(residual_blocks):
        x = MaskedResidualBlock(filters)(x)
    x = keras.layers.ReLU()(x)
    x = MaskedConv2D(filters, 1, "B")(x)
    x = keras.layers.ReLU()(x)
    out_channels = 1 if levels == 2 else levels
    logits = MaskedConv2D(out_channels, 1, "B")(x)
    if levels == 2:
        return keras.Model(inputs, keras.ops.sigmoid(logits))
    return keras.Model(inputs, keras.ops.softmax(logits, axis=-1))
