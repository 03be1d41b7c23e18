"""PART: discriminator_loss
MISTAKE: Takes one mean over the concatenated real and fake terms, (sum_real + sum_fake) / (B_real + B_fake), instead of the sum of the two batch means.
Built on correct/dcgan/tf_nn_softplus.py.
"""

# %% part: discriminator_loss
def discriminator_loss(real_logits, fake_logits):
    """Binary cross-entropy of D: real images have label 1, generated ones label 0.

    real_logits, fake_logits: D's logits, (B, 1) or (B,). Returns a scalar tensor:
    mean BCE(1, real_logits) + mean BCE(0, fake_logits), computed from the logits.
    """
    real_logits = tf.convert_to_tensor(real_logits)
    fake_logits = tf.convert_to_tensor(fake_logits)
    real_terms = tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.ones_like(real_logits), logits=real_logits
    )
    fake_terms = tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.zeros_like(fake_logits), logits=fake_logits
    )
    terms = tf.concat([tf.reshape(real_terms, [-1]), tf.reshape(fake_terms, [-1])], axis=0)
    return tf.reduce_mean(terms)

# %% part: generator_loss
def generator_loss(fake_logits):
    """Non-saturating generator loss: mean BCE(1, fake_logits), from the logits.

    fake_logits: D's logits on generated images, (B, 1) or (B,). Returns a scalar tensor.
    """
    # BCE(1, l) = -log sigmoid(l) = softplus(-l), stable for any logit.
    fake_logits = tf.convert_to_tensor(fake_logits)
    return tf.reduce_mean(tf.nn.softplus(-fake_logits))

# %% part: dcgan_models
def build_generator(z_dim=100, filters=32):
    """DCGAN generator: z (B, z_dim) -> images (B, 28, 28, 1) in [-1, 1] (tanh output)."""
    inputs = keras.Input((z_dim,), name="z")
    h = keras.layers.Dense(7 * 7 * 2 * filters, use_bias=False, name="project")(inputs)
    h = keras.layers.BatchNormalization(name="project_bn")(h)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.Reshape((7, 7, 2 * filters))(h)
    h = keras.layers.Conv2DTranspose(
        filters, (4, 4), strides=(2, 2), padding="same", use_bias=False, name="up14"
    )(h)
    h = keras.layers.BatchNormalization(name="up14_bn")(h)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.Conv2DTranspose(1, (4, 4), strides=(2, 2), padding="same", name="up28")(h)
    outputs = keras.layers.Activation("tanh")(h)
    return keras.Model(inputs=inputs, outputs=outputs)


def build_discriminator(filters=32):
    """DCGAN discriminator: images (B, 28, 28, 1) in [-1, 1] -> logits (B, 1), no sigmoid."""
    inputs = keras.Input((28, 28, 1), name="image")
    h = inputs
    # (filters, batch norm?) for each strided convolution of the table
    for width, normalise in ((filters, False), (2 * filters, True)):
        h = keras.layers.Conv2D(
            width, (4, 4), strides=(2, 2), padding="same", use_bias=not normalise
        )(h)
        if normalise:
            h = keras.layers.BatchNormalization()(h)
        h = keras.layers.LeakyReLU(negative_slope=0.2)(h)
    h = keras.layers.Flatten()(h)
    outputs = keras.layers.Dense(1, activation=None, name="logit")(h)
    return keras.Model(inputs=inputs, outputs=outputs)

# %% part: train_steps
def make_gan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions doing one update each.

    d_step(real_images, z): one update of the discriminator's trainable variables on
        discriminator_loss(D(real_images), D(G(z))); returns that loss.
    g_step(z): one update of the generator's trainable variables on
        generator_loss(D(G(z))); returns that loss.
    """

    def update(optimizer, variables, tape, loss):
        grads = tape.gradient(loss, variables)
        optimizer.apply_gradients(list(zip(grads, variables)))

    def d_step(real_images, z):
        with tf.GradientTape() as tape:
            real_out = discriminator(real_images, training=True)
            fake_out = discriminator(generator(z, training=True), training=True)
            loss = discriminator_loss(real_out, fake_out)
        update(d_optimizer, discriminator.trainable_variables, tape, loss)
        return loss

    def g_step(z):
        with tf.GradientTape() as tape:
            loss = generator_loss(discriminator(generator(z, training=True), training=True))
        update(g_optimizer, generator.trainable_variables, tape, loss)
        return loss

    return tf.function(d_step), tf.function(g_step)
