"""PART: weight_clipping
MISTAKE: Clips every trainable variable of the critic (biases and batch norm's gamma and beta too) instead of the kernels only.
Built on correct/wgan/tf_graph_loop.py.
"""

# %% part: wasserstein_losses
def critic_loss(real_scores, fake_scores):
    """WGAN critic loss: mean(fake_scores) - mean(real_scores), a scalar tensor."""
    real_scores = tf.cast(real_scores, tf.float32)
    fake_scores = tf.cast(fake_scores, tf.float32)
    return tf.reduce_mean(fake_scores) - tf.reduce_mean(real_scores)


def wgan_generator_loss(fake_scores):
    """WGAN generator loss: -mean(fake_scores), a scalar tensor."""
    return tf.negative(tf.reduce_mean(tf.cast(fake_scores, tf.float32)))

# %% part: weight_clipping
def clip_critic_weights(critic, clip_value):
    """Clip the kernel of every layer of `critic` to [-clip_value, clip_value], in place.

    Biases, batch normalisation's parameters and its moving statistics are left alone.
    """
    for variable in critic.trainable_variables:  # the weights, not the moving statistics
        variable.assign(tf.clip_by_value(variable, -clip_value, clip_value))

# %% part: wgan_train_step
def make_wgan_train_step(
    generator, critic, g_optimizer, c_optimizer, n_critic=5, clip_value=None, gp_weight=0.0
):
    """Return a tf.function step(real_batches, critic_z, generator_z) -> (critic loss, g loss).

    n_critic critic updates (critic_loss, plus gradient_penalty(..., gp_weight) when gp_weight
    > 0; the critic's kernels clipped to clip_value after each update unless it is None), then
    one generator update on wgan_generator_loss. Each update changes only its own network.
    """
    # The optimizers' slots must exist before the graph loop runs (no variables in a loop).
    for optimizer, model in ((c_optimizer, critic), (g_optimizer, generator)):
        if not optimizer.built:
            optimizer.build(model.trainable_variables)

    def critic_update(real, z):
        with tf.GradientTape() as tape:
            fake = generator(z, training=True)
            loss = critic_loss(critic(real, training=True), critic(fake, training=True))
            if gp_weight > 0:
                loss += gradient_penalty(critic, real, fake, gp_weight)
        c_optimizer.apply(tape.gradient(loss, critic.trainable_variables),
                          critic.trainable_variables)
        if clip_value is not None:
            clip_critic_weights(critic, clip_value)
        return loss

    def generator_update(z):
        with tf.GradientTape() as tape:
            loss = wgan_generator_loss(critic(generator(z, training=True), training=True))
        g_optimizer.apply(tape.gradient(loss, generator.trainable_variables),
                          generator.trainable_variables)
        return loss

    @tf.function
    def step(real_batches, critic_z, generator_z):
        last_c_loss = tf.constant(0.0)
        for i in tf.range(n_critic):
            last_c_loss = critic_update(real_batches[i], critic_z[i])
        return last_c_loss, generator_update(generator_z)

    return step

# %% part: gradient_penalty
def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    """WGAN-GP penalty: weight * mean_i (||grad f(x_i)||_2 - 1)^2 at random interpolates.

    x_i = eps_i * real_i + (1 - eps_i) * fake_i with one eps_i ~ U(0, 1) per sample, shape
    (B, 1, 1, 1); the norm is taken per sample over all pixel axes. Returns a scalar tensor.
    """
    real_images = tf.cast(real_images, tf.float32)
    fake_images = tf.cast(fake_images, tf.float32)
    eps = tf.random.uniform(tf.stack([tf.shape(real_images)[0], 1, 1, 1]))
    mixed = fake_images + eps * (real_images - fake_images)
    with tf.GradientTape() as inner:
        inner.watch(mixed)
        scores = critic(mixed)
    grad = inner.gradient(scores, mixed)
    flat = tf.reshape(grad, [tf.shape(grad)[0], -1])
    norms = tf.sqrt(tf.reduce_sum(flat * flat, axis=1) + 1e-12)
    return weight * tf.reduce_mean((norms - 1.0) ** 2)
