"""PART: progan_step
MISTAKE: Makes the generator update first and the critic update second, the order reversed.

A good student's plain answers: TensorFlow ops (tf.reduce_mean, tf.nn.conv2d, tf.GradientTape)
inside small Keras layers and models, each stage's layers kept in Python lists built in __init__,
the blocks and the base as keras.Sequential, and an explicit loop over the stages in call.
"""

# %% part: pixel_norm
class PixelNorm(keras.layers.Layer):
    # Each pixel's feature vector (the last axis) divided by its root mean square.

    def __init__(self, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = epsilon

    def call(self, x):
        mean_square = tf.reduce_mean(tf.square(x), axis=-1, keepdims=True)
        return x * tf.math.rsqrt(mean_square + self.epsilon)


# %% part: minibatch_std
class MinibatchStd(keras.layers.Layer):
    # Appends the average standard deviation of each group of samples as one channel.

    def __init__(self, group_size=4, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.group_size = group_size
        self.epsilon = epsilon

    def call(self, x):
        shape = tf.shape(x)
        batch, height, width, channels = shape[0], shape[1], shape[2], shape[3]
        group = tf.minimum(self.group_size, batch)
        # consecutive samples form a group: (B / G, G, H, W, C)
        grouped = tf.reshape(x, [-1, group, height, width, channels])
        centred = grouped - tf.reduce_mean(grouped, axis=1, keepdims=True)
        std = tf.sqrt(tf.reduce_mean(tf.square(centred), axis=1) + self.epsilon)  # (B / G, H, W, C)
        per_group = tf.reduce_mean(std, axis=[1, 2, 3])  # (B / G,)
        per_sample = tf.repeat(per_group, group)  # (B,)
        feature = tf.ones_like(x[..., :1]) * per_sample[:, None, None, None]
        return tf.concat([x, feature], axis=-1)


# %% part: equalized_layers
class EqualizedDense(keras.layers.Layer):
    # A dense layer whose N(0, 1) kernel is scaled by gain / sqrt(fan_in) at every call.

    def __init__(self, units, gain=math.sqrt(2.0), **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.gain = gain

    def build(self, input_shape):
        fan_in = int(input_shape[-1])
        self.kernel = self.add_weight(
            shape=(fan_in, self.units),
            initializer=keras.initializers.RandomNormal(mean=0.0, stddev=1.0),
            trainable=True,
            name="kernel",
        )
        self.bias = self.add_weight(
            shape=(self.units,), initializer="zeros", trainable=True, name="bias"
        )
        self.scale = self.gain / math.sqrt(fan_in)

    def call(self, x):
        return tf.matmul(x, self.kernel * self.scale) + self.bias


class EqualizedConv2D(keras.layers.Layer):
    # A same-padded convolution whose N(0, 1) kernel is scaled by gain / sqrt(k * k * C_in).

    def __init__(self, filters, kernel_size=3, gain=math.sqrt(2.0), **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.kernel_size = kernel_size
        self.gain = gain

    def build(self, input_shape):
        channels_in = int(input_shape[-1])
        k = self.kernel_size
        self.kernel = self.add_weight(
            shape=(k, k, channels_in, self.filters),
            initializer=keras.initializers.RandomNormal(mean=0.0, stddev=1.0),
            trainable=True,
            name="kernel",
        )
        self.bias = self.add_weight(
            shape=(self.filters,), initializer="zeros", trainable=True, name="bias"
        )
        self.scale = self.gain / math.sqrt(k * k * channels_in)

    def call(self, x):
        y = tf.nn.conv2d(x, self.kernel * self.scale, strides=1, padding="SAME")
        return y + self.bias


# %% part: progan_generator
def fade_in(alpha, old, new):
    # (1 - alpha) * old + alpha * new
    return (1.0 - alpha) * old + alpha * new


class ProGenerator(keras.Model):
    # z (B, latent_dim) -> images (B, 4 * 2**stage, 4 * 2**stage, channels), faded in by alpha.

    def __init__(self, latent_dim=LATENT_DIM, filters=FILTERS, channels=1, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        self.filters = filters
        self.channels = channels
        base_filters = stage_filters(filters, 0)
        self.base = keras.Sequential([
            PixelNorm(),
            EqualizedDense(4 * 4 * base_filters, gain=math.sqrt(2.0) / 4),
            keras.layers.Reshape((4, 4, base_filters)),
            keras.layers.LeakyReLU(LEAK),
            PixelNorm(),
            EqualizedConv2D(base_filters, 3),
            keras.layers.LeakyReLU(LEAK),
            PixelNorm(),
        ])
        # blocks[s - 1] is stage s's block, s = 1 .. STAGES - 1
        self.blocks = [generator_block(stage_filters(filters, s)) for s in range(1, STAGES)]
        self.to_rgb = [EqualizedConv2D(channels, 1, gain=1.0) for _ in range(STAGES)]
        self.upsample = keras.layers.UpSampling2D(2)

    def build(self, input_shape):
        # nothing to create here: each stage's layers build themselves on their first call
        pass

    def call(self, z, stage=STAGES - 1, alpha=1.0):
        h = self.base(z)
        if stage == 0:
            return self.to_rgb[0](h)
        for s in range(1, stage):
            h = self.blocks[s - 1](h)
        old = self.upsample(self.to_rgb[stage - 1](h))
        new = self.to_rgb[stage](self.blocks[stage - 1](h))
        return fade_in(alpha, old, new)


# %% part: progan_discriminator
class ProDiscriminator(keras.Model):
    # images (B, 4 * 2**stage, 4 * 2**stage, C) -> scores (B, 1), faded in by alpha.

    def __init__(self, filters=FILTERS, group_size=4, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.group_size = group_size
        self.from_rgb = [
            keras.Sequential([
                EqualizedConv2D(stage_filters(filters, s), 1),
                keras.layers.LeakyReLU(LEAK),
            ])
            for s in range(STAGES)
        ]
        # blocks[s - 1] is stage s's block, s = 1 .. STAGES - 1
        self.blocks = [
            discriminator_block(stage_filters(filters, s), stage_filters(filters, s - 1))
            for s in range(1, STAGES)
        ]
        base_filters = stage_filters(filters, 0)
        self.base = keras.Sequential([
            MinibatchStd(group_size),
            EqualizedConv2D(base_filters, 3),
            keras.layers.LeakyReLU(LEAK),
            keras.layers.Flatten(),
            EqualizedDense(base_filters),
            keras.layers.LeakyReLU(LEAK),
            EqualizedDense(1, gain=1.0),
        ])
        self.downsample = keras.layers.AveragePooling2D(2)

    def build(self, input_shape):
        # nothing to create here: each stage's layers build themselves on their first call
        pass

    def call(self, images, stage=STAGES - 1, alpha=1.0):
        if stage == 0:
            return self.base(self.from_rgb[0](images))
        new = self.blocks[stage - 1](self.from_rgb[stage](images))
        old = self.from_rgb[stage - 1](self.downsample(images))
        h = fade_in(alpha, old, new)
        for s in range(stage - 1, 0, -1):
            h = self.blocks[s - 1](h)
        return self.base(h)


# %% part: progan_losses
def gradient_penalty(score_fn, real_images, fake_images, epsilon):
    # mean_i (||d sum(score_fn(mixed)) / d mixed_i|| - 1)^2, mixed = eps * real + (1 - eps) * fake
    mixed = epsilon * real_images + (1.0 - epsilon) * fake_images
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        scores = score_fn(mixed)
    gradients = tape.gradient(scores, mixed)
    norms = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=[1, 2, 3]))
    return tf.reduce_mean(tf.square(norms - 1.0))


def progan_critic_loss(real_scores, fake_scores, penalty, gp_weight=10.0, drift_weight=0.001):
    # mean(fake) - mean(real) + gp_weight * penalty + drift_weight * mean(real ** 2)
    wasserstein = tf.reduce_mean(fake_scores) - tf.reduce_mean(real_scores)
    drift = tf.reduce_mean(tf.square(real_scores))
    return wasserstein + gp_weight * penalty + drift_weight * drift


def progan_generator_loss(fake_scores):
    # -mean(fake)
    return -tf.reduce_mean(fake_scores)


# %% part: progan_step
def make_progan_step(generator, critic, g_optimizer, c_optimizer, stage):
    # step(real_images, critic_z, generator_z, epsilon, alpha) -> (critic loss, generator loss)

    @tf.function
    def step(real_images, critic_z, generator_z, epsilon, alpha):
        # 1. one generator update
        with tf.GradientTape() as tape:
            fake_images = generator(generator_z, stage=stage, alpha=alpha, training=True)
            fake_scores = critic(fake_images, stage=stage, alpha=alpha, training=True)
            g_loss = progan_generator_loss(fake_scores)
        g_variables = generator.trainable_variables
        g_gradients = tape.gradient(g_loss, g_variables)
        g_optimizer.apply_gradients(
            [(g, v) for g, v in zip(g_gradients, g_variables) if g is not None]
        )

        # 2. one critic update
        with tf.GradientTape() as tape:
            fake_images = generator(critic_z, stage=stage, alpha=alpha, training=True)
            real_scores = critic(real_images, stage=stage, alpha=alpha, training=True)
            fake_scores = critic(fake_images, stage=stage, alpha=alpha, training=True)

            def score_fn(images):
                return critic(images, stage=stage, alpha=alpha, training=True)

            penalty = gradient_penalty(score_fn, real_images, fake_images, epsilon)
            c_loss = progan_critic_loss(real_scores, fake_scores, penalty)
        c_variables = critic.trainable_variables
        c_gradients = tape.gradient(c_loss, c_variables)
        c_optimizer.apply_gradients(
            [(g, v) for g, v in zip(c_gradients, c_variables) if g is not None]
        )
        return c_loss, g_loss

    return step
