"""PART: generator_loss
MISTAKE: Applies a sigmoid and then the probability form of binary_crossentropy (from_logits=False), whose epsilon clipping kills the gradient when D rejects the fakes.
Built on correct/dcgan/keras_ops_layers.py with this one mistake.
"""

# %% part: discriminator_loss
def discriminator_loss(real_logits, fake_logits):
    """Binary cross-entropy of D: real images have label 1, generated ones label 0.

    real_logits, fake_logits: D's logits, (B, 1) or (B,). Returns a scalar tensor:
    mean BCE(1, real_logits) + mean BCE(0, fake_logits), computed from the logits.
    """
    real_logits = keras.ops.convert_to_tensor(real_logits, dtype="float32")
    fake_logits = keras.ops.convert_to_tensor(fake_logits, dtype="float32")
    real_loss = keras.ops.binary_crossentropy(
        keras.ops.ones_like(real_logits), real_logits, from_logits=True
    )
    fake_loss = keras.ops.binary_crossentropy(
        keras.ops.zeros_like(fake_logits), fake_logits, from_logits=True
    )
    return keras.ops.mean(real_loss) + keras.ops.mean(fake_loss)


# %% part: generator_loss
def generator_loss(fake_logits):
    """Non-saturating generator loss: mean BCE(1, fake_logits), from the logits.

    fake_logits: D's logits on generated images, (B, 1) or (B,). Returns a scalar tensor.
    """
    fake_logits = keras.ops.convert_to_tensor(fake_logits, dtype="float32")
    loss = keras.ops.binary_crossentropy(
        keras.ops.ones_like(fake_logits), keras.ops.sigmoid(fake_logits)
    )
    return keras.ops.mean(loss)


# %% part: dcgan_models
def build_generator(z_dim=100, filters=32):
    """DCGAN generator: z (B, z_dim) -> images (B, 28, 28, 1) in [-1, 1] (tanh output)."""
    layers = keras.layers
    z = keras.Input(shape=(z_dim,))
    x = layers.Dense(7 * 7 * 2 * filters, use_bias=False)(z)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.Reshape((7, 7, 2 * filters))(x)
    x = layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.Conv2DTranspose(1, 4, strides=2, padding="same")(x)
    images = layers.Activation("tanh")(x)
    return keras.Model(z, images, name="generator")


def build_discriminator(filters=32):
    """DCGAN discriminator: images (B, 28, 28, 1) in [-1, 1] -> logits (B, 1), no sigmoid."""
    layers = keras.layers
    images = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(filters, 4, strides=2, padding="same")(images)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    x = layers.Conv2D(2 * filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    x = layers.Flatten()(x)
    logits = layers.Dense(1)(x)
    return keras.Model(images, logits, name="discriminator")


# %% part: train_steps
def make_gan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions doing one update each.

    d_step(real_images, z): one update of the discriminator's trainable variables on
        discriminator_loss(D(real_images), D(G(z))); returns that loss.
    g_step(z): one update of the generator's trainable variables on
        generator_loss(D(G(z))); returns that loss.
    """

    @tf.function
    def d_step(real_images, z):
        with tf.GradientTape() as tape:
            fake_images = generator(z, training=True)
            real_logits = discriminator(real_images, training=True)
            fake_logits = discriminator(fake_images, training=True)
            loss = discriminator_loss(real_logits, fake_logits)
        variables = discriminator.trainable_variables
        gradients = tape.gradient(loss, variables)
        d_optimizer.apply_gradients(zip(gradients, variables))
        return loss

    @tf.function
    def g_step(z):
        with tf.GradientTape() as tape:
            fake_images = generator(z, training=True)
            fake_logits = discriminator(fake_images, training=True)
            loss = generator_loss(fake_logits)
        variables = generator.trainable_variables
        gradients = tape.gradient(loss, variables)
        g_optimizer.apply_gradients(zip(gradients, variables))
        return loss

    return d_step, g_step
