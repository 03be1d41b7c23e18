"""keras.losses.binary_crossentropy(..., from_logits=True) as a function, labels built with
tf.fill; functional models with the DCGAN paper's initialisation (kernels ~ N(0, 0.02), BN gamma
~ N(1, 0.02)); steps are @tf.function(autograph=False) closures sharing one update helper.
"""


# %% part: discriminator_loss
def discriminator_loss(real_logits, fake_logits):
    """Binary cross-entropy of D: real images have label 1, generated ones label 0.

    real_logits, fake_logits: D's logits, (B, 1) or (B,). Returns a scalar tensor:
    mean BCE(1, real_logits) + mean BCE(0, fake_logits), computed from the logits.
    """
    total = 0.0
    for label, logits in ((1.0, real_logits), (0.0, fake_logits)):
        logits = tf.reshape(tf.cast(logits, tf.float32), [-1, 1])  # one row per image
        targets = tf.fill(tf.shape(logits), label)
        per_image = keras.losses.binary_crossentropy(targets, logits, from_logits=True)
        total = total + tf.reduce_mean(per_image)
    return total


# %% part: generator_loss
def generator_loss(fake_logits):
    """Non-saturating generator loss: mean BCE(1, fake_logits), from the logits.

    fake_logits: D's logits on generated images, (B, 1) or (B,). Returns a scalar tensor.
    """
    logits = tf.reshape(tf.cast(fake_logits, tf.float32), [-1, 1])
    per_image = keras.losses.binary_crossentropy(tf.ones_like(logits), logits, from_logits=True)
    return tf.reduce_mean(per_image)


# %% part: dcgan_models
def _weights():
    return keras.initializers.RandomNormal(0.0, 0.02)


def _norm():
    return keras.layers.BatchNormalization(
        gamma_initializer=keras.initializers.RandomNormal(1.0, 0.02)
    )


def build_generator(z_dim=100, filters=32):
    """DCGAN generator: z (B, z_dim) -> images (B, 28, 28, 1) in [-1, 1] (tanh output)."""
    noise = keras.Input(shape=(z_dim,))
    x = keras.layers.Dense(7 * 7 * 2 * filters, use_bias=False, kernel_initializer=_weights())(
        noise
    )
    x = keras.layers.ReLU()(_norm()(x))
    x = keras.layers.Reshape((7, 7, 2 * filters))(x)
    x = keras.layers.Conv2DTranspose(
        filters, 4, strides=2, padding="same", use_bias=False, kernel_initializer=_weights()
    )(x)
    x = keras.layers.ReLU()(_norm()(x))
    image = keras.layers.Conv2DTranspose(
        1, 4, strides=2, padding="same", activation="tanh", kernel_initializer=_weights()
    )(x)
    return keras.Model(noise, image, name="generator")


def build_discriminator(filters=32):
    """DCGAN discriminator: images (B, 28, 28, 1) in [-1, 1] -> logits (B, 1), no sigmoid."""
    image = keras.Input(shape=(28, 28, 1))
    x = keras.layers.Conv2D(filters, 4, strides=2, padding="same", kernel_initializer=_weights())(
        image
    )
    x = keras.layers.LeakyReLU(0.2)(x)
    x = keras.layers.Conv2D(
        2 * filters, 4, strides=2, padding="same", use_bias=False, kernel_initializer=_weights()
    )(x)
    x = keras.layers.LeakyReLU(0.2)(_norm()(x))
    logit = keras.layers.Dense(1, kernel_initializer=_weights())(keras.layers.Flatten()(x))
    return keras.Model(image, logit, name="discriminator")


# %% part: train_steps
def make_gan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions doing one update each.

    d_step(real_images, z): one update of the discriminator's trainable variables on
        discriminator_loss(D(real_images), D(G(z))); returns that loss.
    g_step(z): one update of the generator's trainable variables on
        generator_loss(D(G(z))); returns that loss.
    """

    def descend(loss_fn, model, optimizer):
        with tf.GradientTape() as tape:
            loss = loss_fn()
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    @tf.function(autograph=False)
    def d_step(real_images, z):
        def loss_fn():
            fake = generator(z, training=True)
            return discriminator_loss(
                discriminator(real_images, training=True), discriminator(fake, training=True)
            )

        return descend(loss_fn, discriminator, d_optimizer)

    @tf.function(autograph=False)
    def g_step(z):
        def loss_fn():
            return generator_loss(discriminator(generator(z, training=True), training=True))

        return descend(loss_fn, generator, g_optimizer)

    return d_step, g_step
