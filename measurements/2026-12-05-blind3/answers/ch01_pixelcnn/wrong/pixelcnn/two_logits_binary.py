"""PART: pixelcnn_model
MISTAKE: Outputs `levels` channels also for binary images (2 logits) instead of a single logit.
Built on correct/pixelcnn/tf_ops_graph_loop.py.
"""

# %% part: causal_mask
def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    """Mask of a causal convolution kernel, shaped (k, k, in_channels, out_channels).

    1 at kernel positions before the centre in raster order (every row above it, and the
    centre row left of it), 1 at the centre itself only for mask_type "B", 0 elsewhere.
    kernel_size must be odd; mask_type is "A" or "B". Returns a float32 numpy array.
    """
    if not isinstance(kernel_size, (int, np.integer)) or kernel_size <= 0 or kernel_size % 2 != 1:
        raise ValueError("kernel_size must be a positive odd integer")
    if mask_type not in {"A", "B"}:
        raise ValueError('mask_type must be "A" or "B"')
    c = kernel_size // 2
    spatial = np.zeros((kernel_size, kernel_size), dtype=np.float32)
    spatial[:c, :] = 1.0  # every row above the centre
    spatial[c, :c] = 1.0  # the centre row, left of the centre
    if mask_type == "B":
        spatial[c, c] = 1.0
    return np.tile(spatial[:, :, None, None], (1, 1, in_channels, out_channels))

# %% part: masked_conv
class MaskedConv2D(keras.layers.Layer):
    """Convolution whose kernel is multiplied by a causal mask (no activation).

    filters: output channels; kernel_size: odd k of the k x k kernel; mask_type: "A"
    (the centre pixel is hidden) or "B" (the centre pixel is visible).
    Input (B, H, W, C_in) -> output (B, H, W, filters), stride 1, "same" padding.
    """

    def __init__(self, filters, kernel_size, mask_type, **kwargs):
        super().__init__(**kwargs)
        if filters <= 0:
            raise ValueError("filters must be positive")
        if kernel_size <= 0 or kernel_size % 2 == 0:
            raise ValueError("kernel_size must be odd")
        if mask_type not in ("A", "B"):
            raise ValueError('mask_type must be "A" or "B"')
        self.filters = filters
        self.kernel_size = kernel_size
        self.mask_type = mask_type

    def build(self, input_shape):
        channels = input_shape[-1]
        shape = (self.kernel_size, self.kernel_size, channels, self.filters)
        self._mask = causal_mask(self.kernel_size, self.mask_type, channels, self.filters)
        self.kernel = self.add_weight(shape=shape, initializer="glorot_uniform", name="kernel")
        self.bias = self.add_weight(shape=(self.filters,), initializer="zeros", name="bias")

    def call(self, inputs):
        mask = keras.ops.convert_to_tensor(self._mask, dtype=self.kernel.dtype)
        y = keras.ops.conv(
            inputs, keras.ops.multiply(self.kernel, mask), strides=(1, 1), padding="same"
        )
        return keras.ops.add(y, self.bias)

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
        self.convs = [
            MaskedConv2D(filters, 1, "B"),
            MaskedConv2D(filters, 3, "B"),
            MaskedConv2D(2 * filters, 1, "B"),
        ]

    def call(self, inputs):
        x = inputs
        for conv in self.convs:
            x = conv(keras.ops.relu(x))  # pre-activation: ReLU before each convolution
        return keras.ops.add(inputs, x)

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
    out_channels = levels
    image = keras.Input(image_shape)
    h = MaskedConv2D(filters * 2, kernel_size=7, mask_type="A")(image)
    blocks = [MaskedResidualBlock(filters) for _ in range(residual_blocks)]
    for block in blocks:
        h = block(h)
    h = MaskedConv2D(filters, kernel_size=1, mask_type="B")(keras.ops.relu(h))
    logits = MaskedConv2D(out_channels, kernel_size=1, mask_type="B")(keras.ops.relu(h))
    return keras.Model(inputs=image, outputs=logits)

# %% part: bits_per_dim
def bits_per_dim(images, logits):
    """Mean negative log-likelihood in bits per dimension.

    images: integer pixel values (B, H, W, 1).
    logits: (B, H, W, 1) for binary images (logit of a pixel being 1), or (B, H, W, L).
    Returns a scalar tensor: the mean cross-entropy over all pixels, divided by ln 2.
    """
    logits = tf.convert_to_tensor(logits)
    if not logits.dtype.is_floating:
        logits = tf.cast(logits, tf.float32)
    if logits.shape[-1] == 1:
        labels = tf.cast(images, logits.dtype)
        nats = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    else:
        labels = tf.cast(images, tf.int32)[..., 0]  # (B, H, W)
        nats = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return tf.reduce_mean(nats) / tf.math.log(tf.constant(2.0, nats.dtype))

# %% part: sampling
def sample_pixelcnn(model, n, seed=0, levels=2):
    """Draw n images from a PixelCNN, pixel by pixel in raster order.

    model: maps images (B, H, W, 1) scaled to [0, 1] to logits (B, H, W, 1 or levels).
    seed: an integer; the same seed gives the same images.
    Returns an int32 numpy array (n, H, W, 1) with values in 0..levels-1.
    """
    height, width = model.input_shape[1], model.input_shape[2]
    scale = float(levels - 1)

    flat_positions = tf.reshape(tf.range(height * width), (1, height, width, 1))

    def body(position, images, seed_value):
        row, col = position // width, position % width
        logits = model(images / scale, training=False)[:, row, col, :]
        if logits.shape[-1] == 1:
            logits = tf.concat([tf.zeros_like(logits), logits], axis=1)
        value = tf.random.stateless_categorical(
            logits, 1, seed=tf.stack([seed_value, position]), dtype=tf.int32
        )  # (n, 1)
        here = tf.cast(tf.equal(flat_positions, position), tf.float32)  # one-hot position
        value = tf.cast(tf.reshape(value, (n, 1, 1, 1)), tf.float32)
        return position + 1, images * (1.0 - here) + value * here, seed_value

    @tf.function
    def generate(seed_value):
        start = (tf.constant(0), tf.zeros((n, height, width, 1), tf.float32), seed_value)
        _, images, _ = tf.while_loop(
            lambda position, images, seed_value: position < height * width, body, start
        )
        return images

    result = generate(tf.constant(seed, tf.int32))
    return np.rint(result.numpy()).astype(np.int32)

# %% part: train_step
def make_train_step(model, optimizer, levels=2):
    """Return a tf.function step(images) doing one optimiser update; it returns the loss.

    images: integer pixel values (B, H, W, 1) in 0..levels-1. The model sees
    images / (levels - 1); the loss is bits_per_dim(images, logits).
    """
    scale = tf.constant(levels - 1, tf.float32)

    def step(images):
        images = tf.convert_to_tensor(images)
        with tf.GradientTape() as tape:
            logits = model(tf.cast(images, tf.float32) / scale, training=True)
            loss = bits_per_dim(images, logits)
        variables = model.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss

    return tf.function(step)
