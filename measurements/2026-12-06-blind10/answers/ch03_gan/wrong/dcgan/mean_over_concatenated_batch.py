"""PART: discriminator_loss
MISTAKE: Takes one mean over the concatenated real and fake terms instead of the sum of the two means (half the loss for equal batches, and wrongly weighted when the batch sizes differ).
Built on correct/dcgan/tf_nn_softplus_layerlist.py (one change).
"""

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
    return tf.reduce_mean(tf.concat([real_term, fake_term], axis=0))


# %% part: generator_loss
def generator_loss(fake_logits):
    """Non-saturating generator loss: mean BCE(1, fake_logits), from the logits.

    fake_logits: D's logits on generated images, (B, 1) or (B,). Returns a scalar tensor.
    """
    # -log sigmoid(l) = log(1 + exp(-l)) = softplus(-l), stable for any logit.
    fake = tf.reshape(tf.cast(fake_logits, tf.float32), [-1])
    return tf.reduce_mean(tf.nn.softplus(-fake))


# %% part: dcgan_models
def _apply(x, layer_list):
    for layer in layer_list:
        x = layer(x)
    return x


def build_generator(z_dim=100, filters=32):
    """DCGAN generator: z (B, z_dim) -> images (B, 28, 28, 1) in [-1, 1] (tanh output)."""
    L = keras.layers
    stack = [
        L.Dense(49 * 2 * filters, use_bias=False),
        L.BatchNormalization(),
        L.ReLU(),
        L.Reshape((7, 7, 2 * filters)),
        L.Conv2DTranspose(filters, (4, 4), strides=(2, 2), padding="same", use_bias=False),
        L.BatchNormalization(),
        L.ReLU(),
        L.Conv2DTranspose(1, (4, 4), strides=(2, 2), padding="same"),
        L.Activation("tanh"),
    ]
    noise = keras.Input((z_dim,), name="z")
    return keras.Model(inputs=noise, outputs=_apply(noise, stack))


def build_discriminator(filters=32):
    """DCGAN discriminator: images (B, 28, 28, 1) in [-1, 1] -> logits (B, 1), no sigmoid."""
    L = keras.layers
    stack = [
        L.Conv2D(filters, (4, 4), strides=(2, 2), padding="same"),
        L.LeakyReLU(0.2),
        L.Conv2D(filters * 2, (4, 4), strides=(2, 2), padding="same", use_bias=False),
        L.BatchNormalization(),
        L.LeakyReLU(0.2),
        L.Flatten(),
        L.Dense(1, activation=None),
    ]
    image = keras.Input((28, 28, 1), name="image")
    return keras.Model(inputs=image, outputs=_apply(image, stack))


# %% part: train_steps
def make_gan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions doing one update each.

    d_step(real_images, z): one update of the discriminator's trainable variables on
        discriminator_loss(D(real_images), D(G(z))); returns that loss.
    g_step(z): one update of the generator's trainable variables on
        generator_loss(D(G(z))); returns that loss.
    """

    def update(optimizer, tape, loss, model):
        weights = model.trainable_variables
        optimizer.apply(tape.gradient(loss, weights), weights)

    def d_step(real_images, z):
        with tf.GradientTape() as tape:
            generated = generator(z, training=True)
            loss = discriminator_loss(
                discriminator(real_images, training=True),
                discriminator(generated, training=True),
            )
        update(d_optimizer, tape, loss, discriminator)
        return loss

    def g_step(z):
        with tf.GradientTape() as tape:
            loss = generator_loss(discriminator(generator(z, training=True), training=True))
        update(g_optimizer, tape, loss, generator)
        return loss

    return tf.function(d_step), tf.function(g_step)
