"""The mask is kept as a trainable weight, so training changes it."""

# ruff: noqa: F821 (causal_mask comes from the reference module this file runs on top of)
import keras

PART = "masked_conv"
MISTAKE = (
    "MaskedConv2D keeps its mask as a trainable weight (a weight or variable made without "
    "trainable=False), so training changes the mask and the layer starts to see pixels it "
    "must not see."
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
        self.bias = self.add_weight(name="bias", shape=(self.filters,), initializer="zeros")
        mask = causal_mask(self.kernel_size, self.mask_type, in_channels, self.filters)
        self.mask = self.add_weight(
            name="mask", shape=shape, initializer=keras.initializers.Constant(0.0)
        )
        self.mask.assign(mask)

    def call(self, inputs):
        kernel = self.kernel * self.mask
        return keras.ops.conv(inputs, kernel, padding="same") + self.bias
