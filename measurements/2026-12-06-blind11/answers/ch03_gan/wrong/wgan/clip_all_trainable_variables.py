"""PART: weight_clipping
MISTAKE: Clips every trainable variable of the critic (biases and batch normalisation's gamma and beta as well), not only the kernels.
Built on correct/wgan/keras_ops_autograph.py.
"""

# %% part: wasserstein_losses
def critic_loss(real_scores, fake_scores):
    """WGAN critic loss: mean(fake_scores) - mean(real_scores), a scalar tensor."""
    real_scores = keras.ops.convert_to_tensor(real_scores, dtype="float32")
    fake_scores = keras.ops.convert_to_tensor(fake_scores, dtype="float32")
    return keras.ops.subtract(keras.ops.mean(fake_scores), keras.ops.mean(real_scores))


def wgan_generator_loss(fake_scores):
    """WGAN generator loss: -mean(fake_scores), a scalar tensor."""
    fake_scores = keras.ops.convert_to_tensor(fake_scores, dtype="float32")
    return keras.ops.negative(keras.ops.mean(fake_scores))


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
    c_vars = critic.trainable_variables
    g_vars = generator.trainable_variables
    # Build the optimizers' slots now: the critic's updates run inside a tf.while_loop.
    if not c_optimizer.built:
        c_optimizer.build(c_vars)
    if not g_optimizer.built:
        g_optimizer.build(g_vars)

    def critic_update(real, z):
        fake = generator(z, training=True)
        with tf.GradientTape() as tape:
            loss = critic_loss(critic(real, training=True), critic(fake, training=True))
            if gp_weight > 0:
                loss = loss + gradient_penalty(critic, real, fake, gp_weight)
        c_optimizer.apply_gradients(zip(tape.gradient(loss, c_vars), c_vars))
        if clip_value is not None:
            clip_critic_weights(critic, clip_value)
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
        g_optimizer.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars))
        return c_loss, g_loss

    return step


# %% part: gradient_penalty
def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    """WGAN-GP penalty: weight * mean_i (||grad f(x_i)||_2 - 1)^2 at random interpolates.

    x_i = eps_i * real_i + (1 - eps_i) * fake_i with one eps_i ~ U(0, 1) per sample, shape
    (B, 1, 1, 1); the norm is taken per sample over all pixel axes. Returns a scalar tensor.
    """
    real_images = keras.ops.convert_to_tensor(real_images, dtype="float32")
    fake_images = keras.ops.convert_to_tensor(fake_images, dtype="float32")
    eps = tf.random.uniform((keras.ops.shape(real_images)[0], 1, 1, 1))
    points = fake_images + eps * (real_images - fake_images)
    with tf.GradientTape() as inner:
        inner.watch(points)
        scores = keras.ops.sum(critic(points, training=True))
    grads = inner.gradient(scores, points)
    norms = keras.ops.sqrt(keras.ops.sum(keras.ops.square(grads), axis=[1, 2, 3]))
    return weight * keras.ops.mean(keras.ops.square(norms - 1.0))
