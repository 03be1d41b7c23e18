"""Correct WGAN answers, TensorFlow-ops style.

Losses with tf.reduce_mean on flattened scores; clipping by selecting the critic's variables
named "kernel" (so nested models are covered too) and assigning tf.clip_by_value; the training
step as a plain function wrapped with tf.function(...), unstacking the critic's batches with
tf.unstack, generating the critic's fakes before the tape, optimizer.apply(grads, vars); the
returned critic loss is the critic_loss part of the last critic update (the Wasserstein estimate
that the notebook plots), the penalty being added to the minimised loss only; the gradient
penalty with eps of shape (B, 1, ..., 1) for any image rank and the per-sample norm of the
gradient reshaped to (B, -1) with tf.norm.
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
    for variable in critic.weights:
        if variable.name == "kernel":
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
    use_penalty = gp_weight > 0
    use_clipping = clip_value is not None

    def critic_update(real, z):
        fake = generator(z, training=True)
        with tf.GradientTape() as tape:
            wasserstein = critic_loss(critic(real, training=True), critic(fake, training=True))
            total = wasserstein
            if use_penalty:
                total = total + gradient_penalty(critic, real, fake, gp_weight)
        variables = critic.trainable_variables
        c_optimizer.apply(tape.gradient(total, variables), variables)
        if use_clipping:
            clip_critic_weights(critic, clip_value)
        return wasserstein

    def generator_update(z):
        with tf.GradientTape() as tape:
            loss = wgan_generator_loss(critic(generator(z, training=True), training=True))
        variables = generator.trainable_variables
        g_optimizer.apply(tape.gradient(loss, variables), variables)
        return loss

    def step(real_batches, critic_z, generator_z):
        reals = tf.unstack(tf.convert_to_tensor(real_batches, tf.float32), num=n_critic)
        zs = tf.unstack(tf.convert_to_tensor(critic_z, tf.float32), num=n_critic)
        last = tf.constant(0.0)
        for real, z in zip(reals, zs):
            last = critic_update(real, z)
        return last, generator_update(generator_z)

    return tf.function(step)

# %% part: gradient_penalty
def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    """WGAN-GP penalty: weight * mean_i (||grad f(x_i)||_2 - 1)^2 at random interpolates.

    x_i = eps_i * real_i + (1 - eps_i) * fake_i with one eps_i ~ U(0, 1) per sample, shape
    (B, 1, 1, 1); the norm is taken per sample over all pixel axes. Returns a scalar tensor.
    """
    real = tf.cast(real_images, tf.float32)
    fake = tf.cast(fake_images, tf.float32)
    eps_shape = tf.concat([tf.shape(real)[:1], tf.ones([tf.rank(real) - 1], tf.int32)], axis=0)
    eps = tf.random.uniform(eps_shape)
    x_hat = fake + eps * (real - fake)  # = eps * real + (1 - eps) * fake
    with tf.GradientTape() as inner:
        inner.watch(x_hat)
        out = critic(x_hat, training=True)
    gradient = inner.gradient(out, x_hat)
    flat = tf.reshape(gradient, [tf.shape(gradient)[0], -1])
    norm = tf.norm(flat, ord="euclidean", axis=1)
    return weight * tf.reduce_mean(tf.square(norm - 1.0))
