"""Correct answer set, style: a compact expert.

Short code: keras.ops.moments for the group statistics, comprehensions for the per-stage layer
lists, small private helpers, and up/down-sampling done with keras.ops on the tensors rather than
layer objects. Written from the task text alone.
"""

# %% part: pixel_norm
class PixelNorm(keras.layers.Layer):
    # Each pixel's feature vector (the last axis) divided by its root mean square.

    def __init__(self, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = epsilon

    def call(self, x):
        return x * keras.ops.rsqrt(keras.ops.mean(keras.ops.square(x), axis=-1, keepdims=True)
                                   + self.epsilon)


# %% part: minibatch_std
class MinibatchStd(keras.layers.Layer):
    # Appends the average standard deviation of each group of samples as one channel.

    def __init__(self, group_size=4, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.group_size = group_size
        self.epsilon = epsilon

    def call(self, x):
        b, h, w, c = keras.ops.shape(x)
        g = min(self.group_size, b) if isinstance(b, int) else keras.ops.minimum(self.group_size, b)
        groups = keras.ops.reshape(x, (-1, g, h, w, c))  # consecutive samples side by side
        _, var = keras.ops.moments(groups, axes=[1], keepdims=True)  # divisor G, group's own mean
        std = keras.ops.mean(keras.ops.sqrt(var + self.epsilon), axis=[2, 3, 4], keepdims=True)
        feature = keras.ops.reshape(keras.ops.ones_like(groups[..., :1]) * std, (-1, h, w, 1))
        return keras.ops.concatenate([x, keras.ops.cast(feature, x.dtype)], axis=-1)


# %% part: equalized_layers
def _equalized_weights(layer, kernel_shape):
    # an N(0, 1) kernel, a zero bias, and He's constant gain / sqrt(fan_in) to apply in call
    layer.kernel = layer.add_weight(
        shape=kernel_shape, initializer=keras.initializers.RandomNormal(0.0, 1.0), name="kernel")
    layer.bias = layer.add_weight(shape=kernel_shape[-1:], initializer="zeros", name="bias")
    layer.scale = layer.gain / math.sqrt(math.prod(kernel_shape[:-1]))


class EqualizedDense(keras.layers.Layer):
    # A dense layer whose N(0, 1) kernel is scaled by gain / sqrt(fan_in) at every call.

    def __init__(self, units, gain=math.sqrt(2.0), **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.gain = gain

    def build(self, input_shape):
        _equalized_weights(self, (input_shape[-1], self.units))

    def call(self, x):
        return keras.ops.matmul(x, self.kernel * self.scale) + self.bias


class EqualizedConv2D(keras.layers.Layer):
    # A same-padded convolution whose N(0, 1) kernel is scaled by gain / sqrt(k * k * C_in).

    def __init__(self, filters, kernel_size=3, gain=math.sqrt(2.0), **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.kernel_size = kernel_size
        self.gain = gain

    def build(self, input_shape):
        k = self.kernel_size
        _equalized_weights(self, (k, k, input_shape[-1], self.filters))

    def call(self, x):
        return keras.ops.conv(x, self.kernel * self.scale, strides=1, padding="same") + self.bias


# %% part: progan_generator
def fade_in(alpha, old, new):
    # (1 - alpha) * old + alpha * new
    return (1.0 - alpha) * old + alpha * new


def _upsample(x):
    # nearest neighbour, twice the size
    return keras.ops.repeat(keras.ops.repeat(x, 2, axis=1), 2, axis=2)


class ProGenerator(keras.Model):
    # z (B, latent_dim) -> images (B, 4 * 2**stage, 4 * 2**stage, channels), faded in by alpha.

    def __init__(self, latent_dim=LATENT_DIM, filters=FILTERS, channels=1, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        f = [stage_filters(filters, s) for s in range(STAGES)]
        self.base = keras.Sequential([
            PixelNorm(),
            EqualizedDense(4 * 4 * f[0], gain=math.sqrt(2.0) / 4),
            keras.layers.Reshape((4, 4, f[0])),
            keras.layers.LeakyReLU(LEAK),
            PixelNorm(),
            EqualizedConv2D(f[0], 3),
            keras.layers.LeakyReLU(LEAK),
            PixelNorm(),
        ])
        self.blocks = [generator_block(f[s]) for s in range(1, STAGES)]  # block s is blocks[s - 1]
        self.to_rgb = [EqualizedConv2D(channels, 1, gain=1.0) for _ in range(STAGES)]

    def build(self, input_shape):
        # nothing to create here: each stage's layers build themselves on their first call
        pass

    def call(self, z, stage=STAGES - 1, alpha=1.0):
        h = self.base(z)
        for block in self.blocks[: max(stage - 1, 0)]:
            h = block(h)
        if stage == 0:
            return self.to_rgb[0](h)
        old = _upsample(self.to_rgb[stage - 1](h))
        return fade_in(alpha, old, self.to_rgb[stage](self.blocks[stage - 1](h)))


# %% part: progan_discriminator
def _downsample(x):
    # 2 x 2 average pooling, half the size
    return keras.ops.average_pool(x, 2, strides=2, padding="valid")


class ProDiscriminator(keras.Model):
    # images (B, 4 * 2**stage, 4 * 2**stage, C) -> scores (B, 1), faded in by alpha.

    def __init__(self, filters=FILTERS, group_size=4, **kwargs):
        super().__init__(**kwargs)
        f = [stage_filters(filters, s) for s in range(STAGES)]
        self.from_rgb = [keras.Sequential([EqualizedConv2D(f[s], 1), keras.layers.LeakyReLU(LEAK)])
                         for s in range(STAGES)]
        self.blocks = [discriminator_block(f[s], f[s - 1]) for s in range(1, STAGES)]
        self.base = keras.Sequential([
            MinibatchStd(group_size),
            EqualizedConv2D(f[0], 3),
            keras.layers.LeakyReLU(LEAK),
            keras.layers.Flatten(),
            EqualizedDense(f[0]),
            keras.layers.LeakyReLU(LEAK),
            EqualizedDense(1, gain=1.0),
        ])

    def build(self, input_shape):
        # nothing to create here: each stage's layers build themselves on their first call
        pass

    def call(self, images, stage=STAGES - 1, alpha=1.0):
        h = self.from_rgb[stage](images)
        if stage > 0:
            old = self.from_rgb[stage - 1](_downsample(images))
            h = fade_in(alpha, old, self.blocks[stage - 1](h))
            for block in reversed(self.blocks[: stage - 1]):  # blocks s-1, ..., 1
                h = block(h)
        return self.base(h)


# %% part: progan_losses
def gradient_penalty(score_fn, real_images, fake_images, epsilon):
    # mean_i (||d sum(score_fn(mixed)) / d mixed_i|| - 1)^2, mixed = eps * real + (1 - eps) * fake
    mixed = epsilon * real_images + (1.0 - epsilon) * fake_images
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        scores = score_fn(mixed)
    grads = tape.gradient(scores, mixed)
    norms = keras.ops.sqrt(keras.ops.sum(keras.ops.square(grads),
                                         axis=tuple(range(1, len(grads.shape)))))
    return keras.ops.mean(keras.ops.square(norms - 1.0))


def progan_critic_loss(real_scores, fake_scores, penalty, gp_weight=10.0, drift_weight=0.001):
    # mean(fake) - mean(real) + gp_weight * penalty + drift_weight * mean(real ** 2)
    mean = keras.ops.mean
    return (mean(fake_scores) - mean(real_scores) + gp_weight * penalty
            + drift_weight * mean(keras.ops.square(real_scores)))


def progan_generator_loss(fake_scores):
    # -mean(fake)
    return -keras.ops.mean(fake_scores)


# %% part: progan_step
def make_progan_step(generator, critic, g_optimizer, c_optimizer, stage):
    # step(real_images, critic_z, generator_z, epsilon, alpha) -> (critic loss, generator loss)

    def _apply(optimizer, tape, loss, variables):
        # only the (gradient, variable) pairs that have a gradient
        grads = tape.gradient(loss, variables)
        optimizer.apply_gradients([(g, v) for g, v in zip(grads, variables) if g is not None])

    @tf.function
    def step(real_images, critic_z, generator_z, epsilon, alpha):
        run = dict(stage=stage, alpha=alpha, training=True)
        fakes = generator(critic_z, **run)
        with tf.GradientTape() as tape:
            real_scores, fake_scores = critic(real_images, **run), critic(fakes, **run)
            penalty = gradient_penalty(lambda x: critic(x, **run), real_images, fakes, epsilon)
            c_loss = progan_critic_loss(real_scores, fake_scores, penalty)
        _apply(c_optimizer, tape, c_loss, critic.trainable_variables)
        with tf.GradientTape() as tape:
            g_loss = progan_generator_loss(critic(generator(generator_z, **run), **run))
        _apply(g_optimizer, tape, g_loss, generator.trainable_variables)
        return c_loss, g_loss

    return step
