"""PART: causal_mask
MISTAKE: Builds the mask with shape (k, k, out_channels, in_channels), the last two axes swapped.
Built on correct/pixelcnn/tf_graph_loop.py, with this one change.
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
    if kernel_size < 1 or kernel_size % 2 == 0:
        raise ValueError("kernel_size must be a positive odd number")
    c = kernel_size // 2
    mask = np.zeros((kernel_size, kernel_size, out_channels, in_channels), dtype=np.float32)
    mask[:c, :, :, :] = 1.0  # every row above the centre
    mask[c, :c, :, :] = 1.0  # the centre row, left of the centre
    if mask_type == "B":
        mask[c, c, :, :] = 1.0  # the centre itself
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
        if filters <= 0:
            raise ValueError("filters must be positive")
        causal_mask(kernel_size, mask_type)  # raises ValueError for a bad size or type
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
            initializer=keras.initializers.Constant(mask),
            trainable=False,
            name="mask",
        )

    def call(self, inputs):
        masked = keras.ops.multiply(self.kernel, self.mask)
        convolved = keras.ops.conv(inputs, masked, strides=(1, 1), padding="same")
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
            MaskedConv2D(filters, kernel_size=1, mask_type="B"),
            MaskedConv2D(filters, kernel_size=3, mask_type="B"),
            MaskedConv2D(2 * filters, kernel_size=1, mask_type="B"),
        ]
        self.relu = keras.layers.ReLU()

    def call(self, inputs):
        x = inputs
        for conv in self.convs:
            x = conv(self.relu(x))
        return keras.ops.add(inputs, x)

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
    channels_out = levels if levels > 2 else 1
    image = keras.Input(shape=tuple(image_shape), name="image")
    h = MaskedConv2D(filters * 2, 7, "A", name="first_7x7")(image)
    for index in range(residual_blocks):
        h = MaskedResidualBlock(filters, name=f"residual_{index}")(h)
    h = keras.layers.ReLU()(h)
    h = MaskedConv2D(filters, 1, "B", name="head_1x1")(h)
    h = keras.layers.ReLU()(h)
    logits = MaskedConv2D(channels_out, 1, "B", name="logits")(h)
    return keras.Model(inputs=image, outputs=logits, name="pixelcnn")


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
    def generate(seed_tensor):
        images = tf.zeros((n, height, width, 1), dtype=tf.int32)
        batch = tf.range(n)
        for position in tf.range(pixels):
            inputs = tf.cast(images, tf.float32) / float(levels - 1)
            logits = model(inputs, training=False)
            row, col = position // width, position % width
            pixel_logits = logits[:, row, col, :]
            if levels == 2:  # one logit l per pixel: the levels (0, 1) get (0, l)
                pixel_logits = tf.concat([tf.zeros_like(pixel_logits), pixel_logits], axis=1)
            value = tf.random.stateless_categorical(
                pixel_logits, num_samples=1, seed=tf.stack([seed_tensor, position])
            )[:, 0]
            where = tf.stack(
                [batch, tf.fill([n], row), tf.fill([n], col), tf.zeros([n], tf.int32)], axis=1
            )
            images = tf.tensor_scatter_nd_update(images, where, tf.cast(value, tf.int32))
        return images

    return np.asarray(generate(tf.constant(seed, dtype=tf.int32)), dtype=np.int32)


# %% part: train_step
def make_train_step(model, optimizer, levels=2):
    """Return a tf.function step(images) doing one optimiser update; it returns the loss.

    images: integer pixel values (B, H, W, 1) in 0..levels-1. The model sees
    images / (levels - 1); the loss is bits_per_dim(images, logits).
    """
    scale = float(levels - 1)

    def one_update(images):
        inputs = keras.ops.divide(keras.ops.cast(images, "float32"), scale)
        with tf.GradientTape() as tape:
            logits = model(inputs, training=True)
            loss = bits_per_dim(images, logits)
        variables = model.trainable_variables
        optimizer.apply(tape.gradient(loss, variables), variables)
        return loss

    return tf.function(one_update)
