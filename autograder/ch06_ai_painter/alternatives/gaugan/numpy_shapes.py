"""Correct answer set, style: NumPy-minded, explicit shapes and reshapes.

A student who thinks in arrays and writes shapes down: SPADE flattens x to (B * H * W, C) and
takes each channel's mean and variance down the rows, the sublayers are built in `build` with
their input shapes spelled out, the generator doubles a `size` counter in a while loop until it
reaches the image size, every loss reshapes its tensors to (batch, -1) and averages row by row
(each row the same length, so this is the mean over all numbers), and the step keeps running
sums and counts. Only keras.ops inside the layers and losses, keras.layers for the models,
tf.GradientTape / tf.function for the step. Written from the task text alone.
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
        num_channels = int(x_shape[-1])
        num_labels = int(label_map_shape[-1])
        self.shared = keras.layers.Conv2D(self.hidden, (3, 3), padding="same", activation="relu")
        self.gamma_conv = keras.layers.Conv2D(num_channels, (3, 3), padding="same")
        self.beta_conv = keras.layers.Conv2D(num_channels, (3, 3), padding="same")
        # (B, H, W, L) -> (B, H, W, hidden) -> (B, H, W, C), H and W those of x
        self.shared.build((None, None, None, num_labels))
        self.gamma_conv.build((None, None, None, self.hidden))
        self.beta_conv.build((None, None, None, self.hidden))

    def call(self, x, label_map):
        num_channels = x.shape[-1]
        height, width = x.shape[1], x.shape[2]
        # (B, H, W, C) -> (B * H * W, C): one row per position, one column per channel
        rows = keras.ops.reshape(x, (-1, num_channels))
        mu = keras.ops.mean(rows, axis=0)  # (C,)
        sigma2 = keras.ops.mean((rows - mu) ** 2, axis=0)  # (C,)
        mu = keras.ops.reshape(mu, (1, 1, 1, num_channels))
        sigma2 = keras.ops.reshape(sigma2, (1, 1, 1, num_channels))
        x_hat = (x - mu) / keras.ops.sqrt(sigma2 + self.epsilon)  # (B, H, W, C)
        # (B, H', W', L) -> (B, H, W, L), every pixel keeping one class
        m = keras.ops.image.resize(label_map, (height, width), interpolation="nearest")
        h = self.shared(m)  # (B, H, W, hidden)
        gamma = self.gamma_conv(h)  # (B, H, W, C)
        beta = self.beta_conv(h)  # (B, H, W, C)
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
        c_in = int(x_shape[-1])
        middle = min(c_in, self.filters)
        self.learned_shortcut = c_in != self.filters
        self.spade_1 = SPADE(hidden=self.hidden)
        self.conv_1 = keras.layers.Conv2D(middle, (3, 3), padding="same")
        self.act_1 = keras.layers.LeakyReLU(negative_slope=0.2)
        self.spade_2 = SPADE(hidden=self.hidden)
        self.conv_2 = keras.layers.Conv2D(self.filters, (3, 3), padding="same")
        self.act_2 = keras.layers.LeakyReLU(negative_slope=0.2)
        self.spade_skip = None
        self.conv_skip = None
        if self.learned_shortcut:
            self.spade_skip = SPADE(hidden=self.hidden)
            self.conv_skip = keras.layers.Conv2D(self.filters, (1, 1), use_bias=False)

    def call(self, x, label_map):
        # main path: (B, H, W, C_in) -> (B, H, W, middle) -> (B, H, W, filters)
        main = self.spade_1(x, label_map)
        main = self.act_1(main)
        main = self.conv_1(main)
        main = self.spade_2(main, label_map)
        main = self.act_2(main)
        main = self.conv_2(main)
        # shortcut: (B, H, W, C_in) -> (B, H, W, filters)
        if self.learned_shortcut:
            shortcut = self.spade_skip(x, label_map)
            shortcut = self.conv_skip(shortcut)
        else:
            shortcut = x
        return main + shortcut

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
    z = keras.Input(shape=(z_dim,))  # (B, z_dim)
    label_map = keras.Input(shape=(image_size, image_size, num_labels))  # (B, S, S, L)
    h = keras.layers.Dense(4 * 4 * 4 * filters)(z)  # (B, 64 f)
    h = keras.layers.Reshape((4, 4, 4 * filters))(h)  # (B, 4, 4, 4 f)
    size, k = 4, 0
    while size < image_size:  # k = 0 .. log2(S / 4) - 1
        block_filters = filters * 2 ** max(0, 2 - k)
        h = SPADEResBlock(block_filters, hidden=hidden)(h, label_map)  # (B, size, size, ...)
        h = keras.layers.UpSampling2D(size=(2, 2))(h)  # (B, 2 size, 2 size, ...)
        size, k = size * 2, k + 1
    h = SPADEResBlock(filters, hidden=hidden)(h, label_map)  # (B, S, S, f)
    h = keras.layers.LeakyReLU(negative_slope=0.2)(h)
    h = keras.layers.Conv2D(channels, (3, 3), padding="same")(h)  # (B, S, S, channels)
    images = keras.layers.Activation("tanh")(h)
    return keras.Model(inputs=[z, label_map], outputs=images)

# %% part: style_encoder
def build_style_encoder(z_dim=64, filters=32, image_size=IMAGE_SIZE, channels=1):
    """keras.Model images (B, S, S, channels) -> [mean, log_var], each (B, z_dim): three
    Conv2D(filters * 2 ** i, 3, strides=2, same) each followed by LeakyReLU(0.2), Flatten, then
    two Dense(z_dim)."""
    images = keras.Input(shape=(image_size, image_size, channels))  # (B, S, S, channels)
    h = images
    for i in range(3):  # (B, S/2, S/2, f), (B, S/4, S/4, 2f), (B, S/8, S/8, 4f)
        h = keras.layers.Conv2D(filters * 2**i, (3, 3), strides=(2, 2), padding="same")(h)
        h = keras.layers.LeakyReLU(negative_slope=0.2)(h)
    h = keras.layers.Flatten()(h)  # (B, ceil(S/8) * ceil(S/8) * 4f)
    mean = keras.layers.Dense(z_dim)(h)  # (B, z_dim)
    log_var = keras.layers.Dense(z_dim)(h)  # (B, z_dim)
    return keras.Model(inputs=images, outputs=[mean, log_var])


def sample_style(mean, log_var, seed=None):
    """mean + exp(log_var / 2) * eps, eps = keras.random.normal(mean's shape, seed=seed)."""
    shape = keras.ops.shape(mean)  # (B, z_dim)
    eps = keras.random.normal(shape, mean=0.0, stddev=1.0, seed=seed)
    sigma = keras.ops.exp(0.5 * log_var)  # the standard deviation
    return mean + sigma * eps

# %% part: multiscale_discriminator
def build_patch_discriminator(num_labels=NUM_LABELS, filters=64, channels=1):
    """keras.Model [label_map (B, H, W, num_labels), image (B, H, W, channels)] -> [f1, f2, f3,
    logits]: the concatenation [label_map, image], then Conv2D(filters, 4, strides 2) + LeakyReLU
    0.2 (f1), Conv2D(2 * filters, 4, strides 2) + LeakyReLU (f2), Conv2D(4 * filters, 4, strides
    1) + LeakyReLU (f3), Conv2D(1, 4, strides 1) (logits); all with same padding."""
    label_map = keras.Input(shape=(None, None, num_labels))  # (B, H, W, L)
    image = keras.Input(shape=(None, None, channels))  # (B, H, W, channels)
    h = keras.layers.Concatenate(axis=3)([label_map, image])  # (B, H, W, L + channels)
    features = []
    for out_channels, stride in ((filters, 2), (2 * filters, 2), (4 * filters, 1)):
        h = keras.layers.Conv2D(out_channels, (4, 4), strides=(stride, stride), padding="same")(h)
        h = keras.layers.LeakyReLU(negative_slope=0.2)(h)
        features.append(h)  # (B, H/2, W/2, f), (B, H/4, W/4, 2f), (B, H/4, W/4, 4f)
    logits = keras.layers.Conv2D(1, (4, 4), strides=(1, 1), padding="same")(h)  # (B, H/4, W/4, 1)
    return keras.Model(inputs=[label_map, image], outputs=features + [logits])


def build_multiscale_discriminator(num_labels=NUM_LABELS, filters=64, channels=1, scales=2):
    """keras.Model [label_map, image] -> a list over scales of the lists [f1, f2, f3, logits] of
    a patch discriminator of each scale's own; scale k sees both inputs average-pooled k times
    (AveragePooling2D(3, strides=2, padding="same"))."""
    label_map = keras.Input(shape=(None, None, num_labels))
    image = keras.Input(shape=(None, None, channels))
    outputs = []
    scaled_map, scaled_image = label_map, image  # (B, H / 2 ** k, W / 2 ** k, ...) at scale k
    for k in range(scales):
        if k >= 1:
            scaled_map = keras.layers.AveragePooling2D(
                pool_size=(3, 3), strides=(2, 2), padding="same"
            )(scaled_map)
            scaled_image = keras.layers.AveragePooling2D(
                pool_size=(3, 3), strides=(2, 2), padding="same"
            )(scaled_image)
        discriminator_k = build_patch_discriminator(num_labels, filters, channels)
        outputs.append(discriminator_k([scaled_map, scaled_image]))
    return keras.Model(inputs=[label_map, image], outputs=outputs)

# %% part: gaugan_losses
def _mean_of_all(t):
    """The mean over every number of t: (B, ...) -> (B, n) -> the rows' means -> their mean."""
    rows = keras.ops.reshape(t, (keras.ops.shape(t)[0], -1))
    return keras.ops.mean(keras.ops.mean(rows, axis=1), axis=0)


def discriminator_hinge_loss(real_outputs, fake_outputs):
    """The mean over scales of mean(relu(1 - real logits)) + mean(relu(1 + fake logits)); the
    logits are the last entry of each scale's list."""
    num_scales = len(real_outputs)
    total = 0.0
    for s in range(num_scales):
        real_logits, fake_logits = real_outputs[s][-1], fake_outputs[s][-1]  # (B, h, w, 1)
        total += _mean_of_all(keras.ops.maximum(1.0 - real_logits, 0.0))
        total += _mean_of_all(keras.ops.maximum(1.0 + fake_logits, 0.0))
    return total / num_scales


def generator_hinge_loss(fake_outputs):
    """The mean over scales of -mean(fake logits)."""
    num_scales = len(fake_outputs)
    total = 0.0
    for s in range(num_scales):
        total += -_mean_of_all(fake_outputs[s][-1])
    return total / num_scales


def feature_matching_loss(real_outputs, fake_outputs):
    """The mean over scales of the mean over that scale's features but the last (the logits) of
    mean(|stop_gradient(real feature) - fake feature|)."""
    num_scales = len(real_outputs)
    total = 0.0
    for s in range(num_scales):
        num_features = len(real_outputs[s]) - 1  # the logits are left out
        scale_total = 0.0
        for i in range(num_features):
            real_feature = keras.ops.stop_gradient(real_outputs[s][i])
            scale_total += _mean_of_all(keras.ops.absolute(real_feature - fake_outputs[s][i]))
        total += scale_total / num_features
    return total / num_scales


def kl_divergence(mean, log_var):
    """KL(N(mean, exp(log_var)) || N(0, 1)) summed over the last axis, averaged over the batch:
    mean over b of -0.5 * sum_j (1 + log_var - mean ** 2 - exp(log_var))."""
    per_entry = -0.5 * (1.0 + log_var - mean**2 - keras.ops.exp(log_var))  # (B, z_dim)
    per_item = keras.ops.sum(per_entry, axis=-1)  # (B,)
    return keras.ops.mean(per_item, axis=0)  # ()


def perceptual_loss(extractor, real, fake, layer_weights):
    """sum_i layer_weights[i] * mean(|f_i(real) - f_i(fake)|), the real features held constant.

    real, fake: VGG19 inputs (B, H, W, 3), given to the extractor as they are; the notebook
    makes them with to_vgg_input (grey images in [-1, 1] repeated to 3 channels, mapped to
    0..255, ImageNet's mean pixel subtracted). extractor(images) returns the list of feature
    maps f_i, one per weight."""
    real_features = extractor(real)
    fake_features = extractor(fake)
    total = 0.0
    for i in range(len(layer_weights)):
        real_feature = keras.ops.stop_gradient(real_features[i])
        total += layer_weights[i] * _mean_of_all(
            keras.ops.absolute(real_feature - fake_features[i])
        )
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
        # images (B, S, S, channels) in [-1, 1]; label_maps (B, S, S, L) one-hot
        # ---- 1. the discriminator
        mean, log_var = encoder(images)  # (B, z_dim) twice
        z = sample_style(mean, log_var, seed)  # (B, z_dim)
        fake = generator([z, label_maps])  # (B, S, S, channels)
        fake = keras.ops.stop_gradient(fake)  # held constant
        with tf.GradientTape() as tape:
            real_outputs = discriminator([label_maps, images])
            fake_outputs = discriminator([label_maps, fake])
            d_loss = discriminator_hinge_loss(real_outputs, fake_outputs)
        d_variables = list(discriminator.trainable_variables)
        d_gradients = tape.gradient(d_loss, d_variables)
        d_optimizer.apply_gradients(list(zip(d_gradients, d_variables)))

        # ---- 2. the generator and the encoder, a fresh tape, the updated discriminator
        with tf.GradientTape() as tape:
            mean, log_var = encoder(images)
            z = sample_style(mean, log_var, seed)
            fake = generator([z, label_maps])
            real_outputs = discriminator([label_maps, images])
            fake_outputs = discriminator([label_maps, fake])
            adversarial_loss = generator_hinge_loss(fake_outputs)
            feature_loss = feature_matching_loss(real_outputs, fake_outputs)
            kl_loss = kl_divergence(mean, log_var)
            perceptual_value = keras.ops.zeros(())
            if perceptual is not None:
                perceptual_value = perceptual(images, fake)
            g_loss = adversarial_loss + feature_weight * feature_loss + kl_weight * kl_loss
            if perceptual is not None:
                g_loss = g_loss + perceptual_weight * perceptual_value
        g_variables = list(generator.trainable_variables) + list(encoder.trainable_variables)
        g_gradients = tape.gradient(g_loss, g_variables)
        g_optimizer.apply_gradients(list(zip(g_gradients, g_variables)))

        # ---- 3. the losses, each as computed before its update
        return {
            "d_loss": d_loss,
            "g_loss": g_loss,
            "feature_loss": feature_loss,
            "kl_loss": kl_loss,
            "perceptual_loss": perceptual_value,
        }

    return step
