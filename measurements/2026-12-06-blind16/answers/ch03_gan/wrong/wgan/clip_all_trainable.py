"""PART: weight_clipping
MISTAKE: Clips every trainable variable, biases and batch normalisation's gamma and beta included, not only the kernels.
Built on correct/wgan/keras_ops_unrolled.py with this one mistake.
"""

# %% part: wasserstein_losses
def critic_loss(real_scores, fake_scores):
    """WGAN critic loss: mean(fake_scores) - mean(real_scores), a scalar tensor."""
    return keras.ops.mean(fake_scores) - keras.ops.mean(real_scores)


def wgan_generator_loss(fake_scores):
    """WGAN generator loss: -mean(fake_scores), a scalar tensor."""
    return -keras.ops.mean(fake_scores)


# %% part: weight_clipping
def clip_critic_weights(critic, clip_value):
    """Clip the kernel of every layer of `critic` to [-clip_value, clip_value], in place.

    Biases, batch normalisation's parameters and its moving statistics are left alone.
    """
    for variable in critic.trainable_variables:
        variable.assign(keras.ops.clip(variable, -clip_value, clip_value))


# %% part: wgan_train_step
def make_wgan_train_step(
    generator, critic, g_optimizer, c_optimizer, n_critic=5, clip_value=None, gp_weight=0.0
):
    """Return a tf.function step(real_batches, critic_z, generator_z) -> (critic loss, g loss).

    n_critic critic updates (critic_loss, plus gradient_penalty(..., gp_weight) when gp_weight
    > 0; the critic's kernels clipped to clip_value after each update unless it is None), then
    one generator update on wgan_generator_loss. Each update changes only its own network.
    """

    @tf.function
    def step(real_batches, critic_z, generator_z):
        c_loss = None
        for i in range(n_critic):
            real = real_batches[i]
            with tf.GradientTape() as tape:
                fake = generator(critic_z[i], training=True)
                real_scores = critic(real, training=True)
                fake_scores = critic(fake, training=True)
                c_loss = critic_loss(real_scores, fake_scores)
                if gp_weight > 0:
                    c_loss = c_loss + gradient_penalty(critic, real, fake, gp_weight)
            c_vars = critic.trainable_variables
            c_optimizer.apply_gradients(zip(tape.gradient(c_loss, c_vars), c_vars))
            if clip_value is not None:
                clip_critic_weights(critic, clip_value)
        with tf.GradientTape() as tape:
            fake = generator(generator_z, training=True)
            g_loss = wgan_generator_loss(critic(fake, training=True))
        g_vars = generator.trainable_variables
        g_optimizer.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars))
        return c_loss, g_loss

    return step


# %% part: gradient_penalty
def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    """WGAN-GP penalty: weight * mean_i (||grad f(x_i)||_2 - 1)^2 at random interpolates.

    x_i = eps_i * real_i + (1 - eps_i) * fake_i with one eps_i ~ U(0, 1) per sample, shape
    (B, 1, 1, 1); the norm is taken per sample over all pixel axes. Returns a scalar tensor.
    """
    real = tf.cast(real_images, tf.float32)
    fake = tf.cast(fake_images, tf.float32)
    eps = tf.random.uniform([tf.shape(real)[0], 1, 1, 1], 0.0, 1.0)
    interpolates = eps * real + (1.0 - eps) * fake
    with tf.GradientTape() as tape:
        tape.watch(interpolates)
        scores = critic(interpolates, training=True)
    gradients = tape.gradient(scores, interpolates)  # (B, 28, 28, 1)
    norms = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=[1, 2, 3]))
    return weight * tf.reduce_mean(tf.square(norms - 1.0))
