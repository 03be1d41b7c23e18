"""PART: spade_block
MISTAKE: Applies LeakyReLU(0.2) after adding main and shortcut instead of returning the plain sum.

A copy of the correct set (correct/gaugan/base.py) with this one mistake."""

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
        channels = x_shape[-1]
        self.shared = keras.layers.Conv2D(self.hidden, 3, padding="same", activation="relu")
        self.gamma_conv = keras.layers.Conv2D(channels, 3, padding="same")
        self.beta_conv = keras.layers.Conv2D(channels, 3, padding="same")

    def call(self, x, label_map):
        # 1. batch statistics over batch, height and width, always
        mean = keras.ops.mean(x, axis=(0, 1, 2), keepdims=True)
        variance = keras.ops.mean(keras.ops.square(x - mean), axis=(0, 1, 2), keepdims=True)
        x_hat = (x - mean) / keras.ops.sqrt(variance + self.epsilon)
        # 2. the label map at x's size, nearest neighbour
        shape = keras.ops.shape(x)
        height, width = shape[1], shape[2]
        label_map = keras.ops.cast(label_map, x.dtype)
        label_map = keras.ops.image.resize(label_map, (height, width), interpolation="nearest")
        # 3. gamma and beta from the small network
        h = self.shared(label_map)
        gamma = self.gamma_conv(h)
        beta = self.beta_conv(h)
        # 4. denormalise
        return x_hat * (1.0 + gamma) + beta

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
        channels_in = x_shape[-1]
        middle = min(channels_in, self.filters)
        self.spade_1 = SPADE(hidden=self.hidden)
        self.conv_1 = keras.layers.Conv2D(middle, 3, padding="same")
        self.spade_2 = SPADE(hidden=self.hidden)
        self.conv_2 = keras.layers.Conv2D(self.filters, 3, padding="same")
        if channels_in != self.filters:
            self.spade_skip = SPADE(hidden=self.hidden)
            self.conv_skip = keras.layers.Conv2D(self.filters, 1, use_bias=False)
        else:
            self.spade_skip = None
            self.conv_skip = None

    def call(self, x, label_map):
        h = self.spade_1(x, label_map)
        h = keras.ops.leaky_relu(h, 0.2)
        h = self.conv_1(h)
        h = self.spade_2(h, label_map)
        h = keras.ops.leaky_relu(h, 0.2)
        h = self.conv_2(h)
        if self.conv_skip is None:
            shortcut = x
        else:
            shortcut = self.conv_skip(self.spade_skip(x, label_map))
        return keras.ops.leaky_relu(h + shortcut, 0.2)

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
    z = keras.Input((z_dim,))
    label_map = keras.Input((image_size, image_size, num_labels))
    h = keras.layers.Dense(4 * 4 * 4 * filters)(z)
    h = keras.layers.Reshape((4, 4, 4 * filters))(h)
    for k in range(int(math.log2(image_size // 4))):
        h = SPADEResBlock(filters * 2 ** max(0, 2 - k), hidden=hidden)(h, label_map)
        h = keras.layers.UpSampling2D(2)(h)
    h = SPADEResBlock(filters, hidden=hidden)(h, label_map)
    h = keras.layers.LeakyReLU(0.2)(h)
    h = keras.layers.Conv2D(channels, 3, padding="same")(h)
    images = keras.layers.Activation("tanh")(h)
    return keras.Model([z, label_map], images)

# %% part: style_encoder
def build_style_encoder(z_dim=64, filters=32, image_size=IMAGE_SIZE, channels=1):
    """keras.Model images (B, S, S, channels) -> [mean, log_var], each (B, z_dim): three
    Conv2D(filters * 2 ** i, 3, strides=2, same) each followed by LeakyReLU(0.2), Flatten, then
    two Dense(z_dim)."""
    images = keras.Input((image_size, image_size, channels))
    h = images
    for i in range(3):
        h = keras.layers.Conv2D(filters * 2 ** i, 3, strides=2, padding="same")(h)
        h = keras.layers.LeakyReLU(0.2)(h)
    h = keras.layers.Flatten()(h)
    mean = keras.layers.Dense(z_dim)(h)
    log_var = keras.layers.Dense(z_dim)(h)
    return keras.Model(images, [mean, log_var])


def sample_style(mean, log_var, seed=None):
    """mean + exp(log_var / 2) * eps, eps = keras.random.normal(mean's shape, seed=seed)."""
    eps = keras.random.normal(keras.ops.shape(mean), seed=seed)
    return mean + keras.ops.exp(log_var / 2.0) * eps

# %% part: multiscale_discriminator
def build_patch_discriminator(num_labels=NUM_LABELS, filters=64, channels=1):
    """keras.Model [label_map (B, H, W, num_labels), image (B, H, W, channels)] -> [f1, f2, f3,
    logits]: the concatenation [label_map, image], then Conv2D(filters, 4, strides 2) + LeakyReLU
    0.2 (f1), Conv2D(2 * filters, 4, strides 2) + LeakyReLU (f2), Conv2D(4 * filters, 4, strides
    1) + LeakyReLU (f3), Conv2D(1, 4, strides 1) (logits); all with same padding."""
    label_map = keras.Input((None, None, num_labels))
    image = keras.Input((None, None, channels))
    h = keras.layers.Concatenate(axis=-1)([label_map, image])
    h = keras.layers.Conv2D(filters, 4, strides=2, padding="same")(h)
    f1 = keras.layers.LeakyReLU(0.2)(h)
    h = keras.layers.Conv2D(2 * filters, 4, strides=2, padding="same")(f1)
    f2 = keras.layers.LeakyReLU(0.2)(h)
    h = keras.layers.Conv2D(4 * filters, 4, strides=1, padding="same")(f2)
    f3 = keras.layers.LeakyReLU(0.2)(h)
    logits = keras.layers.Conv2D(1, 4, strides=1, padding="same")(f3)
    return keras.Model([label_map, image], [f1, f2, f3, logits])


def build_multiscale_discriminator(num_labels=NUM_LABELS, filters=64, channels=1, scales=2):
    """keras.Model [label_map, image] -> a list over scales of the lists [f1, f2, f3, logits] of
    a patch discriminator of each scale's own; scale k sees both inputs average-pooled k times
    (AveragePooling2D(3, strides=2, padding="same"))."""
    label_map = keras.Input((None, None, num_labels))
    image = keras.Input((None, None, channels))
    m, x = label_map, image
    outputs = []
    for k in range(scales):
        if k > 0:
            m = keras.layers.AveragePooling2D(3, strides=2, padding="same")(m)
            x = keras.layers.AveragePooling2D(3, strides=2, padding="same")(x)
        patch = build_patch_discriminator(num_labels, filters, channels)
        outputs.append(patch([m, x]))
    return keras.Model([label_map, image], outputs)

# %% part: gaugan_losses
def discriminator_hinge_loss(real_outputs, fake_outputs):
    """The mean over scales of mean(relu(1 - real logits)) + mean(relu(1 + fake logits)); the
    logits are the last entry of each scale's list."""
    total = 0.0
    for real, fake in zip(real_outputs, fake_outputs):
        total += keras.ops.mean(keras.ops.relu(1.0 - real[-1]))
        total += keras.ops.mean(keras.ops.relu(1.0 + fake[-1]))
    return total / len(real_outputs)


def generator_hinge_loss(fake_outputs):
    """The mean over scales of -mean(fake logits)."""
    total = 0.0
    for fake in fake_outputs:
        total += -keras.ops.mean(fake[-1])
    return total / len(fake_outputs)


def feature_matching_loss(real_outputs, fake_outputs):
    """The mean over scales of the mean over that scale's features but the last (the logits) of
    mean(|stop_gradient(real feature) - fake feature|)."""
    total = 0.0
    for real, fake in zip(real_outputs, fake_outputs):
        features = len(real) - 1
        scale_loss = 0.0
        for i in range(features):
            difference = keras.ops.stop_gradient(real[i]) - fake[i]
            scale_loss += keras.ops.mean(keras.ops.abs(difference))
        total += scale_loss / features
    return total / len(real_outputs)


def kl_divergence(mean, log_var):
    """KL(N(mean, exp(log_var)) || N(0, 1)) summed over the last axis, averaged over the batch:
    mean over b of -0.5 * sum_j (1 + log_var - mean ** 2 - exp(log_var))."""
    per_item = -0.5 * keras.ops.sum(
        1.0 + log_var - keras.ops.square(mean) - keras.ops.exp(log_var), axis=-1
    )
    return keras.ops.mean(per_item)


def perceptual_loss(extractor, real, fake, layer_weights):
    """sum_i layer_weights[i] * mean(|f_i(real) - f_i(fake)|), the real features held constant.

    real, fake: VGG19 inputs (B, H, W, 3), given to the extractor as they are; the notebook
    makes them with to_vgg_input (grey images in [-1, 1] repeated to 3 channels, mapped to
    0..255, ImageNet's mean pixel subtracted). extractor(images) returns the list of feature
    maps f_i, one per weight."""
    real_features = extractor(real)
    fake_features = extractor(fake)
    total = 0.0
    for weight, r, f in zip(layer_weights, real_features, fake_features):
        total += weight * keras.ops.mean(keras.ops.abs(keras.ops.stop_gradient(r) - f))
    return total

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

    @tf.function
    def step(images, label_maps):
        # 1. the discriminator, on a fake held constant
        mean, log_var = encoder(images)
        z = sample_style(mean, log_var, seed)
        fake = tf.stop_gradient(generator([z, label_maps]))
        with tf.GradientTape() as d_tape:
            real_outputs = discriminator([label_maps, images])
            fake_outputs = discriminator([label_maps, fake])
            d_loss = discriminator_hinge_loss(real_outputs, fake_outputs)
        d_variables = discriminator.trainable_variables
        d_gradients = d_tape.gradient(d_loss, d_variables)
        d_optimizer.apply_gradients(zip(d_gradients, d_variables))

        # 2. the generator and the encoder together, on a fresh tape
        with tf.GradientTape() as g_tape:
            mean, log_var = encoder(images)
            z = sample_style(mean, log_var, seed)
            fake = generator([z, label_maps])
            real_outputs = discriminator([label_maps, images])
            fake_outputs = discriminator([label_maps, fake])
            adversarial = generator_hinge_loss(fake_outputs)
            feature_loss = feature_matching_loss(real_outputs, fake_outputs)
            kl_loss = kl_divergence(mean, log_var)
            g_loss = adversarial + feature_weight * feature_loss + kl_weight * kl_loss
            if perceptual is not None:
                vgg_loss = perceptual(images, fake)
                g_loss = g_loss + perceptual_weight * vgg_loss
            else:
                vgg_loss = tf.constant(0.0)
        g_variables = generator.trainable_variables + encoder.trainable_variables
        g_gradients = g_tape.gradient(g_loss, g_variables)
        g_optimizer.apply_gradients(zip(g_gradients, g_variables))

        # 3. the losses, as computed before their updates
        return {
            "d_loss": d_loss,
            "g_loss": g_loss,
            "feature_loss": feature_loss,
            "kl_loss": kl_loss,
            "perceptual_loss": vgg_loss,
        }

    return step
