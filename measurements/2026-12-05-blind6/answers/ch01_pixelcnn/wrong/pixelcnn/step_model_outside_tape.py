"""PART: train_step
MISTAKE: Runs the model before opening the GradientTape, so the tape records no path from the weights to the loss.
Built on correct/pixelcnn/tf_graph_loop.py.
"""

# %% part: causal_mask
def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    """Mask of a causal convolution kernel, shaped (k, k, in_channels, out_channels).

    1 at kernel positions before the centre in raster order (every row above it, and the
    centre row left of it), 1 at the centre itself only for mask_type "B", 0 elsewhere.
    kernel_size must be odd; mask_type is "A" or "B". Returns a float32 numpy array.
    """
    if not kernel_size % 2:
        raise ValueError("a causal mask needs an odd kernel size")
    if mask_type == "A":
        include_centre = False
    elif mask_type == "B":
        include_centre = True
    else:
        raise ValueError("mask_type must be 'A' or 'B'")
    order = np.arange(kernel_size * kernel_size).reshape(kernel_size, kernel_size)
    centre = (kernel_size * kernel_size) // 2  # raster index of the centre
    visible = order <= centre if include_centre else order < centre
    mask = np.zeros((kernel_size, kernel_size, in_channels, out_channels), dtype=np.float32)
    mask[visible] = 1.0
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
        # causal_mask raises ValueError for bad arguments: validate early by calling it
        causal_mask(kernel_size, mask_type)
        self.filters = int(filters)
        self.kernel_size = int(kernel_size)
        self.mask_type = mask_type

    def build(self, input_shape):
        channels = int(input_shape[-1])
        k = self.kernel_size
        self.kernel = self.add_weight(
            name="kernel",
            shape=(k, k, channels, self.filters),
            initializer=keras.initializers.GlorotUniform(),
            trainable=True,
        )
        self.bias = self.add_weight(
            name="bias", shape=(self.filters,), initializer=keras.initializers.Zeros()
        )
        self._mask = causal_mask(k, self.mask_type, channels, self.filters)

    def call(self, inputs):
        kernel = self.kernel * keras.ops.convert_to_tensor(self._mask, dtype=self.kernel.dtype)
        y = keras.ops.conv(inputs, kernel, strides=(1, 1), padding="same")
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
        h = inputs
        for conv in self.convs:
            h = conv(tf.nn.relu(h))
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
    layers = [MaskedConv2D(2 * filters, 7, "A", name="masked_a")]
    layers += [MaskedResidualBlock(filters, name=f"block_{i}") for i in range(residual_blocks)]
    layers += [
        keras.layers.Activation("relu"),
        MaskedConv2D(filters, 1, "B", name="head_1"),
        keras.layers.Activation("relu"),
        MaskedConv2D(out_channels, 1, "B", name="logits"),
    ]
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
    def generate(seed_value):
        x = tf.zeros((n, height, width, 1), tf.float32)
        for i in tf.range(pixels):
            logits = model(x / (levels - 1), training=False)
            flat = tf.reshape(logits, (n, pixels, logits.shape[-1]))
            at = tf.gather(flat, i, axis=1)  # (n, channels)
            if levels == 2:
                at = tf.concat([tf.zeros_like(at), at], axis=1)
            value = tf.random.stateless_categorical(
                at, 1, seed=tf.stack([seed_value, tf.cast(i, tf.int64)])
            )[:, 0]
            where = tf.reshape(tf.one_hot(i, pixels), (1, height, width, 1))
            x = x + where * tf.reshape(tf.cast(value, tf.float32), (n, 1, 1, 1))
        return x

    images = generate(tf.constant(seed, tf.int64))
    return np.rint(images.numpy()).astype(np.int32)

# %% part: train_step
def make_train_step(model, optimizer, levels=2):
    """Return a tf.function step(images) doing one optimiser update; it returns the loss.

    images: integer pixel values (B, H, W, 1) in 0..levels-1. The model sees
    images / (levels - 1); the loss is bits_per_dim(images, logits).
    """
    scale = 1.0 / (levels - 1)

    def one_update(images):
        x = keras.ops.cast(images, "float32") * scale
        logits = model(x, training=True)
        with tf.GradientTape() as tape:
            loss = bits_per_dim(images, logits)
        variables = model.trainable_variables
        gradients = tape.gradient(loss, variables)
        optimizer.apply(gradients, variables)
        return loss

    return tf.function(one_update)
