"""PART: dcgan_models
MISTAKE: Uses keras.layers.LeakyReLU() with its default slope 0.3 instead of LeakyReLU(0.2) in the discriminator.
Built on correct set: correct/dcgan/softplus_spec_loop.py
"""

# %% part: discriminator_loss
def discriminator_loss(real_logits, fake_logits):
    """Binary cross-entropy of D: real images have label 1, generated ones label 0.

    real_logits, fake_logits: D's logits, (B, 1) or (B,). Returns a scalar tensor:
    mean BCE(1, real_logits) + mean BCE(0, fake_logits), computed from the logits.
    """
    # -log sigmoid(l) = softplus(-l) and -log(1 - sigmoid(l)) = softplus(l), both stable.
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
def _chain(inputs, layer_list, name):
    x = inputs
    for layer in layer_list:
        x = layer(x)
    return keras.Model(inputs, x, name=name)


def build_generator(z_dim=100, filters=32):
    """DCGAN generator: z (B, z_dim) -> images (B, 28, 28, 1) in [-1, 1] (tanh output)."""
    L = keras.layers
    return _chain(
        keras.Input((z_dim,)),
        [
            L.Dense(7 * 7 * 2 * filters, use_bias=False),
            L.BatchNormalization(momentum=0.9),
            L.ReLU(),
            L.Reshape((7, 7, 2 * filters)),
            L.Conv2DTranspose(filters, 4, 2, "same", use_bias=False),
            L.BatchNormalization(momentum=0.9),
            L.ReLU(),
            L.Conv2DTranspose(1, 4, 2, "same"),
            L.Activation(keras.activations.tanh),
        ],
        "generator",
    )


def build_discriminator(filters=32):
    """DCGAN discriminator: images (B, 28, 28, 1) in [-1, 1] -> logits (B, 1), no sigmoid."""
    L = keras.layers
    return _chain(
        keras.Input((28, 28, 1)),
        [
            L.Conv2D(filters, 4, 2, "same"),
            L.LeakyReLU(),
            L.Conv2D(2 * filters, 4, 2, "same", use_bias=False),
            L.BatchNormalization(momentum=0.9),
            L.LeakyReLU(),
            L.Flatten(),
            L.Dense(1),
        ],
        "discriminator",
    )

# %% part: train_steps
def make_gan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions doing one update each.

    d_step(real_images, z): one update of the discriminator's trainable variables on
        discriminator_loss(D(real_images), D(G(z))); returns that loss.
    g_step(z): one update of the generator's trainable variables on
        generator_loss(D(G(z))); returns that loss.
    """

    def apply(tape, loss, model, optimizer):
        variables = model.trainable_variables
        optimizer.apply_gradients(list(zip(tape.gradient(loss, variables), variables)))

    @tf.function
    def d_step(real_images, z):
        with tf.GradientTape() as tape:
            fake_images = generator(z, training=True)
            both = [discriminator(x, training=True) for x in (real_images, fake_images)]
            loss = discriminator_loss(*both)
        apply(tape, loss, discriminator, d_optimizer)
        return loss

    @tf.function
    def g_step(z):
        with tf.GradientTape() as tape:
            loss = generator_loss(discriminator(generator(z, training=True), training=True))
        apply(tape, loss, generator, g_optimizer)
        return loss

    return d_step, g_step
