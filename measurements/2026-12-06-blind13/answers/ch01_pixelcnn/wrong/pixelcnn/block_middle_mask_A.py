"""PART: residual_block
MISTAKE: Gives the 3x3 convolution of the block a type-A mask instead of type B, hiding the centre position inside the block.
Built on correct/pixelcnn/tf_graph.py.
"""

# %% part: causal_mask
def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    """Mask of a causal convolution kernel, shaped (k, k, in_channels, out_channels).

    1 at kernel positions before the centre in raster order (every row above it, and the
    centre row left of it), 1 at the centre itself only for mask_type "B", 0 elsewhere.
    kernel_size must be odd; mask_type is "A" or "B". Returns a float32 numpy array.
    """
    if kernel_size % 2 != 1:
        raise ValueError("a causal mask needs an odd kernel size, so that it has a centre")
    if mask_type != "A" and mask_type != "B":
        raise ValueError("mask_type must be 'A' or 'B'")
    c = kernel_size // 2
    mask = np.zeros((kernel_size, kernel_size, in_channels, out_channels), dtype=np.float32)
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
        causal_mask(kernel_size, mask_type)  # raises ValueError for bad arguments
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
        kernel = tf.multiply(self.kernel, self.mask)
        return tf.nn.bias_add(keras.ops.conv(inputs, kernel, padding="same"), self.bias)

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
            MaskedConv2D(filters, 1, "B", name="conv_in"),
            MaskedConv2D(filters, 3, "A", name="conv_3x3"),
            MaskedConv2D(2 * filters, 1, "B", name="conv_out"),
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
    layers = [MaskedConv2D(2 * filters, 7, "A", name="first")]
    layers += [MaskedResidualBlock(filters, name=f"block_{i}") for i in range(residual_blocks)]
    layers += [
        keras.layers.Activation("relu"),
        MaskedConv2D(filters, 1, "B", name="head"),
        keras.layers.Activation("relu"),
        MaskedConv2D(out_channels, 1, "B", name="logits"),
    ]
    image = keras.Input(image_shape)
    x = image
    for layer in layers:
        x = layer(x)
    return keras.Model(inputs=image, outputs=x)


# %% part: bits_per_dim
def bits_per_dim(images, logits):
    """Mean negative log-likelihood in bits per dimension.

    images: integer pixel values (B, H, W, 1).
    logits: (B, H, W, 1) for binary images (logit of a pixel being 1), or (B, H, W, L).
    Returns a scalar tensor: the mean cross-entropy over all pixels, divided by ln 2.
    """
    logits = tf.convert_to_tensor(logits)
    labels = tf.cast(images, tf.int32)
    if logits.shape[-1] == 1:
        nats = tf.nn.sigmoid_cross_entropy_with_logits(
            labels=tf.cast(labels, logits.dtype), logits=logits
        )
    else:
        nats = tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=labels[..., 0], logits=logits
        )
    return tf.reduce_mean(nats) / tf.math.log(tf.constant(2.0, nats.dtype))


# %% part: sampling
def sample_pixelcnn(model, n, seed=0, levels=2):
    """Draw n images from a PixelCNN, pixel by pixel in raster order.

    model: maps images (B, H, W, 1) scaled to [0, 1] to logits (B, H, W, 1 or levels).
    seed: an integer; the same seed gives the same images.
    Returns an int32 numpy array (n, H, W, 1) with values in 0..levels-1.
    """
    height, width = model.input_shape[1], model.input_shape[2]
    size = height * width
    scale = 1.0 / (levels - 1)

    @tf.function
    def generate():
        image = tf.zeros((n, height, width, 1), tf.float32)  # quantised values so far
        for position in tf.range(size):
            logits = model(image * scale, training=False)
            flat = tf.reshape(logits, (n, size, -1))
            pixel_logits = tf.gather(flat, position, axis=1)  # (n, 1 or L)
            if pixel_logits.shape[-1] == 1:
                pixel_logits = tf.concat([tf.zeros_like(pixel_logits), pixel_logits], axis=1)
            value = tf.random.stateless_categorical(
                pixel_logits, 1, seed=tf.stack([tf.constant(seed, tf.int32), position])
            )  # (n, 1)
            where = tf.reshape(tf.one_hot(position, size), (1, height, width, 1))
            image = image + where * tf.reshape(tf.cast(value, tf.float32), (n, 1, 1, 1))
        return image

    return np.rint(generate().numpy()).astype(np.int32)


# %% part: train_step
def make_train_step(model, optimizer, levels=2):
    """Return a tf.function step(images) doing one optimiser update; it returns the loss.

    images: integer pixel values (B, H, W, 1) in 0..levels-1. The model sees
    images / (levels - 1); the loss is bits_per_dim(images, logits).
    """
    scale = 1.0 / (levels - 1)
    weights = model.trainable_variables

    def update(images):
        with tf.GradientTape() as tape:
            logits = model(keras.ops.cast(images, "float32") * scale, training=True)
            loss = bits_per_dim(images, logits)
        optimizer.apply(tape.gradient(loss, weights), weights)
        return loss

    return tf.function(update)
