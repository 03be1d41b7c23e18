"""tf.nn.sigmoid_cross_entropy_with_logits for both losses; functional models where the generator
upsamples with UpSampling2D + a 4x4 Conv2D (the book's choice, same parameter count as the
table) and BN momentum 0.9; steps wrapped with tf.function(...) after definition, fakes made
before the tape (stop_gradient), updates with optimizer.apply(grads, variables).
"""


# %% part: discriminator_loss
def discriminator_loss(real_logits, fake_logits):
    """Binary cross-entropy of D: real images have label 1, generated ones label 0.

    real_logits, fake_logits: D's logits, (B, 1) or (B,). Returns a scalar tensor:
    mean BCE(1, real_logits) + mean BCE(0, fake_logits), computed from the logits.
    """
    real_logits = tf.convert_to_tensor(real_logits)
    fake_logits = tf.convert_to_tensor(fake_logits)
    on_real = tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.ones_like(real_logits), logits=real_logits
    )
    on_fake = tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.zeros_like(fake_logits), logits=fake_logits
    )
    return tf.reduce_mean(on_real) + tf.reduce_mean(on_fake)


# %% part: generator_loss
def generator_loss(fake_logits):
    """Non-saturating generator loss: mean BCE(1, fake_logits), from the logits.

    fake_logits: D's logits on generated images, (B, 1) or (B,). Returns a scalar tensor.
    """
    fake_logits = tf.convert_to_tensor(fake_logits)
    per_sample = tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.ones_like(fake_logits), logits=fake_logits
    )
    return tf.reduce_mean(per_sample)


# %% part: dcgan_models
def build_generator(z_dim=100, filters=32):
    """DCGAN generator: z (B, z_dim) -> images (B, 28, 28, 1) in [-1, 1] (tanh output)."""
    z = keras.Input((z_dim,))
    h = keras.layers.Dense(7 * 7 * 2 * filters, use_bias=False)(z)
    h = keras.layers.BatchNormalization(momentum=0.9)(h)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.Reshape((7, 7, 2 * filters))(h)
    h = keras.layers.UpSampling2D(2)(h)  # (B, 14, 14, 2F)
    h = keras.layers.Conv2D(filters, 4, padding="same", use_bias=False)(h)
    h = keras.layers.BatchNormalization(momentum=0.9)(h)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.UpSampling2D(2)(h)  # (B, 28, 28, F)
    images = keras.layers.Conv2D(1, 4, padding="same", activation="tanh")(h)
    return keras.Model(inputs=z, outputs=images)


def build_discriminator(filters=32):
    """DCGAN discriminator: images (B, 28, 28, 1) in [-1, 1] -> logits (B, 1), no sigmoid."""
    images = keras.Input((28, 28, 1))
    h = keras.layers.Conv2D(filters, 4, 2, padding="same")(images)
    h = keras.layers.LeakyReLU(0.2)(h)
    h = keras.layers.Conv2D(2 * filters, 4, 2, padding="same", use_bias=False)(h)
    h = keras.layers.BatchNormalization(momentum=0.9)(h)
    h = keras.layers.LeakyReLU(0.2)(h)
    logits = keras.layers.Dense(1)(keras.layers.Flatten()(h))
    return keras.Model(inputs=images, outputs=logits)


# %% part: train_steps
def make_gan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions doing one update each.

    d_step(real_images, z): one update of the discriminator's trainable variables on
        discriminator_loss(D(real_images), D(G(z))); returns that loss.
    g_step(z): one update of the generator's trainable variables on
        generator_loss(D(G(z))); returns that loss.
    """

    def train_discriminator(real_images, z):
        # The fakes are only inputs of D here: no gradient has to flow into G.
        fakes = tf.stop_gradient(generator(z, training=True))
        with tf.GradientTape() as tape:
            loss = discriminator_loss(
                discriminator(real_images, training=True), discriminator(fakes, training=True)
            )
        weights = discriminator.trainable_variables
        d_optimizer.apply(tape.gradient(loss, weights), weights)
        return loss

    def train_generator(z):
        with tf.GradientTape() as tape:
            loss = generator_loss(discriminator(generator(z, training=True), training=True))
        weights = generator.trainable_variables
        g_optimizer.apply(tape.gradient(loss, weights), weights)
        return loss

    return tf.function(train_discriminator), tf.function(train_generator)
