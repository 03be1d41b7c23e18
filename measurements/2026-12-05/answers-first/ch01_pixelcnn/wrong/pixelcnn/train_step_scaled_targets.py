"""PART: train_step
MISTAKE: Passes the scaled inputs (images / (levels - 1)) to bits_per_dim as the targets instead of the integer images.

Base: correct/pixelcnn/tf_loops.py with this one change.
For binary images the scaled and integer images coincide, so only the multi-level case is wrong.
PUBLIC: caught by the public checks: fails train_step (returns the loss and applies one
  optimiser update (binary and 4 levels)).
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
    c = kernel_size // 2
    plane = np.zeros((kernel_size, kernel_size), dtype=np.float32)
    plane[:c, :] = 1.0  # every row above the centre
    plane[c, :c] = 1.0  # the centre row, left of the centre
    if mask_type == "B":
        plane[c, c] = 1.0
    return np.tile(plane[:, :, np.newaxis, np.newaxis], (1, 1, in_channels, out_channels))


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
        if filters < 1:
            raise ValueError("filters must be positive")
        self.filters = filters
        self.kernel_size = kernel_size
        self.mask_type = mask_type

    def build(self, input_shape):
        shape = (self.kernel_size, self.kernel_size, input_shape[-1], self.filters)
        self.kernel = self.add_weight(shape=shape, initializer="glorot_uniform", name="kernel")
        self.bias = self.add_weight(shape=(self.filters,), initializer="zeros", name="bias")
        # a NumPy constant: a tensor made here could belong to a temporary graph
        self.mask = causal_mask(self.kernel_size, self.mask_type, input_shape[-1], self.filters)

    def call(self, inputs):
        return keras.ops.conv(inputs, self.kernel * self.mask, strides=1, padding="same") + self.bias

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
            MaskedConv2D(filters, 1, "B", name="conv1x1_in"),
            MaskedConv2D(filters, 3, "B", name="conv3x3"),
            MaskedConv2D(2 * filters, 1, "B", name="conv1x1_out"),
        ]

    def call(self, inputs):
        h = inputs
        for conv in self.convs:
            h = conv(keras.activations.relu(h))
        return h + inputs

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
    image = keras.Input(image_shape, name="image")
    h = MaskedConv2D(2 * filters, kernel_size=7, mask_type="A", name="first")(image)
    for i in range(residual_blocks):
        h = MaskedResidualBlock(filters, name=f"block_{i}")(h)
    h = keras.layers.Activation("relu")(h)
    h = MaskedConv2D(filters, kernel_size=1, mask_type="B", name="head")(h)
    h = keras.layers.Activation("relu")(h)
    logits = MaskedConv2D(out_channels, kernel_size=1, mask_type="B", name="logits")(h)
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
    return tf.reduce_mean(nats) / tf.math.log(tf.constant(2.0, nats.dtype))


# %% part: sampling
def sample_pixelcnn(model, n, seed=0, levels=2):
    """Draw n images from a PixelCNN, pixel by pixel in raster order.

    model: maps images (B, H, W, 1) scaled to [0, 1] to logits (B, H, W, 1 or levels).
    seed: an integer; the same seed gives the same images.
    Returns an int32 numpy array (n, H, W, 1) with values in 0..levels-1.
    """
    _, height, width, _ = model.input_shape

    @tf.function(reduce_retracing=True)
    def draw_pixel(scaled, row, col, seed_pair):
        logits = model(scaled)[:, row, col, :]
        if logits.shape[-1] == 1:
            # p(1) = sigmoid(l) = softmax(0, l)[1]
            logits = tf.concat([tf.zeros_like(logits), logits], axis=1)
        return tf.random.stateless_categorical(logits, num_samples=1, seed=seed_pair)[:, 0]

    images = np.zeros((n, height, width, 1), dtype=np.int32)
    for row in range(height):
        for col in range(width):
            position = row * width + col
            scaled = tf.constant(images / (levels - 1), dtype=tf.float32)
            values = draw_pixel(
                scaled,
                tf.constant(row),
                tf.constant(col),
                tf.constant([seed, position], dtype=tf.int32),
            )
            images[:, row, col, 0] = values.numpy()
    return images


# %% part: train_step
def make_train_step(model, optimizer, levels=2):
    """Return a tf.function step(images) doing one optimiser update; it returns the loss.

    images: integer pixel values (B, H, W, 1) in 0..levels-1. The model sees
    images / (levels - 1); the loss is bits_per_dim(images, logits).
    """
    scale = 1.0 / (levels - 1)

    def step(images):
        inputs = keras.ops.cast(images, "float32") * scale
        with tf.GradientTape() as tape:
            loss = bits_per_dim(inputs, model(inputs, training=True))
        variables = model.trainable_variables
        grads = tape.gradient(loss, variables)
        optimizer.apply(grads, variables)
        return loss

    return tf.function(step)
