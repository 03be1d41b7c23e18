"""PART: wgan_train_step
MISTAKE: Clips the critic's weights before applying the gradients rather than after each update, so the critic leaves the step unclipped.
Built on correct/wgan/tf_range_autograph.py with this one mistake.
"""

# %% part: wasserstein_losses
def critic_loss(real_scores, fake_scores):
    """WGAN critic loss: mean(fake_scores) - mean(real_scores), a scalar tensor."""
    real = tf.reshape(tf.cast(real_scores, tf.float32), [-1])
    fake = tf.reshape(tf.cast(fake_scores, tf.float32), [-1])
    return tf.reduce_mean(fake) - tf.reduce_mean(real)


def wgan_generator_loss(fake_scores):
    """WGAN generator loss: -mean(fake_scores), a scalar tensor."""
    return tf.negative(tf.reduce_mean(tf.cast(fake_scores, tf.float32)))


# %% part: weight_clipping
def clip_critic_weights(critic, clip_value):
    """Clip the kernel of every layer of `critic` to [-clip_value, clip_value], in place.

    Biases, batch normalisation's parameters and its moving statistics are left alone.
    """
    c = float(clip_value)
    for variable in critic.trainable_variables:
        if variable.path.split("/")[-1] == "kernel":
            variable.assign(tf.clip_by_value(variable, -c, c))


# %% part: wgan_train_step
def make_wgan_train_step(
    generator, critic, g_optimizer, c_optimizer, n_critic=5, clip_value=None, gp_weight=0.0
):
    """Return a tf.function step(real_batches, critic_z, generator_z) -> (critic loss, g loss).

    n_critic critic updates (critic_loss, plus gradient_penalty(..., gp_weight) when gp_weight
    > 0; the critic's kernels clipped to clip_value after each update unless it is None), then
    one generator update on wgan_generator_loss. Each update changes only its own network.
    """
    # Variables must exist before the loop body is traced inside a tf.while_loop.
    c_optimizer.build(critic.trainable_variables)
    g_optimizer.build(generator.trainable_variables)

    def critic_update(real, z):
        fake = generator(z, training=True)
        with tf.GradientTape() as tape:
            loss = critic_loss(critic(real, training=True), critic(fake, training=True))
            if gp_weight > 0:
                loss += gradient_penalty(critic, real, fake, gp_weight)
        grads = tape.gradient(loss, critic.trainable_variables)
        if clip_value is not None:
            clip_critic_weights(critic, clip_value)
        c_optimizer.apply_gradients(zip(grads, critic.trainable_variables))
        return loss

    @tf.function
    def step(real_batches, critic_z, generator_z):
        c_loss = tf.constant(0.0)
        for i in tf.range(n_critic):
            c_loss = critic_update(real_batches[i], critic_z[i])
        with tf.GradientTape() as tape:
            g_loss = wgan_generator_loss(
                critic(generator(generator_z, training=True), training=True)
            )
        grads = tape.gradient(g_loss, generator.trainable_variables)
        g_optimizer.apply_gradients(zip(grads, generator.trainable_variables))
        return c_loss, g_loss

    return step


# %% part: gradient_penalty
def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    """WGAN-GP penalty: weight * mean_i (||grad f(x_i)||_2 - 1)^2 at random interpolates.

    x_i = eps_i * real_i + (1 - eps_i) * fake_i with one eps_i ~ U(0, 1) per sample, shape
    (B, 1, 1, 1); the norm is taken per sample over all pixel axes. Returns a scalar tensor.
    """
    real = tf.convert_to_tensor(real_images)
    fake = tf.cast(fake_images, real.dtype)
    batch = tf.shape(real)[0]
    eps_shape = tf.concat([[batch], tf.ones([tf.rank(real) - 1], tf.int32)], axis=0)
    eps = tf.random.uniform(eps_shape, dtype=real.dtype)
    between = fake + eps * (real - fake)
    with tf.GradientTape() as inner:
        inner.watch(between)
        scores = critic(between, training=True)
    grads = inner.gradient(scores, between)
    norms = tf.norm(tf.reshape(grads, [batch, -1]), axis=1)
    return weight * tf.reduce_mean((norms - 1.0) ** 2)
