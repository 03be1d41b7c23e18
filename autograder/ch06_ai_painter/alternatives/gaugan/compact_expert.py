"""Correct answer set, style: compact expert.

A student who knows the libraries and keeps things short: SPADE normalises with
keras.ops.moments and keras.ops.rsqrt, the residual block builds its layers from a small table,
the networks are loops over (filters, stride) tables with keras.ops.leaky_relu applied to
symbolic tensors, the losses are comprehensions over the scales, and the step shares one helper
`paint()` (encoder, reparameterised z, generator) between its two tapes. Written from the task
text alone.
"""

# %% part: spade
class SPADE(keras.layers.Layer):
    """Spatially-adaptive normalisation: call(x, label_map) -> x_hat * (1 + gamma) + beta.

    x (B, H, W, C); label_map (B, H', W', L), any size, resized to (H, W) by nearest neighbour.
    x_hat: x normalised per channel with the mean and variance over batch, height and width
    (epsilon inside the square root), no learned scale or offset. gamma and beta (B, H, W, C):
    self.gamma_conv and self.beta_conv (Conv2D(C, 3, same)) applied to self.shared (Conv2D(hidden,
    3, same, relu)) of the resized label map."""

    def __init__(self, hidden=64, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.hidden = hidden
        self.epsilon = epsilon

    def build(self, x_shape, label_map_shape):
        """Create self.shared, self.gamma_conv and self.beta_conv; C is x_shape[-1]."""
        self.shared = keras.layers.Conv2D(self.hidden, 3, padding="same", activation="relu")
        self.gamma_conv, self.beta_conv = (
            keras.layers.Conv2D(x_shape[-1], 3, padding="same") for _ in range(2)
        )

    def call(self, x, label_map):
        mean, variance = keras.ops.moments(x, axes=(0, 1, 2), keepdims=True)
        x_hat = (x - mean) * keras.ops.rsqrt(variance + self.epsilon)
        h = self.shared(keras.ops.image.resize(label_map, x.shape[1:3], interpolation="nearest"))
        return x_hat * (1 + self.gamma_conv(h)) + self.beta_conv(h)

    def get_config(self):
        return {**super().get_config(), "hidden": self.hidden, "epsilon": self.epsilon}

# %% part: spade_block
class SPADEResBlock(keras.layers.Layer):
    """call(x, label_map) -> main + shortcut, (B, H, W, filters).

    main: spade_1 -> LeakyReLU(0.2) -> conv_1 (Conv2D(min(C_in, filters), 3, same)) -> spade_2 ->
    LeakyReLU(0.2) -> conv_2 (Conv2D(filters, 3, same)). shortcut: spade_skip -> conv_skip
    (Conv2D(filters, 1, no bias)) when C_in != filters, else x (spade_skip and conv_skip None)."""

    def __init__(self, filters, hidden=64, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.hidden = hidden

    def build(self, x_shape, label_map_shape):
        """Create the layers of both paths; C_in is x_shape[-1]."""
        c_in = x_shape[-1]
        for i, width in ((1, min(c_in, self.filters)), (2, self.filters)):
            setattr(self, f"spade_{i}", SPADE(self.hidden))
            setattr(self, f"conv_{i}", keras.layers.Conv2D(width, 3, padding="same"))
        learned = c_in != self.filters
        self.spade_skip = SPADE(self.hidden) if learned else None
        self.conv_skip = keras.layers.Conv2D(self.filters, 1, use_bias=False) if learned else None

    def call(self, x, label_map):
        h = x
        for spade, conv in ((self.spade_1, self.conv_1), (self.spade_2, self.conv_2)):
            h = conv(keras.ops.leaky_relu(spade(h, label_map), 0.2))
        skip = x if self.conv_skip is None else self.conv_skip(self.spade_skip(x, label_map))
        return h + skip

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "hidden": self.hidden}

# %% part: gaugan_generator
def build_gaugan_generator(
    num_labels=NUM_LABELS, z_dim=64, filters=64, image_size=IMAGE_SIZE, channels=1, hidden=64
):
    """keras.Model [z (B, z_dim), label_map (B, S, S, num_labels)] -> images (B, S, S, channels)
    in [-1, 1], S = image_size: Dense(4 * 4 * 4 * filters), Reshape((4, 4, 4 * filters)); for k
    in range(log2(S // 4)): SPADEResBlock(filters * 2 ** max(0, 2 - k), hidden), UpSampling2D(2);
    then SPADEResBlock(filters, hidden), LeakyReLU(0.2), Conv2D(channels, 3, same), tanh."""
    z, label_map = keras.Input((z_dim,)), keras.Input((image_size, image_size, num_labels))
    h = keras.layers.Reshape((4, 4, 4 * filters))(keras.layers.Dense(4 * 4 * 4 * filters)(z))
    for k in range(int(math.log2(image_size // 4))):
        h = SPADEResBlock(filters * 2 ** max(0, 2 - k), hidden)(h, label_map)
        h = keras.layers.UpSampling2D()(h)
    h = keras.ops.leaky_relu(SPADEResBlock(filters, hidden)(h, label_map), 0.2)
    images = keras.layers.Conv2D(channels, 3, padding="same", activation="tanh")(h)
    return keras.Model([z, label_map], images)

# %% part: style_encoder
def build_style_encoder(z_dim=64, filters=32, image_size=IMAGE_SIZE, channels=1):
    """keras.Model images (B, S, S, channels) -> [mean, log_var], each (B, z_dim): three
    Conv2D(filters * 2 ** i, 3, strides=2, same) each followed by LeakyReLU(0.2), Flatten, then
    two Dense(z_dim)."""
    images = h = keras.Input((image_size, image_size, channels))
    for i in range(3):
        h = keras.ops.leaky_relu(
            keras.layers.Conv2D(filters * 2**i, 3, strides=2, padding="same")(h), 0.2
        )
    h = keras.layers.Flatten()(h)
    return keras.Model(images, [keras.layers.Dense(z_dim)(h) for _ in ("mean", "log_var")])


def sample_style(mean, log_var, seed=None):
    """mean + exp(log_var / 2) * eps, eps = keras.random.normal(mean's shape, seed=seed)."""
    return mean + keras.ops.exp(log_var / 2) * keras.random.normal(keras.ops.shape(mean), seed=seed)

# %% part: multiscale_discriminator
def build_patch_discriminator(num_labels=NUM_LABELS, filters=64, channels=1):
    """keras.Model [label_map (B, H, W, num_labels), image (B, H, W, channels)] -> [f1, f2, f3,
    logits]: the concatenation [label_map, image], then Conv2D(filters, 4, strides 2) + LeakyReLU
    0.2 (f1), Conv2D(2 * filters, 4, strides 2) + LeakyReLU (f2), Conv2D(4 * filters, 4, strides
    1) + LeakyReLU (f3), Conv2D(1, 4, strides 1) (logits); all with same padding."""
    inputs = [keras.Input((None, None, num_labels)), keras.Input((None, None, channels))]
    h, outputs = keras.layers.Concatenate()(inputs), []
    for width, stride in ((filters, 2), (2 * filters, 2), (4 * filters, 1)):
        h = keras.ops.leaky_relu(keras.layers.Conv2D(width, 4, stride, padding="same")(h), 0.2)
        outputs.append(h)
    outputs.append(keras.layers.Conv2D(1, 4, padding="same")(h))
    return keras.Model(inputs, outputs)


def build_multiscale_discriminator(num_labels=NUM_LABELS, filters=64, channels=1, scales=2):
    """keras.Model [label_map, image] -> a list over scales of the lists [f1, f2, f3, logits] of
    a patch discriminator of each scale's own; scale k sees both inputs average-pooled k times
    (AveragePooling2D(3, strides=2, padding="same"))."""
    inputs = [keras.Input((None, None, num_labels)), keras.Input((None, None, channels))]
    pool = keras.layers.AveragePooling2D(3, strides=2, padding="same")
    seen, outputs = inputs, []
    for k in range(scales):
        seen = [pool(t) for t in seen] if k else seen
        outputs.append(build_patch_discriminator(num_labels, filters, channels)(seen))
    return keras.Model(inputs, outputs)

# %% part: gaugan_losses
def discriminator_hinge_loss(real_outputs, fake_outputs):
    """The mean over scales of mean(relu(1 - real logits)) + mean(relu(1 + fake logits)); the
    logits are the last entry of each scale's list."""
    relu, mean = keras.ops.relu, keras.ops.mean
    terms = [
        mean(relu(1 - r[-1])) + mean(relu(1 + f[-1])) for r, f in zip(real_outputs, fake_outputs)
    ]
    return sum(terms) / len(terms)


def generator_hinge_loss(fake_outputs):
    """The mean over scales of -mean(fake logits)."""
    return -sum(keras.ops.mean(f[-1]) for f in fake_outputs) / len(fake_outputs)


def feature_matching_loss(real_outputs, fake_outputs):
    """The mean over scales of the mean over that scale's features but the last (the logits) of
    mean(|stop_gradient(real feature) - fake feature|)."""
    def l1(a, b):
        return keras.ops.mean(keras.ops.abs(keras.ops.stop_gradient(a) - b))

    per_scale = [
        sum(l1(a, b) for a, b in zip(r[:-1], f[:-1])) / (len(r) - 1)
        for r, f in zip(real_outputs, fake_outputs)
    ]
    return sum(per_scale) / len(per_scale)


def kl_divergence(mean, log_var):
    """KL(N(mean, exp(log_var)) || N(0, 1)) summed over the last axis, averaged over the batch:
    mean over b of -0.5 * sum_j (1 + log_var - mean ** 2 - exp(log_var))."""
    ops = keras.ops
    return ops.mean(-0.5 * ops.sum(1 + log_var - ops.square(mean) - ops.exp(log_var), axis=-1))


def perceptual_loss(extractor, real, fake, layer_weights):
    """sum_i layer_weights[i] * mean(|f_i(real) - f_i(fake)|), the real features held constant.

    real, fake: VGG19 inputs (B, H, W, 3), given to the extractor as they are; the notebook
    makes them with to_vgg_input (grey images in [-1, 1] repeated to 3 channels, mapped to
    0..255, ImageNet's mean pixel subtracted). extractor(images) returns the list of feature
    maps f_i, one per weight."""
    pairs = zip(layer_weights, extractor(real), extractor(fake))
    return sum(
        w * keras.ops.mean(keras.ops.abs(keras.ops.stop_gradient(a) - b)) for w, a, b in pairs
    )

# %% part: gaugan_step
def make_gaugan_step(
    generator,
    encoder,
    discriminator,
    g_optimizer,
    d_optimizer,
    feature_weight=10.0,
    kl_weight=0.05,
    perceptual=None,
    perceptual_weight=10.0,
    seed=None,
):
    """Return a tf.function step(images, label_maps) -> {"d_loss", "g_loss", "feature_loss",
    "kl_loss", "perceptual_loss"}: the discriminator's hinge update on a fake held constant,
    then one update of the generator and the encoder together (g_optimizer) on hinge +
    feature_weight * feature matching + kl_weight * KL (+ perceptual_weight * perceptual)."""

    def paint(images, label_maps):
        mean, log_var = encoder(images)
        return mean, log_var, generator([sample_style(mean, log_var, seed), label_maps])

    def judge(label_maps, images, fake):
        return discriminator([label_maps, images]), discriminator([label_maps, fake])

    @tf.function
    def step(images, label_maps):
        fake = keras.ops.stop_gradient(paint(images, label_maps)[2])
        with tf.GradientTape() as tape:
            d_loss = discriminator_hinge_loss(*judge(label_maps, images, fake))
        d_vars = discriminator.trainable_variables
        d_optimizer.apply_gradients(zip(tape.gradient(d_loss, d_vars), d_vars))

        with tf.GradientTape() as tape:
            mean, log_var, fake = paint(images, label_maps)
            real_out, fake_out = judge(label_maps, images, fake)
            losses = {
                "feature_loss": feature_matching_loss(real_out, fake_out),
                "kl_loss": kl_divergence(mean, log_var),
                "perceptual_loss": (
                    perceptual(images, fake) if perceptual is not None else tf.constant(0.0)
                ),
            }
            g_loss = (
                generator_hinge_loss(fake_out)
                + feature_weight * losses["feature_loss"]
                + kl_weight * losses["kl_loss"]
                + (perceptual_weight * losses["perceptual_loss"] if perceptual is not None else 0.0)
            )
        g_vars = generator.trainable_variables + encoder.trainable_variables
        g_optimizer.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars))
        return {"d_loss": d_loss, "g_loss": g_loss, **losses}

    return step
