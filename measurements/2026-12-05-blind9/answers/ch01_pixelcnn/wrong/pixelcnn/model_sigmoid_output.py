"""PART: pixelcnn_model
MISTAKE: Ends with a sigmoid/softmax activation, so the model outputs probabilities instead of logits.
Built on correct/pixelcnn/tf_graph_loop.py with exactly this one change.
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
    if kernel_size < 1 or kernel_size % 2 != 1:
        raise ValueError("kernel_size must be odd: an even kernel has no centre")
    order = np.arange(kernel_size * kernel_size).reshape(kernel_size, kernel_size)
    centre = (kernel_size * kernel_size) // 2  # raster index of (c, c)
    visible = order <= centre if mask_type == "B" else order < centre
    mask = np.tile(visible[:, :, None, None], (1, 1, in_channels, out_channels))
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
        causal_mask(kernel_size, mask_type)  # raises ValueError for bad arguments
        if filters <= 0:
            raise ValueError("filters must be a positive integer")
        self.filters = filters
        self.kernel_size = kernel_size
        self.mask_type = mask_type

    def build(self, input_shape):
        channels = input_shape[-1]
        shape = (self.kernel_size, self.kernel_size, channels, self.filters)
        self.kernel = self.add_weight(shape=shape, initializer="glorot_uniform", name="kernel")
        self.bias = self.add_weight(shape=(self.filters,), initializer="zeros", name="bias")
        mask = causal_mask(self.kernel_size, self.mask_type, channels, self.filters)
        self.mask = self.add_weight(
            shape=shape,
            initializer=lambda shape, dtype=None: keras.ops.convert_to_tensor(mask, dtype),
            trainable=False,
            name="mask",
        )

    def call(self, inputs):
        kernel = keras.ops.multiply(self.kernel, keras.ops.stop_gradient(self.mask))
        y = keras.ops.conv(inputs, kernel, strides=(1, 1), padding="same")
        return keras.ops.add(y, keras.ops.reshape(self.bias, (1, 1, 1, -1)))

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
        self.branch = []
        for channels, size in ((filters, 1), (filters, 3), (2 * filters, 1)):
            self.branch.append(keras.layers.Activation("relu"))
            self.branch.append(MaskedConv2D(channels, size, "B"))

    def call(self, inputs):
        x = inputs
        for layer in self.branch:
            x = layer(x)
        return keras.layers.add([inputs, x])

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
    out_channels = 1 if levels <= 2 else levels
    layers = [MaskedConv2D(2 * filters, kernel_size=7, mask_type="A", name="input_conv")]
    layers += [MaskedResidualBlock(filters, name=f"block_{i}") for i in range(residual_blocks)]
    layers += [
        keras.layers.Activation("relu"),
        MaskedConv2D(filters, kernel_size=1, mask_type="B", name="head_conv"),
        keras.layers.Activation("relu"),
        MaskedConv2D(out_channels, kernel_size=1, mask_type="B", name="logits"),
        keras.layers.Activation("sigmoid" if out_channels == 1 else "softmax"),
    ]
    inputs = keras.Input(image_shape, name="image")
    outputs = inputs
    for layer in layers:
        outputs = layer(outputs)
    return keras.Model(inputs=inputs, outputs=outputs)


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
        nats = tf.nn.sigmoid_cross_entropy_with_logits(
            labels=tf.cast(images, logits.dtype), logits=logits
        )
    else:
        nats = tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.cast(images[..., 0], tf.int32), logits=logits
        )
    return tf.reduce_mean(nats) / tf.math.log(tf.constant(2.0, logits.dtype))


# %% part: sampling
def sample_pixelcnn(model, n, seed=0, levels=2):
    """Draw n images from a PixelCNN, pixel by pixel in raster order.

    model: maps images (B, H, W, 1) scaled to [0, 1] to logits (B, H, W, 1 or levels).
    seed: an integer; the same seed gives the same images.
    Returns an int32 numpy array (n, H, W, 1) with values in 0..levels-1.
    """
    _, height, width, _ = model.input_shape
    pixels = height * width

    @tf.function
    def generate(seed):
        flat = tf.zeros((n, pixels), tf.float32)  # quantised values, raster order
        for position in tf.range(pixels):
            scaled = tf.reshape(flat, (n, height, width, 1)) / float(levels - 1)
            logits = model(scaled, training=False)
            logits = tf.reshape(logits, (n, pixels, -1))
            current = tf.gather(logits, position, axis=1)  # (n, C)
            if current.shape[-1] == 1:
                current = tf.concat([tf.zeros_like(current), current], axis=1)
            drawn = tf.random.stateless_categorical(
                current, 1, seed=tf.stack([seed, position])
            )  # int64 (n, 1)
            write = tf.one_hot(position, pixels)[None, :]  # (1, D)
            flat = flat * (1.0 - write) + tf.cast(drawn, tf.float32) * write
        return tf.cast(tf.reshape(flat, (n, height, width, 1)), tf.int32)

    return generate(tf.constant(seed, tf.int32)).numpy()


# %% part: train_step
def make_train_step(model, optimizer, levels=2):
    """Return a tf.function step(images) doing one optimiser update; it returns the loss.

    images: integer pixel values (B, H, W, 1) in 0..levels-1. The model sees
    images / (levels - 1); the loss is bits_per_dim(images, logits).
    """
    scale = 1.0 / (levels - 1)

    def step(images):
        images = tf.convert_to_tensor(images)
        with tf.GradientTape() as tape:
            logits = model(tf.cast(images, "float32") * scale, training=True)
            loss = bits_per_dim(images, logits)
        variables = model.trainable_variables
        optimizer.apply(tape.gradient(loss, variables), variables)
        return loss

    return tf.function(step)
