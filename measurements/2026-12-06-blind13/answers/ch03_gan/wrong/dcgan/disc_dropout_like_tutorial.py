"""PART: dcgan_models
MISTAKE: Adds Dropout(0.3) after each LeakyReLU of the discriminator (as in the TensorFlow DCGAN tutorial), a layer the table does not have, which makes D random in training mode.
Built on correct/dcgan/softplus_layer_list.py.
"""

# %% part: discriminator_loss
def discriminator_loss(real_logits, fake_logits):
    """Binary cross-entropy of D: real images have label 1, generated ones label 0.

    real_logits, fake_logits: D's logits, (B, 1) or (B,). Returns a scalar tensor:
    mean BCE(1, real_logits) + mean BCE(0, fake_logits), computed from the logits.
    """
    real_logits = tf.cast(real_logits, tf.float32)
    fake_logits = tf.cast(fake_logits, tf.float32)
    # -log sigmoid(l) = softplus(-l), -log(1 - sigmoid(l)) = softplus(l)
    return tf.reduce_mean(tf.math.softplus(-real_logits)) + tf.reduce_mean(
        tf.math.softplus(fake_logits)
    )

# %% part: generator_loss
def generator_loss(fake_logits):
    """Non-saturating generator loss: mean BCE(1, fake_logits), from the logits.

    fake_logits: D's logits on generated images, (B, 1) or (B,). Returns a scalar tensor.
    """
    fake_logits = tf.cast(fake_logits, tf.float32)
    return tf.reduce_mean(tf.math.softplus(-fake_logits))

# %% part: dcgan_models
def build_generator(z_dim=100, filters=32):
    """DCGAN generator: z (B, z_dim) -> images (B, 28, 28, 1) in [-1, 1] (tanh output)."""
    layers = [
        keras.layers.Dense(7 * 7 * 2 * filters, use_bias=False),
        keras.layers.BatchNormalization(),
        keras.layers.Activation("relu"),
        keras.layers.Reshape((7, 7, 2 * filters)),
        keras.layers.Conv2DTranspose(filters, 4, 2, "same", use_bias=False),
        keras.layers.BatchNormalization(),
        keras.layers.Activation("relu"),
        keras.layers.Conv2DTranspose(1, 4, 2, "same", activation=keras.activations.tanh),
    ]
    inputs = keras.Input((z_dim,))
    x = inputs
    for layer in layers:
        x = layer(x)
    return keras.Model(inputs, x)


def build_discriminator(filters=32):
    """DCGAN discriminator: images (B, 28, 28, 1) in [-1, 1] -> logits (B, 1), no sigmoid."""
    layers = [
        keras.layers.Conv2D(filters, 4, 2, "same"),
        keras.layers.LeakyReLU(0.2),
        keras.layers.Dropout(0.3),
        keras.layers.Conv2D(2 * filters, 4, 2, "same", use_bias=False),
        keras.layers.BatchNormalization(),
        keras.layers.LeakyReLU(0.2),
        keras.layers.Dropout(0.3),
        keras.layers.Flatten(),
        keras.layers.Dense(1),
    ]
    inputs = keras.Input((28, 28, 1))
    x = inputs
    for layer in layers:
        x = layer(x)
    return keras.Model(inputs, x)

# %% part: train_steps
def make_gan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions doing one update each.

    d_step(real_images, z): one update of the discriminator's trainable variables on
        discriminator_loss(D(real_images), D(G(z))); returns that loss.
    g_step(z): one update of the generator's trainable variables on
        generator_loss(D(G(z))); returns that loss.
    """

    @tf.function(reduce_retracing=True)
    def d_step(real_images, z):
        # The fakes are inputs of D here: no gradient needs to flow back into G.
        fake_images = tf.stop_gradient(generator(z, training=True))
        with tf.GradientTape() as tape:
            fake_logits = discriminator(fake_images, training=True)
            real_logits = discriminator(real_images, training=True)
            loss = discriminator_loss(real_logits, fake_logits)
        grads = tape.gradient(loss, discriminator.trainable_variables)
        d_optimizer.apply_gradients(list(zip(grads, discriminator.trainable_variables)))
        return loss

    @tf.function(reduce_retracing=True)
    def g_step(z):
        with tf.GradientTape() as tape:
            loss = generator_loss(discriminator(generator(z, training=True), training=True))
        grads = tape.gradient(loss, generator.trainable_variables)
        g_optimizer.apply_gradients(list(zip(grads, generator.trainable_variables)))
        return loss

    return d_step, g_step
