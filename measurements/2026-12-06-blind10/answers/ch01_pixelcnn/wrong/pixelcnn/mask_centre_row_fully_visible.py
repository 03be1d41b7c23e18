"""PART: causal_mask
MISTAKE: Off-by-one in the row slice: window[:c + 1, :] = 1 makes the whole centre row visible, including the centre (type A) and the pixels right of it.
Built on correct/pixelcnn/tf_ops_autograph_loop.py with this one change.
"""

# %% part: causal_mask
def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    """Mask of a causal convolution kernel, shaped (k, k, in_channels, out_channels).

    1 at kernel positions before the centre in raster order (every row above it, and the
    centre row left of it), 1 at the centre itself only for mask_type "B", 0 elsewhere.
    kernel_size must be odd; mask_type is "A" or "B". Returns a float32 numpy array.
    """
    if mask_type not in {"A", "B"}:
        raise ValueError("mask_type must be 'A' or 'B'")
    if kernel_size % 2 != 1:
        raise ValueError("kernel_size must be odd, so that the kernel has a centre")
    c = kernel_size // 2
    window = np.zeros((kernel_size, kernel_size), dtype=np.float32)
    window[:c + 1, :] = 1.0  # every row above the centre
    window[c, :c] = 1.0  # the centre row, left of the centre
    if mask_type == "B":
        window[c, c] = 1.0
    return np.tile(window[:, :, None, None], (1, 1, in_channels, out_channels))


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
            raise ValueError("kernel_size must be a positive odd number")
        if mask_type not in ("A", "B"):
            raise ValueError("mask_type must be 'A' or 'B'")
        self.filters = filters
        self.kernel_size = kernel_size
        self.mask_type = mask_type

    def build(self, input_shape):
        shape = (self.kernel_size, self.kernel_size, input_shape[-1], self.filters)
        self.kernel = self.add_weight(shape=shape, initializer="glorot_uniform", name="kernel")
        self.bias = self.add_weight(shape=(self.filters,), initializer="zeros", name="bias")
        mask = causal_mask(self.kernel_size, self.mask_type, input_shape[-1], self.filters)
        self.mask = self.add_weight(
            shape=shape,
            initializer=keras.initializers.Constant(mask),
            trainable=False,
            name="mask",
        )

    def call(self, inputs):
        kernel = keras.ops.multiply(self.kernel, self.mask)
        convolved = keras.ops.conv(inputs, kernel, strides=1, padding="same")
        return keras.ops.add(convolved, self.bias)

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
            MaskedConv2D(filters, 1, "B", name="reduce"),
            MaskedConv2D(filters, 3, "B", name="masked3x3"),
            MaskedConv2D(2 * filters, 1, "B", name="expand"),
        ]

    def call(self, inputs):
        branch = inputs
        for conv in self.convs:
            branch = conv(keras.activations.relu(branch))
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
    outputs_per_pixel = levels if levels > 2 else 1
    inputs = keras.Input(image_shape, name="image")
    layers = [MaskedConv2D(2 * filters, 7, "A", name="first")]
    layers += [MaskedResidualBlock(filters, name=f"block_{i}") for i in range(residual_blocks)]
    layers += [
        keras.layers.ReLU(),
        MaskedConv2D(filters, 1, "B", name="head"),
        keras.layers.ReLU(),
        MaskedConv2D(outputs_per_pixel, 1, "B", name="logits"),
    ]
    h = inputs
    for layer in layers:
        h = layer(h)
    return keras.Model(inputs=inputs, outputs=h)


# %% part: bits_per_dim
def bits_per_dim(images, logits):
    """Mean negative log-likelihood in bits per dimension.

    images: integer pixel values (B, H, W, 1).
    logits: (B, H, W, 1) for binary images (logit of a pixel being 1), or (B, H, W, L).
    Returns a scalar tensor: the mean cross-entropy over all pixels, divided by ln 2.
    """
    logits = tf.convert_to_tensor(logits)
    if logits.shape[-1] == 1:
        labels = tf.cast(images, logits.dtype)
        nats = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    else:
        labels = tf.cast(tf.convert_to_tensor(images)[..., 0], tf.int32)
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
    pixels = height * width

    @tf.function
    def generate(seed_value):
        images = tf.zeros((n, pixels), dtype=tf.int32)  # flattened, raster order
        for position in tf.range(pixels):
            inputs = tf.reshape(tf.cast(images, tf.float32), (n, height, width, 1))
            logits = model(inputs / (levels - 1), training=False)
            flat = tf.reshape(logits, (n, pixels, -1))
            current = tf.gather(flat, position, axis=1)  # (n, channels)
            if levels == 2:
                current = tf.concat([tf.zeros_like(current), current], axis=1)
            drawn = tf.random.stateless_categorical(
                current, 1, seed=[seed_value, position], dtype=tf.int32
            )  # (n, 1)
            here = tf.one_hot(position, pixels, dtype=tf.int32)[None, :]  # (1, D)
            images = images * (1 - here) + drawn * here
        return tf.reshape(images, (n, height, width, 1))

    return np.asarray(generate(tf.constant(seed, tf.int32)), dtype=np.int32)


# %% part: train_step
def make_train_step(model, optimizer, levels=2):
    """Return a tf.function step(images) doing one optimiser update; it returns the loss.

    images: integer pixel values (B, H, W, 1) in 0..levels-1. The model sees
    images / (levels - 1); the loss is bits_per_dim(images, logits).
    """

    def one_update(images):
        images = tf.convert_to_tensor(images)
        scaled = keras.ops.divide(keras.ops.cast(images, "float32"), levels - 1)
        with tf.GradientTape() as tape:
            loss = bits_per_dim(images, model(scaled, training=True))
        weights = model.trainable_variables
        optimizer.apply(tape.gradient(loss, weights), weights)
        return loss

    return tf.function(one_update)
