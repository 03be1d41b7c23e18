"""PART: causal_mask
MISTAKE: Tiles the mask to (k, k, out_channels, in_channels), the channel axes swapped (invisible when they are equal).
Built on correct/pixelcnn/tf_autograph.py with this one change."""

# %% part: causal_mask
def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    """Mask of a causal convolution kernel, shaped (k, k, in_channels, out_channels).

    1 at kernel positions before the centre in raster order (every row above it, and the
    centre row left of it), 1 at the centre itself only for mask_type "B", 0 elsewhere.
    kernel_size must be odd; mask_type is "A" or "B". Returns a float32 numpy array.
    """
    if mask_type not in {"A", "B"}:
        raise ValueError("mask_type must be 'A' or 'B'")
    if kernel_size < 1 or kernel_size % 2 == 0:
        raise ValueError("kernel_size must be a positive odd number")
    centre = (kernel_size - 1) // 2
    plane = np.zeros((kernel_size, kernel_size), dtype=np.float32)
    for r in range(kernel_size):
        for s in range(kernel_size):
            before = r * kernel_size + s < centre * kernel_size + centre
            at_centre = r == centre and s == centre
            if before or (at_centre and mask_type == "B"):
                plane[r, s] = 1.0
    return np.tile(plane[:, :, np.newaxis, np.newaxis], (1, 1, out_channels, in_channels))


# %% part: masked_conv
class MaskedConv2D(keras.layers.Layer):
    """Convolution whose kernel is multiplied by a causal mask (no activation).

    filters: output channels; kernel_size: odd k of the k x k kernel; mask_type: "A"
    (the centre pixel is hidden) or "B" (the centre pixel is visible).
    Input (B, H, W, C_in) -> output (B, H, W, filters), stride 1, "same" padding.
    """

    def __init__(self, filters, kernel_size, mask_type, **kwargs):
        super().__init__(**kwargs)
        causal_mask(kernel_size, mask_type)  # raises ValueError on bad arguments
        self.filters = filters
        self.kernel_size = kernel_size
        self.mask_type = mask_type

    def build(self, input_shape):
        shape = (self.kernel_size, self.kernel_size, input_shape[-1], self.filters)
        self.kernel = self.add_weight(name="kernel", shape=shape, initializer="glorot_uniform")
        self.bias = self.add_weight(name="bias", shape=(self.filters,), initializer="zeros")
        mask = causal_mask(self.kernel_size, self.mask_type, input_shape[-1], self.filters)
        self.mask = self.add_weight(
            name="mask",
            shape=shape,
            initializer=keras.initializers.Constant(mask),
            trainable=False,
        )

    def call(self, inputs):
        y = keras.ops.conv(inputs, self.kernel * self.mask, strides=1, padding="same")
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
            MaskedConv2D(filters, 1, "B"),
            MaskedConv2D(filters, 3, "B"),
            MaskedConv2D(2 * filters, 1, "B"),
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
    image = keras.Input(image_shape, name="image")
    h = MaskedConv2D(filters * 2, kernel_size=7, mask_type="A", name="first")(image)
    blocks = [MaskedResidualBlock(filters, name=f"block_{i}") for i in range(residual_blocks)]
    for block in blocks:
        h = block(h)
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
    logits = tf.convert_to_tensor(logits, dtype=tf.float32)
    images = tf.convert_to_tensor(images)
    if logits.shape[-1] == 1:
        labels = tf.cast(images, tf.float32)
        nats = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    else:
        labels = tf.cast(tf.squeeze(images, axis=-1), tf.int32)
        nats = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return tf.reduce_mean(nats) / tf.math.log(2.0)


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
    def generate(seed_value):
        images = tf.zeros((n, height, width, 1), dtype=tf.float32)
        for position in tf.range(pixels):
            logits = model(images / (levels - 1))
            flat = tf.reshape(logits, (n, pixels, -1))
            here = tf.gather(flat, position, axis=1)  # (n, 1 or L)
            if levels == 2:
                here = tf.concat([tf.zeros_like(here), here], axis=1)
            draw = tf.random.stateless_categorical(here, 1, seed=[seed_value, position])
            value = tf.cast(draw, tf.float32)  # (n, 1)
            spot = tf.reshape(tf.one_hot(position, pixels), (1, height, width, 1))
            images = images + spot * tf.reshape(value, (n, 1, 1, 1))
        return images

    images = generate(tf.constant(seed, dtype=tf.int32))
    return tf.cast(tf.round(images), tf.int32).numpy()


# %% part: train_step
def make_train_step(model, optimizer, levels=2):
    """Return a tf.function step(images) doing one optimiser update; it returns the loss.

    images: integer pixel values (B, H, W, 1) in 0..levels-1. The model sees
    images / (levels - 1); the loss is bits_per_dim(images, logits).
    """
    variables = model.trainable_variables

    def one_step(images):
        scaled = keras.ops.divide(keras.ops.cast(images, "float32"), float(levels - 1))
        with tf.GradientTape() as tape:
            loss = bits_per_dim(images, model(scaled, training=True))
        gradients = tape.gradient(loss, variables)
        optimizer.apply(gradients, variables)
        return loss

    return tf.function(one_step)
