"""Correct answer set, style: a compact expert. Short code with keras.ops.moments and einsum,
comprehensions and small private helpers; one Dense gives AdaIN both its scale and its bias, and
the synthesis network upsamples with keras.ops on the tensors, not with layer objects.

Written from the task text alone.
"""

# %% part: mapping_network
class MappingNetwork(keras.Model):
    # z (batch, latent_dim) -> w (batch, latent_dim): normalise z, then `depth` equalised dense
    # layers with the learning-rate multiplier, each followed by a LeakyReLU

    def __init__(self, latent_dim=LATENT_DIM, depth=MAPPING_LAYERS, lr_multiplier=LR_MULTIPLIER,
                 **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        self.depth = depth
        self.lr_multiplier = lr_multiplier
        stored = keras.initializers.RandomNormal(stddev=1.0 / lr_multiplier)
        self.kernels = [self.add_weight(shape=(latent_dim, latent_dim), initializer=stored,
                                        name=f"kernel_{i}") for i in range(depth)]
        self.biases = [self.add_weight(shape=(latent_dim,), initializer="zeros", name=f"bias_{i}")
                       for i in range(depth)]

    def call(self, z):
        x = z * keras.ops.rsqrt(keras.ops.mean(keras.ops.square(z), axis=-1, keepdims=True) + 1e-8)
        gain = self.lr_multiplier * math.sqrt(2.0 / self.latent_dim)
        for kernel, bias in zip(self.kernels, self.biases):
            x = keras.ops.leaky_relu(x @ (kernel * gain) + self.lr_multiplier * bias, LEAK)
        return x

# %% part: adain_modulation
def _scale_ones_bias_zeros(shape, dtype=None):
    # the bias of the joint affine map: 1 for the scale's half (y_s = A_s w + 1), 0 for the bias's
    half = shape[-1] // 2
    return keras.ops.concatenate([keras.ops.ones((half,), dtype), keras.ops.zeros((half,), dtype)])


class AdaIN(keras.layers.Layer):
    # adain(x, w): each channel of x normalised over its pixels, then scaled and shifted by
    # y_s = A_s w + 1 and y_b = A_b w

    def __init__(self, channels, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.channels = channels
        self.epsilon = epsilon
        self.affine = keras.layers.Dense(2 * channels, bias_initializer=_scale_ones_bias_zeros)

    def call(self, x, w):
        mean, variance = keras.ops.moments(x, axes=(1, 2), keepdims=True)
        y_s, y_b = keras.ops.split(self.affine(w)[:, None, None, :], 2, axis=-1)
        return y_s * (x - mean) * keras.ops.rsqrt(variance + self.epsilon) + y_b

# %% part: noise_injection
class NoiseInjection(keras.layers.Layer):
    # noise_layer(x, noise=None): x + strength * noise, one (B, H, W, 1) map shared by the
    # channels; strength (C,) starts at zero; a fresh map is drawn when none is given

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator()

    def build(self, input_shape):
        self.strength = self.add_weight(shape=(input_shape[-1],), initializer="zeros",
                                        name="strength")

    def call(self, x, noise=None):
        if noise is None:
            b, h, w = (keras.ops.shape(x)[i] for i in range(3))
            noise = keras.random.normal((b, h, w, 1), dtype=x.dtype, seed=self.seed_generator)
        return x + self.strength * keras.ops.cast(noise, x.dtype)

# %% part: style_generator
def _upsample2(x):
    # nearest neighbour, by 2 along H and W
    return keras.ops.repeat(keras.ops.repeat(x, 2, axis=1), 2, axis=2)


class StyleGenerator(keras.Model):
    # generator(ws, noise=None): ws (batch, NUM_STYLES, latent_dim) -> (batch, 32, 32, channels)

    def __init__(self, latent_dim=LATENT_DIM, filters=FILTERS, channels=1, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        self.filters = filters
        self.channels = channels
        self.constant = self.add_weight(shape=(1, 4, 4, filters), initializer="ones",
                                        name="constant")
        self.convs = [keras.layers.Conv2D(filters, 3, padding="same") for _ in range(1, NUM_STYLES)]
        self.noises = [NoiseInjection() for _ in range(NUM_STYLES)]
        self.adains = [AdaIN(filters) for _ in range(NUM_STYLES)]
        self.to_image = keras.layers.Conv2D(channels, 1)

    def call(self, ws, noise=None):
        x = keras.ops.repeat(self.constant, keras.ops.shape(ws)[0], axis=0)
        for i in range(NUM_STYLES):
            if i:
                x = self.convs[i - 1](_upsample2(x) if i % 2 == 0 else x)
            x = self.noises[i](x, None if noise is None else noise[i])
            x = self.adains[i](keras.ops.leaky_relu(x, LEAK), ws[:, i])
        return self.to_image(x)

# %% part: style_mixing
def mix_styles(w1, w2, crossover, num_styles=NUM_STYLES):
    # (batch, latent) twice -> (batch, num_styles, latent): w1 for layers < crossover, w2 after
    return keras.ops.stack([w1 if i < crossover else w2 for i in range(num_styles)], axis=1)

# %% part: truncation
def truncate(w, w_avg, psi):
    # w pulled toward the mean style: w_avg + psi * (w - w_avg)
    return keras.ops.add(w_avg, psi * keras.ops.subtract(w, w_avg))


def track_w_avg(w_avg, w, decay=0.995):
    # the moving average of the mean style, updated with a batch of styles w (batch, latent)
    return keras.ops.add(keras.ops.multiply(decay, w_avg),
                         keras.ops.multiply(1.0 - decay, keras.ops.mean(w, axis=0)))

# %% part: stylegan_step
def make_stylegan_step(mapping, generator, critic, g_optimizer, c_optimizer, r1_gamma=R1_GAMMA):
    # step(real_images, critic_z, generator_z) -> (critic loss, generator loss)

    mean_softplus = lambda t: keras.ops.mean(keras.ops.softplus(t))
    fakes = lambda z: generator(broadcast_w(mapping(z, training=True)), training=True)

    def _apply(optimizer, tape, loss, variables):
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))

    @tf.function
    def step(real_images, critic_z, generator_z):
        real_images = tf.convert_to_tensor(real_images, tf.float32)
        # 1. the critic: logistic loss on fakes and reals, plus the R1 penalty on the reals
        with tf.GradientTape() as tape:
            with tf.GradientTape() as r1_tape:
                r1_tape.watch(real_images)
                real_scores = critic(real_images, training=True)
                real_total = keras.ops.sum(real_scores)
            grad = r1_tape.gradient(real_total, real_images)
            r1 = keras.ops.mean(keras.ops.einsum("bhwc,bhwc->b", grad, grad))
            c_loss = (mean_softplus(critic(fakes(critic_z), training=True))
                      + mean_softplus(-real_scores) + r1_gamma / 2.0 * r1)
        _apply(c_optimizer, tape, c_loss, critic.trainable_variables)
        # 2. the generator: new fakes; mapping and synthesis networks trained together
        with tf.GradientTape() as tape:
            g_loss = mean_softplus(-critic(fakes(generator_z), training=True))
        _apply(g_optimizer, tape, g_loss,
               mapping.trainable_variables + generator.trainable_variables)
        return c_loss, g_loss

    return step
