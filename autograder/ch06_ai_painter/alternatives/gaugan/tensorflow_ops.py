"""Correct answer set, style: TensorFlow ops.

A student who thinks in TensorFlow: SPADE's statistics with tf.nn.moments and the normalisation
with tf.nn.batch_normalization (no offset, no scale), the label map resized with
tf.image.resize(method="nearest"), LeakyReLU as tf.nn.leaky_relu(alpha=0.2) inside layers, the
losses with tf.reduce_mean / tf.reduce_sum / tf.nn.relu / tf.stop_gradient, and the step with
tf.GradientTape under tf.function, the fake of the discriminator's update made outside its tape.
Functional models use keras.layers (TensorFlow ops do not take symbolic Keras tensors), and eps
is drawn with keras.random.normal as the task asks. Written from the task text alone.
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
        self.gamma_conv = keras.layers.Conv2D(x_shape[-1], 3, padding="same")
        self.beta_conv = keras.layers.Conv2D(x_shape[-1], 3, padding="same")

    def call(self, x, label_map):
        mean, variance = tf.nn.moments(x, axes=[0, 1, 2], keepdims=True)
        x_hat = tf.nn.batch_normalization(
            x, mean, variance, offset=None, scale=None, variance_epsilon=self.epsilon
        )
        resized = tf.image.resize(label_map, tf.shape(x)[1:3], method="nearest")
        features = self.shared(resized)
        gamma = self.gamma_conv(features)
        beta = self.beta_conv(features)
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
        c_in = x_shape[-1]
        self.spade_1 = SPADE(self.hidden)
        self.conv_1 = keras.layers.Conv2D(min(c_in, self.filters), 3, padding="same")
        self.spade_2 = SPADE(self.hidden)
        self.conv_2 = keras.layers.Conv2D(self.filters, 3, padding="same")
        self.spade_skip = SPADE(self.hidden) if c_in != self.filters else None
        self.conv_skip = (
            keras.layers.Conv2D(self.filters, 1, use_bias=False) if c_in != self.filters else None
        )

    def call(self, x, label_map):
        main = self.conv_1(tf.nn.leaky_relu(self.spade_1(x, label_map), alpha=0.2))
        main = self.conv_2(tf.nn.leaky_relu(self.spade_2(main, label_map), alpha=0.2))
        if self.conv_skip is not None:
            shortcut = self.conv_skip(self.spade_skip(x, label_map))
        else:
            shortcut = x
        return tf.add(main, shortcut)

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
    z = keras.Input(shape=(z_dim,), name="z")
    label_map = keras.Input(shape=(image_size, image_size, num_labels), name="label_map")
    x = keras.layers.Dense(4 * 4 * 4 * filters)(z)
    x = keras.layers.Reshape((4, 4, 4 * filters))(x)
    doublings = int(round(math.log2(image_size / 4)))
    for k in range(doublings):
        x = SPADEResBlock(filters * 2 ** max(0, 2 - k), hidden=hidden)(x, label_map)
        x = keras.layers.UpSampling2D(size=2)(x)
    x = SPADEResBlock(filters, hidden=hidden)(x, label_map)
    x = keras.layers.LeakyReLU(negative_slope=0.2)(x)
    images = keras.layers.Conv2D(channels, 3, padding="same", activation="tanh")(x)
    return keras.Model(inputs=[z, label_map], outputs=images, name="gaugan_generator")

# %% part: style_encoder
def build_style_encoder(z_dim=64, filters=32, image_size=IMAGE_SIZE, channels=1):
    """keras.Model images (B, S, S, channels) -> [mean, log_var], each (B, z_dim): three
    Conv2D(filters * 2 ** i, 3, strides=2, same) each followed by LeakyReLU(0.2), Flatten, then
    two Dense(z_dim)."""
    images = keras.Input(shape=(image_size, image_size, channels), name="images")
    x = keras.layers.Conv2D(filters, 3, strides=2, padding="same")(images)
    x = keras.layers.LeakyReLU(negative_slope=0.2)(x)
    x = keras.layers.Conv2D(2 * filters, 3, strides=2, padding="same")(x)
    x = keras.layers.LeakyReLU(negative_slope=0.2)(x)
    x = keras.layers.Conv2D(4 * filters, 3, strides=2, padding="same")(x)
    x = keras.layers.LeakyReLU(negative_slope=0.2)(x)
    x = keras.layers.Flatten()(x)
    mean = keras.layers.Dense(z_dim, name="mean")(x)
    log_var = keras.layers.Dense(z_dim, name="log_var")(x)
    return keras.Model(inputs=images, outputs=[mean, log_var], name="style_encoder")


def sample_style(mean, log_var, seed=None):
    """mean + exp(log_var / 2) * eps, eps = keras.random.normal(mean's shape, seed=seed)."""
    eps = keras.random.normal(tf.shape(mean), seed=seed)
    return mean + tf.exp(0.5 * log_var) * eps

# %% part: multiscale_discriminator
def build_patch_discriminator(num_labels=NUM_LABELS, filters=64, channels=1):
    """keras.Model [label_map (B, H, W, num_labels), image (B, H, W, channels)] -> [f1, f2, f3,
    logits]: the concatenation [label_map, image], then Conv2D(filters, 4, strides 2) + LeakyReLU
    0.2 (f1), Conv2D(2 * filters, 4, strides 2) + LeakyReLU (f2), Conv2D(4 * filters, 4, strides
    1) + LeakyReLU (f3), Conv2D(1, 4, strides 1) (logits); all with same padding."""
    label_map = keras.Input(shape=(None, None, num_labels))
    image = keras.Input(shape=(None, None, channels))
    x = keras.layers.Concatenate(axis=-1)([label_map, image])
    x = keras.layers.Conv2D(filters, 4, strides=2, padding="same")(x)
    f1 = keras.layers.LeakyReLU(negative_slope=0.2)(x)
    x = keras.layers.Conv2D(2 * filters, 4, strides=2, padding="same")(f1)
    f2 = keras.layers.LeakyReLU(negative_slope=0.2)(x)
    x = keras.layers.Conv2D(4 * filters, 4, strides=1, padding="same")(f2)
    f3 = keras.layers.LeakyReLU(negative_slope=0.2)(x)
    logits = keras.layers.Conv2D(1, 4, strides=1, padding="same")(f3)
    return keras.Model(inputs=[label_map, image], outputs=[f1, f2, f3, logits])


def build_multiscale_discriminator(num_labels=NUM_LABELS, filters=64, channels=1, scales=2):
    """keras.Model [label_map, image] -> a list over scales of the lists [f1, f2, f3, logits] of
    a patch discriminator of each scale's own; scale k sees both inputs average-pooled k times
    (AveragePooling2D(3, strides=2, padding="same"))."""
    label_map = keras.Input(shape=(None, None, num_labels))
    image = keras.Input(shape=(None, None, channels))
    pool = keras.layers.AveragePooling2D(pool_size=3, strides=2, padding="same")
    m, x = label_map, image
    per_scale = []
    for scale in range(scales):
        if scale:
            m, x = pool(m), pool(x)
        per_scale.append(build_patch_discriminator(num_labels, filters, channels)([m, x]))
    return keras.Model(inputs=[label_map, image], outputs=per_scale)

# %% part: gaugan_losses
def discriminator_hinge_loss(real_outputs, fake_outputs):
    """The mean over scales of mean(relu(1 - real logits)) + mean(relu(1 + fake logits)); the
    logits are the last entry of each scale's list."""
    per_scale = [
        tf.reduce_mean(tf.nn.relu(1.0 - real[-1])) + tf.reduce_mean(tf.nn.relu(1.0 + fake[-1]))
        for real, fake in zip(real_outputs, fake_outputs)
    ]
    return tf.reduce_mean(tf.stack(per_scale))


def generator_hinge_loss(fake_outputs):
    """The mean over scales of -mean(fake logits)."""
    return -tf.reduce_mean(tf.stack([tf.reduce_mean(fake[-1]) for fake in fake_outputs]))


def feature_matching_loss(real_outputs, fake_outputs):
    """The mean over scales of the mean over that scale's features but the last (the logits) of
    mean(|stop_gradient(real feature) - fake feature|)."""
    per_scale = []
    for real, fake in zip(real_outputs, fake_outputs):
        per_feature = [
            tf.reduce_mean(tf.abs(tf.stop_gradient(r) - f)) for r, f in zip(real[:-1], fake[:-1])
        ]
        per_scale.append(tf.reduce_mean(tf.stack(per_feature)))
    return tf.reduce_mean(tf.stack(per_scale))


def kl_divergence(mean, log_var):
    """KL(N(mean, exp(log_var)) || N(0, 1)) summed over the last axis, averaged over the batch:
    mean over b of -0.5 * sum_j (1 + log_var - mean ** 2 - exp(log_var))."""
    per_item = -0.5 * tf.reduce_sum(1.0 + log_var - tf.square(mean) - tf.exp(log_var), axis=-1)
    return tf.reduce_mean(per_item)


def perceptual_loss(extractor, real, fake, layer_weights):
    """sum_i layer_weights[i] * mean(|f_i(real) - f_i(fake)|), the real features held constant.

    real, fake: VGG19 inputs (B, H, W, 3), given to the extractor as they are; the notebook
    makes them with to_vgg_input (grey images in [-1, 1] repeated to 3 channels, mapped to
    0..255, ImageNet's mean pixel subtracted). extractor(images) returns the list of feature
    maps f_i, one per weight."""
    real_features = [tf.stop_gradient(f) for f in extractor(real)]
    fake_features = extractor(fake)
    terms = [
        w * tf.reduce_mean(tf.abs(r - f))
        for w, r, f in zip(layer_weights, real_features, fake_features)
    ]
    return tf.add_n(terms)

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
        # 1. Discriminator: the fake is made outside the tape, so it is a constant to it.
        mean, log_var = encoder(images, training=True)
        z = sample_style(mean, log_var, seed)
        fake = tf.stop_gradient(generator([z, label_maps], training=True))
        with tf.GradientTape() as d_tape:
            d_real = discriminator([label_maps, images], training=True)
            d_fake = discriminator([label_maps, fake], training=True)
            d_loss = discriminator_hinge_loss(d_real, d_fake)
        d_grads = d_tape.gradient(d_loss, discriminator.trainable_variables)
        d_optimizer.apply_gradients(zip(d_grads, discriminator.trainable_variables))

        # 2. Generator and encoder, on a fresh tape, against the updated discriminator.
        with tf.GradientTape() as g_tape:
            mean, log_var = encoder(images, training=True)
            z = sample_style(mean, log_var, seed)
            fake = generator([z, label_maps], training=True)
            d_real = discriminator([label_maps, images], training=True)
            d_fake = discriminator([label_maps, fake], training=True)
            feature_loss = feature_matching_loss(d_real, d_fake)
            kl_loss = kl_divergence(mean, log_var)
            g_loss = (
                generator_hinge_loss(d_fake)
                + feature_weight * feature_loss
                + kl_weight * kl_loss
            )
            if perceptual is None:
                p_loss = tf.constant(0.0)
            else:
                p_loss = perceptual(images, fake)
                g_loss += perceptual_weight * p_loss
        g_vars = generator.trainable_variables + encoder.trainable_variables
        g_grads = g_tape.gradient(g_loss, g_vars)
        g_optimizer.apply_gradients(zip(g_grads, g_vars))

        return {
            "d_loss": d_loss,
            "g_loss": g_loss,
            "feature_loss": feature_loss,
            "kl_loss": kl_loss,
            "perceptual_loss": p_loss,
        }

    return step
