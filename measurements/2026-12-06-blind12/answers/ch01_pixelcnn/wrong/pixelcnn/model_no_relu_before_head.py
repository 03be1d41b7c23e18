"""PART: pixelcnn_model
MISTAKE: Leaves out the ReLU between the last residual block and the first 1x1 head convolution (the table puts a ReLU before each head layer).
Built on correct/pixelcnn/tf_layers_autograph.py, with only this change."""

# %% part: causal_mask
def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    """Mask of a causal convolution kernel, shaped (k, k, in_channels, out_channels).

    1 at kernel positions before the centre in raster order (every row above it, and the
    centre row left of it), 1 at the centre itself only for mask_type "B", 0 elsewhere.
    kernel_size must be odd; mask_type is "A" or "B". Returns a float32 numpy array.
    """
    if mask_type != "A" and mask_type != "B":
        raise ValueError("mask_type must be 'A' or 'B'")
    if kernel_size <= 0 or kernel_size % 2 == 0:
        raise ValueError("kernel_size must be a positive odd number")
    c = kernel_size // 2
    mask = np.zeros((kernel_size, kernel_size, in_channels, out_channels), dtype=np.float32)
    for r in range(kernel_size):
        for s in range(kernel_size):
            if r < c or (r == c and s < c):
                mask[r, s] = 1.0
    if mask_type == "B":
        mask[c, c] = 1.0
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
        if int(kernel_size) % 2 == 0 or int(kernel_size) < 1:
            raise ValueError("kernel_size must be odd")
        self.filters = int(filters)
        self.kernel_size = int(kernel_size)
        self.mask_type = mask_type

    def build(self, input_shape):
        k, c_in = self.kernel_size, int(input_shape[-1])
        self.kernel = self.add_weight(
            shape=(k, k, c_in, self.filters),
            initializer=keras.initializers.GlorotUniform(),
            trainable=True,
            name="kernel",
        )
        self.bias = self.add_weight(
            shape=(self.filters,), initializer=keras.initializers.Zeros(), name="bias"
        )
        self.causal = self.add_weight(
            shape=(k, k, c_in, self.filters),
            initializer=keras.initializers.Constant(
                causal_mask(k, self.mask_type, c_in, self.filters)
            ),
            trainable=False,
            name="mask",
        )

    def call(self, inputs):
        masked_kernel = keras.ops.multiply(self.kernel, self.causal)
        y = keras.ops.conv(inputs, masked_kernel, strides=(1, 1), padding="same")
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
        self.steps = [
            (keras.layers.ReLU(), MaskedConv2D(filters, kernel_size=1, mask_type="B")),
            (keras.layers.ReLU(), MaskedConv2D(filters, kernel_size=3, mask_type="B")),
            (keras.layers.ReLU(), MaskedConv2D(2 * filters, kernel_size=1, mask_type="B")),
        ]

    def call(self, inputs):
        h = inputs
        for activation, conv in self.steps:
            h = conv(activation(h))
        return keras.layers.add([inputs, h])

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
    image = keras.Input(shape=tuple(image_shape), name="image")
    h = MaskedConv2D(2 * filters, 7, "A", name="first")(image)
    for index in range(residual_blocks):
        h = MaskedResidualBlock(filters, name=f"block_{index}")(h)
    h = MaskedConv2D(filters, 1, "B", name="head")(h)
    h = keras.layers.Activation("relu")(h)
    logits = MaskedConv2D(levels if levels > 2 else 1, 1, "B", name="logits")(h)
    return keras.Model(inputs=image, outputs=logits, name="pixelcnn")

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
            labels=tf.cast(tf.squeeze(images, axis=-1), tf.int32), logits=logits
        )
    return tf.reduce_mean(nats) / tf.math.log(tf.constant(2.0, nats.dtype))

# %% part: sampling
def sample_pixelcnn(model, n, seed=0, levels=2):
    """Draw n images from a PixelCNN, pixel by pixel in raster order.

    model: maps images (B, H, W, 1) scaled to [0, 1] to logits (B, H, W, 1 or levels).
    seed: an integer; the same seed gives the same images.
    Returns an int32 numpy array (n, H, W, 1) with values in 0..levels-1.
    """
    _, height, width, _ = model.input_shape
    scale = 1.0 / (levels - 1)

    @tf.function
    def generate():
        images = tf.zeros((n, height, width, 1), tf.int32)
        batch = tf.range(n)
        for position in tf.range(height * width):
            row = position // width
            col = position % width
            logits = model(tf.cast(images, tf.float32) * scale, training=False)
            pixel = logits[:, row, col, :]
            if levels == 2:
                pixel = tf.concat([tf.zeros_like(pixel[:, :1]), pixel[:, :1]], axis=1)
            drawn = tf.random.stateless_categorical(
                pixel, num_samples=1, seed=tf.stack([seed, position])
            )
            indices = tf.stack(
                [batch, tf.fill([n], row), tf.fill([n], col), tf.zeros([n], tf.int32)], axis=1
            )
            images = tf.tensor_scatter_nd_update(images, indices, tf.cast(drawn[:, 0], tf.int32))
        return images

    return np.asarray(generate(), dtype=np.int32)

# %% part: train_step
def make_train_step(model, optimizer, levels=2):
    """Return a tf.function step(images) doing one optimiser update; it returns the loss.

    images: integer pixel values (B, H, W, 1) in 0..levels-1. The model sees
    images / (levels - 1); the loss is bits_per_dim(images, logits).
    """
    denominator = tf.constant(levels - 1, tf.float32)

    def step(images):
        scaled = tf.cast(images, tf.float32) / denominator
        with tf.GradientTape() as tape:
            logits = model(scaled, training=True)
            loss = bits_per_dim(images, logits)
        variables = model.trainable_variables
        optimizer.apply(tape.gradient(loss, variables), variables)
        return loss

    return tf.function(step)
