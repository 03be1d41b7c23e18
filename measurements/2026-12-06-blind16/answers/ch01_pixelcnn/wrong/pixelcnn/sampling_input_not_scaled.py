"""PART: sampling
MISTAKE: Feeds the model the raw levels instead of dividing by levels - 1 (only wrong for levels > 2).
Built on correct/pixelcnn/keras_ops.py with this one change."""

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
    c = kernel_size // 2
    r, s = np.indices((kernel_size, kernel_size))
    spatial = (r < c) | ((r == c) & (s < c))
    if mask_type == "B":
        spatial = spatial | ((r == c) & (s == c))
    mask = np.broadcast_to(
        spatial[:, :, None, None], (kernel_size, kernel_size, in_channels, out_channels)
    )
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
        # a NumPy constant: no tensor is created here, build may run inside a traced call
        self.mask = causal_mask(k, self.mask_type, in_channels, self.filters)

    def call(self, inputs):
        masked = keras.ops.multiply(self.kernel, keras.ops.convert_to_tensor(self.mask))
        outputs = keras.ops.conv(inputs, masked, strides=1, padding="same")
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
    x = keras.layers.ReLU()(x)
    x = MaskedConv2D(filters, 1, "B")(x)
    x = keras.layers.ReLU()(x)
    outputs = MaskedConv2D(1 if levels == 2 else levels, 1, "B")(x)
    return keras.Model(inputs, outputs, name="pixelcnn")


# %% part: bits_per_dim
def bits_per_dim(images, logits):
    """Mean negative log-likelihood in bits per dimension.

    images: integer pixel values (B, H, W, 1).
    logits: (B, H, W, 1) for binary images (logit of a pixel being 1), or (B, H, W, L).
    Returns a scalar tensor: the mean cross-entropy over all pixels, divided by ln 2.
    """
    logits = keras.ops.cast(logits, "float32")
    if logits.shape[-1] == 1:
        x = keras.ops.cast(images, "float32")
        # -x log s(l) - (1 - x) log(1 - s(l)) = softplus(l) - x * l
        nats = keras.ops.softplus(logits) - x * logits
    else:
        levels = logits.shape[-1]
        target = keras.ops.one_hot(keras.ops.cast(images[..., 0], "int32"), levels)
        log_probs = keras.ops.log_softmax(logits, axis=-1)
        nats = -keras.ops.sum(target * log_probs, axis=-1)
    return keras.ops.mean(nats) / math.log(2.0)


# %% part: sampling
def sample_pixelcnn(model, n, seed=0, levels=2):
    """Draw n images from a PixelCNN, pixel by pixel in raster order.

    model: maps images (B, H, W, 1) scaled to [0, 1] to logits (B, H, W, 1 or levels).
    seed: an integer; the same seed gives the same images.
    Returns an int32 numpy array (n, H, W, 1) with values in 0..levels-1.
    """
    _, height, width, _ = model.input_shape
    scale = float(levels - 1)

    @tf.function
    def draw(images, position):
        row = position // width
        col = position % width
        inputs = tf.cast(images, tf.float32)
        logits = model(inputs, training=False)[:, row, col, :]  # (n, 1 or L)
        if logits.shape[-1] == 1:
            logits = tf.concat([tf.zeros_like(logits), logits], axis=-1)
        value = tf.random.stateless_categorical(
            logits, 1, seed=tf.stack([tf.constant(seed, tf.int32), position]), dtype=tf.int32
        )[:, 0]
        indices = tf.stack(
            [tf.range(n, dtype=tf.int32), tf.fill([n], row), tf.fill([n], col), tf.zeros([n], tf.int32)],
            axis=1,
        )
        return tf.tensor_scatter_nd_update(images, indices, value)

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
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    return step
