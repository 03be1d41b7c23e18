"""PART: dcgan_models
MISTAKE: Uses LeakyReLU() with Keras's default negative slope (0.3) after the discriminator's first convolution instead of 0.2.
Built on correct/dcgan/tf_nn_inline_layers.py.
"""

# %% part: discriminator_loss
def discriminator_loss(real_logits, fake_logits):
    """Binary cross-entropy of D: real images have label 1, generated ones label 0.

    real_logits, fake_logits: D's logits, (B, 1) or (B,). Returns a scalar tensor:
    mean BCE(1, real_logits) + mean BCE(0, fake_logits), computed from the logits.
    """
    real_logits = tf.cast(real_logits, tf.float32)
    fake_logits = tf.cast(fake_logits, tf.float32)
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
    fake_logits = tf.cast(fake_logits, tf.float32)
    # -log sigmoid(l) = softplus(-l), the cross-entropy with label 1
    return tf.reduce_mean(tf.nn.softplus(-fake_logits))

# %% part: dcgan_models
def build_generator(z_dim=100, filters=32):
    """DCGAN generator: z (B, z_dim) -> images (B, 28, 28, 1) in [-1, 1] (tanh output)."""
    L = keras.layers
    inputs = keras.Input((z_dim,), name="z")
    h = L.Dense(7 * 7 * 2 * filters, use_bias=False, name="project")(inputs)
    h = L.ReLU()(L.BatchNormalization(name="bn0")(h))
    h = L.Reshape((7, 7, 2 * filters))(h)
    h = L.Conv2DTranspose(filters, (4, 4), strides=(2, 2), padding="same", use_bias=False)(h)
    h = L.ReLU()(L.BatchNormalization(name="bn1")(h))
    out = L.Conv2DTranspose(1, (4, 4), strides=(2, 2), padding="same", activation="tanh")(h)
    return keras.Model(inputs=inputs, outputs=out)


def build_discriminator(filters=32):
    """DCGAN discriminator: images (B, 28, 28, 1) in [-1, 1] -> logits (B, 1), no sigmoid."""
    L = keras.layers
    inputs = keras.Input((28, 28, 1), name="image")
    h = L.Conv2D(filters, (4, 4), strides=(2, 2), padding="same")(inputs)
    h = L.LeakyReLU()(h)
    h = L.Conv2D(2 * filters, (4, 4), strides=(2, 2), padding="same", use_bias=False)(h)
    h = L.LeakyReLU(0.2)(L.BatchNormalization()(h))
    h = L.Flatten()(h)
    out = L.Dense(1, activation=None)(h)
    return keras.Model(inputs=inputs, outputs=out)

# %% part: train_steps
def make_gan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions doing one update each.

    d_step(real_images, z): one update of the discriminator's trainable variables on
        discriminator_loss(D(real_images), D(G(z))); returns that loss.
    g_step(z): one update of the generator's trainable variables on
        generator_loss(D(G(z))); returns that loss.
    """

    def _apply(optimizer, tape, loss, model):
        weights = model.trainable_variables
        optimizer.apply_gradients(list(zip(tape.gradient(loss, weights), weights)))

    @tf.function
    def d_step(real_images, z):
        with tf.GradientTape() as tape:
            generated = generator(z, training=True)
            loss = discriminator_loss(
                discriminator(real_images, training=True),
                discriminator(generated, training=True),
            )
        _apply(d_optimizer, tape, loss, discriminator)
        return loss

    @tf.function
    def g_step(z):
        with tf.GradientTape() as tape:
            loss = generator_loss(discriminator(generator(z, training=True), training=True))
        _apply(g_optimizer, tape, loss, generator)
        return loss

    return d_step, g_step
