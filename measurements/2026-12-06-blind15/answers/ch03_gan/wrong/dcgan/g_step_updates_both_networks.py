"""PART: train_steps
MISTAKE: The generator step applies its gradients to the discriminator's variables as well (the Keras 3 trap of the freeze-and-compile idiom).
Built on correct/dcgan/tf_nn_blocks.py.
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
    return tf.reduce_mean(
        tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones_like(fake_logits), logits=fake_logits)
    )

# %% part: dcgan_models
def _up_block(x, channels):
    """Transposed convolution (no bias, 4x4, stride 2), batch norm, ReLU: doubles H and W."""
    x = keras.layers.Conv2DTranspose(
        channels, kernel_size=(4, 4), strides=(2, 2), padding="same", use_bias=False
    )(x)
    x = keras.layers.BatchNormalization()(x)
    return keras.layers.ReLU()(x)


def _down_block(x, channels, batch_norm):
    """Convolution (4x4, stride 2), optional batch norm, LeakyReLU(0.2): halves H and W."""
    x = keras.layers.Conv2D(
        channels, kernel_size=(4, 4), strides=(2, 2), padding="same", use_bias=not batch_norm
    )(x)
    if batch_norm:
        x = keras.layers.BatchNormalization()(x)
    return keras.layers.LeakyReLU(0.2)(x)


def build_generator(z_dim=100, filters=32):
    """DCGAN generator: z (B, z_dim) -> images (B, 28, 28, 1) in [-1, 1] (tanh output)."""
    inputs = keras.Input(shape=(z_dim,), name="z")
    h = keras.layers.Dense(7 * 7 * 2 * filters, use_bias=False)(inputs)
    h = keras.layers.ReLU()(keras.layers.BatchNormalization()(h))
    h = keras.layers.Reshape((7, 7, 2 * filters))(h)  # (B, 7, 7, 2F)
    h = _up_block(h, filters)  # (B, 14, 14, F)
    outputs = keras.layers.Conv2DTranspose(
        1, kernel_size=(4, 4), strides=(2, 2), padding="same", activation="tanh"
    )(h)  # (B, 28, 28, 1)
    return keras.Model(inputs=inputs, outputs=outputs)


def build_discriminator(filters=32):
    """DCGAN discriminator: images (B, 28, 28, 1) in [-1, 1] -> logits (B, 1), no sigmoid."""
    inputs = keras.Input(shape=(28, 28, 1), name="images")
    h = _down_block(inputs, filters, batch_norm=False)  # (B, 14, 14, F)
    h = _down_block(h, 2 * filters, batch_norm=True)  # (B, 7, 7, 2F)
    outputs = keras.layers.Dense(1, activation=None)(keras.layers.Flatten()(h))
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
        weights = list(discriminator.trainable_variables)
        grads = tape.gradient(loss, weights)
        d_optimizer.apply_gradients(list(zip(grads, weights)))
        return loss

    def generator_update(z):
        with tf.GradientTape() as tape:
            loss = generator_loss(discriminator(generator(z, training=True), training=True))
        weights = list(generator.trainable_variables) + list(discriminator.trainable_variables)
        grads = tape.gradient(loss, weights)
        g_optimizer.apply_gradients(list(zip(grads, weights)))
        return loss

    return tf.function(discriminator_update), tf.function(generator_update)
