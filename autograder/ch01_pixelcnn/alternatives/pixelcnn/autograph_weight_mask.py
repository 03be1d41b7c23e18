"""keras.ops answer: mask built by slicing zeros and held as a non-trainable weight of the
layer; ReLU layers kept in a list; cross-entropies written out (softplus, max-shifted
log-sum-exp); the whole sampler is one tf.function whose AutoGraph loop runs over tf.range
with tensor_scatter_nd_update; the train step wraps a plain function with tf.function and
uses optimizer.apply. Binary vs categorical is read from the logits' channels.
"""


# %% part: causal_mask
def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    """Mask of a causal convolution kernel, shaped (k, k, in_channels, out_channels).

    1 at kernel positions before the centre in raster order (every row above it, and the
    centre row left of it), 1 at the centre itself only for mask_type "B", 0 elsewhere.
    kernel_size must be odd; mask_type is "A" or "B". Returns a float32 numpy array.
    """
    if kernel_size % 2 != 1 or kernel_size < 1:
        raise ValueError("kernel_size must be odd")
    if mask_type != "A" and mask_type != "B":
        raise ValueError('mask_type must be "A" or "B"')
    c = kernel_size // 2
    mask = np.zeros((kernel_size, kernel_size, in_channels, out_channels), dtype=np.float32)
    mask[:c] = 1.0  # every row above the centre
    mask[c, :c] = 1.0  # the centre row, left of the centre
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
        if filters < 1:
            raise ValueError("filters must be at least 1")
        if kernel_size < 1 or kernel_size % 2 == 0:
            raise ValueError("kernel_size must be odd")
        if mask_type not in {"A", "B"}:
            raise ValueError('mask_type must be "A" or "B"')
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
        outputs = keras.ops.conv(inputs, kernel, strides=1, padding="same")
        return keras.ops.add(outputs, self.bias)

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
        self.activations = [keras.layers.ReLU() for _ in self.convs]

    def call(self, inputs):
        x = inputs
        for activation, conv in zip(self.activations, self.convs):
            x = conv(activation(x))
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
    image = keras.Input(shape=image_shape, name="image")
    h = MaskedConv2D(2 * filters, 7, "A", name="conv_a")(image)
    for index in range(residual_blocks):
        h = MaskedResidualBlock(filters, name=f"residual_{index}")(h)
    h = keras.layers.Activation("relu")(h)
    h = MaskedConv2D(filters, 1, "B", name="head")(h)
    h = keras.layers.Activation("relu")(h)
    logits = MaskedConv2D(out_channels, 1, "B", name="logits")(h)
    return keras.Model(inputs=image, outputs=logits)


# %% part: bits_per_dim
def bits_per_dim(images, logits):
    """Mean negative log-likelihood in bits per dimension.

    images: integer pixel values (B, H, W, 1).
    logits: (B, H, W, 1) for binary images (logit of a pixel being 1), or (B, H, W, L).
    Returns a scalar tensor: the mean cross-entropy over all pixels, divided by ln 2.
    """
    logits = keras.ops.convert_to_tensor(logits)
    if logits.shape[-1] == 1:
        x = keras.ops.cast(images, logits.dtype)
        # -log sigmoid(l) = softplus(-l) = softplus(l) - l; -log(1 - sigmoid(l)) = softplus(l)
        nats = keras.ops.softplus(logits) - x * logits
    else:
        index = keras.ops.cast(images, "int32")
        shifted = logits - keras.ops.max(logits, axis=-1, keepdims=True)  # for stability
        chosen = keras.ops.take_along_axis(shifted, index, axis=-1)
        log_total = keras.ops.log(keras.ops.sum(keras.ops.exp(shifted), axis=-1, keepdims=True))
        nats = log_total - chosen
    return keras.ops.mean(nats) / math.log(2.0)


# %% part: sampling
def sample_pixelcnn(model, n, seed=0, levels=2):
    """Draw n images from a PixelCNN, pixel by pixel in raster order.

    model: maps images (B, H, W, 1) scaled to [0, 1] to logits (B, H, W, 1 or levels).
    seed: an integer; the same seed gives the same images.
    Returns an int32 numpy array (n, H, W, 1) with values in 0..levels-1.
    """
    _, height, width, _ = model.input_shape

    @tf.function
    def generate():
        images = tf.zeros((n, height, width, 1), dtype=tf.int32)
        batch = tf.range(n)
        for position in tf.range(height * width):
            logits = model(tf.cast(images, tf.float32) / (levels - 1))
            row, col = position // width, position % width
            here = logits[:, row, col, :]
            if here.shape[-1] == 1:
                here = tf.concat([tf.zeros_like(here), here], axis=1)
            seed_pair = tf.stack([tf.cast(seed, tf.int64), tf.cast(position, tf.int64)])
            drawn = tf.random.stateless_categorical(here, 1, seed=seed_pair, dtype=tf.int32)
            where = tf.stack(
                [batch, tf.fill([n], row), tf.fill([n], col), tf.zeros([n], tf.int32)], axis=1
            )
            images = tf.tensor_scatter_nd_update(images, where, drawn[:, 0])
        return images

    return generate().numpy().astype(np.int32)


# %% part: train_step
def make_train_step(model, optimizer, levels=2):
    """Return a tf.function step(images) doing one optimiser update; it returns the loss.

    images: integer pixel values (B, H, W, 1) in 0..levels-1. The model sees
    images / (levels - 1); the loss is bits_per_dim(images, logits).
    """

    def one_update(images):
        targets = keras.ops.convert_to_tensor(images)
        inputs = keras.ops.divide(keras.ops.cast(targets, "float32"), levels - 1)
        with tf.GradientTape() as tape:
            loss = bits_per_dim(targets, model(inputs, training=True))
        weights = model.trainable_variables
        optimizer.apply(tape.gradient(loss, weights), weights)
        return loss

    return tf.function(one_update)
