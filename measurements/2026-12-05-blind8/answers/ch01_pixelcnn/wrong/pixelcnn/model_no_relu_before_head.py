"""PART: pixelcnn_model
MISTAKE: Leaves out the ReLU between the last residual block and the first 1x1 head convolution (the table puts a ReLU before each head convolution).
Built on correct/pixelcnn/tf_graph.py.
"""

# %% part: causal_mask
def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    """Mask of a causal convolution kernel, shaped (k, k, in_channels, out_channels).

    1 at kernel positions before the centre in raster order (every row above it, and the
    centre row left of it), 1 at the centre itself only for mask_type "B", 0 elsewhere.
    kernel_size must be odd; mask_type is "A" or "B". Returns a float32 numpy array.
    """
    if mask_type != "A" and mask_type != "B":
        raise ValueError("mask_type must be 'A' or 'B'")
    if kernel_size % 2 == 0:
        raise ValueError("kernel_size must be odd")
    c = kernel_size // 2
    spatial = np.zeros((kernel_size, kernel_size), dtype=np.float32)
    for r in range(kernel_size):
        for s in range(kernel_size):
            if r < c or (r == c and s < c):
                spatial[r, s] = 1.0
    if mask_type == "B":
        spatial[c, c] = 1.0
    mask = np.zeros((kernel_size, kernel_size, in_channels, out_channels), dtype=np.float32)
    mask[...] = spatial[:, :, None, None]
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
        if mask_type not in {"A", "B"}:
            raise ValueError("mask_type must be 'A' or 'B'")
        if kernel_size % 2 == 0:
            raise ValueError("kernel_size must be odd")
        self.filters = filters
        self.kernel_size = kernel_size
        self.mask_type = mask_type

    def build(self, input_shape):
        k = self.kernel_size
        channels = int(input_shape[-1])
        self.kernel = self.add_weight(
            name="kernel",
            shape=(k, k, channels, self.filters),
            initializer=keras.initializers.GlorotUniform(),
            trainable=True,
        )
        self.bias = self.add_weight(
            name="bias", shape=(self.filters,), initializer=keras.initializers.Zeros()
        )
        self.mask = causal_mask(k, self.mask_type, channels, self.filters)

    def call(self, inputs):
        masked = keras.ops.multiply(self.kernel, self.mask)
        y = keras.ops.conv(inputs, masked, strides=(1, 1), padding="same")
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
            MaskedConv2D(filters, 1, "B", name="conv_1x1_down"),
            MaskedConv2D(filters, 3, "B", name="conv_3x3"),
            MaskedConv2D(2 * filters, 1, "B", name="conv_1x1_up"),
        ]

    def call(self, inputs):
        h = inputs
        for conv in self.convs:
            h = conv(tf.nn.relu(h))
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
    h = MaskedConv2D(2 * filters, 7, "A", name="first")(image)
    blocks = [MaskedResidualBlock(filters, name=f"block_{i}") for i in range(residual_blocks)]
    for block in blocks:
        h = block(h)
    h = MaskedConv2D(filters, 1, "B", name="head")(h)
    logits = MaskedConv2D(levels if levels > 2 else 1, 1, "B", name="logits")(keras.ops.relu(h))
    return keras.Model(inputs=image, outputs=logits)


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
        labels = tf.cast(tf.squeeze(images, axis=-1), tf.int32)
        nats = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return tf.reduce_mean(nats) / tf.math.log(tf.constant(2.0, logits.dtype))


# %% part: sampling
def sample_pixelcnn(model, n, seed=0, levels=2):
    """Draw n images from a PixelCNN, pixel by pixel in raster order.

    model: maps images (B, H, W, 1) scaled to [0, 1] to logits (B, H, W, 1 or levels).
    seed: an integer; the same seed gives the same images.
    Returns an int32 numpy array (n, H, W, 1) with values in 0..levels-1.
    """
    height, width = model.input_shape[1], model.input_shape[2]
    size = height * width
    scale = 1.0 / (levels - 1)

    @tf.function
    def fill(values, position):
        logits = model(values * scale)
        logits = tf.reshape(logits, (n, size, -1))
        here = tf.gather(logits, position, axis=1)  # (n, C)
        if here.shape[-1] == 1:
            here = tf.concat([tf.zeros_like(here), here], axis=1)
        seed_pair = tf.cast(tf.stack([seed, position]), tf.int64)
        drawn = tf.random.stateless_categorical(here, 1, seed=seed_pair)  # (n, 1) int64
        where = tf.reshape(tf.one_hot(position, size), (1, height, width, 1))
        return values + where * tf.reshape(tf.cast(drawn, tf.float32), (n, 1, 1, 1))

    values = tf.zeros((n, height, width, 1), tf.float32)
    for position in range(size):
        values = fill(values, tf.constant(position))
    return tf.cast(tf.round(values), tf.int32).numpy()


# %% part: train_step
def make_train_step(model, optimizer, levels=2):
    """Return a tf.function step(images) doing one optimiser update; it returns the loss.

    images: integer pixel values (B, H, W, 1) in 0..levels-1. The model sees
    images / (levels - 1); the loss is bits_per_dim(images, logits).
    """
    scale = 1.0 / (levels - 1)

    def step(images):
        x = keras.ops.cast(images, "float32") * scale
        with tf.GradientTape() as tape:
            loss = bits_per_dim(images, model(x, training=True))
        variables = model.trainable_variables
        optimizer.apply(tape.gradient(loss, variables), variables)
        return loss

    return tf.function(step)
