"""Losses as the book writes them, -mean(y_true * y_pred) with labels +1 / -1, in keras.ops;
clipping of the variables named "kernel" with tf.clip_by_value over a list; the step returns the
Wasserstein part of the critic loss (without the penalty: -L_C is the plotted distance estimate);
penalty with an N-d eps shape (B, 1, ..., 1) and tf.norm over the flattened gradient.
"""


# %% part: wasserstein_losses
def _signed_mean(label, scores):
    scores = keras.ops.convert_to_tensor(scores)
    return -keras.ops.mean(label * scores)


def critic_loss(real_scores, fake_scores):
    """WGAN critic loss: mean(fake_scores) - mean(real_scores), a scalar tensor."""
    return _signed_mean(1.0, real_scores) + _signed_mean(-1.0, fake_scores)


def wgan_generator_loss(fake_scores):
    """WGAN generator loss: -mean(fake_scores), a scalar tensor."""
    return _signed_mean(1.0, fake_scores)


# %% part: weight_clipping
def clip_critic_weights(critic, clip_value):
    """Clip the kernel of every layer of `critic` to [-clip_value, clip_value], in place.

    Biases, batch normalisation's parameters and its moving statistics are left alone.
    """
    kernels = [w for w in critic.weights if w.name == "kernel"]
    clipped = [tf.clip_by_value(w, -clip_value, clip_value) for w in kernels]
    for w, value in zip(kernels, clipped):
        w.assign(value)


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

    def critic_update(real, z):
        fake = generator(z, training=True)
        with tf.GradientTape() as tape:
            wasserstein = critic_loss(critic(real, training=True), critic(fake, training=True))
            total = wasserstein
            if use_penalty:
                total = total + gradient_penalty(critic, real, fake, gp_weight)
        variables = critic.trainable_variables
        c_optimizer.apply(tape.gradient(total, variables), variables)
        if clip_value is not None:
            clip_critic_weights(critic, clip_value)
        return wasserstein

    def generator_update(z):
        with tf.GradientTape() as tape:
            loss = wgan_generator_loss(critic(generator(z, training=True), training=True))
        variables = generator.trainable_variables
        g_optimizer.apply(tape.gradient(loss, variables), variables)
        return loss

    def step(real_batches, critic_z, generator_z):
        losses = [critic_update(real_batches[i], critic_z[i]) for i in range(n_critic)]
        return losses[-1], generator_update(generator_z)

    return tf.function(step)


# %% part: gradient_penalty
def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    """WGAN-GP penalty: weight * mean_i (||grad f(x_i)||_2 - 1)^2 at random interpolates.

    x_i = eps_i * real_i + (1 - eps_i) * fake_i with one eps_i ~ U(0, 1) per sample, shape
    (B, 1, 1, 1); the norm is taken per sample over all pixel axes. Returns a scalar tensor.
    """
    real = tf.cast(real_images, tf.float32)
    fake = tf.cast(fake_images, tf.float32)
    rank = len(real.shape)
    eps_shape = tf.concat([tf.shape(real)[:1], tf.ones([rank - 1], tf.int32)], axis=0)
    eps = tf.random.uniform(eps_shape)
    points = fake + eps * (real - fake)  # = eps * real + (1 - eps) * fake
    with tf.GradientTape() as tape:
        tape.watch(points)
        out = critic(points, training=True)
    slopes = tape.gradient(out, points)
    flat = tf.reshape(slopes, [tf.shape(slopes)[0], -1])
    per_sample = tf.norm(flat, ord="euclidean", axis=1)
    return weight * tf.reduce_mean((per_sample - 1.0) ** 2)
