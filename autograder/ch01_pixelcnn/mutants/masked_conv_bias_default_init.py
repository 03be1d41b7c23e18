"""The bias is created without an initializer: add_weight's default draws glorot values."""

# ruff: noqa: F821 (causal_mask comes from the reference module this file runs on top of)
import keras

PART = "masked_conv"
MISTAKE = (
    "MaskedConv2D's bias does not start at zero; create it with add_weight(..., "
    'initializer="zeros"), since add_weight\'s default initializer, glorot_uniform, and the '
    "random ones draw nonzero values."
)


class MaskedConv2D(keras.layers.Layer):
    def __init__(self, filters, kernel_size, mask_type, **kwargs):
        super().__init__(**kwargs)
        causal_mask(kernel_size, mask_type)
        self.filters = filters
        self.kernel_size = kernel_size
        self.mask_type = mask_type

    def build(self, input_shape):
        in_channels = input_shape[-1]
        shape = (self.kernel_size, self.kernel_size, in_channels, self.filters)
        self.kernel = self.add_weight(name="kernel", shape=shape, initializer="glorot_uniform")
        self.bias = self.add_weight(name="bias", shape=(self.filters,))
        self.mask = causal_mask(self.kernel_size, self.mask_type, in_channels, self.filters)

    def call(self, inputs):
        kernel = self.kernel * self.mask
        return keras.ops.conv(inputs, kernel, padding="same") + self.bias
