"""The mask type is kept under another name, so get_config (which reads self.mask_type) fails."""

# ruff: noqa: F821 (causal_mask comes from the reference module this file runs on top of)
import keras

PART = "masked_conv"
MISTAKE = (
    "MaskedConv2D keeps the mask type under another attribute name, so get_config, which reads "
    "self.mask_type, raises AttributeError and the layer cannot be saved or cloned; keep the "
    "arguments as self.filters, self.kernel_size and self.mask_type."
)


class MaskedConv2D(keras.layers.Layer):
    def __init__(self, filters, kernel_size, mask_type, **kwargs):
        super().__init__(**kwargs)
        causal_mask(kernel_size, mask_type)
        self.filters = filters
        self.kernel_size = kernel_size
        self.kind = mask_type

    def build(self, input_shape):
        channels = input_shape[-1]
        k = self.kernel_size
        self.kernel = self.add_weight(shape=(k, k, channels, self.filters), name="kernel")
        self.bias = self.add_weight(shape=(self.filters,), initializer="zeros", name="bias")
        self.mask = causal_mask(k, self.kind, channels, self.filters)

    def call(self, inputs):
        outputs = keras.ops.conv(inputs, self.kernel * self.mask, padding="same")
        return outputs + self.bias

    def get_config(self):
        config = super().get_config()
        config.update(filters=self.filters, kernel_size=self.kernel_size, mask_type=self.mask_type)
        return config
