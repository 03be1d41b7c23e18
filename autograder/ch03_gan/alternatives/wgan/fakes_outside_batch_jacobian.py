"""tf.math losses (reduce_sum / size); clipping over critic.trainable_weights whose path ends in
"kernel", one assign per kernel; step generates each batch of fakes before its tape and returns the
Wasserstein part of the critic loss (penalty excluded); penalty gradient via inner.batch_jacobian.
"""


# %% part: wasserstein_losses
def _mean(scores):
    scores = tf.cast(scores, tf.float32)
    return tf.reduce_sum(scores) / tf.cast(tf.size(scores), tf.float32)


def critic_loss(real_scores, fake_scores):
    """WGAN critic loss: mean(fake_scores) - mean(real_scores), a scalar tensor."""
    return _mean(fake_scores) - _mean(real_scores)


def wgan_generator_loss(fake_scores):
    """WGAN generator loss: -mean(fake_scores), a scalar tensor."""
    return tf.negative(_mean(fake_scores))


# %% part: weight_clipping
def clip_critic_weights(critic, clip_value):
    """Clip the kernel of every layer of `critic` to [-clip_value, clip_value], in place.

    Biases, batch normalisation's parameters and its moving statistics are left alone.
    """
    c = float(clip_value)
    for weight in critic.weights:
        if weight.path.split("/")[-1] == "kernel":
            weight.assign(tf.clip_by_value(weight, -c, c))


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
        real_batches = tf.convert_to_tensor(real_batches, tf.float32)
        critic_z = tf.convert_to_tensor(critic_z, tf.float32)
        last = tf.constant(0.0)
        for i in range(n_critic):
            real, fake = real_batches[i], generator(critic_z[i], training=True)
            with tf.GradientTape() as tape:
                last = critic_loss(critic(real, training=True), critic(fake, training=True))
                objective = last
                if gp_weight > 0:
                    objective += gradient_penalty(critic, real, fake, weight=gp_weight)
            grads = tape.gradient(objective, critic.trainable_variables)
            c_optimizer.apply_gradients(list(zip(grads, critic.trainable_variables)))
            if clip_value is not None:
                clip_critic_weights(critic, clip_value)

        with tf.GradientTape() as tape:
            g_loss = wgan_generator_loss(
                critic(generator(generator_z, training=True), training=True)
            )
        grads = tape.gradient(g_loss, generator.trainable_variables)
        g_optimizer.apply_gradients(list(zip(grads, generator.trainable_variables)))
        return last, g_loss

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
    x_hat = eps * real_images + (1.0 - eps) * fake_images
    with tf.GradientTape() as inner:
        inner.watch(x_hat)
        scores = critic(x_hat, training=True)  # (B, 1)
    # Row i of the batch Jacobian is d score_i / d x_hat_i: shape (B, 1, 28, 28, 1).
    jacobian = inner.batch_jacobian(scores, x_hat)
    squares = tf.reduce_sum(tf.square(tf.reshape(jacobian, [tf.shape(x_hat)[0], -1])), axis=1)
    return weight * tf.reduce_mean(tf.square(tf.sqrt(squares) - 1.0))
