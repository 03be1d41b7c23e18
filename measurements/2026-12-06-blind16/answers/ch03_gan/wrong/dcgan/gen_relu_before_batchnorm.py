"""PART: dcgan_models
MISTAKE: In the generator's first block applies ReLU before BatchNormalization (Dense, ReLU, BN) instead of Dense, BN, ReLU.
Built on correct/dcgan/tf_nn_inline.py with this one mistake.
"""

# %% part: discriminator_loss
def discriminator_loss(real_logits, fake_logits):
    """Binary cross-entropy of D: real images have label 1, generated ones label 0.

    real_logits, fake_logits: D's logits, (B, 1) or (B,). Returns a scalar tensor:
    mean BCE(1, real_logits) + mean BCE(0, fake_logits), computed from the logits.
    """
    real = tf.reshape(tf.cast(real_logits, tf.float32), [-1])
    fake = tf.reshape(tf.cast(fake_logits, tf.float32), [-1])
    on_real = tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones_like(real), logits=real)
    on_fake = tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.zeros_like(fake), logits=fake)
    return tf.reduce_mean(on_real) + tf.reduce_mean(on_fake)


# %% part: generator_loss
def generator_loss(fake_logits):
    """Non-saturating generator loss: mean BCE(1, fake_logits), from the logits.

    fake_logits: D's logits on generated images, (B, 1) or (B,). Returns a scalar tensor.
    """
    fake = tf.reshape(tf.cast(fake_logits, tf.float32), [-1])
    # -log sigmoid(l) = softplus(-l), numerically stable
    return tf.reduce_mean(tf.nn.softplus(-fake))


# %% part: dcgan_models
def build_generator(z_dim=100, filters=32):
    """DCGAN generator: z (B, z_dim) -> images (B, 28, 28, 1) in [-1, 1] (tanh output)."""
    L = keras.layers

    def up_block(x, channels):
        x = L.Conv2DTranspose(channels, (4, 4), strides=(2, 2), padding="same", use_bias=False)(x)
        x = L.BatchNormalization()(x)
        return L.Activation("relu")(x)

    inputs = keras.Input((z_dim,))
    h = L.Dense(7 * 7 * 2 * filters, use_bias=False)(inputs)
    h = L.BatchNormalization()(L.Activation("relu")(h))
    h = L.Reshape((7, 7, 2 * filters))(h)
    h = up_block(h, filters)
    outputs = L.Conv2DTranspose(1, (4, 4), strides=(2, 2), padding="same", activation="tanh")(h)
    return keras.Model(inputs=inputs, outputs=outputs)


def build_discriminator(filters=32):
    """DCGAN discriminator: images (B, 28, 28, 1) in [-1, 1] -> logits (B, 1), no sigmoid."""
    L = keras.layers
    inputs = keras.Input((28, 28, 1))
    h = L.Conv2D(filters, (4, 4), strides=(2, 2), padding="same")(inputs)
    h = L.LeakyReLU(0.2)(h)
    h = L.Conv2D(filters * 2, (4, 4), strides=(2, 2), padding="same", use_bias=False)(h)
    h = L.LeakyReLU(0.2)(L.BatchNormalization()(h))
    outputs = L.Dense(1, activation=None)(L.Flatten()(h))
    return keras.Model(inputs=inputs, outputs=outputs)


# %% part: train_steps
def make_gan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions doing one update each.

    d_step(real_images, z): one update of the discriminator's trainable variables on
        discriminator_loss(D(real_images), D(G(z))); returns that loss.
    g_step(z): one update of the generator's trainable variables on
        generator_loss(D(G(z))); returns that loss.
    """

    def discriminator_update(real_images, z):
        generated = generator(z, training=True)
        with tf.GradientTape() as tape:
            loss = discriminator_loss(
                discriminator(real_images, training=True),
                discriminator(generated, training=True),
            )
        grads = tape.gradient(loss, discriminator.trainable_variables)
        d_optimizer.apply(grads, discriminator.trainable_variables)
        return loss

    def generator_update(z):
        with tf.GradientTape() as tape:
            loss = generator_loss(discriminator(generator(z, training=True), training=True))
        grads = tape.gradient(loss, generator.trainable_variables)
        g_optimizer.apply(grads, generator.trainable_variables)
        return loss

    return tf.function(discriminator_update), tf.function(generator_update)
