"""PART: truncation
MISTAKE: Truncates toward the origin, psi * w, as in Z, instead of toward the mean style.

A plain student's StyleGAN answers: weights made with add_weight in __init__ or build, the
layers of the synthesis network kept in Python lists, TensorFlow ops in the maths, and one
tf.function step with a nested tape for the R1 penalty."""

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
        self.kernels = []
        self.biases = []
        for i in range(depth):
            kernel = self.add_weight(
                shape=(latent_dim, latent_dim),
                initializer=keras.initializers.RandomNormal(mean=0.0, stddev=1.0 / lr_multiplier),
                trainable=True, name=f"kernel_{i}")
            bias = self.add_weight(shape=(latent_dim,), initializer="zeros", trainable=True,
                                   name=f"bias_{i}")
            self.kernels.append(kernel)
            self.biases.append(bias)
        # the equalised learning rate: He's constant for D inputs, times the multiplier
        self.scale = lr_multiplier * math.sqrt(2.0 / latent_dim)

    def call(self, z):
        z = tf.convert_to_tensor(z, tf.float32)
        x = z / tf.sqrt(tf.reduce_mean(tf.square(z), axis=1, keepdims=True) + 1e-8)
        for kernel, bias in zip(self.kernels, self.biases):
            x = tf.matmul(x, kernel * self.scale) + self.lr_multiplier * bias
            x = tf.nn.leaky_relu(x, alpha=LEAK)
        return x


# %% part: adain_modulation
class AdaIN(keras.layers.Layer):
    # adain(x, w): each channel of x normalised over its pixels, then scaled and shifted by
    # y_s = A_s w + 1 and y_b = A_b w

    def __init__(self, channels, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.channels = channels
        self.epsilon = epsilon
        self.style_scale = keras.layers.Dense(channels, bias_initializer="ones")
        self.style_bias = keras.layers.Dense(channels)

    def call(self, x, w):
        mean, variance = tf.nn.moments(x, axes=[1, 2], keepdims=True)
        normalized = (x - mean) / tf.sqrt(variance + self.epsilon)
        y_s = self.style_scale(w)[:, None, None, :]  # (B, 1, 1, C)
        y_b = self.style_bias(w)[:, None, None, :]
        return y_s * normalized + y_b


# %% part: noise_injection
class NoiseInjection(keras.layers.Layer):
    # noise_layer(x, noise=None): x + strength * noise, one (B, H, W, 1) map shared by the
    # channels; strength (C,) starts at zero; a fresh map is drawn when none is given

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator()

    def build(self, input_shape):
        channels = input_shape[-1]
        self.strength = self.add_weight(shape=(channels,), initializer="zeros", trainable=True,
                                        name="strength")

    def call(self, x, noise=None):
        if noise is None:
            shape = tf.shape(x)
            noise = keras.random.normal((shape[0], shape[1], shape[2], 1),
                                        seed=self.seed_generator)
        return x + self.strength * noise


# %% part: style_generator
class StyleGenerator(keras.Model):
    # generator(ws, noise=None): ws (batch, NUM_STYLES, latent_dim) -> (batch, 32, 32, channels)

    def __init__(self, latent_dim=LATENT_DIM, filters=FILTERS, channels=1, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        self.filters = filters
        self.channels = channels
        self.constant = self.add_weight(shape=(1, 4, 4, filters), initializer="ones",
                                        trainable=True, name="constant")
        self.upsample = keras.layers.UpSampling2D(2, interpolation="nearest")
        self.convs = []
        self.noise_layers = []
        self.adains = []
        for i in range(NUM_STYLES):
            if i > 0:
                self.convs.append(keras.layers.Conv2D(filters, 3, padding="same"))
            else:
                self.convs.append(None)
            self.noise_layers.append(NoiseInjection())
            self.adains.append(AdaIN(filters))
        self.to_image = keras.layers.Conv2D(channels, 1)

    def call(self, ws, noise=None):
        ws = tf.convert_to_tensor(ws, tf.float32)
        batch = tf.shape(ws)[0]
        x = tf.tile(self.constant, [batch, 1, 1, 1])
        for i in range(NUM_STYLES):
            if i > 0:
                if i % 2 == 0:
                    x = self.upsample(x)
                x = self.convs[i](x)
            if noise is None:
                x = self.noise_layers[i](x)
            else:
                x = self.noise_layers[i](x, noise[i])
            x = tf.nn.leaky_relu(x, alpha=LEAK)
            x = self.adains[i](x, ws[:, i])
        return self.to_image(x)


# %% part: style_mixing
def mix_styles(w1, w2, crossover, num_styles=NUM_STYLES):
    # (batch, latent) twice -> (batch, num_styles, latent): w1 for layers < crossover, w2 after
    styles = []
    for i in range(num_styles):
        if i < crossover:
            styles.append(w1)
        else:
            styles.append(w2)
    return tf.stack(styles, axis=1)


# %% part: truncation
def truncate(w, w_avg, psi):
    # w pulled toward the mean style: w_avg + psi * (w - w_avg)
    return psi * w


def track_w_avg(w_avg, w, decay=0.995):
    # the moving average of the mean style, updated with a batch of styles w (batch, latent)
    return decay * w_avg + (1.0 - decay) * tf.reduce_mean(w, axis=0)


# %% part: stylegan_step
def make_stylegan_step(mapping, generator, critic, g_optimizer, c_optimizer, r1_gamma=R1_GAMMA):
    # step(real_images, critic_z, generator_z) -> (critic loss, generator loss)

    def make_fakes(z):
        w = mapping(z, training=True)
        return generator(broadcast_w(w), training=True)

    @tf.function
    def step(real_images, critic_z, generator_z):
        real_images = tf.convert_to_tensor(real_images, tf.float32)

        # 1. the critic
        with tf.GradientTape() as c_tape:
            fakes = make_fakes(critic_z)
            fake_scores = critic(fakes, training=True)
            with tf.GradientTape() as r1_tape:
                r1_tape.watch(real_images)
                real_scores = critic(real_images, training=True)
                real_sum = tf.reduce_sum(real_scores)
            real_grads = r1_tape.gradient(real_sum, real_images)
            r1 = tf.reduce_mean(tf.reduce_sum(tf.square(real_grads), axis=[1, 2, 3]))
            c_loss = (tf.reduce_mean(tf.nn.softplus(fake_scores))
                      + tf.reduce_mean(tf.nn.softplus(-real_scores))
                      + r1_gamma / 2.0 * r1)
        c_grads = c_tape.gradient(c_loss, critic.trainable_variables)
        c_optimizer.apply_gradients(zip(c_grads, critic.trainable_variables))

        # 2. the generator: mapping and synthesis networks together
        g_variables = mapping.trainable_variables + generator.trainable_variables
        with tf.GradientTape() as g_tape:
            fakes = make_fakes(generator_z)
            g_loss = tf.reduce_mean(tf.nn.softplus(-critic(fakes, training=True)))
        g_grads = g_tape.gradient(g_loss, g_variables)
        g_optimizer.apply_gradients(zip(g_grads, g_variables))
        return c_loss, g_loss

    return step
