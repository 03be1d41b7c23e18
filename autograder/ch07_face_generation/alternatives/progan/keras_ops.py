"""Correct answer set, style: plain and explicit keras.ops.

Every computation is spelled out with keras.ops (keras.ops.mean, keras.ops.conv,
keras.ops.matmul, ...) through named intermediate variables; the stages are walked with explicit
for-loops, and each network keeps its layers in plain Python lists and dicts indexed by stage.
Written from the task text alone.
"""

# %% part: pixel_norm
class PixelNorm(keras.layers.Layer):
    # Each pixel's feature vector (the last axis) divided by its root mean square.

    def __init__(self, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = epsilon

    def call(self, x):
        squares = keras.ops.square(x)
        mean_square = keras.ops.mean(squares, axis=-1, keepdims=True)  # (..., 1): one per pixel
        root_mean_square = keras.ops.sqrt(mean_square + self.epsilon)
        normalised = keras.ops.divide(x, root_mean_square)
        return normalised


# %% part: minibatch_std
class MinibatchStd(keras.layers.Layer):
    # Appends the average standard deviation of each group of samples as one channel.

    def __init__(self, group_size=4, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.group_size = group_size
        self.epsilon = epsilon

    def call(self, x):
        batch_size = keras.ops.shape(x)[0]
        height, width, channels = x.shape[1], x.shape[2], x.shape[3]
        # a batch smaller than group_size is one group of its own size
        if isinstance(batch_size, int):
            group = min(self.group_size, batch_size)
        else:
            group = keras.ops.minimum(self.group_size, batch_size)
        # consecutive samples: samples 0 .. group - 1 form the first group
        grouped = keras.ops.reshape(x, (-1, group, height, width, channels))  # (N, G, H, W, C)
        group_mean = keras.ops.mean(grouped, axis=1, keepdims=True)  # the group's own mean
        deviations = keras.ops.subtract(grouped, group_mean)
        variance = keras.ops.mean(keras.ops.square(deviations), axis=1, keepdims=True)  # divisor G
        std = keras.ops.sqrt(variance + self.epsilon)  # (N, 1, H, W, C)
        group_std = keras.ops.mean(std, axis=[2, 3, 4], keepdims=True)  # (N, 1, 1, 1, 1)
        # the same number at every pixel of every sample of its group
        ones = keras.ops.ones_like(grouped[..., :1])  # (N, G, H, W, 1)
        feature = keras.ops.multiply(ones, keras.ops.cast(group_std, ones.dtype))
        feature = keras.ops.reshape(feature, (-1, height, width, 1))  # (B, H, W, 1)
        output = keras.ops.concatenate([x, feature], axis=-1)  # (B, H, W, C + 1)
        return output


# %% part: equalized_layers
class EqualizedDense(keras.layers.Layer):
    # A dense layer whose N(0, 1) kernel is scaled by gain / sqrt(fan_in) at every call.

    def __init__(self, units, gain=math.sqrt(2.0), **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.gain = gain

    def build(self, input_shape):
        fan_in = int(input_shape[-1])
        self.fan_in = fan_in
        self.kernel = self.add_weight(
            name="kernel",
            shape=(fan_in, self.units),
            initializer=keras.initializers.RandomNormal(mean=0.0, stddev=1.0),
            trainable=True,
        )
        self.bias = self.add_weight(
            name="bias",
            shape=(self.units,),
            initializer=keras.initializers.Zeros(),
            trainable=True,
        )

    def call(self, x):
        scale = self.gain / math.sqrt(self.fan_in)  # He's constant, applied in every call
        scaled_kernel = keras.ops.multiply(self.kernel, scale)
        product = keras.ops.matmul(x, scaled_kernel)
        output = keras.ops.add(product, self.bias)
        return output


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
        self.fan_in = k * k * channels_in
        self.kernel = self.add_weight(
            name="kernel",
            shape=(k, k, channels_in, self.filters),
            initializer=keras.initializers.RandomNormal(mean=0.0, stddev=1.0),
            trainable=True,
        )
        self.bias = self.add_weight(
            name="bias",
            shape=(self.filters,),
            initializer=keras.initializers.Zeros(),
            trainable=True,
        )

    def call(self, x):
        scale = self.gain / math.sqrt(self.fan_in)  # He's constant, applied in every call
        scaled_kernel = keras.ops.multiply(self.kernel, scale)
        convolved = keras.ops.conv(x, scaled_kernel, strides=1, padding="same")
        output = keras.ops.add(convolved, self.bias)
        return output


# %% part: progan_generator
def fade_in(alpha, old, new):
    # (1 - alpha) * old + alpha * new
    alpha = keras.ops.cast(alpha, new.dtype)
    old_part = keras.ops.multiply(1.0 - alpha, old)
    new_part = keras.ops.multiply(alpha, new)
    blended = keras.ops.add(old_part, new_part)
    return blended


class ProGenerator(keras.Model):
    # z (B, latent_dim) -> images (B, 4 * 2**stage, 4 * 2**stage, channels), faded in by alpha.

    def __init__(self, latent_dim=LATENT_DIM, filters=FILTERS, channels=1, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        self.filters = filters
        self.channels = channels
        base_filters = stage_filters(filters, 0)
        # the base (stage 0), one layer after the other
        self.base_layers = [
            PixelNorm(),
            EqualizedDense(4 * 4 * base_filters, gain=math.sqrt(2.0) / 4),
            keras.layers.Reshape((4, 4, base_filters)),
            keras.layers.LeakyReLU(LEAK),
            PixelNorm(),
            EqualizedConv2D(base_filters, 3),
            keras.layers.LeakyReLU(LEAK),
            PixelNorm(),
        ]
        # one block per stage 1 .. STAGES - 1, keyed by its stage
        self.blocks = {}
        for stage in range(1, STAGES):
            self.blocks[stage] = generator_block(stage_filters(filters, stage))
        # one to-RGB layer per stage 0 .. STAGES - 1
        self.to_rgb = []
        for stage in range(STAGES):
            self.to_rgb.append(EqualizedConv2D(channels, 1, gain=1.0))
        # nearest-neighbour upsampling of the old stage's picture, as the blocks do
        self.upsample = keras.layers.UpSampling2D(2)

    def build(self, input_shape):
        # nothing to create here: each stage's layers build themselves on their first call
        pass

    def call(self, z, stage=STAGES - 1, alpha=1.0):
        features = z
        for layer in self.base_layers:
            features = layer(features)
        if stage == 0:
            images = self.to_rgb[0](features)
            return images
        # blocks 1 .. stage - 1 unchanged
        for block_stage in range(1, stage):
            features = self.blocks[block_stage](features)
        # the features before block `stage`: the old path and the new path
        old_images = self.to_rgb[stage - 1](features)
        old_images = self.upsample(old_images)
        new_features = self.blocks[stage](features)
        new_images = self.to_rgb[stage](new_features)
        images = fade_in(alpha, old_images, new_images)
        return images


# %% part: progan_discriminator
class ProDiscriminator(keras.Model):
    # images (B, 4 * 2**stage, 4 * 2**stage, C) -> scores (B, 1), faded in by alpha.

    def __init__(self, filters=FILTERS, group_size=4, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.group_size = group_size
        base_filters = stage_filters(filters, 0)
        # one from-RGB layer per stage: a 1x1 convolution to F_s and a LeakyReLU
        self.from_rgb_convs = []
        self.from_rgb_activations = []
        for stage in range(STAGES):
            self.from_rgb_convs.append(EqualizedConv2D(stage_filters(filters, stage), 1))
            self.from_rgb_activations.append(keras.layers.LeakyReLU(LEAK))
        # one block per stage 1 .. STAGES - 1, keyed by its stage: F_s -> F_{s-1}, half the size
        self.blocks = {}
        for stage in range(1, STAGES):
            self.blocks[stage] = discriminator_block(
                stage_filters(filters, stage), stage_filters(filters, stage - 1)
            )
        # the base at 4 x 4
        self.base_layers = [
            MinibatchStd(group_size),
            EqualizedConv2D(base_filters, 3),
            keras.layers.LeakyReLU(LEAK),
            keras.layers.Flatten(),
            EqualizedDense(base_filters),
            keras.layers.LeakyReLU(LEAK),
            EqualizedDense(1, gain=1.0),
        ]
        # average pooling of the images for the old stage's from-RGB layer
        self.downsample = keras.layers.AveragePooling2D(2)

    def build(self, input_shape):
        # nothing to create here: each stage's layers build themselves on their first call
        pass

    def call(self, images, stage=STAGES - 1, alpha=1.0):
        if stage == 0:
            features = self.from_rgb_convs[0](images)
            features = self.from_rgb_activations[0](features)
        else:
            # the new path: from-RGB of this stage, then this stage's block
            new_features = self.from_rgb_convs[stage](images)
            new_features = self.from_rgb_activations[stage](new_features)
            new_features = self.blocks[stage](new_features)
            # the old path: the half-size images through the last stage's from-RGB
            half_images = self.downsample(images)
            old_features = self.from_rgb_convs[stage - 1](half_images)
            old_features = self.from_rgb_activations[stage - 1](old_features)
            features = fade_in(alpha, old_features, new_features)
            # blocks stage - 1 down to 1
            for block_stage in range(stage - 1, 0, -1):
                features = self.blocks[block_stage](features)
        for layer in self.base_layers:
            features = layer(features)
        scores = features  # (B, 1)
        return scores


# %% part: progan_losses
def gradient_penalty(score_fn, real_images, fake_images, epsilon):
    # mean_i (||d sum(score_fn(mixed)) / d mixed_i|| - 1)^2, mixed = eps * real + (1 - eps) * fake
    real_part = keras.ops.multiply(epsilon, real_images)
    fake_part = keras.ops.multiply(1.0 - epsilon, fake_images)
    mixed = keras.ops.add(real_part, fake_part)
    with tf.GradientTape() as penalty_tape:
        penalty_tape.watch(mixed)
        mixed_scores = score_fn(mixed)  # (B, 1)
    # the gradient of the sum of the scores: each sample's own gradient
    gradients = penalty_tape.gradient(mixed_scores, mixed)  # (B, H, W, C)
    squared = keras.ops.square(gradients)
    per_sample_sum = keras.ops.sum(squared, axis=[1, 2, 3])  # (B,)
    norms = keras.ops.sqrt(per_sample_sum)
    distances = keras.ops.square(norms - 1.0)
    penalty = keras.ops.mean(distances)
    return penalty


def progan_critic_loss(real_scores, fake_scores, penalty, gp_weight=10.0, drift_weight=0.001):
    # mean(fake) - mean(real) + gp_weight * penalty + drift_weight * mean(real ** 2)
    mean_fake = keras.ops.mean(fake_scores)
    mean_real = keras.ops.mean(real_scores)
    wasserstein = mean_fake - mean_real
    drift = keras.ops.mean(keras.ops.square(real_scores))
    loss = wasserstein + gp_weight * penalty + drift_weight * drift
    return loss


def progan_generator_loss(fake_scores):
    # -mean(fake)
    mean_fake = keras.ops.mean(fake_scores)
    loss = keras.ops.negative(mean_fake)
    return loss


# %% part: progan_step
def make_progan_step(generator, critic, g_optimizer, c_optimizer, stage):
    # step(real_images, critic_z, generator_z, epsilon, alpha) -> (critic loss, generator loss)

    def pairs_with_gradients(gradients, variables):
        # the to-RGB / from-RGB layers of earlier stages take no part: leave their None out
        pairs = []
        for gradient, variable in zip(gradients, variables):
            if gradient is not None:
                pairs.append((gradient, variable))
        return pairs

    @tf.function
    def step(real_images, critic_z, generator_z, epsilon, alpha):
        real_images = keras.ops.cast(real_images, "float32")
        epsilon = keras.ops.cast(epsilon, "float32")

        # 1. one critic update
        critic_fakes = generator(critic_z, stage=stage, alpha=alpha, training=True)

        def score_fn(images):
            return critic(images, stage=stage, alpha=alpha, training=True)

        with tf.GradientTape() as critic_tape:
            real_scores = critic(real_images, stage=stage, alpha=alpha, training=True)
            fake_scores = critic(critic_fakes, stage=stage, alpha=alpha, training=True)
            penalty = gradient_penalty(score_fn, real_images, critic_fakes, epsilon)
            critic_loss = progan_critic_loss(real_scores, fake_scores, penalty)
        critic_variables = critic.trainable_variables
        critic_gradients = critic_tape.gradient(critic_loss, critic_variables)
        c_optimizer.apply_gradients(pairs_with_gradients(critic_gradients, critic_variables))

        # 2. one generator update, scored by the critic after its update
        with tf.GradientTape() as generator_tape:
            generator_fakes = generator(generator_z, stage=stage, alpha=alpha, training=True)
            generator_scores = critic(generator_fakes, stage=stage, alpha=alpha, training=True)
            generator_loss = progan_generator_loss(generator_scores)
        generator_variables = generator.trainable_variables
        generator_gradients = generator_tape.gradient(generator_loss, generator_variables)
        g_optimizer.apply_gradients(pairs_with_gradients(generator_gradients, generator_variables))

        return critic_loss, generator_loss

    return step
