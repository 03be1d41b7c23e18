"""Answer set: compact_stop_gradient.

Style: as short as stays readable, in plain TensorFlow. The encoder is one functional loop over
the three convolutions; the code is tiled with `tf.tile`; the losses are one-liners. The training
steps keep a single (persistent) tape and stop the latent regression from reaching the encoder by
asking that tape for the gradients of two different losses over two separate variable lists: the
generator's of `total + latent_weight * latent`, the encoder's of `total` alone. Two small
helpers, `_scores` (one network in training mode) and `_apply` (one optimizer update), keep the
steps short.
"""

# %% part: latent_encoder
def build_latent_encoder(z_dim=8, filters=16, channels=1):
    """E: shoes (B, 32, 32, channels) -> [mu, log_var], each (B, z_dim), as the table says."""
    L = keras.layers
    shoes = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    x = shoes
    for i, width in enumerate((filters, 2 * filters, 4 * filters)):
        x = L.Conv2D(width, 4, strides=2, padding="same", use_bias=i == 0)(x)
        x = L.LeakyReLU(0.2)(x if i == 0 else instance_norm()(x))
    x = L.GlobalAveragePooling2D()(x)
    return keras.Model(shoes, [L.Dense(z_dim)(x), L.Dense(z_dim)(x)])


def sample_latent(mu, log_var, noise):
    """z = mu + exp(log_var / 2) * noise, where noise ~ N(0, I) has mu's shape."""
    return mu + tf.exp(log_var / 2) * noise

# %% part: latent_injection
def tile_latent(z, height, width):
    """(B, z_dim) -> (B, height, width, z_dim): every pixel holds the whole code."""
    return tf.tile(z[:, None, None, :], [1, height, width, 1])


def join_latent(images, z):
    """images (B, H, W, C) and z (B, z_dim) -> (B, H, W, C + z_dim): the image's channels,
    then the tiled code."""
    shape = tf.shape(images)
    return tf.concat([images, tile_latent(tf.cast(z, images.dtype), shape[1], shape[2])], -1)

# %% part: bicycle_losses
def kl_divergence(mu, log_var):
    """KL(N(mu, exp(log_var)) || N(0, I)): summed over the code's dimensions, averaged over the
    batch."""
    return tf.reduce_mean(0.5 * tf.reduce_sum(tf.exp(log_var) + mu**2 - 1 - log_var, axis=-1))


def latent_regression_loss(z, mu):
    """mean |z - mu| over every number: the code a shoe was drawn from against E's mean for it."""
    return tf.reduce_mean(tf.abs(z - mu))

# %% part: bicycle_steps
def _scores(network, inputs):
    """One network, in training mode."""
    return network(inputs, training=True)


def _apply(optimizer, gradients, variables):
    """One optimizer update; variables that got no gradient are left alone."""
    optimizer.apply_gradients([(g, v) for g, v in zip(gradients, variables) if g is not None])


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
            mu, log_var = _scores(encoder, shoes)
            fake_vae = _scores(generator, [edges, sample_latent(mu, log_var, noise)])
            fake_lr = _scores(generator, [edges, random_z])
            mu_lr = _scores(encoder, fake_lr)[0]
            total = (
                lsgan_generator_loss(_scores(d_vae, fake_vae))
                + lsgan_generator_loss(_scores(d_lr, fake_lr))
                + image_weight * tf.reduce_mean(tf.abs(shoes - fake_vae))
                + kl_weight * kl_divergence(mu, log_var)
            )
            latent = latent_regression_loss(random_z, mu_lr)
            g_loss = total + latent_weight * latent
        g_vars, e_vars = generator.trainable_variables, encoder.trainable_variables
        # Two losses, two variable lists: the encoder never sees the latent regression.
        gradients = tape.gradient(g_loss, g_vars) + tape.gradient(total, e_vars)
        del tape
        _apply(g_optimizer, gradients, g_vars + e_vars)
        return total, latent, fake_vae, fake_lr

    @tf.function
    def discriminator_step(shoes, fake_vae, fake_lr):
        with tf.GradientTape() as tape:
            loss_vae = lsgan_discriminator_loss(_scores(d_vae, shoes), _scores(d_vae, fake_vae))
            loss_lr = lsgan_discriminator_loss(_scores(d_lr, shoes), _scores(d_lr, fake_lr))
            loss = loss_vae + loss_lr  # inside the tape, so that the sum is recorded
        d_vars = d_vae.trainable_variables + d_lr.trainable_variables
        _apply(d_optimizer, tape.gradient(loss, d_vars), d_vars)
        return loss_vae, loss_lr

    return generator_step, discriminator_step
