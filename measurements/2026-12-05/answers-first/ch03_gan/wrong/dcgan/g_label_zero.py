"""PART: generator_loss
MISTAKE: Uses the fake label 0 in the generator loss (mean BCE(0, fake_logits) = mean softplus(l)), so G is trained to make D reject its images.
Based on correct/dcgan/tf_nn.py.
Public checks: CAUGHT, `generator_loss` fails: non-saturating loss: mean BCE(1, fake), from the logits: generator_loss returned 0.63425, expected 0.96758
My own test that shows it: generator_loss:g_values: AssertionError: value 25.243518829345703
"""


# %% part: discriminator_loss
def _bce_with_label(label, logits):
    logits = tf.reshape(tf.cast(logits, tf.float32), [-1])
    labels = tf.fill(tf.shape(logits), label)
    return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits))


def discriminator_loss(real_logits, fake_logits):
    """Binary cross-entropy of D: real images have label 1, generated ones label 0.

    real_logits, fake_logits: D's logits, (B, 1) or (B,). Returns a scalar tensor:
    mean BCE(1, real_logits) + mean BCE(0, fake_logits), computed from the logits.
    """
    return _bce_with_label(1.0, real_logits) + _bce_with_label(0.0, fake_logits)


# %% part: generator_loss
def generator_loss(fake_logits):
    """Non-saturating generator loss: mean BCE(1, fake_logits), from the logits.

    fake_logits: D's logits on generated images, (B, 1) or (B,). Returns a scalar tensor.
    """
    # BCE(1, l) = -log sigmoid(l) = softplus(-l), stable for any logit.
    logits = tf.cast(fake_logits, tf.float32)
    return tf.reduce_mean(tf.math.softplus(logits))


# %% part: dcgan_models
L = keras.layers


def _block(x, layer, activation, normalise):
    x = layer(x)
    if normalise:
        x = L.BatchNormalization()(x)
    return activation(x)


def build_generator(z_dim=100, filters=32):
    """DCGAN generator: z (B, z_dim) -> images (B, 28, 28, 1) in [-1, 1] (tanh output)."""
    inputs = keras.Input((z_dim,))
    x = _block(inputs, L.Dense(7 * 7 * 2 * filters, use_bias=False), L.Activation("relu"), True)
    x = L.Reshape((7, 7, 2 * filters))(x)
    x = _block(
        x,
        L.Conv2DTranspose(filters, (4, 4), strides=(2, 2), padding="same", use_bias=False),
        L.Activation("relu"),
        True,
    )
    outputs = L.Conv2DTranspose(1, (4, 4), strides=(2, 2), padding="same", activation="tanh")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def build_discriminator(filters=32):
    """DCGAN discriminator: images (B, 28, 28, 1) in [-1, 1] -> logits (B, 1), no sigmoid."""
    inputs = keras.Input((28, 28, 1))
    x = _block(inputs, L.Conv2D(filters, 4, 2, padding="same"), L.LeakyReLU(0.2), False)
    x = _block(
        x, L.Conv2D(2 * filters, 4, 2, padding="same", use_bias=False), L.LeakyReLU(0.2), True
    )
    outputs = L.Dense(1, activation=None)(L.Flatten()(x))
    return keras.Model(inputs=inputs, outputs=outputs)


# %% part: train_steps
def make_gan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions doing one update each.

    d_step(real_images, z): one update of the discriminator's trainable variables on
        discriminator_loss(D(real_images), D(G(z))); returns that loss.
    g_step(z): one update of the generator's trainable variables on
        generator_loss(D(G(z))); returns that loss.
    """

    def d_update(real_images, z):
        with tf.GradientTape() as tape:
            fakes = generator(z, training=True)
            loss = discriminator_loss(
                discriminator(real_images, training=True), discriminator(fakes, training=True)
            )
        d_vars = discriminator.trainable_variables
        d_optimizer.apply(tape.gradient(loss, d_vars), d_vars)
        return loss

    def g_update(z):
        with tf.GradientTape() as tape:
            loss = generator_loss(discriminator(generator(z, training=True), training=True))
        g_vars = generator.trainable_variables
        g_optimizer.apply(tape.gradient(loss, g_vars), g_vars)
        return loss

    return tf.function(d_update), tf.function(g_update)
