"""The kernel size kept as a pair (k, k), as keras.layers.Conv2D keeps it."""

# ruff: noqa: F821 (causal_mask comes from the reference module this file runs on top of)
import keras

PART = "masked_conv"
MISTAKE = (
    "MaskedConv2D stores kernel_size as the pair (k, k), so its get_config gives a pair that "
    "from_config hands back to __init__, whose checks expect one integer."
)
NAMED_BY = "the layer keeps the kernel size as a pair"


class MaskedConv2D(keras.layers.Layer):
    def __init__(self, filters, kernel_size, mask_type, **kwargs):
        super().__init__(**kwargs)
        if kernel_size % 2 == 0 or mask_type not in ("A", "B"):
            raise ValueError("an odd kernel size and a mask type 'A' or 'B' are needed")
        self.filters = filters
        self.kernel_size = (kernel_size, kernel_size)
        self.mask_type = mask_type

    def build(self, input_shape):
        in_channels = input_shape[-1]
        shape = (*self.kernel_size, in_channels, self.filters)
        self.kernel = self.add_weight(name="kernel", shape=shape, initializer="glorot_uniform")
        self.bias = self.add_weight(name="bias", shape=(self.filters,), initializer="zeros")
        self.mask = causal_mask(self.kernel_size[0], self.mask_type, in_channels, self.filters)

    def call(self, inputs):
        kernel = self.kernel * self.mask
        return keras.ops.conv(inputs, kernel, padding="same") + self.bias

    def get_config(self):
        config = super().get_config()
        config.update(filters=self.filters, kernel_size=self.kernel_size, mask_type=self.mask_type)
        return config
