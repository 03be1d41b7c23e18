"""BicycleGAN, a subclassed encoder and TensorFlow ops.

A student at home with TensorFlow: the encoder is a keras.Model subclass whose layers are made
in __init__ and whose call() returns [mu, log_var] (built once on a dummy batch, so that it has
its weights before the first step); the reparameterisation, the tiling (tf.reshape then
tf.tile) and the joining (tf.concat) use tf ops; the losses use tf.math and tf.reduce_*; the
generator step records one persistent tf.GradientTape and takes the generator's and the
encoder's gradients from it separately, as explicit lists, before one apply_gradients of the
concatenated lists; the discriminator step does the same for d_vae then d_lr.
"""

# %% part: latent_encoder
class LatentEncoder(keras.Model):
    """E: three stride-2 convolutions, global average pooling, two Dense heads."""

    def __init__(self, z_dim=8, filters=16, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = keras.layers.Conv2D(filters, 4, strides=2, padding="same")
        self.act1 = keras.layers.LeakyReLU(negative_slope=0.2)
        self.conv2 = keras.layers.Conv2D(2 * filters, 4, strides=2, padding="same", use_bias=False)
        self.norm2 = instance_norm()
        self.act2 = keras.layers.LeakyReLU(negative_slope=0.2)
        self.conv3 = keras.layers.Conv2D(4 * filters, 4, strides=2, padding="same", use_bias=False)
        self.norm3 = instance_norm()
        self.act3 = keras.layers.LeakyReLU(negative_slope=0.2)
        self.pool = keras.layers.GlobalAveragePooling2D()
        self.mu_head = keras.layers.Dense(z_dim, name="mu")
        self.log_var_head = keras.layers.Dense(z_dim, name="log_var")

    def call(self, shoes, training=None):
        x = self.act1(self.conv1(shoes))  # (B, 16, 16, F)
        x = self.act2(self.norm2(self.conv2(x), training=training))  # (B, 8, 8, 2F)
        x = self.act3(self.norm3(self.conv3(x), training=training))  # (B, 4, 4, 4F)
        features = self.pool(x)  # (B, 4F)
        return [self.mu_head(features), self.log_var_head(features)]


def build_latent_encoder(z_dim=8, filters=16, channels=1):
    """E: shoes (B, 32, 32, channels) -> [mu, log_var], each (B, z_dim), as the table says."""
    encoder = LatentEncoder(z_dim, filters, name="latent_encoder")
    encoder(tf.zeros((1, IMAGE_SIZE, IMAGE_SIZE, channels)))  # create the weights now
    return encoder


def sample_latent(mu, log_var, noise):
    """z = mu + exp(log_var / 2) * noise, where noise ~ N(0, I) has mu's shape."""
    sigma = tf.math.exp(log_var / 2.0)
    return tf.math.add(mu, tf.math.multiply(sigma, noise))


# %% part: latent_injection
def tile_latent(z, height, width):
    """(B, z_dim) -> (B, height, width, z_dim): every pixel holds the whole code."""
    z_dim = z.shape[-1]
    column = tf.reshape(z, [-1, 1, 1, z_dim])  # (B, 1, 1, z_dim)
    return tf.tile(column, [1, height, width, 1])


def join_latent(images, z):
    """images (B, H, W, C) and z (B, z_dim) -> (B, H, W, C + z_dim): the image's channels,
    then the tiled code."""
    shape = tf.shape(images)
    height = images.shape[1] if images.shape[1] is not None else shape[1]
    width = images.shape[2] if images.shape[2] is not None else shape[2]
    code = tf.cast(tile_latent(z, height, width), images.dtype)
    return tf.concat([images, code], axis=-1)


# %% part: bicycle_losses
def kl_divergence(mu, log_var):
    """KL(N(mu, exp(log_var)) || N(0, I)): summed over the code's dimensions, averaged over the
    batch."""
    terms = tf.math.exp(log_var) + tf.math.square(mu) - 1.0 - log_var
    kl_per_sample = 0.5 * tf.reduce_sum(terms, axis=1)
    return tf.reduce_mean(kl_per_sample)


def latent_regression_loss(z, mu):
    """mean |z - mu| over every number: the code a shoe was drawn from against E's mean for it."""
    return tf.reduce_mean(tf.math.abs(tf.math.subtract(z, mu)))


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

    def generator_step(edges, shoes, noise, random_z):
        with tf.GradientTape(persistent=True) as tape:
            mu, log_var = encoder(shoes, training=True)
            z = sample_latent(mu, log_var, noise)
            fake_vae = generator([edges, z], training=True)

            fake_lr = generator([edges, random_z], training=True)
            mu_lr, _log_var_lr = encoder(fake_lr, training=True)

            adversarial = lsgan_generator_loss(d_vae(fake_vae, training=True))
            adversarial += lsgan_generator_loss(d_lr(fake_lr, training=True))
            reconstruction = tf.reduce_mean(tf.math.abs(shoes - fake_vae))
            total = adversarial + image_weight * reconstruction
            total += kl_weight * kl_divergence(mu, log_var)
            latent = latent_regression_loss(random_z, mu_lr)
            generator_loss = total + latent_weight * latent

        generator_variables = list(generator.trainable_variables)
        encoder_variables = list(encoder.trainable_variables)
        generator_gradients = tape.gradient(generator_loss, generator_variables)
        encoder_gradients = tape.gradient(total, encoder_variables)  # not the latent term
        del tape

        gradients = list(generator_gradients) + list(encoder_gradients)
        variables = generator_variables + encoder_variables
        g_optimizer.apply_gradients(zip(gradients, variables))
        return total, latent, fake_vae, fake_lr

    def discriminator_step(shoes, fake_vae, fake_lr):
        with tf.GradientTape(persistent=True) as tape:
            loss_vae = lsgan_discriminator_loss(
                d_vae(shoes, training=True), d_vae(fake_vae, training=True)
            )
            loss_lr = lsgan_discriminator_loss(
                d_lr(shoes, training=True), d_lr(fake_lr, training=True)
            )
            loss = loss_vae + loss_lr
        vae_variables = list(d_vae.trainable_variables)
        lr_variables = list(d_lr.trainable_variables)
        vae_gradients = tape.gradient(loss, vae_variables)
        lr_gradients = tape.gradient(loss, lr_variables)
        del tape
        d_optimizer.apply_gradients(
            zip(list(vae_gradients) + list(lr_gradients), vae_variables + lr_variables)
        )
        return loss_vae, loss_lr

    return tf.function(generator_step), tf.function(discriminator_step)
