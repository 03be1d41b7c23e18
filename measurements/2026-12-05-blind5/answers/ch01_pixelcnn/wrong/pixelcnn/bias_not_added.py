"""PART: masked_conv
MISTAKE: Creates the bias but forgets to add it to the convolution.
Built on correct/pixelcnn/tf_ops.py; everything else is unchanged.
"""

# %% part: causal_mask
def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    """Mask of a causal convolution kernel, shaped (k, k, in_channels, out_channels).

    1 at kernel positions before the centre in raster order (every row above it, and the
    centre row left of it), 1 at the centre itself only for mask_type "B", 0 elsewhere.
    kernel_size must be odd; mask_type is "A" or "B". Returns a float32 numpy array.
    """
    if not isinstance(kernel_size, (int, np.integer)) or kernel_size <= 0 or kernel_size % 2 == 0:
        raise ValueError("kernel_size must be a positive odd integer")
    if mask_type == "A":
        include_centre = False
    elif mask_type == "B":
        include_centre = True
    else:
        raise ValueError('mask_type must be "A" or "B"')
    order = np.arange(kernel_size * kernel_size).reshape(kernel_size, kernel_size)
    centre = order[kernel_size // 2, kernel_size // 2]
    visible = order <= centre if include_centre else order < centre
    spatial = visible.astype(np.float32)[:, :, np.newaxis, np.newaxis]
    return np.broadcast_to(spatial, (kernel_size, kernel_size, in_channels, out_channels)).copy()


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
        self.filters = int(filters)
        self.kernel_size = int(kernel_size)
        self.mask_type = mask_type

    def build(self, input_shape):
        k, c_in = self.kernel_size, int(input_shape[-1])
        self.kernel = self.add_weight(
            name="kernel", shape=(k, k, c_in, self.filters), initializer="glorot_uniform"
        )
        self.bias = self.add_weight(name="bias", shape=(self.filters,), initializer="zeros")
        self.mask = self.add_weight(
            name="mask",
            shape=(k, k, c_in, self.filters),
            initializer=keras.initializers.Constant(
                causal_mask(k, self.mask_type, c_in, self.filters)
            ),
            trainable=False,
        )

    def call(self, inputs):
        kernel = keras.ops.multiply(self.kernel, self.mask)
        convolved = keras.ops.conv(inputs, kernel, strides=(1, 1), padding="same")
        return convolved

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
        self.activations = [keras.layers.ReLU() for _ in range(3)]
        self.convs = [
            MaskedConv2D(filters, 1, "B"),
            MaskedConv2D(filters, 3, "B"),
            MaskedConv2D(2 * filters, 1, "B"),
        ]

    def call(self, inputs):
        h = inputs
        for activation, conv in zip(self.activations, self.convs):
            h = conv(activation(h))
        return tf.add(inputs, h)

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
    hidden = MaskedConv2D(2 * filters, kernel_size=7, mask_type="A", name="first")(image)
    blocks = [MaskedResidualBlock(filters, name=f"block_{i}") for i in range(residual_blocks)]
    for block in blocks:
        hidden = block(hidden)
    hidden = keras.layers.Activation("relu")(hidden)
    hidden = MaskedConv2D(filters, kernel_size=1, mask_type="B", name="head")(hidden)
    hidden = keras.layers.Activation("relu")(hidden)
    channels = levels if levels > 2 else 1
    logits = MaskedConv2D(channels, kernel_size=1, mask_type="B", name="logits")(hidden)
    return keras.Model(inputs=image, outputs=logits)


# %% part: bits_per_dim
def bits_per_dim(images, logits):
    """Mean negative log-likelihood in bits per dimension.

    images: integer pixel values (B, H, W, 1).
    logits: (B, H, W, 1) for binary images (logit of a pixel being 1), or (B, H, W, L).
    Returns a scalar tensor: the mean cross-entropy over all pixels, divided by ln 2.
    """
    logits = tf.convert_to_tensor(logits, dtype=tf.float32)
    images = tf.convert_to_tensor(images)
    if logits.shape[-1] == 1:
        nats = tf.nn.sigmoid_cross_entropy_with_logits(
            labels=tf.cast(images, tf.float32), logits=logits
        )
    else:
        nats = tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.cast(images[..., 0], tf.int32), logits=logits
        )
    return tf.reduce_mean(nats) / tf.math.log(2.0)


# %% part: sampling
def sample_pixelcnn(model, n, seed=0, levels=2):
    """Draw n images from a PixelCNN, pixel by pixel in raster order.

    model: maps images (B, H, W, 1) scaled to [0, 1] to logits (B, H, W, 1 or levels).
    seed: an integer; the same seed gives the same images.
    Returns an int32 numpy array (n, H, W, 1) with values in 0..levels-1.
    """
    height, width = model.input_shape[1], model.input_shape[2]
    canvas = tf.Variable(tf.zeros((n, height, width, 1), tf.float32))

    @tf.function
    def fill(row, col):
        logits = model(canvas / (levels - 1))[:, row, col, :]  # (n, channels)
        key = tf.stack([tf.constant(seed, tf.int64), tf.cast(row * width + col, tf.int64)])
        if logits.shape[-1] == 1:
            u = tf.random.stateless_uniform((n,), seed=key)
            value = tf.cast(u < tf.sigmoid(logits[:, 0]), tf.float32)
        else:
            value = tf.cast(tf.random.stateless_categorical(logits, 1, seed=key)[:, 0], tf.float32)
        canvas[:, row, col, 0].assign(value)

    for row in range(height):
        for col in range(width):
            fill(tf.constant(row), tf.constant(col))
    return tf.cast(canvas, tf.int32).numpy()


# %% part: train_step
def make_train_step(model, optimizer, levels=2):
    """Return a tf.function step(images) doing one optimiser update; it returns the loss.

    images: integer pixel values (B, H, W, 1) in 0..levels-1. The model sees
    images / (levels - 1); the loss is bits_per_dim(images, logits).
    """
    scale = 1.0 / (levels - 1)

    @tf.function(reduce_retracing=True)
    def step(images):
        with tf.GradientTape() as tape:
            logits = model(keras.ops.cast(images, "float32") * scale, training=True)
            loss = bits_per_dim(images, logits)
        variables = model.trainable_variables
        optimizer.apply(tape.gradient(loss, variables), variables)
        return loss

    return step
