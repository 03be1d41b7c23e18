"""PART: bits_per_dim
MISTAKE: computes the binary cross-entropy as -y log(sigmoid(l)) - (1 - y) log(1 - sigmoid(l)) instead of from the logits, which gives inf/nan for large logits.
Built on correct/pixelcnn/tf_ops.py.
"""

# %% part: causal_mask
def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    """Mask of a causal convolution kernel, shaped (k, k, in_channels, out_channels).

    1 at kernel positions before the centre in raster order (every row above it, and the
    centre row left of it), 1 at the centre itself only for mask_type "B", 0 elsewhere.
    kernel_size must be odd; mask_type is "A" or "B". Returns a float32 numpy array.
    """
    if kernel_size % 2 != 1:
        raise ValueError("the kernel size must be odd so that the kernel has a centre")
    if mask_type == "A":
        show_centre = False
    elif mask_type == "B":
        show_centre = True
    else:
        raise ValueError('mask_type must be "A" or "B"')
    centre = (kernel_size - 1) // 2
    mask = np.zeros((kernel_size, kernel_size, in_channels, out_channels), dtype=np.float32)
    for r in range(kernel_size):
        for s in range(kernel_size):
            before = r < centre or (r == centre and s < centre)
            at_centre = r == centre and s == centre
            if before or (show_centre and at_centre):
                mask[r, s, :, :] = 1.0
    return mask

# %% part: masked_conv
class MaskedConv2D(keras.layers.Layer):
    """Convolution whose kernel is multiplied by a causal mask (no activation).

    filters: output channels; kernel_size: odd k of the k x k kernel; mask_type: "A"
    (the centre pixel is hidden) or "B" (the centre pixel is visible).
    Input (B, H, W, C_in) -> output (B, H, W, filters), stride 1, "same" padding.
    """

    def __init__(self, filters, kernel_size, mask_type, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(kernel_size, (int, np.integer)) or kernel_size % 2 == 0:
            raise ValueError(f"MaskedConv2D needs an odd integer kernel size, got {kernel_size}")
        if mask_type not in {"A", "B"}:
            raise ValueError(f"MaskedConv2D mask_type is 'A' or 'B', got {mask_type}")
        if filters <= 0:
            raise ValueError(f"MaskedConv2D needs at least one filter, got {filters}")
        self.filters = filters
        self.kernel_size = kernel_size
        self.mask_type = mask_type

    def build(self, input_shape):
        kernel_shape = (self.kernel_size, self.kernel_size, input_shape[-1], self.filters)
        self.kernel = self.add_weight(
            shape=kernel_shape, initializer=keras.initializers.GlorotUniform(), name="kernel"
        )
        self.bias = self.add_weight(
            shape=(self.filters,), initializer=keras.initializers.Zeros(), name="bias"
        )
        mask_value = causal_mask(self.kernel_size, self.mask_type, input_shape[-1], self.filters)
        # The initializer itself returns the mask (an assign in build would be lost when
        # Keras builds the layer symbolically).
        self.mask = self.add_weight(
            shape=kernel_shape,
            initializer=lambda shape, dtype=None: keras.ops.convert_to_tensor(mask_value, dtype),
            trainable=False,
            name="mask",
        )

    def call(self, inputs):
        y = keras.ops.conv(inputs, keras.ops.multiply(self.kernel, self.mask), 1, "same")
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
            MaskedConv2D(filters, 1, "B", name="bottleneck_in"),
            MaskedConv2D(filters, 3, "B", name="masked_3x3"),
            MaskedConv2D(2 * filters, 1, "B", name="bottleneck_out"),
        ]

    def call(self, inputs):
        h = inputs
        for conv in self.convs:
            h = conv(tf.nn.relu(h))
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
    image = keras.Input(image_shape, name="image")
    h = MaskedConv2D(filters * 2, kernel_size=7, mask_type="A", name="first")(image)
    for index in range(residual_blocks):
        h = MaskedResidualBlock(filters, name=f"block_{index}")(h)
    head_channels = [filters, levels if levels > 2 else 1]
    for index, channels in enumerate(head_channels):
        h = keras.layers.Activation("relu")(h)
        h = MaskedConv2D(channels, kernel_size=1, mask_type="B", name=f"head_{index}")(h)
    return keras.Model(inputs=image, outputs=h)

# %% part: bits_per_dim
def bits_per_dim(images, logits):
    """Mean negative log-likelihood in bits per dimension.

    images: integer pixel values (B, H, W, 1).
    logits: (B, H, W, 1) for binary images (logit of a pixel being 1), or (B, H, W, L).
    Returns a scalar tensor: the mean cross-entropy over all pixels, divided by ln 2.
    """
    logits = tf.convert_to_tensor(logits)
    images = tf.convert_to_tensor(images)
    if logits.shape[-1] == 1:
        labels = tf.cast(images, logits.dtype)
        p = tf.sigmoid(logits)
        nats = -labels * tf.math.log(p) - (1.0 - labels) * tf.math.log(1.0 - p)
    else:
        labels = tf.cast(images[..., 0], tf.int32)
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
    batch = tf.range(n)

    @tf.function(reduce_retracing=True)
    def next_pixel(canvas, position):
        row, col = position // width, position % width
        logits = model(tf.cast(canvas, tf.float32) / (levels - 1))
        pixel_logits = tf.gather_nd(
            logits, tf.stack([batch, tf.fill([n], row), tf.fill([n], col)], axis=1)
        )  # (n, channels)
        if pixel_logits.shape[-1] == 1:
            pixel_logits = tf.pad(pixel_logits, [[0, 0], [1, 0]])  # logits of (0, 1): (0, l)
        drawn = tf.random.stateless_categorical(
            pixel_logits, 1, seed=[seed, position], dtype=tf.int32
        )
        indices = tf.stack(
            [batch, tf.fill([n], row), tf.fill([n], col), tf.zeros([n], tf.int32)], axis=1
        )
        return tf.tensor_scatter_nd_update(canvas, indices, drawn[:, 0])

    canvas = tf.zeros([n, height, width, 1], tf.int32)
    for position in tf.range(height * width):
        canvas = next_pixel(canvas, position)
    return np.asarray(canvas.numpy(), dtype=np.int32)

# %% part: train_step
def make_train_step(model, optimizer, levels=2):
    """Return a tf.function step(images) doing one optimiser update; it returns the loss.

    images: integer pixel values (B, H, W, 1) in 0..levels-1. The model sees
    images / (levels - 1); the loss is bits_per_dim(images, logits).
    """

    def step(images):
        images = tf.convert_to_tensor(images)
        with tf.GradientTape() as tape:
            scaled = tf.cast(images, tf.float32) / (levels - 1)
            logits = model(scaled, training=True)
            loss = bits_per_dim(images, logits)
        variables = model.trainable_variables
        optimizer.apply(tape.gradient(loss, variables), variables)
        return loss

    return tf.function(step)
