"""Style: losses written with the softplus identities BCE(1, l) = softplus(-l),
BCE(0, l) = softplus(l) (tf.math.softplus, numerically stable), functional models in
compact nested-call form, and the two steps as decorated inner functions computing the
loss through a shared forward helper (fakes detached with tf.stop_gradient in D's step).
"""

# %% part: discriminator_loss
def discriminator_loss(real_logits, fake_logits):
    """Binary cross-entropy of D: real images have label 1, generated ones label 0.

    real_logits, fake_logits: D's logits, (B, 1) or (B,). Returns a scalar tensor:
    mean BCE(1, real_logits) + mean BCE(0, fake_logits), computed from the logits.
    """
    # -log sigmoid(l) = softplus(-l);  -log(1 - sigmoid(l)) = softplus(l)
    real_logits = tf.convert_to_tensor(real_logits, tf.float32)
    fake_logits = tf.convert_to_tensor(fake_logits, tf.float32)
    return tf.reduce_mean(tf.math.softplus(-real_logits)) + tf.reduce_mean(
        tf.math.softplus(fake_logits)
    )


# %% part: generator_loss
def generator_loss(fake_logits):
    """Non-saturating generator loss: mean BCE(1, fake_logits), from the logits.

    fake_logits: D's logits on generated images, (B, 1) or (B,). Returns a scalar tensor.
    """
    fake_logits = tf.convert_to_tensor(fake_logits, tf.float32)
    return tf.reduce_mean(tf.math.softplus(-fake_logits))


# %% part: dcgan_models
def build_generator(z_dim=100, filters=32):
    """DCGAN generator: z (B, z_dim) -> images (B, 28, 28, 1) in [-1, 1] (tanh output)."""
    L = keras.layers
    z = keras.Input(shape=(z_dim,))
    x = L.ReLU()(L.BatchNormalization()(L.Dense(49 * 2 * filters, use_bias=False)(z)))
    x = L.Reshape((7, 7, 2 * filters))(x)
    up = L.Conv2DTranspose(filters, 4, 2, "same", use_bias=False)
    x = L.ReLU()(L.BatchNormalization()(up(x)))
    images = L.Conv2DTranspose(1, 4, 2, "same", activation=keras.activations.tanh)(x)
    return keras.Model(z, images)


def build_discriminator(filters=32):
    """DCGAN discriminator: images (B, 28, 28, 1) in [-1, 1] -> logits (B, 1), no sigmoid."""
    L = keras.layers
    images = keras.Input(shape=(28, 28, 1))
    x = L.LeakyReLU(negative_slope=0.2)(L.Conv2D(filters, 4, 2, "same")(images))
    x = L.Conv2D(2 * filters, 4, 2, "same", use_bias=False)(x)
    x = L.LeakyReLU(negative_slope=0.2)(L.BatchNormalization()(x))
    return keras.Model(images, L.Dense(1)(L.Flatten()(x)))


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

    def fake_logits_of(z, detach):
        fakes = generator(z, training=True)
        if detach:  # D's step needs no gradient through G
            fakes = tf.stop_gradient(fakes)
        return discriminator(fakes, training=True)

    @tf.function
    def d_step(real_images, z):
        with tf.GradientTape() as tape:
            loss = discriminator_loss(
                discriminator(real_images, training=True), fake_logits_of(z, detach=True)
            )
        d_optimizer.apply_gradients(zip(tape.gradient(loss, d_vars), d_vars))
        return loss

    @tf.function
    def g_step(z):
        with tf.GradientTape() as tape:
            loss = generator_loss(fake_logits_of(z, detach=False))
        g_optimizer.apply_gradients(zip(tape.gradient(loss, g_vars), g_vars))
        return loss

    return d_step, g_step
