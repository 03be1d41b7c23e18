"""PART: discriminator_loss
MISTAKE: Takes -log(sigmoid(l) + 1e-7) and -log(1 - sigmoid(l) + 1e-7) by hand instead of a from-logits cross-entropy: finite, but wrong for large logits (about 16 instead of 100 at a logit of -100).
Built on correct/dcgan/keras_ops_softplus.py with that one change.
"""

# %% part: discriminator_loss
def discriminator_loss(real_logits, fake_logits):
    """Binary cross-entropy of D: real images have label 1, generated ones label 0.

    real_logits, fake_logits: D's logits, (B, 1) or (B,). Returns a scalar tensor:
    mean BCE(1, real_logits) + mean BCE(0, fake_logits), computed from the logits.
    """
    ops = keras.ops
    real_term = -ops.mean(ops.log(ops.sigmoid(ops.convert_to_tensor(real_logits)) + 1e-7))
    fake_term = -ops.mean(ops.log(1.0 - ops.sigmoid(ops.convert_to_tensor(fake_logits)) + 1e-7))
    return real_term + fake_term


# %% part: generator_loss
def generator_loss(fake_logits):
    """Non-saturating generator loss: mean BCE(1, fake_logits), from the logits.

    fake_logits: D's logits on generated images, (B, 1) or (B,). Returns a scalar tensor.
    """
    ops = keras.ops
    fake_logits = ops.convert_to_tensor(fake_logits)
    bce = ops.binary_crossentropy(ops.ones_like(fake_logits), fake_logits, from_logits=True)
    return ops.mean(bce)


# %% part: dcgan_models
def _up_block(x, channels):
    x = keras.layers.Conv2DTranspose(channels, 4, strides=2, padding="same", use_bias=False)(x)
    x = keras.layers.BatchNormalization()(x)
    return keras.layers.ReLU()(x)


def _down_block(x, channels, normalise):
    x = keras.layers.Conv2D(channels, 4, strides=2, padding="same", use_bias=not normalise)(x)
    if normalise:
        x = keras.layers.BatchNormalization()(x)
    return keras.layers.LeakyReLU(0.2)(x)


def build_generator(z_dim=100, filters=32):
    """DCGAN generator: z (B, z_dim) -> images (B, 28, 28, 1) in [-1, 1] (tanh output)."""
    wide = 2 * filters
    inputs = keras.Input((z_dim,))
    h = keras.layers.Dense(7 * 7 * wide, use_bias=False)(inputs)
    h = keras.layers.ReLU()(keras.layers.BatchNormalization()(h))
    h = keras.layers.Reshape((7, 7, wide))(h)
    h = _up_block(h, filters)
    outputs = keras.layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(h)
    return keras.Model(inputs, outputs)


def build_discriminator(filters=32):
    """DCGAN discriminator: images (B, 28, 28, 1) in [-1, 1] -> logits (B, 1), no sigmoid."""
    inputs = keras.Input((28, 28, 1))
    h = _down_block(inputs, filters, normalise=False)
    h = _down_block(h, 2 * filters, normalise=True)
    outputs = keras.layers.Dense(1, activation=None)(keras.layers.Flatten()(h))
    return keras.Model(inputs, outputs)


# %% part: train_steps
def make_gan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions doing one update each.

    d_step(real_images, z): one update of the discriminator's trainable variables on
        discriminator_loss(D(real_images), D(G(z))); returns that loss.
    g_step(z): one update of the generator's trainable variables on
        generator_loss(D(G(z))); returns that loss.
    """

    def _descend(tape, loss, model, optimizer):
        weights = model.trainable_variables
        optimizer.apply_gradients(list(zip(tape.gradient(loss, weights), weights)))

    def _d_step(real_images, z):
        with tf.GradientTape() as tape:
            logits = [
                discriminator(real_images, training=True),
                discriminator(generator(z, training=True), training=True),
            ]
            loss = discriminator_loss(*logits)
        _descend(tape, loss, discriminator, d_optimizer)
        return loss

    def _g_step(z):
        with tf.GradientTape() as tape:
            loss = generator_loss(discriminator(generator(z, training=True), training=True))
        _descend(tape, loss, generator, g_optimizer)
        return loss

    return tf.function(_d_step), tf.function(_g_step)
