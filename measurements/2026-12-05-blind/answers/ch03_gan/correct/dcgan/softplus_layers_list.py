"""Correct DCGAN answers, closed-form softplus style.

The cross-entropies written in closed form from the logits: BCE(1, l) = softplus(-l) and
BCE(0, l) = softplus(l) (tf.math.softplus is stable for large |l|, unlike log(sigmoid(l)));
models with the functional API built by folding over a list of layers; training steps where
the two networks share one helper that runs a tape and applies the gradients to the given
model's variables.
"""

# %% part: discriminator_loss
def discriminator_loss(real_logits, fake_logits):
    """Binary cross-entropy of D: real images have label 1, generated ones label 0.

    real_logits, fake_logits: D's logits, (B, 1) or (B,). Returns a scalar tensor:
    mean BCE(1, real_logits) + mean BCE(0, fake_logits), computed from the logits.
    """
    real_logits = tf.convert_to_tensor(real_logits, tf.float32)
    fake_logits = tf.convert_to_tensor(fake_logits, tf.float32)
    # -log sigmoid(l) = softplus(-l);  -log(1 - sigmoid(l)) = softplus(l)
    return tf.reduce_mean(tf.math.softplus(-real_logits)) + tf.reduce_mean(
        tf.math.softplus(fake_logits)
    )

# %% part: generator_loss
def generator_loss(fake_logits):
    """Non-saturating generator loss: mean BCE(1, fake_logits), from the logits.

    fake_logits: D's logits on generated images, (B, 1) or (B,). Returns a scalar tensor.
    """
    fake_logits = tf.convert_to_tensor(fake_logits, tf.float32)
    return tf.reduce_mean(tf.math.softplus(-fake_logits))

# %% part: dcgan_models
def _chain(inputs, layer_list):
    x = inputs
    for layer in layer_list:
        x = layer(x)
    return x


def build_generator(z_dim=100, filters=32):
    """DCGAN generator: z (B, z_dim) -> images (B, 28, 28, 1) in [-1, 1] (tanh output)."""
    L = keras.layers
    z = keras.Input(shape=(z_dim,))
    out = _chain(
        z,
        [
            L.Dense(98 * filters, use_bias=False),  # 7 * 7 * 2F
            L.BatchNormalization(),
            L.Activation(keras.activations.relu),
            L.Reshape((7, 7, 2 * filters)),
            L.Conv2DTranspose(filters, kernel_size=4, strides=2, padding="same", use_bias=False),
            L.BatchNormalization(),
            L.Activation(keras.activations.relu),
            L.Conv2DTranspose(1, kernel_size=4, strides=2, padding="same"),
            L.Activation(keras.activations.tanh),
        ],
    )
    return keras.Model(z, out)


def build_discriminator(filters=32):
    """DCGAN discriminator: images (B, 28, 28, 1) in [-1, 1] -> logits (B, 1), no sigmoid."""
    L = keras.layers
    x = keras.Input(shape=(28, 28, 1))
    out = _chain(
        x,
        [
            L.Conv2D(filters, kernel_size=4, strides=2, padding="same"),
            L.LeakyReLU(negative_slope=0.2),
            L.Conv2D(2 * filters, kernel_size=4, strides=2, padding="same", use_bias=False),
            L.BatchNormalization(),
            L.LeakyReLU(negative_slope=0.2),
            L.Flatten(),
            L.Dense(1),
        ],
    )
    return keras.Model(x, out)

# %% part: train_steps
def make_gan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions doing one update each.

    d_step(real_images, z): one update of the discriminator's trainable variables on
        discriminator_loss(D(real_images), D(G(z))); returns that loss.
    g_step(z): one update of the generator's trainable variables on
        generator_loss(D(G(z))); returns that loss.
    """

    def _update(model, optimizer, loss_fn):
        with tf.GradientTape() as tape:
            loss = loss_fn()
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(list(zip(grads, model.trainable_variables)))
        return loss

    @tf.function
    def d_step(real_images, z):
        def loss_fn():
            real_logits = discriminator(real_images, training=True)
            fake_logits = discriminator(generator(z, training=True), training=True)
            return discriminator_loss(real_logits, fake_logits)

        return _update(discriminator, d_optimizer, loss_fn)

    @tf.function
    def g_step(z):
        def loss_fn():
            return generator_loss(discriminator(generator(z, training=True), training=True))

        return _update(generator, g_optimizer, loss_fn)

    return d_step, g_step
