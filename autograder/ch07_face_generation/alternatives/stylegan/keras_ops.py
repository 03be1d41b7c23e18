"""Correct answer set, style: plain and explicit keras.ops.

Every formula is spelt out with keras.ops (keras.ops.mean, keras.ops.var, keras.ops.matmul, ...),
each step of it kept in a named intermediate variable, layers walked with explicit for-loops and
sub-layers and weights kept in plain Python lists or dicts. Written from the task text alone.
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
        # the stored kernels are drawn from N(0, 1 / lr_multiplier^2), the biases are zeros
        stored_stddev = 1.0 / lr_multiplier
        self.kernels = []
        self.biases = []
        for index in range(depth):
            kernel = self.add_weight(
                shape=(latent_dim, latent_dim),
                initializer=keras.initializers.RandomNormal(mean=0.0, stddev=stored_stddev),
                trainable=True,
                name=f"kernel_{index}",
            )
            bias = self.add_weight(
                shape=(latent_dim,),
                initializer="zeros",
                trainable=True,
                name=f"bias_{index}",
            )
            self.kernels.append(kernel)
            self.biases.append(bias)
        # the runtime scales: W * lambda * sqrt(2 / D) and lambda * b
        self.kernel_scale = lr_multiplier * math.sqrt(2.0 / latent_dim)
        self.bias_scale = lr_multiplier

    def call(self, z):
        # 1. pixel norm on the vector: z / sqrt(mean(z^2) + 1e-8)
        z_squared = keras.ops.square(z)
        mean_square = keras.ops.mean(z_squared, axis=1, keepdims=True)
        root_mean_square = keras.ops.sqrt(mean_square + 1e-8)
        x = keras.ops.divide(z, root_mean_square)
        # 2. the equalised dense layers, each followed by a LeakyReLU
        for index in range(self.depth):
            kernel_in_use = keras.ops.multiply(self.kernels[index], self.kernel_scale)
            bias_in_use = keras.ops.multiply(self.biases[index], self.bias_scale)
            pre_activation = keras.ops.add(keras.ops.matmul(x, kernel_in_use), bias_in_use)
            x = keras.ops.leaky_relu(pre_activation, negative_slope=LEAK)
        return x

# %% part: adain_modulation
class AdaIN(keras.layers.Layer):
    # adain(x, w): each channel of x normalised over its pixels, then scaled and shifted by
    # y_s = A_s w + 1 and y_b = A_b w

    def __init__(self, channels, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.channels = channels
        self.epsilon = epsilon
        # the two learned affine maps of w, kept in a plain dict
        self.affine = {
            "scale": keras.layers.Dense(channels, bias_initializer="ones", name="style_scale"),
            "bias": keras.layers.Dense(channels, bias_initializer="zeros", name="style_bias"),
        }

    def call(self, x, w):
        # instance normalisation: mean and variance of each channel of each sample over H x W
        mean = keras.ops.mean(x, axis=[1, 2], keepdims=True)
        variance = keras.ops.var(x, axis=[1, 2], keepdims=True)
        centred = keras.ops.subtract(x, mean)
        standard_deviation = keras.ops.sqrt(keras.ops.add(variance, self.epsilon))
        normalized = keras.ops.divide(centred, standard_deviation)
        # the style's scale and bias, (B, C) each, made (B, 1, 1, C) to broadcast over pixels
        style_scale = self.affine["scale"](w)
        style_bias = self.affine["bias"](w)
        style_scale = keras.ops.reshape(style_scale, (-1, 1, 1, self.channels))
        style_bias = keras.ops.reshape(style_bias, (-1, 1, 1, self.channels))
        scaled = keras.ops.multiply(style_scale, normalized)
        return keras.ops.add(scaled, style_bias)

# %% part: noise_injection
class NoiseInjection(keras.layers.Layer):
    # noise_layer(x, noise=None): x + strength * noise, one (B, H, W, 1) map shared by the
    # channels; strength (C,) starts at zero; a fresh map is drawn when none is given

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator()

    def build(self, input_shape):
        channels = input_shape[-1]
        self.strength = self.add_weight(
            shape=(channels,),
            initializer="zeros",
            trainable=True,
            name="strength",
        )

    def call(self, x, noise=None):
        if noise is None:
            x_shape = keras.ops.shape(x)
            batch = x_shape[0]
            height = x_shape[1]
            width = x_shape[2]
            noise = keras.random.normal(
                (batch, height, width, 1), dtype=x.dtype, seed=self.seed_generator
            )
        else:
            noise = keras.ops.convert_to_tensor(noise, dtype=x.dtype)
        # (C,) times (B, H, W, 1) -> (B, H, W, C): one map, a strength per channel
        scaled_noise = keras.ops.multiply(self.strength, noise)
        return keras.ops.add(x, scaled_noise)

# %% part: style_generator
class StyleGenerator(keras.Model):
    # generator(ws, noise=None): ws (batch, NUM_STYLES, latent_dim) -> (batch, 32, 32, channels)

    def __init__(self, latent_dim=LATENT_DIM, filters=FILTERS, channels=1, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        self.filters = filters
        self.channels = channels
        # the learned constant input, (1, 4, 4, F), all ones at first
        self.constant = self.add_weight(
            shape=(1, 4, 4, filters),
            initializer="ones",
            trainable=True,
            name="constant",
        )
        # one entry per layer in plain lists; layer 0 has no convolution
        self.convolutions = []
        self.noise_layers = []
        self.adain_layers = []
        for index in range(NUM_STYLES):
            if index == 0:
                self.convolutions.append(None)
            else:
                self.convolutions.append(
                    keras.layers.Conv2D(filters, 3, padding="same", use_bias=True,
                                        name=f"conv_{index}")
                )
            self.noise_layers.append(NoiseInjection(name=f"noise_{index}"))
            self.adain_layers.append(AdaIN(filters, name=f"adain_{index}"))
        # the last 1 x 1 convolution to the image's channels, no activation
        self.to_image = keras.layers.Conv2D(channels, 1, name="to_image")

    def call(self, ws, noise=None):
        ws = keras.ops.convert_to_tensor(ws)
        batch = keras.ops.shape(ws)[0]
        # the constant repeated for the B samples
        x = keras.ops.repeat(self.constant, batch, axis=0)
        for index in range(NUM_STYLES):
            if index > 0:
                if index % 2 == 0:
                    # nearest-neighbour upsampling by 2: every pixel repeated along H and W
                    x = keras.ops.repeat(x, 2, axis=1)
                    x = keras.ops.repeat(x, 2, axis=2)
                x = self.convolutions[index](x)
            if noise is None:
                x = self.noise_layers[index](x)
            else:
                x = self.noise_layers[index](x, noise[index])
            x = keras.ops.leaky_relu(x, negative_slope=LEAK)
            style = ws[:, index]
            x = self.adain_layers[index](x, style)
        images = self.to_image(x)
        return images

# %% part: style_mixing
def mix_styles(w1, w2, crossover, num_styles=NUM_STYLES):
    # (batch, latent) twice -> (batch, num_styles, latent): w1 for layers < crossover, w2 after
    styles = []
    for index in range(num_styles):
        if index < crossover:
            styles.append(w1)
        else:
            styles.append(w2)
    mixed = keras.ops.stack(styles, axis=1)
    return mixed

# %% part: truncation
def truncate(w, w_avg, psi):
    # w pulled toward the mean style: w_avg + psi * (w - w_avg)
    difference = keras.ops.subtract(w, w_avg)
    pulled = keras.ops.multiply(psi, difference)
    truncated = keras.ops.add(w_avg, pulled)
    return truncated


def track_w_avg(w_avg, w, decay=0.995):
    # the moving average of the mean style, updated with a batch of styles w (batch, latent)
    batch_mean = keras.ops.mean(w, axis=0)
    kept = keras.ops.multiply(decay, w_avg)
    added = keras.ops.multiply(1.0 - decay, batch_mean)
    new_w_avg = keras.ops.add(kept, added)
    return new_w_avg

# %% part: stylegan_step
def make_stylegan_step(mapping, generator, critic, g_optimizer, c_optimizer, r1_gamma=R1_GAMMA):
    # step(real_images, critic_z, generator_z) -> (critic loss, generator loss)

    def synthesize(z):
        # G(z): the synthesis network fed broadcast_w(mapping(z))
        w = mapping(z, training=True)
        ws = broadcast_w(w)
        fake_images = generator(ws, training=True)
        return fake_images

    @tf.function
    def step(real_images, critic_z, generator_z):
        real_images = keras.ops.convert_to_tensor(real_images, dtype="float32")
        critic_z = keras.ops.convert_to_tensor(critic_z, dtype="float32")
        generator_z = keras.ops.convert_to_tensor(generator_z, dtype="float32")

        # 1. the critic's update
        critic_fakes = synthesize(critic_z)
        with tf.GradientTape() as critic_tape:
            with tf.GradientTape() as r1_tape:
                r1_tape.watch(real_images)
                real_scores = critic(real_images, training=True)
                real_score_sum = keras.ops.sum(real_scores)
            real_gradients = r1_tape.gradient(real_score_sum, real_images)
            fake_scores = critic(critic_fakes, training=True)
            fake_term = keras.ops.mean(keras.ops.softplus(fake_scores))
            real_term = keras.ops.mean(keras.ops.softplus(keras.ops.negative(real_scores)))
            squared_norms = keras.ops.sum(keras.ops.square(real_gradients), axis=[1, 2, 3])
            r1_penalty = keras.ops.multiply(r1_gamma / 2.0, keras.ops.mean(squared_norms))
            critic_loss = fake_term + real_term + r1_penalty
        critic_variables = critic.trainable_variables
        critic_gradients = critic_tape.gradient(critic_loss, critic_variables)
        c_optimizer.apply_gradients(zip(critic_gradients, critic_variables))

        # 2. the generator's update: mapping and synthesis networks together
        generator_variables = []
        for variable in mapping.trainable_variables:
            generator_variables.append(variable)
        for variable in generator.trainable_variables:
            generator_variables.append(variable)
        with tf.GradientTape() as generator_tape:
            generator_fakes = synthesize(generator_z)
            generated_scores = critic(generator_fakes, training=True)
            generator_loss = keras.ops.mean(
                keras.ops.softplus(keras.ops.negative(generated_scores))
            )
        generator_gradients = generator_tape.gradient(generator_loss, generator_variables)
        g_optimizer.apply_gradients(zip(generator_gradients, generator_variables))

        return critic_loss, generator_loss

    return step
