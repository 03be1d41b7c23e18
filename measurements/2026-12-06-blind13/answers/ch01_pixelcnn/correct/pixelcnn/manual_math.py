"""Style: the formulas written out by hand. The mask is a lower-triangular cut of the
raster order (np.tri on the flattened window); the layer keeps a (k, k, 1, 1) NumPy mask
that broadcasts over the channels and multiplies with keras.ops; the block uses
keras.layers.ReLU and keras.layers.Add sublayers; the loss is written with the stable
identities softplus(l) - x * l and logsumexp(l) - l[x]; sampling loops in eager Python with
a NumPy Generator seeded by `seed` (inverse transform sampling on the softmax of the
logits); the training step divides with keras.ops and zips gradients with the variables."""

# %% part: causal_mask
def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    """Mask of a causal convolution kernel, shaped (k, k, in_channels, out_channels).

    1 at kernel positions before the centre in raster order (every row above it, and the
    centre row left of it), 1 at the centre itself only for mask_type "B", 0 elsewhere.
    kernel_size must be odd; mask_type is "A" or "B". Returns a float32 numpy array.
    """
    if not isinstance(mask_type, str) or mask_type not in {"A", "B"}:
        raise ValueError(f"unknown mask type {mask_type!r}")
    if kernel_size <= 0 or kernel_size % 2 == 0:
        raise ValueError(f"kernel size {kernel_size} has no centre")
    positions = kernel_size * kernel_size
    centre = positions // 2
    include_centre = 1 if mask_type == "B" else 0
    # row `centre` of the lower-triangular matrix tri(positions, k=...) has ones up to
    # column centre (type B) or centre - 1 (type A)
    flat = np.tri(positions, positions, include_centre - 1, dtype=np.float32)[centre]
    spatial = flat.reshape(kernel_size, kernel_size)
    mask = np.empty((kernel_size, kernel_size, in_channels, out_channels), dtype=np.float32)
    mask[...] = spatial[:, :, np.newaxis, np.newaxis]
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
        if kernel_size % 2 == 0 or kernel_size < 1:
            raise ValueError("kernel_size must be odd")
        if mask_type not in ("A", "B"):
            raise ValueError("mask_type must be A or B")
        self.filters = filters
        self.kernel_size = kernel_size
        self.mask_type = mask_type

    def build(self, input_shape):
        channels = input_shape[-1]
        self.kernel = self.add_weight(
            shape=(self.kernel_size, self.kernel_size, channels, self.filters),
            initializer=keras.initializers.GlorotUniform(),
        )
        self.bias = self.add_weight(shape=(self.filters,), initializer=keras.initializers.Zeros())
        # a NumPy constant of shape (k, k, 1, 1), which broadcasts over every channel pair
        self.spatial_mask = causal_mask(self.kernel_size, self.mask_type)

    def call(self, inputs):
        kernel = keras.ops.multiply(self.kernel, self.spatial_mask)
        y = keras.ops.conv(inputs, kernel, strides=(1, 1), padding="same", data_format="channels_last")
        return keras.ops.add(y, keras.ops.reshape(self.bias, (1, 1, 1, -1)))

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
        self.relu_in = keras.layers.ReLU()
        self.conv_a = MaskedConv2D(filters, kernel_size=1, mask_type="B")
        self.relu_a = keras.layers.ReLU()
        self.conv_b = MaskedConv2D(filters, kernel_size=3, mask_type="B")
        self.relu_b = keras.layers.ReLU()
        self.conv_c = MaskedConv2D(2 * filters, kernel_size=1, mask_type="B")
        self.skip = keras.layers.Add()

    def call(self, inputs):
        branch = self.conv_a(self.relu_in(inputs))
        branch = self.conv_b(self.relu_a(branch))
        branch = self.conv_c(self.relu_b(branch))
        return self.skip([inputs, branch])

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
    if levels < 2:
        raise ValueError("levels must be at least 2")
    inputs = keras.Input(shape=image_shape, name="image")
    h = MaskedConv2D(filters * 2, kernel_size=7, mask_type="A")(inputs)
    block = 0
    while block < residual_blocks:
        h = MaskedResidualBlock(filters)(h)
        block += 1
    h = MaskedConv2D(filters, kernel_size=1, mask_type="B")(keras.activations.relu(h))
    logits = MaskedConv2D(levels if levels != 2 else 1, kernel_size=1, mask_type="B")(
        keras.activations.relu(h)
    )
    return keras.Model(inputs=inputs, outputs=logits)


# %% part: bits_per_dim
def bits_per_dim(images, logits):
    """Mean negative log-likelihood in bits per dimension.

    images: integer pixel values (B, H, W, 1).
    logits: (B, H, W, 1) for binary images (logit of a pixel being 1), or (B, H, W, L).
    Returns a scalar tensor: the mean cross-entropy over all pixels, divided by ln 2.
    """
    logits = keras.ops.convert_to_tensor(logits, dtype="float32")
    if logits.shape[-1] == 1:
        x = keras.ops.cast(images, "float32")
        # -x log s(l) - (1 - x) log(1 - s(l)) = softplus(l) - x * l, exact for large |l|
        nats = keras.ops.softplus(logits) - x * logits
    else:
        index = keras.ops.cast(images, "int32")
        chosen = keras.ops.take_along_axis(logits, index, axis=-1)[..., 0]
        nats = keras.ops.logsumexp(logits, axis=-1) - chosen
    return keras.ops.divide(keras.ops.mean(nats), np.log(2.0).astype(np.float32))


# %% part: sampling
def sample_pixelcnn(model, n, seed=0, levels=2):
    """Draw n images from a PixelCNN, pixel by pixel in raster order.

    model: maps images (B, H, W, 1) scaled to [0, 1] to logits (B, H, W, 1 or levels).
    seed: an integer; the same seed gives the same images.
    Returns an int32 numpy array (n, H, W, 1) with values in 0..levels-1.
    """
    height, width = model.input_shape[1:3]
    rng = np.random.default_rng(seed)
    images = np.zeros((n, height, width, 1), dtype=np.int32)
    for row in range(height):
        for col in range(width):
            inputs = (images / (levels - 1)).astype(np.float32)
            logits = np.asarray(model(inputs, training=False), dtype=np.float64)[:, row, col, :]
            if logits.shape[-1] == 1:
                logits = np.concatenate([np.zeros_like(logits), logits], axis=-1)
            logits = logits - logits.max(axis=-1, keepdims=True)
            probs = np.exp(logits)
            cdf = np.cumsum(probs / probs.sum(axis=-1, keepdims=True), axis=-1)
            u = rng.random((n, 1))
            images[:, row, col, 0] = (u >= cdf[:, :-1]).sum(axis=-1)
    return images


# %% part: train_step
def make_train_step(model, optimizer, levels=2):
    """Return a tf.function step(images) doing one optimiser update; it returns the loss.

    images: integer pixel values (B, H, W, 1) in 0..levels-1. The model sees
    images / (levels - 1); the loss is bits_per_dim(images, logits).
    """

    @tf.function(reduce_retracing=True)
    def train_step(images):
        scaled = keras.ops.divide(keras.ops.cast(images, "float32"), levels - 1)
        with tf.GradientTape() as tape:
            loss = bits_per_dim(images, model(scaled, training=True))
        variables = model.trainable_variables
        grads = tape.gradient(loss, variables)
        optimizer.apply_gradients(list(zip(grads, variables)))
        return loss

    return train_step
