"""PART: causal_mask
MISTAKE: Tiles the mask to (k, k, in_channels, in_channels), ignoring out_channels (right only when they are equal).
Built on correct/pixelcnn/tf_autograph.py (tf ops + AutoGraph style); everything else is as there.
"""

# %% part: causal_mask
def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    """Mask of a causal convolution kernel, shaped (k, k, in_channels, out_channels).

    1 at kernel positions before the centre in raster order (every row above it, and the
    centre row left of it), 1 at the centre itself only for mask_type "B", 0 elsewhere.
    kernel_size must be odd; mask_type is "A" or "B". Returns a float32 numpy array.
    """
    if kernel_size % 2 != 1:
        raise ValueError("kernel_size must be odd so that the kernel has a centre")
    if mask_type != "A" and mask_type != "B":
        raise ValueError("mask_type must be 'A' or 'B'")
    centre = kernel_size // 2
    spatial = np.zeros((kernel_size, kernel_size), dtype=np.float32)
    for r in range(kernel_size):
        for s in range(kernel_size):
            if r < centre or (r == centre and s < centre):
                spatial[r, s] = 1.0
    if mask_type == "B":
        spatial[centre, centre] = 1.0
    return np.tile(spatial[:, :, np.newaxis, np.newaxis], (1, 1, in_channels, in_channels))


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
        if kernel_size <= 0 or kernel_size % 2 != 1:
            raise ValueError("kernel_size must be a positive odd number")
        if mask_type not in {"A", "B"}:
            raise ValueError("mask_type must be 'A' or 'B'")
        self.filters = filters
        self.kernel_size = kernel_size
        self.mask_type = mask_type

    def build(self, input_shape):
        shape = (self.kernel_size, self.kernel_size, input_shape[-1], self.filters)
        self.kernel = self.add_weight(
            shape=shape, initializer=keras.initializers.GlorotUniform(), name="kernel"
        )
        self.bias = self.add_weight(
            shape=(self.filters,), initializer=keras.initializers.Zeros(), name="bias"
        )
        mask = causal_mask(self.kernel_size, self.mask_type, input_shape[-1], self.filters)
        self.mask = self.add_weight(
            shape=shape,
            initializer=keras.initializers.Constant(mask),
            trainable=False,
            name="mask",
        )

    def call(self, inputs):
        masked = self.kernel * self.mask
        return keras.ops.conv(inputs, masked, strides=(1, 1), padding="same") + self.bias

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
            MaskedConv2D(filters, 1, "B", name="in_1x1"),
            MaskedConv2D(filters, 3, "B", name="mix_3x3"),
            MaskedConv2D(2 * filters, 1, "B", name="out_1x1"),
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
    layers = [MaskedConv2D(2 * filters, 7, "A", name="first_7x7_A")]
    layers += [MaskedResidualBlock(filters, name=f"block_{i}") for i in range(residual_blocks)]
    layers += [
        keras.layers.Activation("relu"),
        MaskedConv2D(filters, 1, "B", name="head_1x1"),
        keras.layers.Activation("relu"),
        MaskedConv2D(out_channels, 1, "B", name="logits"),
    ]
    image = keras.Input(image_shape, name="image")
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
    if logits.shape[-1] == 1:
        nats = tf.nn.sigmoid_cross_entropy_with_logits(
            labels=tf.cast(images, logits.dtype), logits=logits
        )
    else:
        nats = tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.cast(images[..., 0], tf.int32), logits=logits
        )
    return tf.reduce_mean(nats) * (1.0 / math.log(2.0))


# %% part: sampling
def sample_pixelcnn(model, n, seed=0, levels=2):
    """Draw n images from a PixelCNN, pixel by pixel in raster order.

    model: maps images (B, H, W, 1) scaled to [0, 1] to logits (B, H, W, 1 or levels).
    seed: an integer; the same seed gives the same images.
    Returns an int32 numpy array (n, H, W, 1) with values in 0..levels-1.
    """
    height, width = model.input_shape[1], model.input_shape[2]
    batch = tf.range(n)

    @tf.function
    def generate(seed_value):
        images = tf.zeros((n, height, width, 1), tf.int32)
        for position in tf.range(height * width):
            row, col = position // width, position % width
            scaled = tf.cast(images, tf.float32) / float(levels - 1)
            logits = model(scaled, training=False)[:, row, col, :]
            if logits.shape[-1] == 1:
                logits = tf.concat([tf.zeros_like(logits), logits], axis=1)
            drawn = tf.random.stateless_categorical(
                logits, 1, seed=tf.stack([seed_value, position]), dtype=tf.int32
            )[:, 0]
            where = tf.stack(
                [batch, tf.fill([n], row), tf.fill([n], col), tf.zeros([n], tf.int32)], axis=1
            )
            images = tf.tensor_scatter_nd_update(images, where, drawn)
        return images

    return np.asarray(generate(tf.constant(seed, tf.int32)), dtype=np.int32)


# %% part: train_step
def make_train_step(model, optimizer, levels=2):
    """Return a tf.function step(images) doing one optimiser update; it returns the loss.

    images: integer pixel values (B, H, W, 1) in 0..levels-1. The model sees
    images / (levels - 1); the loss is bits_per_dim(images, logits).
    """

    @tf.function
    def step(images):
        images = tf.convert_to_tensor(images)
        with tf.GradientTape() as tape:
            logits = model(tf.cast(images, "float32") / (levels - 1), training=True)
            loss = bits_per_dim(images, logits)
        variables = model.trainable_variables
        optimizer.apply(tape.gradient(loss, variables), variables)
        return loss

    return step
