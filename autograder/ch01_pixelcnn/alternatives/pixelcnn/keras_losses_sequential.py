"""Stock-Keras answer: the mask filled by explicit loops; MaskedConv2D wraps a
keras.layers.Conv2D that owns the kernel and bias (it only builds them; call convolves with
keras.ops.conv on kernel * mask); the residual block is a keras.Sequential inside the layer;
build_pixelcnn returns a keras.Sequential (a keras.Model, not the functional API the text
suggests); the loss uses module-level keras.losses objects; the sampler updates a
tf.Variable canvas from a tf.function called in a Python loop.
"""


# %% part: causal_mask
def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    """Mask of a causal convolution kernel, shaped (k, k, in_channels, out_channels).

    1 at kernel positions before the centre in raster order (every row above it, and the
    centre row left of it), 1 at the centre itself only for mask_type "B", 0 elsewhere.
    kernel_size must be odd; mask_type is "A" or "B". Returns a float32 numpy array.
    """
    if not kernel_size % 2:
        raise ValueError("an even kernel has no centre pixel")
    if mask_type not in ["A", "B"]:
        raise ValueError("unknown mask type " + repr(mask_type))
    centre = kernel_size // 2
    plane = np.zeros((kernel_size, kernel_size), dtype=np.float32)
    for r in range(kernel_size):
        for s in range(kernel_size):
            before = r < centre or (r == centre and s < centre)
            at_centre = r == centre and s == centre
            if before or (at_centre and mask_type == "B"):
                plane[r, s] = 1.0
    mask = np.empty((kernel_size, kernel_size, in_channels, out_channels), dtype=np.float32)
    mask[...] = plane[:, :, np.newaxis, np.newaxis]
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
        if kernel_size <= 0 or kernel_size % 2 == 0:
            raise ValueError("kernel_size must be a positive odd integer")
        if mask_type not in ("A", "B"):
            raise ValueError('mask_type must be "A" or "B"')
        self.filters = filters
        self.kernel_size = kernel_size
        self.mask_type = mask_type
        # The stock layer creates (and owns) the kernel and the bias; it is never called.
        self.conv = keras.layers.Conv2D(
            filters,
            kernel_size,
            padding="same",
            kernel_initializer="glorot_uniform",
            bias_initializer="zeros",
        )

    def build(self, input_shape):
        self.conv.build(input_shape)
        self.mask = causal_mask(self.kernel_size, self.mask_type, input_shape[-1], self.filters)

    def call(self, inputs):
        kernel = keras.ops.multiply(self.conv.kernel, self.mask)
        return keras.ops.conv(inputs, kernel, strides=1, padding="same") + self.conv.bias

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
        self.body = keras.Sequential(
            [
                keras.layers.ReLU(),
                MaskedConv2D(filters, 1, "B"),
                keras.layers.ReLU(),
                MaskedConv2D(filters, 3, "B"),
                keras.layers.ReLU(),
                MaskedConv2D(2 * filters, 1, "B"),
            ]
        )

    def call(self, inputs):
        return inputs + self.body(inputs)

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
    stack = [keras.Input(shape=image_shape), MaskedConv2D(2 * filters, 7, "A")]
    stack += [MaskedResidualBlock(filters) for _ in range(residual_blocks)]
    stack += [
        keras.layers.ReLU(),
        MaskedConv2D(filters, 1, "B"),
        keras.layers.ReLU(),
        MaskedConv2D(levels if levels != 2 else 1, 1, "B"),
    ]
    return keras.Sequential(stack, name="pixelcnn")


# %% part: bits_per_dim
binary_xent = keras.losses.BinaryCrossentropy(from_logits=True)
categorical_xent = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
LN2 = math.log(2.0)


def bits_per_dim(images, logits):
    """Mean negative log-likelihood in bits per dimension.

    images: integer pixel values (B, H, W, 1).
    logits: (B, H, W, 1) for binary images (logit of a pixel being 1), or (B, H, W, L).
    Returns a scalar tensor: the mean cross-entropy over all pixels, divided by ln 2.
    """
    if keras.ops.shape(logits)[-1] == 1:
        nats = binary_xent(keras.ops.cast(images, "float32"), logits)
    else:
        nats = categorical_xent(images, logits)  # (B, H, W, 1) labels are squeezed
    return nats / LN2


# %% part: sampling
def sample_pixelcnn(model, n, seed=0, levels=2):
    """Draw n images from a PixelCNN, pixel by pixel in raster order.

    model: maps images (B, H, W, 1) scaled to [0, 1] to logits (B, H, W, 1 or levels).
    seed: an integer; the same seed gives the same images.
    Returns an int32 numpy array (n, H, W, 1) with values in 0..levels-1.
    """
    height, width = model.input_shape[1:3]
    canvas = tf.Variable(tf.zeros((n, height, width, 1), dtype=tf.int32), trainable=False)

    @tf.function
    def fill(position):
        row = position // width
        col = position - row * width
        scaled = tf.cast(canvas, tf.float32) / float(levels - 1)
        logits = model(scaled)[:, row, col, :]
        if logits.shape[-1] == 1:
            logits = tf.concat([tf.zeros_like(logits), logits], axis=-1)
        seeds = tf.stack([tf.constant(seed, tf.int64), tf.cast(position, tf.int64)])
        value = tf.random.stateless_categorical(logits, num_samples=1, seed=seeds)
        canvas[:, row, col, 0].assign(tf.cast(value[:, 0], tf.int32))

    for position in range(height * width):
        fill(tf.constant(position))
    return canvas.numpy().astype(np.int32)


# %% part: train_step
def make_train_step(model, optimizer, levels=2):
    """Return a tf.function step(images) doing one optimiser update; it returns the loss.

    images: integer pixel values (B, H, W, 1) in 0..levels-1. The model sees
    images / (levels - 1); the loss is bits_per_dim(images, logits).
    """

    @tf.function(reduce_retracing=True)
    def step(images):
        with tf.GradientTape() as tape:
            logits = model(tf.cast(images, tf.float32) / (levels - 1), training=True)
            loss = bits_per_dim(images, logits)
        grads = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(list(zip(grads, model.trainable_weights)))
        return loss

    return step
