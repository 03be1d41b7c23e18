"""PART: dcgan_models
MISTAKE: Reshapes the Dense output to (7, 7, 2F) before the first batch normalisation, which then normalises 2F channels instead of the 7*7*2F Dense units of the table.
Built on correct/dcgan/softplus_specs.py.
"""

# %% part: discriminator_loss
def discriminator_loss(real_logits, fake_logits):
    """Binary cross-entropy of D: real images have label 1, generated ones label 0.

    real_logits, fake_logits: D's logits, (B, 1) or (B,). Returns a scalar tensor:
    mean BCE(1, real_logits) + mean BCE(0, fake_logits), computed from the logits.
    """
    real = keras.ops.reshape(keras.ops.cast(real_logits, "float32"), (-1,))
    fake = keras.ops.reshape(keras.ops.cast(fake_logits, "float32"), (-1,))
    # -log sigmoid(l) = softplus(-l); -log(1 - sigmoid(l)) = softplus(l)
    return keras.ops.mean(keras.ops.softplus(-real)) + keras.ops.mean(keras.ops.softplus(fake))

# %% part: generator_loss
def generator_loss(fake_logits):
    """Non-saturating generator loss: mean BCE(1, fake_logits), from the logits.

    fake_logits: D's logits on generated images, (B, 1) or (B,). Returns a scalar tensor.
    """
    fake = keras.ops.reshape(keras.ops.cast(fake_logits, "float32"), (-1,))
    return keras.ops.mean(keras.ops.softplus(-fake))  # -log sigmoid(l)

# %% part: dcgan_models
def _leaky(x):
    return keras.ops.leaky_relu(x, negative_slope=0.2)


def build_generator(z_dim=100, filters=32):
    """DCGAN generator: z (B, z_dim) -> images (B, 28, 28, 1) in [-1, 1] (tanh output)."""
    L = keras.layers
    specs = [
        L.Dense(7 * 7 * 2 * filters, use_bias=False),
        L.Reshape((7, 7, 2 * filters)),
        L.BatchNormalization(),
        L.Activation("relu"),
        L.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False),
        L.BatchNormalization(),
        L.Activation("relu"),
        L.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh"),
    ]
    inputs = keras.Input((z_dim,))
    x = inputs
    for layer in specs:
        x = layer(x)
    return keras.Model(inputs, x, name="dcgan_generator")


def build_discriminator(filters=32):
    """DCGAN discriminator: images (B, 28, 28, 1) in [-1, 1] -> logits (B, 1), no sigmoid."""
    L = keras.layers
    specs = [
        L.Conv2D(filters, 4, strides=2, padding="same"),
        L.Activation(_leaky),
        L.Conv2D(2 * filters, 4, strides=2, padding="same", use_bias=False),
        L.BatchNormalization(),
        L.Activation(_leaky),
        L.Flatten(),
        L.Dense(1),
    ]
    inputs = keras.Input((28, 28, 1))
    x = inputs
    for layer in specs:
        x = layer(x)
    return keras.Model(inputs, x, name="dcgan_discriminator")

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

    @tf.function
    def d_step(real_images, z):
        with tf.GradientTape() as tape:
            real_out = discriminator(real_images, training=True)
            fake_out = discriminator(generator(z, training=True), training=True)
            d_loss = discriminator_loss(real_out, fake_out)
        d_optimizer.apply(tape.gradient(d_loss, d_vars), d_vars)
        return d_loss

    @tf.function
    def g_step(z):
        with tf.GradientTape() as tape:
            fake_out = discriminator(generator(z, training=True), training=True)
            g_loss = generator_loss(fake_out)
        g_optimizer.apply(tape.gradient(g_loss, g_vars), g_vars)
        return g_loss

    return d_step, g_step
