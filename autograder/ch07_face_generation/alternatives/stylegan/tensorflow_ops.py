"""Correct answer set, style: TensorFlow-minded. The layers are written with tf.* operations
(tf.nn.moments, tf.matmul, tf.math.rsqrt, tf.tile, tf.repeat, tf.nn.conv2d), their weights made
with add_weight and Keras/TF initialisers, and the step is written with explicit GradientTapes
and explicit variable lists. Written from the task text alone.
"""

# %% part: mapping_network
class EqualizedDense(keras.layers.Layer):
    # y = x (W * lr_multiplier * sqrt(2 / fan_in)) + lr_multiplier * b, with W stored drawn from
    # N(0, 1 / lr_multiplier^2) and b stored as zeros

    def __init__(self, units, fan_in, lr_multiplier=1.0, gain=HE_GAIN, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.fan_in = fan_in
        self.lr_multiplier = lr_multiplier
        self.weight_scale = gain / math.sqrt(fan_in) * lr_multiplier  # lambda * sqrt(2 / D)
        # the sizes are known: the kernel and the bias are made here, as this layer's own
        self.kernel = self.add_weight(
            shape=(fan_in, units),
            initializer=keras.initializers.RandomNormal(mean=0.0, stddev=1.0 / lr_multiplier),
            trainable=True, name="kernel")
        self.bias = self.add_weight(shape=(units,), initializer=keras.initializers.Zeros(),
                                    trainable=True, name="bias")

    def call(self, x):
        x = tf.convert_to_tensor(x, dtype=self.compute_dtype)
        kernel = tf.convert_to_tensor(self.kernel) * self.weight_scale
        bias = tf.convert_to_tensor(self.bias) * self.lr_multiplier
        return tf.matmul(x, kernel) + bias


class MappingNetwork(keras.Model):
    # z (batch, latent_dim) -> w (batch, latent_dim): normalise z, then `depth` equalised dense
    # layers with the learning-rate multiplier, each followed by a LeakyReLU

    def __init__(self, latent_dim=LATENT_DIM, depth=MAPPING_LAYERS, lr_multiplier=LR_MULTIPLIER,
                 **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        self.depth = depth
        self.lr_multiplier = lr_multiplier
        self.dense_layers = [
            EqualizedDense(latent_dim, latent_dim, lr_multiplier=lr_multiplier,
                           name=f"mapping_dense_{i}")
            for i in range(depth)
        ]

    def call(self, z):
        x = tf.convert_to_tensor(z, dtype=self.compute_dtype)
        # pixel norm on the vector: z / sqrt(mean(z^2) + 1e-8)
        x = x * tf.math.rsqrt(tf.reduce_mean(tf.square(x), axis=-1, keepdims=True) + 1e-8)
        for dense in self.dense_layers:
            x = tf.nn.leaky_relu(dense(x), alpha=LEAK)
        return x


# %% part: adain_modulation
class AdaIN(keras.layers.Layer):
    # adain(x, w): each channel of x normalised over its pixels, then scaled and shifted by
    # y_s = A_s w + 1 and y_b = A_b w

    def __init__(self, channels, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.channels = channels
        self.epsilon = epsilon
        # A_s and A_b are made in build, once the size of w is known

    def build(self, x_shape, w_shape):
        style_dim = int(w_shape[-1])
        self.scale_kernel = self.add_weight(
            shape=(style_dim, self.channels), initializer=keras.initializers.GlorotUniform(),
            trainable=True, name="scale_kernel")
        self.scale_bias = self.add_weight(  # the "+ 1": the scale's bias starts at one
            shape=(self.channels,), initializer=keras.initializers.Ones(), trainable=True,
            name="scale_bias")
        self.shift_kernel = self.add_weight(
            shape=(style_dim, self.channels), initializer=keras.initializers.GlorotUniform(),
            trainable=True, name="shift_kernel")
        self.shift_bias = self.add_weight(
            shape=(self.channels,), initializer=keras.initializers.Zeros(), trainable=True,
            name="shift_bias")

    def call(self, x, w):
        x = tf.convert_to_tensor(x, dtype=self.compute_dtype)
        w = tf.convert_to_tensor(w, dtype=self.compute_dtype)
        # instance normalisation: per sample and channel over the H x W pixels
        mean, variance = tf.nn.moments(x, axes=[1, 2], keepdims=True)
        normalized = (x - mean) * tf.math.rsqrt(variance + self.epsilon)
        y_s = tf.matmul(w, tf.convert_to_tensor(self.scale_kernel)) + self.scale_bias
        y_b = tf.matmul(w, tf.convert_to_tensor(self.shift_kernel)) + self.shift_bias
        y_s = tf.reshape(y_s, [-1, 1, 1, self.channels])
        y_b = tf.reshape(y_b, [-1, 1, 1, self.channels])
        return y_s * normalized + y_b


# %% part: noise_injection
class NoiseInjection(keras.layers.Layer):
    # noise_layer(x, noise=None): x + strength * noise, one (B, H, W, 1) map shared by the
    # channels; strength (C,) starts at zero; a fresh map is drawn when none is given

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator()

    def build(self, input_shape):
        channels = int(input_shape[-1])
        self.strength = self.add_weight(shape=(channels,), initializer=keras.initializers.Zeros(),
                                        trainable=True, name="strength")

    def call(self, x, noise=None):
        x = tf.convert_to_tensor(x, dtype=self.compute_dtype)
        if noise is None:
            shape = tf.shape(x)
            noise_shape = tf.stack([shape[0], shape[1], shape[2], 1])
            noise = keras.random.normal(noise_shape, dtype=self.compute_dtype,
                                        seed=self.seed_generator)
        noise = tf.convert_to_tensor(noise, dtype=self.compute_dtype)
        # (B, H, W, 1) * (C,) broadcasts to (B, H, W, C): one map, one strength per channel
        return x + noise * tf.reshape(tf.convert_to_tensor(self.strength), [1, 1, 1, -1])


# %% part: style_generator
class StyleGenerator(keras.Model):
    # generator(ws, noise=None): ws (batch, NUM_STYLES, latent_dim) -> (batch, 32, 32, channels)

    def __init__(self, latent_dim=LATENT_DIM, filters=FILTERS, channels=1, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        self.filters = filters
        self.channels = channels
        self.num_layers = NUM_STYLES
        # the learned constant input, ones at first
        self.constant = self.add_weight(shape=(1, 4, 4, filters),
                                        initializer=keras.initializers.Ones(), trainable=True,
                                        name="constant")
        # layers 1..7: a 3 x 3 convolution of F filters with a bias (layer 0 has none)
        self.conv_kernels = [None]
        self.conv_biases = [None]
        for i in range(1, self.num_layers):
            self.conv_kernels.append(self.add_weight(
                shape=(3, 3, filters, filters), initializer=keras.initializers.GlorotUniform(),
                trainable=True, name=f"conv_{i}_kernel"))
            self.conv_biases.append(self.add_weight(
                shape=(filters,), initializer=keras.initializers.Zeros(), trainable=True,
                name=f"conv_{i}_bias"))
        self.noise_layers = [NoiseInjection(name=f"noise_{i}") for i in range(self.num_layers)]
        self.adain_layers = [AdaIN(filters, name=f"adain_{i}") for i in range(self.num_layers)]
        # the final 1 x 1 convolution to `channels`, no activation
        self.to_image_kernel = self.add_weight(
            shape=(1, 1, filters, channels), initializer=keras.initializers.GlorotUniform(),
            trainable=True, name="to_image_kernel")
        self.to_image_bias = self.add_weight(
            shape=(channels,), initializer=keras.initializers.Zeros(), trainable=True,
            name="to_image_bias")

    def call(self, ws, noise=None):
        ws = tf.convert_to_tensor(ws, dtype=self.compute_dtype)
        batch = tf.shape(ws)[0]
        x = tf.tile(tf.convert_to_tensor(self.constant), tf.stack([batch, 1, 1, 1]))
        for i in range(self.num_layers):
            if i > 0:
                if i % 2 == 0:  # nearest-neighbour upsampling by 2
                    x = tf.repeat(tf.repeat(x, 2, axis=1), 2, axis=2)
                x = tf.nn.conv2d(x, tf.convert_to_tensor(self.conv_kernels[i]), strides=1,
                                 padding="SAME")
                x = tf.nn.bias_add(x, tf.convert_to_tensor(self.conv_biases[i]))
            x = self.noise_layers[i](x, None if noise is None else noise[i])
            x = tf.nn.leaky_relu(x, alpha=LEAK)
            x = self.adain_layers[i](x, ws[:, i])
        x = tf.nn.conv2d(x, tf.convert_to_tensor(self.to_image_kernel), strides=1,
                         padding="SAME")
        return tf.nn.bias_add(x, tf.convert_to_tensor(self.to_image_bias))


# %% part: style_mixing
def mix_styles(w1, w2, crossover, num_styles=NUM_STYLES):
    # (batch, latent) twice -> (batch, num_styles, latent): w1 for layers < crossover, w2 after
    w1 = tf.convert_to_tensor(w1)
    w2 = tf.convert_to_tensor(w2, dtype=w1.dtype)
    crossover = max(0, min(int(crossover), num_styles))
    first = tf.repeat(w1[:, tf.newaxis, :], crossover, axis=1)
    rest = tf.repeat(w2[:, tf.newaxis, :], num_styles - crossover, axis=1)
    return tf.concat([first, rest], axis=1)


# %% part: truncation
def truncate(w, w_avg, psi):
    # w pulled toward the mean style: w_avg + psi * (w - w_avg)
    w = tf.convert_to_tensor(w)
    w_avg = tf.cast(tf.convert_to_tensor(w_avg), w.dtype)
    return w_avg[tf.newaxis, :] + psi * (w - w_avg[tf.newaxis, :])


def track_w_avg(w_avg, w, decay=0.995):
    # the moving average of the mean style, updated with a batch of styles w (batch, latent)
    w = tf.convert_to_tensor(w)
    w_avg = tf.cast(tf.convert_to_tensor(w_avg), w.dtype)
    return decay * w_avg + (1.0 - decay) * tf.reduce_mean(w, axis=0)


# %% part: stylegan_step
def make_stylegan_step(mapping, generator, critic, g_optimizer, c_optimizer, r1_gamma=R1_GAMMA):
    # step(real_images, critic_z, generator_z) -> (critic loss, generator loss)

    def generate(z):
        w = mapping(z, training=True)
        return generator(broadcast_w(w), training=True)

    @tf.function
    def step(real_images, critic_z, generator_z):
        real_images = tf.convert_to_tensor(real_images, tf.float32)
        critic_z = tf.convert_to_tensor(critic_z, tf.float32)
        generator_z = tf.convert_to_tensor(generator_z, tf.float32)

        # 1. the critic's update: fakes from critic_z, L_D with the R1 penalty on the reals
        fakes = tf.stop_gradient(generate(critic_z))
        with tf.GradientTape() as critic_tape:
            with tf.GradientTape() as r1_tape:
                r1_tape.watch(real_images)
                real_scores = critic(real_images, training=True)
                real_sum = tf.reduce_sum(real_scores)
            real_gradients = r1_tape.gradient(real_sum, real_images)
            r1_penalty = tf.reduce_mean(tf.reduce_sum(tf.square(real_gradients), axis=[1, 2, 3]))
            fake_scores = critic(fakes, training=True)
            critic_loss = (tf.reduce_mean(tf.nn.softplus(fake_scores))
                           + tf.reduce_mean(tf.nn.softplus(-real_scores))
                           + 0.5 * r1_gamma * r1_penalty)
        critic_variables = critic.trainable_variables
        critic_gradients = critic_tape.gradient(critic_loss, critic_variables)
        c_optimizer.apply_gradients(zip(critic_gradients, critic_variables))

        # 2. the generator's update: new fakes from generator_z, L_G, mapping and synthesis
        # networks trained together
        with tf.GradientTape() as generator_tape:
            fake_scores = critic(generate(generator_z), training=True)
            generator_loss = tf.reduce_mean(tf.nn.softplus(-fake_scores))
        generator_variables = mapping.trainable_variables + generator.trainable_variables
        generator_gradients = generator_tape.gradient(generator_loss, generator_variables)
        g_optimizer.apply_gradients(zip(generator_gradients, generator_variables))
        return critic_loss, generator_loss

    return step
