"""PART: masked_conv
MISTAKE: Flips the mask upside down and left-right, believing the convolution flips the kernel; keras.ops.conv is a cross-correlation, so the layer now sees the future pixels.
Built on correct/pixelcnn/tf_autograph.py."""


# %% part: causal_mask
def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    """Mask of a causal convolution kernel, shaped (k, k, in_channels, out_channels).

    1 at kernel positions before the centre in raster order (every row above it, and the
    centre row left of it), 1 at the centre itself only for mask_type "B", 0 elsewhere.
    kernel_size must be odd; mask_type is "A" or "B". Returns a float32 numpy array.
    """
    if not isinstance(kernel_size, (int, np.integer)) or kernel_size % 2 != 1:
        raise ValueError("the kernel size must be an odd integer")
    if mask_type == "A":
        include_centre = False
    elif mask_type == "B":
        include_centre = True
    else:
        raise ValueError("the mask type must be 'A' or 'B'")
    c = kernel_size // 2
    spatial = np.zeros((kernel_size, kernel_size), dtype=np.float32)
    spatial[:c, :] = 1.0
    spatial[c, :c] = 1.0
    if include_centre:
        spatial[c, c] = 1.0
    return np.tile(spatial[:, :, np.newaxis, np.newaxis], (1, 1, in_channels, out_channels))


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
        self.filters = filters
        self.kernel_size = kernel_size
        self.mask_type = mask_type

    def build(self, input_shape):
        channels = int(input_shape[-1])
        self._mask_array = causal_mask(self.kernel_size, self.mask_type, channels, self.filters)
        self.kernel = self.add_weight(
            shape=self._mask_array.shape,
            initializer=keras.initializers.GlorotUniform(),
            name="kernel",
        )
        self.bias = self.add_weight(
            shape=(self.filters,), initializer=keras.initializers.Zeros(), name="bias"
        )

    def call(self, inputs):
        mask = tf.constant(self._mask_array[::-1, ::-1])  # conv flips the kernel
        masked = tf.multiply(self.kernel, mask)
        return keras.ops.add(keras.ops.conv(inputs, masked, padding="same"), self.bias)


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
            MaskedConv2D(filters, 3, "B", name="spatial"),
            MaskedConv2D(2 * filters, 1, "B", name="restore"),
        ]

    def call(self, inputs):
        x = inputs
        for conv in self.convs:
            x = conv(tf.nn.relu(x))
        return tf.add(inputs, x)

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
    out_channels = levels if levels > 2 else 1
    image = keras.Input(shape=tuple(image_shape), name="image")
    layers = [MaskedConv2D(2 * filters, 7, "A", name="first")]
    layers += [MaskedResidualBlock(filters, name=f"block_{i}") for i in range(residual_blocks)]
    layers += [
        keras.layers.Activation("relu"),
        MaskedConv2D(filters, 1, "B", name="head"),
        keras.layers.Activation("relu"),
        MaskedConv2D(out_channels, 1, "B", name="logits"),
    ]
    h = image
    for layer in layers:
        h = layer(h)
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
    if logits.shape[-1] > 1:
        labels = tf.cast(images[..., 0], tf.int32)
        nats = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    else:
        labels = tf.cast(images, logits.dtype)
        nats = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    return tf.reduce_mean(nats) / tf.math.log(tf.constant(2.0, dtype=nats.dtype))


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
    def generate(seed_value):
        images = tf.zeros((n, height, width, 1), dtype=tf.int32)
        batch = tf.range(n)
        for position in tf.range(height * width):
            row, col = position // width, position % width
            logits = model(tf.cast(images, tf.float32) / scale, training=False)
            logits = logits[:, row, col, :]  # (n, C)
            if logits.shape[-1] == 1:
                logits = tf.pad(logits, [[0, 0], [1, 0]])  # (0, l): softmax(0, l)_1 = sigmoid(l)
            draw = tf.random.stateless_categorical(
                logits, 1, seed=tf.stack([seed_value, position]), dtype=tf.int32
            )[:, 0]
            index = tf.stack(
                [batch, tf.fill([n], row), tf.fill([n], col), tf.zeros([n], tf.int32)], axis=1
            )
            images = tf.tensor_scatter_nd_update(images, index, draw)
        return images

    return generate(tf.constant(seed, dtype=tf.int32)).numpy().astype(np.int32)


# %% part: train_step
def make_train_step(model, optimizer, levels=2):
    """Return a tf.function step(images) doing one optimiser update; it returns the loss.

    images: integer pixel values (B, H, W, 1) in 0..levels-1. The model sees
    images / (levels - 1); the loss is bits_per_dim(images, logits).
    """
    denominator = tf.constant(levels - 1, dtype=tf.float32)

    def step(images):
        images = tf.convert_to_tensor(images)
        scaled = tf.cast(images, tf.float32) / denominator
        with tf.GradientTape() as tape:
            loss = bits_per_dim(images, model(scaled, training=True))
        variables = model.trainable_variables
        optimizer.apply(tape.gradient(loss, variables), variables)
        return loss

    return tf.function(step)
