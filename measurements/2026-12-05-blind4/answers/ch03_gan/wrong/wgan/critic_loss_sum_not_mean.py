"""PART: wasserstein_losses
MISTAKE: Sums the scores over each batch instead of averaging them in the critic loss (wrong scale, and wrong when the two batches differ in size).
Built on correct/wgan/keras_ops_while_loop.py.
"""

# %% part: wasserstein_losses
def critic_loss(real_scores, fake_scores):
    """WGAN critic loss: mean(fake_scores) - mean(real_scores), a scalar tensor."""
    ops = keras.ops
    return ops.sum(ops.cast(fake_scores, "float32")) - ops.sum(ops.cast(real_scores, "float32"))


def wgan_generator_loss(fake_scores):
    """WGAN generator loss: -mean(fake_scores), a scalar tensor."""
    return keras.ops.negative(keras.ops.mean(keras.ops.cast(fake_scores, "float32")))

# %% part: weight_clipping
def clip_critic_weights(critic, clip_value):
    """Clip the kernel of every layer of `critic` to [-clip_value, clip_value], in place.

    Biases, batch normalisation's parameters and its moving statistics are left alone.
    """
    kernels = [v for v in critic.variables if v.name == "kernel"]
    for kernel in kernels:
        kernel.assign(keras.ops.clip(kernel, -clip_value, clip_value))

# %% part: wgan_train_step
def make_wgan_train_step(
    generator, critic, g_optimizer, c_optimizer, n_critic=5, clip_value=None, gp_weight=0.0
):
    """Return a tf.function step(real_batches, critic_z, generator_z) -> (critic loss, g loss).

    n_critic critic updates (critic_loss, plus gradient_penalty(..., gp_weight) when gp_weight
    > 0; the critic's kernels clipped to clip_value after each update unless it is None), then
    one generator update on wgan_generator_loss. Each update changes only its own network.
    """
    c_optimizer.build(critic.trainable_variables)
    g_optimizer.build(generator.trainable_variables)

    def critic_update(real, z):
        fake = generator(z, training=True)
        with tf.GradientTape() as tape:
            loss = critic_loss(critic(real, training=True), critic(fake, training=True))
            if gp_weight > 0:
                loss += gradient_penalty(critic, real, fake, gp_weight)
        weights = critic.trainable_variables
        c_optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
        if clip_value is not None:
            clip_critic_weights(critic, clip_value)
        return loss

    @tf.function
    def step(real_batches, critic_z, generator_z):
        last_c_loss = tf.constant(0.0)
        for i in tf.range(n_critic):
            last_c_loss = critic_update(real_batches[i], critic_z[i])
        with tf.GradientTape() as tape:
            g_loss = wgan_generator_loss(
                critic(generator(generator_z, training=True), training=True)
            )
        weights = generator.trainable_variables
        g_optimizer.apply_gradients(zip(tape.gradient(g_loss, weights), weights))
        return last_c_loss, g_loss

    return step

# %% part: gradient_penalty
def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    """WGAN-GP penalty: weight * mean_i (||grad f(x_i)||_2 - 1)^2 at random interpolates.

    x_i = eps_i * real_i + (1 - eps_i) * fake_i with one eps_i ~ U(0, 1) per sample, shape
    (B, 1, 1, 1); the norm is taken per sample over all pixel axes. Returns a scalar tensor.
    """
    ops = keras.ops
    real_images = ops.convert_to_tensor(real_images, "float32")
    fake_images = ops.convert_to_tensor(fake_images, "float32")
    rank = len(real_images.shape)
    eps_shape = [tf.shape(real_images)[0]] + [1] * (rank - 1)
    eps = tf.random.uniform(eps_shape)
    mixed = fake_images + eps * (real_images - fake_images)
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        scores = critic(mixed, training=True)
    gradient = tape.gradient(scores, mixed)
    flat = ops.reshape(gradient, (ops.shape(gradient)[0], -1))
    norms = ops.norm(flat, axis=1)
    return weight * ops.mean(ops.square(norms - 1.0))
