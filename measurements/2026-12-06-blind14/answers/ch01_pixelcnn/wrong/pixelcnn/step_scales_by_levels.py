"""PART: train_step
MISTAKE: Scales the input by 1 / levels instead of 1 / (levels - 1).
Built on correct/pixelcnn/tf_graph.py with that one change.
"""

# %% part: causal_mask
def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    """Mask of a causal convolution kernel, shaped (k, k, in_channels, out_channels).

    1 at kernel positions before the centre in raster order (every row above it, and the
    centre row left of it), 1 at the centre itself only for mask_type "B", 0 elsewhere.
    kernel_size must be odd; mask_type is "A" or "B". Returns a float32 numpy array.
    """
    if not kernel_size % 2:
        raise ValueError("causal_mask needs an odd kernel_size (an even one has no centre)")
    if mask_type == "A":
        include_centre = False
    elif mask_type == "B":
        include_centre = True
    else:
        raise ValueError("mask_type must be 'A' or 'B'")
    order = np.arange(kernel_size * kernel_size).reshape(kernel_size, kernel_size)
    centre = (kernel_size * kernel_size) // 2  # raster index of the centre
    visible = order <= centre if include_centre else order < centre
    full = np.broadcast_to(visible[:, :, np.newaxis, np.newaxis],
                           (kernel_size, kernel_size, in_channels, out_channels))
    return np.array(full, dtype=np.float32)


# %% part: masked_conv
class MaskedConv2D(keras.layers.Layer):
    """Convolution whose kernel is multiplied by a causal mask (no activation).

    filters: output channels; kernel_size: odd k of the k x k kernel; mask_type: "A"
    (the centre pixel is hidden) or "B" (the centre pixel is visible).
    Input (B, H, W, C_in) -> output (B, H, W, filters), stride 1, "same" padding.
    """

    def __init__(self, filters, kernel_size, mask_type, **kwargs):
        super().__init__(**kwargs)
        if kernel_size % 2 != 1:
            raise ValueError("kernel_size must be odd")
        if mask_type not in {"A", "B"}:
            raise ValueError("mask_type must be 'A' or 'B'")
        if filters <= 0:
            raise ValueError("filters must be positive")
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
        masked = keras.ops.multiply(self.kernel, self.mask)
        return keras.ops.add(keras.ops.conv(inputs, masked, padding="same"), self.bias)

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
            x = conv(tf.nn.relu(x))
        return inputs + x

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
    image = keras.Input(image_shape)
    h = MaskedConv2D(filters * 2, kernel_size=7, mask_type="A")(image)
    for _ in range(residual_blocks):
        h = MaskedResidualBlock(filters)(h)
    h = keras.layers.ReLU()(h)
    h = MaskedConv2D(filters, kernel_size=1, mask_type="B")(h)
    h = keras.layers.ReLU()(h)
    logits = MaskedConv2D(out_channels, kernel_size=1, mask_type="B")(h)
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
        labels = tf.cast(images, logits.dtype)
        nats = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    else:
        labels = tf.cast(images[..., 0], tf.int32)
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
    pixels = height * width

    @tf.function
    def scan(seed_tensor):
        images = tf.zeros((n, height, width, 1), tf.int32)
        for position in tf.range(pixels):
            row, col = position // width, position % width
            logits = model(tf.cast(images, tf.float32) / (levels - 1), training=False)
            at = logits[:, row, col, :]
            if at.shape[-1] == 1:
                at = tf.concat([tf.zeros_like(at), at], axis=1)  # softmax(0, l)_1 = sigmoid(l)
            seed_pair = tf.stack([seed_tensor, tf.cast(position, tf.int64)])
            drawn = tf.random.stateless_categorical(at, 1, seed=seed_pair, dtype=tf.int32)
            spot = tf.reshape(tf.one_hot(position, pixels, dtype=tf.int32), (1, height, width, 1))
            images = images + spot * tf.reshape(drawn, (n, 1, 1, 1))
        return images

    return np.asarray(scan(tf.constant(seed, tf.int64)), dtype=np.int32)


# %% part: train_step
def make_train_step(model, optimizer, levels=2):
    """Return a tf.function step(images) doing one optimiser update; it returns the loss.

    images: integer pixel values (B, H, W, 1) in 0..levels-1. The model sees
    images / (levels - 1); the loss is bits_per_dim(images, logits).
    """
    weights = model.trainable_weights

    def one_update(images):
        scaled = keras.ops.cast(images, "float32") / levels
        with tf.GradientTape() as tape:
            loss = bits_per_dim(images, model(scaled, training=True))
        optimizer.apply(tape.gradient(loss, weights), weights)
        return loss

    return tf.function(one_update)
