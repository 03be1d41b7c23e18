"""PART: generator_loss
MISTAKE: Implements the saturating minimax loss mean(log(1 - sigmoid(l))) = -mean(softplus(l)) instead of the non-saturating -mean(log sigmoid(l)).
Built on correct/dcgan/tf_nn_layerlist.py (otherwise unchanged).
"""

# %% part: discriminator_loss
def discriminator_loss(real_logits, fake_logits):
    """Binary cross-entropy of D: real images have label 1, generated ones label 0.

    real_logits, fake_logits: D's logits, (B, 1) or (B,). Returns a scalar tensor:
    mean BCE(1, real_logits) + mean BCE(0, fake_logits), computed from the logits.
    """
    real_logits = tf.cast(real_logits, tf.float32)
    fake_logits = tf.cast(fake_logits, tf.float32)
    real_loss = tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.ones_like(real_logits), logits=real_logits
    )
    fake_loss = tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.zeros_like(fake_logits), logits=fake_logits
    )
    return tf.reduce_mean(real_loss) + tf.reduce_mean(fake_loss)


# %% part: generator_loss
def generator_loss(fake_logits):
    """Non-saturating generator loss: mean BCE(1, fake_logits), from the logits.

    fake_logits: D's logits on generated images, (B, 1) or (B,). Returns a scalar tensor.
    """
    # BCE(1, l) = -log sigmoid(l) = softplus(-l), stable for any l.
    fake_logits = tf.cast(fake_logits, tf.float32)
    return tf.reduce_mean(-tf.nn.softplus(fake_logits))


# %% part: dcgan_models
def _apply(inputs, layer_list):
    x = inputs
    for layer in layer_list:
        x = layer(x)
    return x


def build_generator(z_dim=100, filters=32):
    """DCGAN generator: z (B, z_dim) -> images (B, 28, 28, 1) in [-1, 1] (tanh output)."""
    L = keras.layers
    z = keras.Input((z_dim,))
    images = _apply(
        z,
        [
            L.Dense(7 * 7 * filters * 2, use_bias=False),
            L.BatchNormalization(),
            L.Activation("relu"),
            L.Reshape((7, 7, filters * 2)),
            L.Conv2DTranspose(filters, (4, 4), strides=(2, 2), padding="same", use_bias=False),
            L.BatchNormalization(),
            L.Activation("relu"),
            L.Conv2DTranspose(1, (4, 4), strides=(2, 2), padding="same", activation="tanh"),
        ],
    )
    return keras.Model(inputs=z, outputs=images)


def build_discriminator(filters=32):
    """DCGAN discriminator: images (B, 28, 28, 1) in [-1, 1] -> logits (B, 1), no sigmoid."""
    L = keras.layers
    images = keras.Input((28, 28, 1))
    logits = _apply(
        images,
        [
            L.Conv2D(filters, (4, 4), strides=(2, 2), padding="same"),
            L.LeakyReLU(0.2),
            L.Conv2D(filters * 2, (4, 4), strides=(2, 2), padding="same", use_bias=False),
            L.BatchNormalization(),
            L.LeakyReLU(0.2),
            L.Flatten(),
            L.Dense(1, activation=None),
        ],
    )
    return keras.Model(inputs=images, outputs=logits)


# %% part: train_steps
def make_gan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions doing one update each.

    d_step(real_images, z): one update of the discriminator's trainable variables on
        discriminator_loss(D(real_images), D(G(z))); returns that loss.
    g_step(z): one update of the generator's trainable variables on
        generator_loss(D(G(z))); returns that loss.
    """

    def update(tape, loss, model, optimizer):
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(list(zip(grads, model.trainable_variables)))

    def d_step(real_images, z):
        with tf.GradientTape() as tape:
            logits_real = discriminator(real_images, training=True)
            logits_fake = discriminator(generator(z, training=True), training=True)
            d_loss = discriminator_loss(logits_real, logits_fake)
        update(tape, d_loss, discriminator, d_optimizer)
        return d_loss

    def g_step(z):
        with tf.GradientTape() as tape:
            logits_fake = discriminator(generator(z, training=True), training=True)
            g_loss = generator_loss(logits_fake)
        update(tape, g_loss, generator, g_optimizer)
        return g_loss

    return tf.function(d_step), tf.function(g_step)
