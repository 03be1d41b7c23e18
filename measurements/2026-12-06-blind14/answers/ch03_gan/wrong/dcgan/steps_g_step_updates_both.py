"""PART: train_steps
MISTAKE: In g_step applies the generator loss's gradients to the generator's and the discriminator's variables, so D is also pushed towards calling fakes real.
Built on correct set: correct/dcgan/tf_nn_blocks.py
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
        tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones_like(fake), logits=fake)
    )

# %% part: dcgan_models
def _up_block(x, filters):
    """Conv2DTranspose 4x4 stride 2 (no bias), batch normalisation, ReLU: doubles H and W."""
    x = keras.layers.Conv2DTranspose(
        filters, kernel_size=(4, 4), strides=(2, 2), padding="same", use_bias=False
    )(x)
    x = keras.layers.BatchNormalization()(x)
    return keras.layers.Activation("relu")(x)


def _down_block(x, filters, batch_norm):
    """Conv2D 4x4 stride 2 (no bias when batch-normalised), LeakyReLU(0.2): halves H and W."""
    x = keras.layers.Conv2D(
        filters, kernel_size=(4, 4), strides=(2, 2), padding="same", use_bias=not batch_norm
    )(x)
    if batch_norm:
        x = keras.layers.BatchNormalization()(x)
    return keras.layers.Activation(lambda t: keras.activations.leaky_relu(t, negative_slope=0.2))(x)


def build_generator(z_dim=100, filters=32):
    """DCGAN generator: z (B, z_dim) -> images (B, 28, 28, 1) in [-1, 1] (tanh output)."""
    inputs = keras.Input(shape=(z_dim,), name="z")
    x = keras.layers.Dense(7 * 7 * 2 * filters, use_bias=False)(inputs)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.Activation("relu")(x)
    x = keras.layers.Reshape(target_shape=(7, 7, 2 * filters))(x)  # (B, 7, 7, 2F)
    x = _up_block(x, filters)  # (B, 14, 14, F)
    x = keras.layers.Conv2DTranspose(1, kernel_size=(4, 4), strides=(2, 2), padding="same")(x)
    outputs = keras.layers.Activation("tanh")(x)  # (B, 28, 28, 1)
    return keras.Model(inputs=inputs, outputs=outputs)


def build_discriminator(filters=32):
    """DCGAN discriminator: images (B, 28, 28, 1) in [-1, 1] -> logits (B, 1), no sigmoid."""
    inputs = keras.Input(shape=(28, 28, 1), name="images")
    x = _down_block(inputs, filters, batch_norm=False)  # (B, 14, 14, F)
    x = _down_block(x, 2 * filters, batch_norm=True)  # (B, 7, 7, 2F)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(1, activation=None)(x)  # logits
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
        d_variables = discriminator.trainable_variables
        d_optimizer.apply(tape.gradient(loss, d_variables), d_variables)
        return loss

    def generator_update(z):
        with tf.GradientTape() as tape:
            loss = generator_loss(discriminator(generator(z, training=True), training=True))
        g_variables = generator.trainable_variables + discriminator.trainable_variables
        g_optimizer.apply(tape.gradient(loss, g_variables), g_variables)
        return loss

    return tf.function(discriminator_update), tf.function(generator_update)
