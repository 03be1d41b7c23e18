"""The mask kept in a weight of ones and assigned in build: lost when a block builds it."""

# ruff: noqa: F821 (causal_mask comes from the reference module this file runs on top of)
import keras

PART = "masked_conv"
NAMED_BY = "Inside another layer yours convolves with the whole kernel"
MISTAKE = (
    "the mask is a weight of ones that build() assigns; Keras builds a layer held by another "
    "without state and drops that assignment, so inside a residual block the kernel is not "
    "masked."
)


class MaskedConv2D(keras.layers.Layer):
    def __init__(self, filters, kernel_size, mask_type, **kwargs):
        super().__init__(**kwargs)
        if kernel_size % 2 != 1:
            raise ValueError(f"kernel_size must be odd, not {kernel_size}")
        if mask_type not in ("A", "B"):
            raise ValueError(f'mask_type must be "A" or "B", not {mask_type!r}')
        self.filters, self.kernel_size, self.mask_type = filters, kernel_size, mask_type

    def build(self, input_shape):
        shape = (self.kernel_size, self.kernel_size, input_shape[-1], self.filters)
        self.kernel = self.add_weight(shape=shape, initializer="glorot_uniform", name="kernel")
        self.bias = self.add_weight(shape=(self.filters,), initializer="zeros", name="bias")
        self.mask = self.add_weight(shape=shape, initializer="ones", trainable=False, name="mask")
        self.mask.assign(causal_mask(self.kernel_size, self.mask_type, *shape[2:]))

    def call(self, inputs):
        kernel = self.kernel * keras.ops.cast(self.mask, self.compute_dtype)
        return keras.ops.conv(inputs, kernel, strides=1, padding="same") + self.bias

    def get_config(self):
        config = super().get_config()
        config.update(filters=self.filters, kernel_size=self.kernel_size, mask_type=self.mask_type)
        return config
