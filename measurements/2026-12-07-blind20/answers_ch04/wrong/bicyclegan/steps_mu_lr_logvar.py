"""PART: bicycle_steps
MISTAKE: mu_lr is taken from encoder(fake_lr)'s second output (the log-variance) instead of its first.

The base set (plain Keras/tf style) with this one mistake."""

# %% part: latent_encoder
def build_latent_encoder(z_dim=8, filters=16, channels=1):
    """E: shoes (B, 32, 32, channels) -> [mu, log_var], each (B, z_dim), as the table says."""
    layers = keras.layers
    shoes = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    x = layers.Conv2D(filters, 4, strides=2, padding="same")(shoes)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Conv2D(2 * filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = layers.LeakyReLU(0.2)(instance_norm()(x))
    x = layers.Conv2D(4 * filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = layers.LeakyReLU(0.2)(instance_norm()(x))
    x = layers.GlobalAveragePooling2D()(x)
    mu = layers.Dense(z_dim)(x)
    log_var = layers.Dense(z_dim)(x)
    return keras.Model(shoes, [mu, log_var])


def sample_latent(mu, log_var, noise):
    """z = mu + exp(log_var / 2) * noise, where noise ~ N(0, I) has mu's shape."""
    return mu + tf.exp(0.5 * log_var) * noise


# %% part: latent_injection
def tile_latent(z, height, width):
    """(B, z_dim) -> (B, height, width, z_dim): every pixel holds the whole code."""
    return tf.tile(z[:, None, None, :], [1, height, width, 1])


def join_latent(images, z):
    """images (B, H, W, C) and z (B, z_dim) -> (B, H, W, C + z_dim): the image's channels,
    then the tiled code."""
    height, width = tf.shape(images)[1], tf.shape(images)[2]
    tiled = tile_latent(tf.cast(z, images.dtype), height, width)
    return tf.concat([images, tiled], axis=-1)


# %% part: bicycle_losses
def kl_divergence(mu, log_var):
    """KL(N(mu, exp(log_var)) || N(0, I)): summed over the code's dimensions, averaged over the
    batch."""
    per_sample = 0.5 * tf.reduce_sum(tf.exp(log_var) + tf.square(mu) - 1.0 - log_var, axis=-1)
    return tf.reduce_mean(per_sample)


def latent_regression_loss(z, mu):
    """mean |z - mu| over every number: the code a shoe was drawn from against E's mean for it."""
    return tf.reduce_mean(tf.abs(z - mu))


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
        with tf.GradientTape(persistent=True) as tape:
            # cVAE-GAN: image -> code -> image
            mu, log_var = encoder(shoes, training=True)
            z = sample_latent(mu, log_var, noise)
            fake_vae = generator([edges, z], training=True)
            # cLR-GAN: code -> image -> code
            fake_lr = generator([edges, random_z], training=True)
            _mu, mu_lr = encoder(fake_lr, training=True)

            total = (
                lsgan_generator_loss(d_vae(fake_vae, training=True))
                + lsgan_generator_loss(d_lr(fake_lr, training=True))
                + image_weight * tf.reduce_mean(tf.abs(shoes - fake_vae))
                + kl_weight * kl_divergence(mu, log_var)
            )
            latent = latent_regression_loss(random_z, mu_lr)
            generator_loss = total + latent_weight * latent
        g_vars = generator.trainable_variables
        e_vars = encoder.trainable_variables
        g_grads = tape.gradient(generator_loss, g_vars)
        e_grads = tape.gradient(total, e_vars)
        del tape
        g_optimizer.apply_gradients(zip(g_grads + e_grads, g_vars + e_vars))
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
        grads = tape.gradient(loss, variables)
        d_optimizer.apply_gradients(zip(grads, variables))
        return loss_vae, loss_lr

    return generator_step, discriminator_step
