"""The arguments are checked only when the layer is built (the mask is made there)."""

# ruff: noqa: F821 (causal_mask comes from the reference module this file runs on top of)
import keras

PART = "masked_conv"
MISTAKE = (
    "MaskedConv2D does not check its arguments in __init__: an even kernel size or an unknown "
    "mask type is only noticed when the layer is built, far from the line that made it; call "
    "causal_mask (or check the arguments) in __init__."
)


class MaskedConv2D(keras.layers.Layer):
    def __init__(self, filters, kernel_size, mask_type, **kwargs):
        super().__init__(**kwargs)
        self.filters, self.kernel_size, self.mask_type = filters, kernel_size, mask_type

    def build(self, input_shape):
        channels = input_shape[-1]
        self.mask = causal_mask(self.kernel_size, self.mask_type, channels, self.filters)
        k = self.kernel_size
        self.kernel = self.add_weight(shape=(k, k, channels, self.filters), name="kernel")
        self.bias = self.add_weight(shape=(self.filters,), initializer="zeros", name="bias")

    def call(self, inputs):
        outputs = keras.ops.conv(inputs, self.kernel * self.mask, padding="same")
        return outputs + self.bias

    def get_config(self):
        config = super().get_config()
        config.update(filters=self.filters, kernel_size=self.kernel_size, mask_type=self.mask_type)
        return config
