"""PART: masked_conv
MISTAKE: Initialises the kernel with zeros instead of glorot_uniform, so all channels start identical and receive identical updates (the symmetry is never broken).
Built on correct/pixelcnn/manual_logsumexp_variable.py.
"""

# %% part: causal_mask
def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    """Mask of a causal convolution kernel, shaped (k, k, in_channels, out_channels).

    1 at kernel positions before the centre in raster order (every row above it, and the
    centre row left of it), 1 at the centre itself only for mask_type "B", 0 elsewhere.
    kernel_size must be odd; mask_type is "A" or "B". Returns a float32 numpy array.
    """
    if not (isinstance(kernel_size, (int, np.integer)) and kernel_size > 0 and kernel_size % 2):
        raise ValueError(f"kernel_size must be a positive odd integer, got {kernel_size!r}")
    if mask_type not in ("A", "B"):
        raise ValueError(f"mask_type must be 'A' or 'B', got {mask_type!r}")
    k = kernel_size
    centre = k // 2
    spatial = np.ones((k, k), dtype=np.float32)
    spatial[centre + 1 :, :] = 0.0  # rows below the centre
    first_hidden = centre + 1 if mask_type == "B" else centre
    spatial[centre, first_hidden:] = 0.0  # the centre row from the centre (A) or after it (B)
    mask = np.empty((k, k, in_channels, out_channels), dtype=np.float32)
    mask[...] = spatial[:, :, np.newaxis, np.newaxis]
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
        causal_mask(kernel_size, mask_type)  # raises ValueError for bad arguments
        if filters < 1:
            raise ValueError(f"filters must be at least 1, got {filters}")
        self.filters = filters
        self.kernel_size = kernel_size
        self.mask_type = mask_type

    def build(self, input_shape):
        self.in_channels = input_shape[-1]
        self.kernel = self.add_weight(
            shape=(self.kernel_size, self.kernel_size, self.in_channels, self.filters),
            initializer=keras.initializers.Zeros(),
            name="kernel",
        )
        self.bias = self.add_weight(
            shape=(self.filters,), initializer=keras.initializers.Zeros(), name="bias"
        )

    def call(self, inputs):
        mask = causal_mask(self.kernel_size, self.mask_type, self.in_channels, self.filters)
        y = keras.ops.conv(inputs, self.kernel * mask, strides=1, padding="same")
        return y + keras.ops.reshape(self.bias, (1, 1, 1, -1))

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
        self.act = keras.layers.Activation("relu")
        self.conv_a = MaskedConv2D(filters=filters, kernel_size=1, mask_type="B")
        self.conv_b = MaskedConv2D(filters=filters, kernel_size=3, mask_type="B")
        self.conv_c = MaskedConv2D(filters=2 * filters, kernel_size=1, mask_type="B")

    def call(self, inputs):
        residual = self.conv_c(self.act(self.conv_b(self.act(self.conv_a(self.act(inputs))))))
        return keras.ops.add(residual, inputs)

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
    if levels < 2:
        raise ValueError("levels must be at least 2")
    outputs_per_pixel = 1 if levels == 2 else levels
    x_in = keras.Input(shape=tuple(image_shape))
    x = MaskedConv2D(2 * filters, 7, "A")(x_in)
    block = 0
    while block < residual_blocks:
        x = MaskedResidualBlock(filters)(x)
        block += 1
    x = keras.layers.Activation("relu")(x)
    x = MaskedConv2D(filters, 1, "B")(x)
    x = keras.layers.Activation("relu")(x)
    logits = MaskedConv2D(outputs_per_pixel, 1, "B")(x)
    return keras.Model(x_in, logits)

# %% part: bits_per_dim
def bits_per_dim(images, logits):
    """Mean negative log-likelihood in bits per dimension.

    images: integer pixel values (B, H, W, 1).
    logits: (B, H, W, 1) for binary images (logit of a pixel being 1), or (B, H, W, L).
    Returns a scalar tensor: the mean cross-entropy over all pixels, divided by ln 2.
    """
    logits = keras.ops.cast(logits, "float32")
    levels = keras.ops.shape(logits)[-1]
    if levels == 1:
        x = keras.ops.cast(images, "float32")
        # -x log s(l) - (1 - x) log(1 - s(l)) = softplus(l) - x * l
        nats = keras.ops.softplus(logits) - x * logits
    else:
        index = keras.ops.cast(images, "int32")  # (B, H, W, 1)
        chosen = keras.ops.take_along_axis(logits, index, axis=-1)[..., 0]
        nats = keras.ops.logsumexp(logits, axis=-1) - chosen
    return keras.ops.mean(nats) / keras.ops.log(2.0)

# %% part: sampling
def sample_pixelcnn(model, n, seed=0, levels=2):
    """Draw n images from a PixelCNN, pixel by pixel in raster order.

    model: maps images (B, H, W, 1) scaled to [0, 1] to logits (B, H, W, 1 or levels).
    seed: an integer; the same seed gives the same images.
    Returns an int32 numpy array (n, H, W, 1) with values in 0..levels-1.
    """
    height, width = model.input_shape[1:3]
    canvas = tf.Variable(tf.zeros((n, height, width, 1), tf.int32), trainable=False)

    @tf.function
    def fill(row, col, position):
        scaled = tf.cast(canvas, tf.float32) / float(levels - 1)
        logits = model(scaled, training=False)[:, row, col, :]
        if logits.shape[-1] == 1:  # binary: categories (0, 1) have logits (0, l)
            logits = tf.pad(logits, [[0, 0], [1, 0]])
        value = tf.random.stateless_categorical(logits, 1, seed=[seed, position])
        canvas[:, row, col, 0].assign(tf.cast(value[:, 0], tf.int32))

    position = 0
    for row in range(height):
        for col in range(width):
            fill(tf.constant(row), tf.constant(col), tf.constant(position))
            position += 1
    return np.asarray(canvas.numpy(), dtype=np.int32)

# %% part: train_step
def make_train_step(model, optimizer, levels=2):
    """Return a tf.function step(images) doing one optimiser update; it returns the loss.

    images: integer pixel values (B, H, W, 1) in 0..levels-1. The model sees
    images / (levels - 1); the loss is bits_per_dim(images, logits).
    """
    denominator = float(levels - 1)

    @tf.function(reduce_retracing=True)
    def step(images):
        with tf.GradientTape() as tape:
            predicted = model(tf.cast(images, "float32") / denominator, training=True)
            loss_value = bits_per_dim(images, predicted)
        weights = model.trainable_variables
        grads = tape.gradient(loss_value, weights)
        optimizer.apply_gradients(list(zip(grads, weights)))
        return loss_value

    return step
