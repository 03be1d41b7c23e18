"""keras.ops-only answer: np.fromfunction for the mask; MaskedConv2D selects the visible
weights with keras.ops.where on a boolean mask and pads explicitly before a "valid"
convolution; the loss is one categorical formula (a binary logit l becomes the pair (0, l))
with log_softmax and one_hot; the sampler adds a one-hot position image to a tensor in a
Python loop over a tf.function that gathers the logits of a raster position.
"""

import math

import keras
import numpy as np
import tensorflow as tf


# %% part: causal_mask
def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    """Mask of a causal convolution kernel, shaped (k, k, in_channels, out_channels).

    1 at kernel positions before the centre in raster order (every row above it, and the
    centre row left of it), 1 at the centre itself only for mask_type "B", 0 elsewhere.
    kernel_size must be odd; mask_type is "A" or "B". Returns a float32 numpy array.
    """
    if kernel_size % 2 == 0 or kernel_size < 1:
        raise ValueError(f"causal masks need an odd kernel size, got {kernel_size}")
    if mask_type not in ("A", "B"):
        raise ValueError(f"mask_type is 'A' or 'B', got {mask_type!r}")
    c = kernel_size // 2
    include_centre = mask_type == "B"
    plane = np.fromfunction(
        lambda r, s: (r < c) | ((r == c) & ((s < c) | ((s == c) & include_centre))),
        (kernel_size, kernel_size),
        dtype=int,
    )
    mask = np.repeat(plane[:, :, None, None], in_channels, axis=2)
    return np.repeat(mask, out_channels, axis=3).astype(np.float32)


# %% part: masked_conv
class MaskedConv2D(keras.layers.Layer):
    """Convolution whose kernel is multiplied by a causal mask (no activation).

    filters: output channels; kernel_size: odd k of the k x k kernel; mask_type: "A"
    (the centre pixel is hidden) or "B" (the centre pixel is visible).
    Input (B, H, W, C_in) -> output (B, H, W, filters), stride 1, "same" padding.
    """

    def __init__(self, filters, kernel_size, mask_type, **kwargs):
        super().__init__(**kwargs)
        if not (isinstance(filters, (int, np.integer)) and filters > 0):
            raise ValueError(f"filters must be a positive int, got {filters!r}")
        odd = isinstance(kernel_size, (int, np.integer)) and kernel_size % 2 == 1
        if not (odd and kernel_size > 0):
            raise ValueError(f"kernel_size must be a positive odd int, got {kernel_size!r}")
        if mask_type not in ("A", "B"):
            raise ValueError(f"mask_type must be 'A' or 'B', got {mask_type!r}")
        self.filters = filters
        self.kernel_size = kernel_size
        self.mask_type = mask_type

    def build(self, input_shape):
        k, channels = self.kernel_size, input_shape[-1]
        self.kernel = self.add_weight(
            shape=(k, k, channels, self.filters),
            initializer=keras.initializers.GlorotUniform(),
            trainable=True,
            name="kernel",
        )
        self.bias = self.add_weight(
            shape=(self.filters,), initializer=keras.initializers.Zeros(), name="bias"
        )
        self.visible = causal_mask(k, self.mask_type, channels, self.filters) > 0.5

    def call(self, inputs):
        kernel = keras.ops.where(self.visible, self.kernel, keras.ops.zeros_like(self.kernel))
        c = self.kernel_size // 2
        padded = keras.ops.pad(inputs, [[0, 0], [c, c], [c, c], [0, 0]])
        return keras.ops.conv(padded, kernel, strides=1, padding="valid") + self.bias

    def get_config(self):
        config = super().get_config()
        config.update(filters=self.filters, kernel_size=self.kernel_size, mask_type=self.mask_type)
        return config


# %% part: residual_block
class MaskedResidualBlock(keras.layers.Layer):
    """Pre-activation residual block of PixelCNN, with type-B masked convolutions.

    Input (B, H, W, 2 * filters) -> output of the same shape:
    x + conv1x1(2F)(relu(conv3x3(F)(relu(conv1x1(F)(relu(x)))))).
    """

    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.conv_in = MaskedConv2D(filters, kernel_size=1, mask_type="B")
        self.conv_mid = MaskedConv2D(filters, kernel_size=3, mask_type="B")
        self.conv_out = MaskedConv2D(2 * filters, kernel_size=1, mask_type="B")

    def call(self, inputs):
        relu = keras.activations.relu
        branch = self.conv_out(relu(self.conv_mid(relu(self.conv_in(relu(inputs))))))
        return keras.ops.add(inputs, branch)

    def get_config(self):
        config = super().get_config()
        config.update(filters=self.filters)
        return config


# %% part: pixelcnn_model
def build_pixelcnn(image_shape=(28, 28, 1), filters=64, residual_blocks=7, levels=2):
    """PixelCNN for one-channel images with `levels` grey levels.

    Input: images (B, H, W, 1) scaled to [0, 1] (quantised value / (levels - 1)).
    Output: logits (B, H, W, 1) when levels == 2 (the logit of a pixel being 1),
    else (B, H, W, levels). The logits at a pixel depend only on earlier pixels.
    """
    inputs = keras.Input(image_shape)
    h = MaskedConv2D(2 * filters, 7, "A")(inputs)
    for _ in range(residual_blocks):
        h = MaskedResidualBlock(filters)(h)
    for width in (filters, 1 if levels == 2 else levels):
        h = keras.layers.Activation("relu")(h)
        h = MaskedConv2D(width, 1, "B")(h)
    return keras.Model(inputs=inputs, outputs=h)


# %% part: bits_per_dim
def bits_per_dim(images, logits):
    """Mean negative log-likelihood in bits per dimension.

    images: integer pixel values (B, H, W, 1).
    logits: (B, H, W, 1) for binary images (logit of a pixel being 1), or (B, H, W, L).
    Returns a scalar tensor: the mean cross-entropy over all pixels, divided by ln 2.
    """
    logits = keras.ops.convert_to_tensor(logits)
    if logits.shape[-1] == 1:  # sigma(l) = softmax(0, l)[1]
        logits = keras.ops.concatenate([keras.ops.zeros_like(logits), logits], axis=-1)
    log_probs = keras.ops.log_softmax(logits, axis=-1)
    labels = keras.ops.cast(keras.ops.squeeze(images, axis=-1), "int32")
    one_hot = keras.ops.one_hot(labels, logits.shape[-1], dtype=log_probs.dtype)
    nats = -keras.ops.sum(one_hot * log_probs, axis=-1)
    return keras.ops.mean(nats) / math.log(2.0)


# %% part: sampling
def sample_pixelcnn(model, n, seed=0, levels=2):
    """Draw n images from a PixelCNN, pixel by pixel in raster order.

    model: maps images (B, H, W, 1) scaled to [0, 1] to logits (B, H, W, 1 or levels).
    seed: an integer; the same seed gives the same images.
    Returns an int32 numpy array (n, H, W, 1) with values in 0..levels-1.
    """
    height, width = model.input_shape[1], model.input_shape[2]
    pixels = height * width

    @tf.function
    def advance(images, position):
        logits = model(tf.cast(images, tf.float32) / (levels - 1), training=False)
        logits = tf.reshape(logits, (n, pixels, -1))
        here = tf.gather(logits, position, axis=1)  # (n, channels)
        if here.shape[-1] == 1:
            here = tf.concat([tf.zeros_like(here), here], axis=-1)
        seed_pair = tf.stack([tf.constant(seed, dtype=tf.int64), position])
        value = tf.random.stateless_categorical(here, 1, seed=seed_pair, dtype=tf.int32)
        spot = tf.reshape(tf.one_hot(position, pixels, dtype=tf.int32), (1, height, width, 1))
        return images + spot * tf.reshape(value, (n, 1, 1, 1))  # the pixel was 0 before

    images = tf.zeros((n, height, width, 1), dtype=tf.int32)
    for position in range(pixels):
        images = advance(images, tf.constant(position, dtype=tf.int64))
    return np.asarray(images.numpy(), dtype=np.int32)


# %% part: train_step
def make_train_step(model, optimizer, levels=2):
    """Return a tf.function step(images) doing one optimiser update; it returns the loss.

    images: integer pixel values (B, H, W, 1) in 0..levels-1. The model sees
    images / (levels - 1); the loss is bits_per_dim(images, logits).
    """
    denominator = levels - 1

    @tf.function(jit_compile=False)
    def train_step(images):
        images = keras.ops.cast(images, "int32")
        inputs = keras.ops.cast(images, "float32") / denominator
        with tf.GradientTape() as tape:
            loss = bits_per_dim(images, model(inputs, training=True))
        gradients = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(zip(gradients, model.trainable_weights))
        return loss

    return train_step
