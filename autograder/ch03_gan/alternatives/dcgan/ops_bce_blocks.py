"""keras.ops.binary_crossentropy(target, output, from_logits=True) averaged with keras.ops.mean;
functional models assembled from small block helpers (bias-free layer + BN + activation);
one shared helper computes D's logits; steps are @tf.function closures returning the loss as float32.
"""


# %% part: discriminator_loss
def discriminator_loss(real_logits, fake_logits):
    """Binary cross-entropy of D: real images have label 1, generated ones label 0.

    real_logits, fake_logits: D's logits, (B, 1) or (B,). Returns a scalar tensor:
    mean BCE(1, real_logits) + mean BCE(0, fake_logits), computed from the logits.
    """
    ops = keras.ops
    real_logits = ops.convert_to_tensor(real_logits, dtype="float32")
    fake_logits = ops.convert_to_tensor(fake_logits, dtype="float32")
    real_bce = ops.binary_crossentropy(ops.ones_like(real_logits), real_logits, from_logits=True)
    fake_bce = ops.binary_crossentropy(ops.zeros_like(fake_logits), fake_logits, from_logits=True)
    return ops.add(ops.mean(real_bce), ops.mean(fake_bce))


# %% part: generator_loss
def generator_loss(fake_logits):
    """Non-saturating generator loss: mean BCE(1, fake_logits), from the logits.

    fake_logits: D's logits on generated images, (B, 1) or (B,). Returns a scalar tensor.
    """
    ops = keras.ops
    fake_logits = ops.convert_to_tensor(fake_logits, dtype="float32")
    return ops.mean(
        ops.binary_crossentropy(ops.ones_like(fake_logits), fake_logits, from_logits=True)
    )


# %% part: dcgan_models
def _bn_relu(x):
    return keras.layers.ReLU()(keras.layers.BatchNormalization()(x))


def _bn_leaky(x):
    return keras.layers.LeakyReLU(negative_slope=0.2)(keras.layers.BatchNormalization()(x))


def build_generator(z_dim=100, filters=32):
    """DCGAN generator: z (B, z_dim) -> images (B, 28, 28, 1) in [-1, 1] (tanh output)."""
    inputs = keras.Input(shape=(z_dim,))
    x = _bn_relu(keras.layers.Dense(49 * 2 * filters, use_bias=False)(inputs))
    x = keras.layers.Reshape((7, 7, 2 * filters))(x)
    for channels, last in ((filters, False), (1, True)):
        x = keras.layers.Conv2DTranspose(
            channels, kernel_size=4, strides=2, padding="same", use_bias=last
        )(x)
        x = keras.layers.Activation("tanh")(x) if last else _bn_relu(x)
    return keras.Model(inputs, x)


def build_discriminator(filters=32):
    """DCGAN discriminator: images (B, 28, 28, 1) in [-1, 1] -> logits (B, 1), no sigmoid."""
    inputs = keras.Input(shape=(28, 28, 1))
    x = keras.layers.Conv2D(filters, kernel_size=4, strides=2, padding="same")(inputs)
    x = keras.layers.LeakyReLU(negative_slope=0.2)(x)
    x = keras.layers.Conv2D(2 * filters, kernel_size=4, strides=2, padding="same", use_bias=False)(
        x
    )
    x = _bn_leaky(x)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(units=1)(x)
    return keras.Model(inputs, outputs)


# %% part: train_steps
def make_gan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions doing one update each.

    d_step(real_images, z): one update of the discriminator's trainable variables on
        discriminator_loss(D(real_images), D(G(z))); returns that loss.
    g_step(z): one update of the generator's trainable variables on
        generator_loss(D(G(z))); returns that loss.
    """

    def logits_of(images):
        return discriminator(images, training=True)

    def update(optimizer, tape, loss, model):
        variables = model.trainable_variables
        grads = tape.gradient(loss, variables)
        optimizer.apply_gradients([(g, v) for g, v in zip(grads, variables)])

    @tf.function
    def d_step(real_images, z):
        real_images = tf.cast(real_images, tf.float32)
        with tf.GradientTape() as tape:
            loss = discriminator_loss(
                logits_of(real_images), logits_of(generator(z, training=True))
            )
        update(d_optimizer, tape, loss, discriminator)
        return tf.cast(loss, tf.float32)

    @tf.function
    def g_step(z):
        with tf.GradientTape() as tape:
            loss = generator_loss(logits_of(generator(z, training=True)))
        update(g_optimizer, tape, loss, generator)
        return tf.cast(loss, tf.float32)

    return d_step, g_step
