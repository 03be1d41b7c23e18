"""Style: plain TensorFlow (tf.nn.sigmoid_cross_entropy_with_logits on flattened logits),
functional models assembled from small block helpers, and the steps written around a shared
update helper that uses the Keras 3 optimizer.apply(grads, variables) call."""

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
def _up_block(x, channels):
    """Transposed convolution doubling the side, then batch norm and ReLU."""
    x = keras.layers.Conv2DTranspose(
        channels, kernel_size=(4, 4), strides=(2, 2), padding="same", use_bias=False
    )(x)
    return keras.layers.Activation("relu")(keras.layers.BatchNormalization()(x))


def _down_block(x, channels, normalise):
    """Strided convolution halving the side, optional batch norm, LeakyReLU(0.2)."""
    x = keras.layers.Conv2D(
        channels, kernel_size=(4, 4), strides=(2, 2), padding="same", use_bias=not normalise
    )(x)
    if normalise:
        x = keras.layers.BatchNormalization()(x)
    return keras.layers.LeakyReLU(negative_slope=0.2)(x)


def build_generator(z_dim=100, filters=32):
    """DCGAN generator: z (B, z_dim) -> images (B, 28, 28, 1) in [-1, 1] (tanh output)."""
    noise = keras.Input(shape=(z_dim,), name="z")
    h = keras.layers.Dense(7 * 7 * filters * 2, use_bias=False)(noise)
    h = keras.layers.Activation("relu")(keras.layers.BatchNormalization()(h))
    h = keras.layers.Reshape((7, 7, filters * 2))(h)
    h = _up_block(h, filters)
    out = keras.layers.Conv2DTranspose(1, kernel_size=(4, 4), strides=(2, 2), padding="same")(h)
    out = keras.layers.Activation("tanh")(out)
    return keras.Model(inputs=noise, outputs=out)


def build_discriminator(filters=32):
    """DCGAN discriminator: images (B, 28, 28, 1) in [-1, 1] -> logits (B, 1), no sigmoid."""
    image = keras.Input(shape=(28, 28, 1), name="image")
    h = _down_block(image, filters, normalise=False)
    h = _down_block(h, filters * 2, normalise=True)
    logit = keras.layers.Dense(1, activation=None)(keras.layers.Flatten()(h))
    return keras.Model(inputs=image, outputs=logit)

# %% part: train_steps
def make_gan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions doing one update each.

    d_step(real_images, z): one update of the discriminator's trainable variables on
        discriminator_loss(D(real_images), D(G(z))); returns that loss.
    g_step(z): one update of the generator's trainable variables on
        generator_loss(D(G(z))); returns that loss.
    """

    def update(tape, loss, model, optimizer):
        variables = model.trainable_variables
        optimizer.apply(tape.gradient(loss, variables), variables)

    def d_loss_of(real_images, z):
        fake_images = generator(z, training=True)
        return discriminator_loss(
            discriminator(real_images, training=True), discriminator(fake_images, training=True)
        )

    def g_loss_of(z):
        return generator_loss(discriminator(generator(z, training=True), training=True))

    def d_step(real_images, z):
        with tf.GradientTape() as tape:
            loss = d_loss_of(real_images, z)
        update(tape, loss, discriminator, d_optimizer)
        return loss

    def g_step(z):
        with tf.GradientTape() as tape:
            loss = g_loss_of(z)
        update(tape, loss, generator, g_optimizer)
        return loss

    return tf.function(d_step), tf.function(g_step)
