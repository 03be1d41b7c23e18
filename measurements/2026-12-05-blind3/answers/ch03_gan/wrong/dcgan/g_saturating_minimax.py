"""PART: generator_loss
MISTAKE: Returns the saturating minimax loss mean(log(1 - sigmoid(l))) (minus the BCE with label 0) instead of the non-saturating mean BCE(1, l).
Built on correct/dcgan/tf_nn_blocks.py.
"""

# %% part: discriminator_loss
def discriminator_loss(real_logits, fake_logits):
    """Binary cross-entropy of D: real images have label 1, generated ones label 0.

    real_logits, fake_logits: D's logits, (B, 1) or (B,). Returns a scalar tensor:
    mean BCE(1, real_logits) + mean BCE(0, fake_logits), computed from the logits.
    """
    real = tf.cast(real_logits, tf.float32)
    fake = tf.cast(fake_logits, tf.float32)
    real_bce = tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones_like(real), logits=real)
    fake_bce = tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.zeros_like(fake), logits=fake)
    return tf.reduce_mean(real_bce) + tf.reduce_mean(fake_bce)

# %% part: generator_loss
def generator_loss(fake_logits):
    """Non-saturating generator loss: mean BCE(1, fake_logits), from the logits.

    fake_logits: D's logits on generated images, (B, 1) or (B,). Returns a scalar tensor.
    """
    fake = tf.cast(fake_logits, tf.float32)
    return -tf.reduce_mean(
        tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.zeros_like(fake), logits=fake)
    )

# %% part: dcgan_models
def _bn_relu(x):
    return keras.layers.ReLU()(keras.layers.BatchNormalization()(x))


def _bn_leaky(x):
    return keras.layers.LeakyReLU(negative_slope=0.2)(keras.layers.BatchNormalization()(x))


def build_generator(z_dim=100, filters=32):
    """DCGAN generator: z (B, z_dim) -> images (B, 28, 28, 1) in [-1, 1] (tanh output)."""
    noise = keras.Input((z_dim,), name="z")
    h = _bn_relu(keras.layers.Dense(7 * 7 * filters * 2, use_bias=False)(noise))
    h = keras.layers.Reshape((7, 7, filters * 2))(h)
    h = _bn_relu(
        keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False)(h)
    )
    out = keras.layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(h)
    return keras.Model(inputs=noise, outputs=out)


def build_discriminator(filters=32):
    """DCGAN discriminator: images (B, 28, 28, 1) in [-1, 1] -> logits (B, 1), no sigmoid."""
    image = keras.Input((28, 28, 1), name="image")
    h = keras.layers.Conv2D(filters, 4, strides=2, padding="same")(image)
    h = keras.layers.LeakyReLU(negative_slope=0.2)(h)
    h = _bn_leaky(keras.layers.Conv2D(filters * 2, 4, strides=2, padding="same", use_bias=False)(h))
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

    def _d_update(real_images, z):
        with tf.GradientTape() as tape:
            d_real = discriminator(real_images, training=True)
            d_fake = discriminator(generator(z, training=True), training=True)
            d_loss = discriminator_loss(d_real, d_fake)
        d_optimizer.apply_gradients(list(zip(tape.gradient(d_loss, d_vars), d_vars)))
        return d_loss

    def _g_update(z):
        with tf.GradientTape() as tape:
            g_loss = generator_loss(discriminator(generator(z, training=True), training=True))
        g_optimizer.apply_gradients(list(zip(tape.gradient(g_loss, g_vars), g_vars)))
        return g_loss

    return tf.function(_d_update), tf.function(_g_update)
