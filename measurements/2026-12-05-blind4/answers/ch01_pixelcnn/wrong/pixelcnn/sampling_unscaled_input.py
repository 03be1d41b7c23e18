"""PART: sampling
MISTAKE: Feeds the model the raw integer levels instead of dividing by levels - 1, which only shows for more than two levels.
Built on correct/pixelcnn/tf_ops_graph_loop.py.
"""

# %% part: causal_mask
def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    """Mask of a causal convolution kernel, shaped (k, k, in_channels, out_channels).

    1 at kernel positions before the centre in raster order (every row above it, and the
    centre row left of it), 1 at the centre itself only for mask_type "B", 0 elsewhere.
    kernel_size must be odd; mask_type is "A" or "B". Returns a float32 numpy array.
    """
    if kernel_size % 2 != 1:
        raise ValueError("causal_mask needs an odd kernel size")
    if mask_type == "A":
        include_centre = False
    elif mask_type == "B":
        include_centre = True
    else:
        raise ValueError('mask_type must be "A" or "B"')
    order = np.arange(kernel_size * kernel_size).reshape(kernel_size, kernel_size)
    centre = order[kernel_size // 2, kernel_size // 2]
    spatial = (order <= centre) if include_centre else (order < centre)
    mask = np.tile(spatial[:, :, None, None], (1, 1, in_channels, out_channels))
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
        if mask_type not in {"A", "B"}:
            raise ValueError(f"unknown mask type {mask_type!r}")
        if kernel_size % 2 == 0 or kernel_size <= 0:
            raise ValueError(f"kernel_size {kernel_size} has no centre")
        if filters <= 0:
            raise ValueError("filters must be a positive integer")
        self.filters = filters
        self.kernel_size = kernel_size
        self.mask_type = mask_type

    def build(self, input_shape):
        channels = input_shape[-1]
        shape = (self.kernel_size, self.kernel_size, channels, self.filters)
        self.kernel = self.add_weight(name="kernel", shape=shape, initializer="glorot_uniform")
        self.bias = self.add_weight(name="bias", shape=(self.filters,), initializer="zeros")
        self._mask_values = causal_mask(self.kernel_size, self.mask_type, channels, self.filters)

    def call(self, inputs):
        mask = tf.constant(self._mask_values)
        masked_kernel = self.kernel * mask
        return keras.ops.conv(inputs, masked_kernel, strides=(1, 1), padding="same") + self.bias

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
            MaskedConv2D(filters, 3, "B", name="mix"),
            MaskedConv2D(2 * filters, 1, "B", name="restore"),
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
    layers = [MaskedConv2D(filters * 2, kernel_size=7, mask_type="A", name="first")]
    layers += [MaskedResidualBlock(filters, name=f"block_{i}") for i in range(residual_blocks)]
    layers += [
        keras.layers.ReLU(),
        MaskedConv2D(filters, kernel_size=1, mask_type="B", name="head"),
        keras.layers.ReLU(),
        MaskedConv2D(levels if levels > 2 else 1, kernel_size=1, mask_type="B", name="logits"),
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
        labels = tf.cast(images, logits.dtype)
        nats = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    else:
        labels = tf.cast(images[..., 0], tf.int32)
        nats = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return tf.reduce_mean(nats) / tf.math.log(tf.constant(2.0, nats.dtype))

# %% part: sampling
def sample_pixelcnn(model, n, seed=0, levels=2):
    """Draw n images from a PixelCNN, pixel by pixel in raster order.

    model: maps images (B, H, W, 1) scaled to [0, 1] to logits (B, H, W, 1 or levels).
    seed: an integer; the same seed gives the same images.
    Returns an int32 numpy array (n, H, W, 1) with values in 0..levels-1.
    """
    _, height, width, _ = model.input_shape
    binary = model.output_shape[-1] == 1
    pixels = height * width

    @tf.function
    def generate(seed_value):
        images = tf.zeros((n, height, width, 1), dtype=tf.int32)
        for position in tf.range(pixels):
            logits = model(tf.cast(images, tf.float32))
            here = tf.reshape(logits, (n, pixels, -1))[:, position, :]
            if binary:
                here = tf.concat([tf.zeros_like(here), here], axis=1)
            drawn = tf.random.stateless_categorical(
                here, 1, seed=tf.stack([seed_value, position]), dtype=tf.int32
            )
            spot = tf.reshape(tf.one_hot(position, pixels, dtype=tf.int32), (1, height, width, 1))
            images = images + spot * tf.reshape(drawn, (n, 1, 1, 1))
        return images

    return generate(tf.constant(seed, dtype=tf.int32)).numpy().astype(np.int32)

# %% part: train_step
def make_train_step(model, optimizer, levels=2):
    """Return a tf.function step(images) doing one optimiser update; it returns the loss.

    images: integer pixel values (B, H, W, 1) in 0..levels-1. The model sees
    images / (levels - 1); the loss is bits_per_dim(images, logits).
    """
    scale = tf.constant(1.0 / (levels - 1), tf.float32)

    def update(images):
        images = tf.convert_to_tensor(images)
        with tf.GradientTape() as tape:
            logits = model(tf.cast(images, tf.float32) * scale, training=True)
            loss = bits_per_dim(images, logits)
        variables = model.trainable_variables
        optimizer.apply(tape.gradient(loss, variables), variables)
        return loss

    return tf.function(update)
