"""PART: gradient_penalty
MISTAKE: Averages the gradient norms over the batch before subtracting 1 and squaring, (mean ||g_i|| - 1)^2, instead of the mean of the squared deviations.
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
    kernels = [v for v in critic.variables if v.name == "kernel"]
    for kernel in kernels:
        kernel.assign(keras.ops.clip(kernel.value, -clip_value, clip_value))


# %% part: wgan_train_step
def make_wgan_train_step(
    generator, critic, g_optimizer, c_optimizer, n_critic=5, clip_value=None, gp_weight=0.0
):
    """Return a tf.function step(real_batches, critic_z, generator_z) -> (critic loss, g loss).

    n_critic critic updates (critic_loss, plus gradient_penalty(..., gp_weight) when gp_weight
    > 0; the critic's kernels clipped to clip_value after each update unless it is None), then
    one generator update on wgan_generator_loss. Each update changes only its own network.
    """
    use_penalty = gp_weight > 0
    use_clipping = clip_value is not None

    def critic_update(real, z):
        with tf.GradientTape() as tape:
            fake = generator(z, training=True)
            loss = critic_loss(critic(real, training=True), critic(fake, training=True))
            if use_penalty:
                loss += gradient_penalty(critic, real, fake, gp_weight)
        variables = critic.trainable_variables
        c_optimizer.apply(tape.gradient(loss, variables), variables)
        if use_clipping:
            clip_critic_weights(critic, clip_value)
        return loss

    # Build the critic's optimizer now, outside the tf.while_loop that tf.range becomes, so
    # that its slot variables are not created inside the loop.
    if not c_optimizer.built:
        c_optimizer.build(critic.trainable_variables)

    @tf.function
    def step(real_batches, critic_z, generator_z):
        last_c_loss = tf.constant(0.0)
        for i in tf.range(n_critic):
            last_c_loss = critic_update(real_batches[i], critic_z[i])
        with tf.GradientTape() as tape:
            g_loss = wgan_generator_loss(critic(generator(generator_z, training=True), training=True))
        variables = generator.trainable_variables
        g_optimizer.apply(tape.gradient(g_loss, variables), variables)
        return last_c_loss, g_loss

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
    mixed = eps * real_images + (1.0 - eps) * fake_images
    with tf.GradientTape() as inner:
        inner.watch(mixed)
        critic_scores = critic(mixed, training=True)
    gradients = inner.gradient(critic_scores, mixed)
    norms = keras.ops.sqrt(keras.ops.sum(keras.ops.square(gradients), axis=[1, 2, 3]) + 1e-12)
    return weight * keras.ops.square(keras.ops.mean(norms) - 1.0)
