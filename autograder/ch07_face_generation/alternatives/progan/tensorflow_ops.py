"""Correct answer set, style: TensorFlow-minded. Every layer does its work with tf.* operations
(tf.math.rsqrt, tf.reduce_mean, tf.nn.conv2d, tf.tile, tf.repeat, tf.nn.avg_pool2d), weights come
from add_weight with tf initialisers, and the step uses two separate GradientTapes with explicit
variable lists. Written from the task text alone.
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
        dynamic = tf.shape(x)
        height = x.shape[1] if x.shape[1] is not None else dynamic[1]
        width = x.shape[2] if x.shape[2] is not None else dynamic[2]
        channels = x.shape[3] if x.shape[3] is not None else dynamic[3]
        batch = dynamic[0]
        group = tf.minimum(tf.constant(self.group_size, tf.int32), batch)
        # (groups, G, H, W, C): samples 0 .. G-1 are the first group
        grouped = tf.reshape(x, tf.stack([-1, group, height, width, channels]))
        centred = grouped - tf.reduce_mean(grouped, axis=1, keepdims=True)
        variance = tf.reduce_mean(tf.square(centred), axis=1)  # divisor G
        std = tf.sqrt(variance + self.epsilon)  # (groups, H, W, C)
        per_group = tf.reduce_mean(std, axis=[1, 2, 3])  # (groups,)
        per_sample = tf.repeat(per_group, group)  # (B,)
        feature = tf.tile(tf.reshape(per_sample, [-1, 1, 1, 1]),
                          tf.stack([1, height, width, 1]))
        feature = tf.reshape(feature, tf.stack([batch, height, width, 1]))
        return tf.concat([x, tf.cast(feature, x.dtype)], axis=-1)


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
            name="kernel",
            shape=(fan_in, self.units),
            initializer=tf.random_normal_initializer(mean=0.0, stddev=1.0),
            trainable=True,
        )
        self.bias = self.add_weight(
            name="bias", shape=(self.units,), initializer=tf.zeros_initializer(), trainable=True
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
            name="kernel",
            shape=(k, k, channels_in, self.filters),
            initializer=tf.random_normal_initializer(mean=0.0, stddev=1.0),
            trainable=True,
        )
        self.bias = self.add_weight(
            name="bias", shape=(self.filters,), initializer=tf.zeros_initializer(), trainable=True
        )
        self.scale = self.gain / math.sqrt(k * k * channels_in)

    def call(self, x):
        y = tf.nn.conv2d(x, self.kernel * self.scale, strides=1, padding="SAME")
        return tf.nn.bias_add(y, self.bias)


# %% part: progan_generator
def fade_in(alpha, old, new):
    # (1 - alpha) * old + alpha * new
    alpha = tf.cast(alpha, old.dtype)
    return (1.0 - alpha) * old + alpha * new


class ProGenerator(keras.Model):
    # z (B, latent_dim) -> images (B, 4 * 2**stage, 4 * 2**stage, channels), faded in by alpha.

    def __init__(self, latent_dim=LATENT_DIM, filters=FILTERS, channels=1, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        self.filters = filters
        self.channels = channels
        self.base_filters = stage_filters(filters, 0)
        # the base, stage 0
        self.z_norm = PixelNorm()
        self.base_dense = EqualizedDense(4 * 4 * self.base_filters, gain=math.sqrt(2.0) / 4)
        self.base_norm_1 = PixelNorm()
        self.base_conv = EqualizedConv2D(self.base_filters, 3)
        self.base_norm_2 = PixelNorm()
        # blocks[s - 1] is stage s's block, s = 1 .. STAGES - 1
        self.blocks = [generator_block(stage_filters(filters, s)) for s in range(1, STAGES)]
        # to_rgb[s] turns stage s's features into an image
        self.to_rgb = [EqualizedConv2D(channels, 1, gain=1.0) for _ in range(STAGES)]

    def build(self, input_shape):
        # nothing to create here: each stage's layers build themselves on their first call
        pass

    def call(self, z, stage=STAGES - 1, alpha=1.0):
        x = self.z_norm(z)
        x = self.base_dense(x)
        x = tf.reshape(x, [-1, 4, 4, self.base_filters])
        x = tf.nn.leaky_relu(x, alpha=LEAK)
        x = self.base_norm_1(x)
        x = self.base_conv(x)
        x = tf.nn.leaky_relu(x, alpha=LEAK)
        x = self.base_norm_2(x)
        if stage == 0:
            return self.to_rgb[0](x)
        for s in range(1, stage):
            x = self.blocks[s - 1](x)
        old = self.to_rgb[stage - 1](x)
        old = tf.repeat(tf.repeat(old, 2, axis=1), 2, axis=2)  # nearest neighbour
        new = self.to_rgb[stage](self.blocks[stage - 1](x))
        return fade_in(alpha, old, new)


# %% part: progan_discriminator
class ProDiscriminator(keras.Model):
    # images (B, 4 * 2**stage, 4 * 2**stage, C) -> scores (B, 1), faded in by alpha.

    def __init__(self, filters=FILTERS, group_size=4, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.group_size = group_size
        base_filters = stage_filters(filters, 0)
        # from_rgb[s]: a 1x1 equalised convolution to F_s (its LeakyReLU is applied in call)
        self.from_rgb = [EqualizedConv2D(stage_filters(filters, s), 1) for s in range(STAGES)]
        # blocks[s - 1] takes stage s's resolution and F_s channels to half that with F_{s-1}
        self.blocks = [
            discriminator_block(stage_filters(filters, s), stage_filters(filters, s - 1))
            for s in range(1, STAGES)
        ]
        # the base at 4 x 4
        self.minibatch_std = MinibatchStd(group_size)
        self.base_conv = EqualizedConv2D(base_filters, 3)
        self.base_dense = EqualizedDense(base_filters)
        self.score = EqualizedDense(1, gain=1.0)

    def build(self, input_shape):
        # nothing to create here: each stage's layers build themselves on their first call
        pass

    def _from_rgb(self, stage, images):
        return tf.nn.leaky_relu(self.from_rgb[stage](images), alpha=LEAK)

    def call(self, images, stage=STAGES - 1, alpha=1.0):
        if stage == 0:
            x = self._from_rgb(0, images)
        else:
            new = self.blocks[stage - 1](self._from_rgb(stage, images))
            halved = tf.nn.avg_pool2d(images, ksize=2, strides=2, padding="VALID")
            old = self._from_rgb(stage - 1, halved)
            x = fade_in(alpha, old, new)
            for s in range(stage - 1, 0, -1):
                x = self.blocks[s - 1](x)
        x = self.minibatch_std(x)
        x = tf.nn.leaky_relu(self.base_conv(x), alpha=LEAK)
        x = tf.reshape(x, [-1, x.shape[1] * x.shape[2] * x.shape[3]])
        x = tf.nn.leaky_relu(self.base_dense(x), alpha=LEAK)
        return self.score(x)


# %% part: progan_losses
def gradient_penalty(score_fn, real_images, fake_images, epsilon):
    # mean_i (||d sum(score_fn(mixed)) / d mixed_i|| - 1)^2, mixed = eps * real + (1 - eps) * fake
    real_images = tf.convert_to_tensor(real_images)
    fake_images = tf.cast(fake_images, real_images.dtype)
    epsilon = tf.cast(epsilon, real_images.dtype)
    mixed = epsilon * real_images + (1.0 - epsilon) * fake_images
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        scores = score_fn(mixed)
    gradients = tape.gradient(scores, mixed)  # the gradient of the sum of the scores
    per_sample_axes = list(range(1, len(gradients.shape)))
    norms = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=per_sample_axes))
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

    def with_gradients(gradients, variables):
        # only the pairs that have a gradient (earlier stages' RGB layers have none)
        return [(g, v) for g, v in zip(gradients, variables) if g is not None]

    @tf.function
    def step(real_images, critic_z, generator_z, epsilon, alpha):
        # 1. one critic update
        with tf.GradientTape() as critic_tape:
            fakes = generator(critic_z, stage=stage, alpha=alpha, training=True)
            real_scores = critic(real_images, stage=stage, alpha=alpha, training=True)
            fake_scores = critic(fakes, stage=stage, alpha=alpha, training=True)
            penalty = gradient_penalty(
                lambda images: critic(images, stage=stage, alpha=alpha, training=True),
                real_images, fakes, epsilon,
            )
            critic_loss = progan_critic_loss(real_scores, fake_scores, penalty)
        critic_variables = critic.trainable_variables
        critic_gradients = critic_tape.gradient(critic_loss, critic_variables)
        c_optimizer.apply_gradients(with_gradients(critic_gradients, critic_variables))

        # 2. one generator update, scored by the critic after its update
        with tf.GradientTape() as generator_tape:
            fakes = generator(generator_z, stage=stage, alpha=alpha, training=True)
            fake_scores = critic(fakes, stage=stage, alpha=alpha, training=True)
            generator_loss = progan_generator_loss(fake_scores)
        generator_variables = generator.trainable_variables
        generator_gradients = generator_tape.gradient(generator_loss, generator_variables)
        g_optimizer.apply_gradients(with_gradients(generator_gradients, generator_variables))
        return critic_loss, generator_loss

    return step
