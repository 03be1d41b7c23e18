"""BicycleGAN, plain functional Keras.

The plainest answer a good student writes: the encoder as a functional keras.Model built layer
by layer down the table, keras.ops for every tensor operation (sampling, tiling, joining, the
losses), and in the generator step two non-persistent tf.GradientTape contexts recording the
same forward pass, one for the generator's objective (total + latent_weight * latent) and one
for the encoder's (total alone); both gradient lists go to g_optimizer in one update.
"""

# %% part: latent_encoder
def build_latent_encoder(z_dim=8, filters=16, channels=1):
    """E: shoes (B, 32, 32, channels) -> [mu, log_var], each (B, z_dim), as the table says."""
    layers = keras.layers
    shoes = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    x = layers.Conv2D(filters, 4, strides=2, padding="same")(shoes)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Conv2D(2 * filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = instance_norm()(x)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Conv2D(4 * filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = instance_norm()(x)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.GlobalAveragePooling2D()(x)
    mu = layers.Dense(z_dim)(x)
    log_var = layers.Dense(z_dim)(x)
    return keras.Model(shoes, [mu, log_var])


def sample_latent(mu, log_var, noise):
    """z = mu + exp(log_var / 2) * noise, where noise ~ N(0, I) has mu's shape."""
    return mu + keras.ops.exp(0.5 * log_var) * noise


# %% part: latent_injection
def tile_latent(z, height, width):
    """(B, z_dim) -> (B, height, width, z_dim): every pixel holds the whole code."""
    z = keras.ops.expand_dims(keras.ops.expand_dims(z, 1), 1)  # (B, 1, 1, z_dim)
    z = keras.ops.repeat(z, height, axis=1)
    return keras.ops.repeat(z, width, axis=2)


def join_latent(images, z):
    """images (B, H, W, C) and z (B, z_dim) -> (B, H, W, C + z_dim): the image's channels,
    then the tiled code."""
    _batch, height, width, _channels = keras.ops.shape(images)
    return keras.ops.concatenate([images, tile_latent(z, height, width)], axis=-1)


# %% part: bicycle_losses
def kl_divergence(mu, log_var):
    """KL(N(mu, exp(log_var)) || N(0, I)): summed over the code's dimensions, averaged over the
    batch."""
    per_number = keras.ops.exp(log_var) + keras.ops.square(mu) - 1.0 - log_var
    per_sample = 0.5 * keras.ops.sum(per_number, axis=-1)
    return keras.ops.mean(per_sample)


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
        with tf.GradientTape() as g_tape, tf.GradientTape() as e_tape:
            # 1. cVAE-GAN: shoe -> code -> shoe
            mu, log_var = encoder(shoes, training=True)
            z = sample_latent(mu, log_var, noise)
            fake_vae = generator([edges, z], training=True)
            # 2. cLR-GAN: code -> shoe -> code
            fake_lr = generator([edges, random_z], training=True)
            mu_lr = encoder(fake_lr, training=True)[0]
            # 3. the losses
            total = (
                lsgan_generator_loss(d_vae(fake_vae, training=True))
                + lsgan_generator_loss(d_lr(fake_lr, training=True))
                + image_weight * keras.ops.mean(keras.ops.abs(shoes - fake_vae))
                + kl_weight * kl_divergence(mu, log_var)
            )
            latent = latent_regression_loss(random_z, mu_lr)
            generator_objective = total + latent_weight * latent
        # 4. G follows total + latent_weight * latent, E follows total alone
        g_variables = generator.trainable_variables
        e_variables = encoder.trainable_variables
        g_gradients = g_tape.gradient(generator_objective, g_variables)
        e_gradients = e_tape.gradient(total, e_variables)
        g_optimizer.apply_gradients(
            zip(list(g_gradients) + list(e_gradients), list(g_variables) + list(e_variables))
        )
        # 5.
        return total, latent, fake_vae, fake_lr

    @tf.function
    def discriminator_step(shoes, fake_vae, fake_lr):
        with tf.GradientTape() as tape:
            loss_vae = lsgan_discriminator_loss(
                d_vae(shoes, training=True), d_vae(fake_vae, training=True)
            )
            loss_lr = lsgan_discriminator_loss(
                d_lr(shoes, training=True), d_lr(fake_lr, training=True)
            )
            loss = loss_vae + loss_lr
        variables = d_vae.trainable_variables + d_lr.trainable_variables
        gradients = tape.gradient(loss, variables)
        d_optimizer.apply_gradients(zip(gradients, variables))
        return loss_vae, loss_lr

    return generator_step, discriminator_step
