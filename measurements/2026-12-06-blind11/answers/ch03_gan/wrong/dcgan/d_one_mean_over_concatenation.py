"""PART: discriminator_loss
MISTAKE: Concatenates the real and fake logits (with labels 1 and 0) and takes ONE mean over all of them, which gives (B_r*mean_r + B_f*mean_f)/(B_r + B_f) (half the loss for equal batches) instead of the sum of the two means.
Built on correct/dcgan/tf_nn_blocks.py.
"""

# %% part: discriminator_loss
def discriminator_loss(real_logits, fake_logits):
    """Binary cross-entropy of D: real images have label 1, generated ones label 0.

    real_logits, fake_logits: D's logits, (B, 1) or (B,). Returns a scalar tensor:
    mean BCE(1, real_logits) + mean BCE(0, fake_logits), computed from the logits.
    """
    real = tf.reshape(tf.cast(real_logits, tf.float32), [-1])
    fake = tf.reshape(tf.cast(fake_logits, tf.float32), [-1])
    logits = tf.concat([real, fake], axis=0)
    labels = tf.concat([tf.ones_like(real), tf.zeros_like(fake)], axis=0)
    return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits))


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
def _bn_block(x, layer, activation):
    """layer (without bias) -> BatchNormalization -> activation layer."""
    return activation(keras.layers.BatchNormalization()(layer(x)))


def build_generator(z_dim=100, filters=32):
    """DCGAN generator: z (B, z_dim) -> images (B, 28, 28, 1) in [-1, 1] (tanh output)."""
    L = keras.layers
    inputs = keras.Input((z_dim,), name="z")
    h = _bn_block(inputs, L.Dense(7 * 7 * (2 * filters), use_bias=False), L.ReLU())
    h = L.Reshape((7, 7, 2 * filters))(h)
    h = _bn_block(
        h,
        L.Conv2DTranspose(filters, (4, 4), strides=(2, 2), padding="same", use_bias=False),
        L.ReLU(),
    )
    out = L.Conv2DTranspose(1, (4, 4), strides=(2, 2), padding="same", activation="tanh")(h)
    return keras.Model(inputs=inputs, outputs=out)


def build_discriminator(filters=32):
    """DCGAN discriminator: images (B, 28, 28, 1) in [-1, 1] -> logits (B, 1), no sigmoid."""
    L = keras.layers
    inputs = keras.Input((28, 28, 1), name="image")
    h = L.Conv2D(filters, (4, 4), strides=(2, 2), padding="same")(inputs)
    h = L.LeakyReLU(0.2)(h)
    h = _bn_block(
        h,
        L.Conv2D(2 * filters, (4, 4), strides=(2, 2), padding="same", use_bias=False),
        L.LeakyReLU(0.2),
    )
    out = L.Dense(1, activation=None)(L.Flatten()(h))
    return keras.Model(inputs=inputs, outputs=out)


# %% part: train_steps
def make_gan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions doing one update each.

    d_step(real_images, z): one update of the discriminator's trainable variables on
        discriminator_loss(D(real_images), D(G(z))); returns that loss.
    g_step(z): one update of the generator's trainable variables on
        generator_loss(D(G(z))); returns that loss.
    """

    def update(optimizer, tape, loss, model):
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(list(zip(grads, model.trainable_variables)))

    def d_update(real_images, z):
        with tf.GradientTape() as tape:
            fakes = generator(z, training=True)
            loss = discriminator_loss(
                discriminator(real_images, training=True), discriminator(fakes, training=True)
            )
        update(d_optimizer, tape, loss, discriminator)
        return loss

    def g_update(z):
        with tf.GradientTape() as tape:
            loss = generator_loss(discriminator(generator(z, training=True), training=True))
        update(g_optimizer, tape, loss, generator)
        return loss

    return tf.function(d_update), tf.function(g_update)
