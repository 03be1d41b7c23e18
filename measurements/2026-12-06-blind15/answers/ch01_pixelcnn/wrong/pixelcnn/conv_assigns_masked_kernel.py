"""PART: masked_conv
MISTAKE: Assigns the masked kernel back into the weight variable inside call (a side effect on the weights) instead of only using kernel * mask in the computation.
Built on correct/pixelcnn/keras_ops_functional.py, with this one change.
"""

# %% part: causal_mask
def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    """Mask of a causal convolution kernel, shaped (k, k, in_channels, out_channels).

    1 at kernel positions before the centre in raster order (every row above it, and the
    centre row left of it), 1 at the centre itself only for mask_type "B", 0 elsewhere.
    kernel_size must be odd; mask_type is "A" or "B". Returns a float32 numpy array.
    """
    if kernel_size % 2 != 1:
        raise ValueError(f"kernel_size must be odd, got {kernel_size}")
    if mask_type not in ("A", "B"):
        raise ValueError(f'mask_type must be "A" or "B", got {mask_type!r}')
    order = np.arange(kernel_size * kernel_size).reshape(kernel_size, kernel_size)
    centre = order[kernel_size // 2, kernel_size // 2]
    visible = order < centre if mask_type == "A" else order <= centre
    mask = np.broadcast_to(visible[:, :, None, None], (kernel_size, kernel_size, in_channels, out_channels))
    return mask.astype(np.float32)


# %% part: masked_conv
class MaskedConv2D(keras.layers.Layer):
    """Convolution whose kernel is multiplied by a causal mask (no activation).

    filters: output channels; kernel_size: odd k of the k x k kernel; mask_type: "A"
    (the centre pixel is hidden) or "B" (the centre pixel is visible).
    Input (B, H, W, C_in) -> output (B, H, W, filters), stride 1, "same" padding.
    """

    def __init__(self, filters, kernel_size, mask_type, **kwargs):
        super().__init__(**kwargs)
        if int(filters) < 1:
            raise ValueError(f"filters must be a positive integer, got {filters}")
        if kernel_size % 2 != 1:
            raise ValueError(f"kernel_size must be odd, got {kernel_size}")
        if mask_type not in ("A", "B"):
            raise ValueError(f'mask_type must be "A" or "B", got {mask_type!r}')
        self.filters = int(filters)
        self.kernel_size = int(kernel_size)
        self.mask_type = mask_type

    def build(self, input_shape):
        in_channels = int(input_shape[-1])
        k = self.kernel_size
        self.kernel = self.add_weight(
            shape=(k, k, in_channels, self.filters),
            initializer="glorot_uniform",
            trainable=True,
            name="kernel",
        )
        self.bias = self.add_weight(
            shape=(self.filters,), initializer="zeros", trainable=True, name="bias"
        )
        # A constant, not a weight: nothing to assign, nothing for the optimiser to see.
        self.mask = causal_mask(k, self.mask_type, in_channels, self.filters)

    def call(self, inputs):
        self.kernel.assign(self.kernel * self.mask)
        kernel = self.kernel
        outputs = keras.ops.conv(inputs, kernel, strides=1, padding="same")
        return outputs + self.bias

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
        self.reduce = MaskedConv2D(filters, 1, "B")
        self.spatial = MaskedConv2D(filters, 3, "B")
        self.expand = MaskedConv2D(2 * filters, 1, "B")

    def call(self, inputs):
        h = self.reduce(keras.ops.relu(inputs))
        h = self.spatial(keras.ops.relu(h))
        h = self.expand(keras.ops.relu(h))
        return inputs + h

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
    inputs = keras.Input(shape=image_shape)
    x = MaskedConv2D(2 * filters, 7, "A")(inputs)
    for _ in range(residual_blocks):
        x = MaskedResidualBlock(filters)(x)
    x = MaskedConv2D(filters, 1, "B")(keras.ops.relu(x))
    out_channels = 1 if levels == 2 else levels
    outputs = MaskedConv2D(out_channels, 1, "B")(keras.ops.relu(x))
    return keras.Model(inputs, outputs)


# %% part: bits_per_dim
def bits_per_dim(images, logits):
    """Mean negative log-likelihood in bits per dimension.

    images: integer pixel values (B, H, W, 1).
    logits: (B, H, W, 1) for binary images (logit of a pixel being 1), or (B, H, W, L).
    Returns a scalar tensor: the mean cross-entropy over all pixels, divided by ln 2.
    """
    logits = keras.ops.convert_to_tensor(logits)
    images = keras.ops.convert_to_tensor(images)
    if logits.shape[-1] == 1:
        targets = keras.ops.cast(images, logits.dtype)
        nats = keras.ops.binary_crossentropy(targets, logits, from_logits=True)
    else:
        targets = keras.ops.cast(keras.ops.squeeze(images, axis=-1), "int32")
        nats = keras.ops.sparse_categorical_crossentropy(targets, logits, from_logits=True)
    return keras.ops.mean(nats) / math.log(2.0)


# %% part: sampling
def sample_pixelcnn(model, n, seed=0, levels=2):
    """Draw n images from a PixelCNN, pixel by pixel in raster order.

    model: maps images (B, H, W, 1) scaled to [0, 1] to logits (B, H, W, 1 or levels).
    seed: an integer; the same seed gives the same images.
    Returns an int32 numpy array (n, H, W, 1) with values in 0..levels-1.
    """
    height, width = model.input_shape[1], model.input_shape[2]
    scale = float(levels - 1)

    @tf.function
    def draw(images, position):
        row = position // width
        col = position % width
        logits = model(tf.cast(images, tf.float32) / scale, training=False)
        here = logits[:, row, col, :]  # (n, 1) or (n, levels)
        if here.shape[-1] == 1:  # binary: categorical logits (0, l) of the levels (0, 1)
            here = tf.concat([tf.zeros_like(here), here], axis=-1)
        draw_seed = tf.stack([tf.constant(seed, tf.int32), position])
        values = tf.random.stateless_categorical(here, 1, seed=draw_seed, dtype=tf.int32)
        at = tf.reshape(tf.one_hot(position, height * width, dtype=tf.int32), (1, height, width, 1))
        return images * (1 - at) + tf.reshape(values, (-1, 1, 1, 1)) * at

    images = tf.zeros((n, height, width, 1), tf.int32)
    for position in range(height * width):
        images = draw(images, tf.constant(position, tf.int32))
    return images.numpy().astype(np.int32)


# %% part: train_step
def make_train_step(model, optimizer, levels=2):
    """Return a tf.function step(images) doing one optimiser update; it returns the loss.

    images: integer pixel values (B, H, W, 1) in 0..levels-1. The model sees
    images / (levels - 1); the loss is bits_per_dim(images, logits).
    """

    @tf.function
    def step(images):
        inputs = tf.cast(images, tf.float32) / (levels - 1)
        with tf.GradientTape() as tape:
            logits = model(inputs, training=True)
            loss = bits_per_dim(images, logits)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss

    return step
