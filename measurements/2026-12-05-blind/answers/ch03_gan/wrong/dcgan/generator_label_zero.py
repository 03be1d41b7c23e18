"""PART: generator_loss
MISTAKE: Uses label 0 for the fakes in the generator loss (mean BCE(0, fake)), so G is trained to make D reject its images.
Built on correct/dcgan/tf_nn.py, with that one mistake.
"""

# %% part: discriminator_loss
def discriminator_loss(real_logits, fake_logits):
    """Binary cross-entropy of D: real images have label 1, generated ones label 0.

    real_logits, fake_logits: D's logits, (B, 1) or (B,). Returns a scalar tensor:
    mean BCE(1, real_logits) + mean BCE(0, fake_logits), computed from the logits.
    """
    real = tf.reshape(tf.cast(real_logits, tf.float32), [-1])
    fake = tf.reshape(tf.cast(fake_logits, tf.float32), [-1])
    real_term = tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones_like(real), logits=real)
    fake_term = tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.zeros_like(fake), logits=fake)
    return tf.reduce_mean(real_term) + tf.reduce_mean(fake_term)

# %% part: generator_loss
def generator_loss(fake_logits):
    """Non-saturating generator loss: mean BCE(1, fake_logits), from the logits.

    fake_logits: D's logits on generated images, (B, 1) or (B,). Returns a scalar tensor.
    """
    fake = tf.reshape(tf.cast(fake_logits, tf.float32), [-1])
    return tf.reduce_mean(
        tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.zeros_like(fake), logits=fake)
    )

# %% part: dcgan_models
def _up_block(x, filters):
    """Conv2DTranspose 4x4 stride 2 without bias, batch norm, ReLU."""
    x = keras.layers.Conv2DTranspose(filters, (4, 4), strides=(2, 2), padding="same",
                                     use_bias=False)(x)
    return keras.layers.ReLU()(keras.layers.BatchNormalization()(x))


def _down_block(x, filters, normalise):
    """Conv2D 4x4 stride 2 (no bias when batch norm follows), [batch norm], LeakyReLU(0.2)."""
    x = keras.layers.Conv2D(filters, (4, 4), strides=(2, 2), padding="same",
                            use_bias=not normalise)(x)
    if normalise:
        x = keras.layers.BatchNormalization()(x)
    return keras.layers.LeakyReLU(0.2)(x)


def build_generator(z_dim=100, filters=32):
    """DCGAN generator: z (B, z_dim) -> images (B, 28, 28, 1) in [-1, 1] (tanh output)."""
    noise = keras.Input((z_dim,), name="z")
    h = keras.layers.Dense(7 * 7 * filters * 2, use_bias=False)(noise)
    h = keras.layers.ReLU()(keras.layers.BatchNormalization()(h))
    h = keras.layers.Reshape((7, 7, filters * 2))(h)
    h = _up_block(h, filters)  # (B, 14, 14, F)
    out = keras.layers.Conv2DTranspose(1, (4, 4), strides=(2, 2), padding="same",
                                       activation="tanh")(h)
    return keras.Model(inputs=noise, outputs=out)


def build_discriminator(filters=32):
    """DCGAN discriminator: images (B, 28, 28, 1) in [-1, 1] -> logits (B, 1), no sigmoid."""
    image = keras.Input((28, 28, 1), name="image")
    h = _down_block(image, filters, normalise=False)  # (B, 14, 14, F)
    h = _down_block(h, 2 * filters, normalise=True)  # (B, 7, 7, 2F)
    logit = keras.layers.Dense(1, activation=None)(keras.layers.Flatten()(h))
    return keras.Model(inputs=image, outputs=logit)

# %% part: train_steps
def make_gan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions doing one update each.

    d_step(real_images, z): one update of the discriminator's trainable variables on
        discriminator_loss(D(real_images), D(G(z))); returns that loss.
    g_step(z): one update of the generator's trainable variables on
        generator_loss(D(G(z))); returns that loss.
    """
    d_vars = discriminator.trainable_variables
    g_vars = generator.trainable_variables

    def discriminator_update(real_images, z):
        generated = generator(z, training=True)  # D's gradient does not need G's graph
        with tf.GradientTape() as tape:
            loss = discriminator_loss(
                discriminator(real_images, training=True),
                discriminator(generated, training=True),
            )
        d_optimizer.apply(tape.gradient(loss, d_vars), d_vars)
        return loss

    def generator_update(z):
        with tf.GradientTape() as tape:
            loss = generator_loss(discriminator(generator(z, training=True), training=True))
        g_optimizer.apply(tape.gradient(loss, g_vars), g_vars)
        return loss

    return tf.function(discriminator_update), tf.function(generator_update)
