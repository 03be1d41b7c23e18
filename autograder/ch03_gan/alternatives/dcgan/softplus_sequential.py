"""keras.ops softplus formulas (BCE(1, l) = softplus(-l), BCE(0, l) = softplus(l)); keras.Sequential
models with an Input (the table's layers; Sequential, not literally the functional API, but every
stated contract holds); steps are tf.function(reduce_retracing=True) whose tapes watch only the
updated network's variables (through .value, the tf.Variable behind each Keras 3 variable).
"""


# %% part: discriminator_loss
def discriminator_loss(real_logits, fake_logits):
    """Binary cross-entropy of D: real images have label 1, generated ones label 0.

    real_logits, fake_logits: D's logits, (B, 1) or (B,). Returns a scalar tensor:
    mean BCE(1, real_logits) + mean BCE(0, fake_logits), computed from the logits.
    """
    # -log sigmoid(l) = softplus(-l) and -log(1 - sigmoid(l)) = softplus(l), both stable.
    real_term = keras.ops.mean(keras.ops.softplus(-keras.ops.convert_to_tensor(real_logits)))
    fake_term = keras.ops.mean(keras.ops.softplus(keras.ops.convert_to_tensor(fake_logits)))
    return real_term + fake_term


# %% part: generator_loss
def generator_loss(fake_logits):
    """Non-saturating generator loss: mean BCE(1, fake_logits), from the logits.

    fake_logits: D's logits on generated images, (B, 1) or (B,). Returns a scalar tensor.
    """
    return keras.ops.mean(keras.ops.softplus(-keras.ops.convert_to_tensor(fake_logits)))


# %% part: dcgan_models
def build_generator(z_dim=100, filters=32):
    """DCGAN generator: z (B, z_dim) -> images (B, 28, 28, 1) in [-1, 1] (tanh output)."""
    L = keras.layers
    return keras.Sequential(
        [
            keras.Input(shape=(z_dim,)),
            L.Dense(7 * 7 * filters * 2, use_bias=False),
            L.BatchNormalization(),
            L.ReLU(),
            L.Reshape((7, 7, filters * 2)),
            L.Conv2DTranspose(filters, (4, 4), strides=(2, 2), padding="same", use_bias=False),
            L.BatchNormalization(),
            L.ReLU(),
            L.Conv2DTranspose(1, (4, 4), strides=(2, 2), padding="same"),
            L.Activation("tanh"),
        ],
        name="generator",
    )


def build_discriminator(filters=32):
    """DCGAN discriminator: images (B, 28, 28, 1) in [-1, 1] -> logits (B, 1), no sigmoid."""
    L = keras.layers
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            L.Conv2D(filters, (4, 4), strides=(2, 2), padding="same"),
            L.LeakyReLU(negative_slope=0.2),
            L.Conv2D(filters * 2, (4, 4), strides=(2, 2), padding="same", use_bias=False),
            L.BatchNormalization(),
            L.LeakyReLU(negative_slope=0.2),
            L.Flatten(),
            L.Dense(1, activation=None),
        ],
        name="discriminator",
    )


# %% part: train_steps
def make_gan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions doing one update each.

    d_step(real_images, z): one update of the discriminator's trainable variables on
        discriminator_loss(D(real_images), D(G(z))); returns that loss.
    g_step(z): one update of the generator's trainable variables on
        generator_loss(D(G(z))); returns that loss.
    """

    @tf.function(reduce_retracing=True)
    def d_step(real_images, z):
        d_vars = discriminator.trainable_variables
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            tape.watch([v.value for v in d_vars])
            generated = generator(z, training=True)
            loss = discriminator_loss(
                discriminator(real_images, training=True),
                discriminator(generated, training=True),
            )
        d_optimizer.apply_gradients(zip(tape.gradient(loss, d_vars), d_vars))
        return loss

    @tf.function(reduce_retracing=True)
    def g_step(z):
        g_vars = generator.trainable_variables
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            tape.watch([v.value for v in g_vars])
            logits = discriminator(generator(z, training=True), training=True)
            loss = generator_loss(logits)
        g_optimizer.apply_gradients(zip(tape.gradient(loss, g_vars), g_vars))
        return loss

    return d_step, g_step
