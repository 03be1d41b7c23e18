"""Correct answers for wgan.ipynb with keras.ops and an AutoGraph loop.

The losses use keras.ops.mean. Clipping walks the critic's variables (critic.weights, which
also reaches layers nested in sub-models) and clips those named "kernel" with
keras.ops.clip. The training step loops over tf.range(n_critic), which AutoGraph turns into a
tf.while_loop (traced once, not unrolled); the critic's optimizer is built beforehand so that
no variable is created inside that loop. The gradient penalty flattens each sample's gradient
and takes its norm with keras.ops, with a tiny constant inside the square root so that the
gradient of the penalty stays finite at a zero gradient.
"""

# %% part: wasserstein_losses
def critic_loss(real_scores, fake_scores):
    """WGAN critic loss: mean(fake_scores) - mean(real_scores), a scalar tensor."""
    real = keras.ops.convert_to_tensor(real_scores, dtype="float32")
    fake = keras.ops.convert_to_tensor(fake_scores, dtype="float32")
    return keras.ops.subtract(keras.ops.mean(fake), keras.ops.mean(real))


def wgan_generator_loss(fake_scores):
    """WGAN generator loss: -mean(fake_scores), a scalar tensor."""
    fake = keras.ops.convert_to_tensor(fake_scores, dtype="float32")
    return keras.ops.negative(keras.ops.mean(fake))

# %% part: weight_clipping
def clip_critic_weights(critic, clip_value):
    """Clip the kernel of every layer of `critic` to [-clip_value, clip_value], in place.

    Biases, batch normalisation's parameters and its moving statistics are left alone.
    """
    for variable in critic.weights:
        if variable.name == "kernel":
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
    use_penalty = gp_weight > 0
    use_clipping = clip_value is not None
    if not c_optimizer.built:
        c_optimizer.build(critic.trainable_variables)

    def critic_update(real, z):
        with tf.GradientTape() as tape:
            fake = generator(z, training=True)
            loss = critic_loss(critic(real, training=True), critic(fake, training=True))
            if use_penalty:
                loss = loss + gradient_penalty(critic, real, fake, gp_weight)
        grads = tape.gradient(loss, critic.trainable_variables)
        c_optimizer.apply_gradients(zip(grads, critic.trainable_variables))
        if use_clipping:
            clip_critic_weights(critic, clip_value)
        return loss

    def generator_update(z):
        with tf.GradientTape() as tape:
            loss = wgan_generator_loss(critic(generator(z, training=True), training=True))
        grads = tape.gradient(loss, generator.trainable_variables)
        g_optimizer.apply_gradients(zip(grads, generator.trainable_variables))
        return loss

    @tf.function
    def step(real_batches, critic_z, generator_z):
        c_loss = tf.constant(0.0)
        for i in tf.range(n_critic):
            c_loss = critic_update(real_batches[i], critic_z[i])
        g_loss = generator_update(generator_z)
        return c_loss, g_loss

    return step

# %% part: gradient_penalty
def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    """WGAN-GP penalty: weight * mean_i (||grad f(x_i)||_2 - 1)^2 at random interpolates.

    x_i = eps_i * real_i + (1 - eps_i) * fake_i with one eps_i ~ U(0, 1) per sample, shape
    (B, 1, 1, 1); the norm is taken per sample over all pixel axes. Returns a scalar tensor.
    """
    real = keras.ops.convert_to_tensor(real_images, dtype="float32")
    fake = keras.ops.convert_to_tensor(fake_images, dtype="float32")
    batch = tf.shape(real)[0]
    eps = tf.random.uniform(tf.stack([batch] + [1] * (len(real.shape) - 1)))  # (B, 1, 1, 1)
    mixed = fake + eps * (real - fake)  # = eps * real + (1 - eps) * fake
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        scores = critic(mixed, training=True)
    grads = tape.gradient(scores, mixed)
    flat = keras.ops.reshape(grads, (batch, -1))  # (B, pixels)
    norms = keras.ops.sqrt(keras.ops.sum(keras.ops.square(flat), axis=1) + 1e-12)
    return weight * keras.ops.mean(keras.ops.square(norms - 1.0))
