"""PART: gradient_penalty
MISTAKE: Multiplies by the paper's lambda = 10 written as a constant instead of by the weight argument.
Built on correct/wgan/keras_ops_autograph_range.py with that one change.
"""

# %% part: wasserstein_losses
def critic_loss(real_scores, fake_scores):
    """WGAN critic loss: mean(fake_scores) - mean(real_scores), a scalar tensor."""
    ops = keras.ops
    real_scores = ops.convert_to_tensor(real_scores)
    fake_scores = ops.convert_to_tensor(fake_scores)
    real_term = -ops.mean(ops.ones_like(real_scores) * real_scores)  # label +1
    fake_term = -ops.mean(-ops.ones_like(fake_scores) * fake_scores)  # label -1
    return real_term + fake_term


def wgan_generator_loss(fake_scores):
    """WGAN generator loss: -mean(fake_scores), a scalar tensor."""
    fake_scores = keras.ops.convert_to_tensor(fake_scores)
    return keras.ops.negative(keras.ops.mean(fake_scores))


# %% part: weight_clipping
def clip_critic_weights(critic, clip_value):
    """Clip the kernel of every layer of `critic` to [-clip_value, clip_value], in place.

    Biases, batch normalisation's parameters and its moving statistics are left alone.
    """
    for variable in critic.variables:  # every variable, nested layers and frozen ones too
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
    # The critic's updates run inside a tf.while_loop, where no variable may be created: build
    # the optimizers' slots now.
    c_optimizer.build(critic.trainable_variables)
    g_optimizer.build(generator.trainable_variables)
    use_penalty = gp_weight > 0

    def critic_update(real, z):
        with tf.GradientTape() as tape:
            fake = generator(z, training=True)
            loss = critic_loss(critic(real, training=True), critic(fake, training=True))
            if use_penalty:
                loss += gradient_penalty(critic, real, fake, gp_weight)
        weights = critic.trainable_variables
        c_optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
        if clip_value is not None:
            clip_critic_weights(critic, clip_value)
        return loss

    def generator_update(z):
        with tf.GradientTape() as tape:
            loss = wgan_generator_loss(critic(generator(z, training=True), training=True))
        weights = generator.trainable_variables
        g_optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
        return loss

    @tf.function
    def step(real_batches, critic_z, generator_z):
        last = tf.constant(0.0)
        for i in tf.range(n_critic):
            last = critic_update(real_batches[i], critic_z[i])
        return last, generator_update(generator_z)

    return step


# %% part: gradient_penalty
def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    """WGAN-GP penalty: weight * mean_i (||grad f(x_i)||_2 - 1)^2 at random interpolates.

    x_i = eps_i * real_i + (1 - eps_i) * fake_i with one eps_i ~ U(0, 1) per sample, shape
    (B, 1, 1, 1); the norm is taken per sample over all pixel axes. Returns a scalar tensor.
    """
    real_images = tf.convert_to_tensor(real_images, dtype=tf.float32)
    fake_images = tf.cast(fake_images, real_images.dtype)
    rank = len(real_images.shape)
    eps_shape = tf.concat([tf.shape(real_images)[:1], tf.ones([rank - 1], tf.int32)], axis=0)
    eps = tf.random.uniform(eps_shape, minval=0.0, maxval=1.0)
    mixed = fake_images + eps * (real_images - fake_images)
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        scores = critic(mixed, training=True)
    grads = tape.gradient(scores, mixed)
    flat = tf.reshape(grads, [tf.shape(grads)[0], -1])
    norms = tf.norm(flat, ord="euclidean", axis=1)
    return 10.0 * tf.reduce_mean((norms - 1.0) ** 2)
