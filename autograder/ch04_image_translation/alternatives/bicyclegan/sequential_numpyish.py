"""Answer set: sequential_numpyish.

Style: a student who thinks in NumPy terms and writes everything with `keras.ops`. The encoder's
convolutional body is a `keras.Sequential` trunk (ending in the global average pooling), wrapped
in a small functional model that puts the two Dense heads (mu and log_var) on the trunk's vector.
The code is tiled by broadcasting (the code, reshaped to (B, 1, 1, z), times ones of the target
shape) instead of `tf.tile`. The KL divergence is written out term by term. In the generator step
the latent-regression gradient of the generator comes from a second tape, and is added to the
generator's part of the gradients of `total` that the first tape gives for both networks.
"""

# %% part: latent_encoder
def build_latent_encoder(z_dim=8, filters=16, channels=1):
    """E: shoes (B, 32, 32, channels) -> [mu, log_var], each (B, z_dim), as the table says."""
    layers = keras.layers
    trunk = keras.Sequential(
        [
            keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels)),
            # (B, 16, 16, F)
            layers.Conv2D(filters, 4, strides=2, padding="same"),
            layers.LeakyReLU(0.2),
            # (B, 8, 8, 2F)
            layers.Conv2D(2 * filters, 4, strides=2, padding="same", use_bias=False),
            instance_norm(),
            layers.LeakyReLU(0.2),
            # (B, 4, 4, 4F)
            layers.Conv2D(4 * filters, 4, strides=2, padding="same", use_bias=False),
            instance_norm(),
            layers.LeakyReLU(0.2),
            # (B, 4F)
            layers.GlobalAveragePooling2D(),
        ],
        name="encoder_trunk",
    )
    shoes = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels), name="shoes")
    features = trunk(shoes)
    mu = layers.Dense(z_dim, name="mu")(features)
    log_var = layers.Dense(z_dim, name="log_var")(features)
    return keras.Model(shoes, [mu, log_var], name="latent_encoder")


def sample_latent(mu, log_var, noise):
    """z = mu + exp(log_var / 2) * noise, where noise ~ N(0, I) has mu's shape."""
    sigma = keras.ops.exp(0.5 * log_var)
    return mu + sigma * noise

# %% part: latent_injection
def tile_latent(z, height, width):
    """(B, z_dim) -> (B, height, width, z_dim): every pixel holds the whole code."""
    ops = keras.ops
    batch, z_dim = ops.shape(z)[0], ops.shape(z)[-1]
    column = ops.reshape(z, (batch, 1, 1, z_dim))  # (B, 1, 1, z)
    # Broadcasting against ones of the target shape copies the code to every pixel.
    return column * ops.ones((batch, height, width, z_dim), dtype=z.dtype)


def join_latent(images, z):
    """images (B, H, W, C) and z (B, z_dim) -> (B, H, W, C + z_dim): the image's channels,
    then the tiled code."""
    height, width = keras.ops.shape(images)[1], keras.ops.shape(images)[2]
    tiled = tile_latent(keras.ops.cast(z, images.dtype), height, width)
    return keras.ops.concatenate([images, tiled], axis=-1)

# %% part: bicycle_losses
def kl_divergence(mu, log_var):
    """KL(N(mu, exp(log_var)) || N(0, I)): summed over the code's dimensions, averaged over the
    batch."""
    ops = keras.ops
    variance = ops.exp(log_var)  # sigma_k^2
    mean_square = ops.square(mu)  # mu_k^2
    per_dimension = variance + mean_square - 1.0 - log_var
    per_sample = 0.5 * ops.sum(per_dimension, axis=-1)  # (B,)
    return ops.mean(per_sample)


def latent_regression_loss(z, mu):
    """mean |z - mu| over every number: the code a shoe was drawn from against E's mean for it."""
    return keras.ops.mean(keras.ops.abs(z - mu))

# %% part: bicycle_steps
def make_bicycle_steps(
    generator,
    encoder,
    d_vae,
    d_lr,
    g_optimizer,
    d_optimizer,
    image_weight=10.0,
    kl_weight=0.01,
    latent_weight=0.5,
):
    """Return (generator_step, discriminator_step), two tf.functions:
    generator_step(edges, shoes, noise, random_z) -> (total, latent, fake_vae, fake_lr),
    updating the generator (total + latent_weight * latent) and the encoder (total alone);
    discriminator_step(shoes, fake_vae, fake_lr) -> (loss_vae, loss_lr), updating both
    discriminators."""

    @tf.function
    def generator_step(edges, shoes, noise, random_z):
        g_vars = generator.trainable_variables
        e_vars = encoder.trainable_variables
        with tf.GradientTape() as tape, tf.GradientTape() as latent_tape:
            # 1. cVAE-GAN: shoe -> code -> shoe
            mu, log_var = encoder(shoes, training=True)
            z = sample_latent(mu, log_var, noise)
            fake_vae = generator([edges, z], training=True)
            # 2. cLR-GAN: code -> shoe -> code
            fake_lr = generator([edges, random_z], training=True)
            mu_lr = encoder(fake_lr, training=True)[0]
            # 3. the losses
            adversarial = lsgan_generator_loss(d_vae(fake_vae, training=True))
            adversarial += lsgan_generator_loss(d_lr(fake_lr, training=True))
            image = keras.ops.mean(keras.ops.abs(shoes - fake_vae))
            total = adversarial + image_weight * image + kl_weight * kl_divergence(mu, log_var)
            latent = latent_regression_loss(random_z, mu_lr)
            weighted_latent = latent_weight * latent
        # 4. total trains both networks; the latent regression the generator only.
        gradients = tape.gradient(total, g_vars + e_vars)
        latent_gradients = latent_tape.gradient(weighted_latent, g_vars)
        for index, extra in enumerate(latent_gradients):
            if extra is None:
                continue
            if gradients[index] is None:
                gradients[index] = extra
            else:
                gradients[index] = gradients[index] + extra
        pairs = [(g, v) for g, v in zip(gradients, g_vars + e_vars) if g is not None]
        g_optimizer.apply_gradients(pairs)
        # 5. the losses from before the update
        return total, latent, fake_vae, fake_lr

    @tf.function
    def discriminator_step(shoes, fake_vae, fake_lr):
        d_vars = d_vae.trainable_variables + d_lr.trainable_variables
        with tf.GradientTape() as tape:
            loss_vae = lsgan_discriminator_loss(
                d_vae(shoes, training=True), d_vae(fake_vae, training=True)
            )
            loss_lr = lsgan_discriminator_loss(
                d_lr(shoes, training=True), d_lr(fake_lr, training=True)
            )
            loss = loss_vae + loss_lr
        gradients = tape.gradient(loss, d_vars)
        d_optimizer.apply_gradients(zip(gradients, d_vars))
        return loss_vae, loss_lr

    return generator_step, discriminator_step
