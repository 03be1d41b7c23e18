"""PART: wgan_train_step
MISTAKE: Never adds the gradient penalty (gp_weight is accepted but ignored).
Based on correct/wgan/keras_ops.py.
Public checks: NOT caught (every part passes its public checks).
My own test that shows it: wgan_train_step:wstep: AssertionError: critic kernel {'gp': 10.0}
"""


# %% part: wasserstein_losses
def critic_loss(real_scores, fake_scores):
    """WGAN critic loss: mean(fake_scores) - mean(real_scores), a scalar tensor."""
    return keras.ops.mean(fake_scores) - keras.ops.mean(real_scores)


def wgan_generator_loss(fake_scores):
    """WGAN generator loss: -mean(fake_scores), a scalar tensor."""
    return keras.ops.negative(keras.ops.mean(fake_scores))


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

    def critic_update(real, z):
        fake = generator(z, training=True)
        with tf.GradientTape() as tape:
            loss = critic_loss(critic(real, training=True), critic(fake, training=True))
        grads = tape.gradient(loss, critic.trainable_variables)
        c_optimizer.apply(grads, critic.trainable_variables)
        if clip_value is not None:
            clip_critic_weights(critic, clip_value)
        return loss

    def generator_update(z):
        with tf.GradientTape() as tape:
            loss = wgan_generator_loss(critic(generator(z, training=True), training=True))
        grads = tape.gradient(loss, generator.trainable_variables)
        g_optimizer.apply(grads, generator.trainable_variables)
        return loss

    @tf.function
    def step(real_batches, critic_z, generator_z):
        reals = tf.unstack(real_batches, num=n_critic)
        zs = tf.unstack(critic_z, num=n_critic)
        losses = [critic_update(real, z) for real, z in zip(reals, zs)]
        return losses[-1], generator_update(generator_z)

    return step


# %% part: gradient_penalty
def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    """WGAN-GP penalty: weight * mean_i (||grad f(x_i)||_2 - 1)^2 at random interpolates.

    x_i = eps_i * real_i + (1 - eps_i) * fake_i with one eps_i ~ U(0, 1) per sample, shape
    (B, 1, 1, 1); the norm is taken per sample over all pixel axes. Returns a scalar tensor.
    """
    real_images = tf.convert_to_tensor(real_images, dtype=tf.float32)
    fake_images = tf.convert_to_tensor(fake_images, dtype=tf.float32)
    rank = len(real_images.shape)
    eps_shape = tf.concat([tf.shape(real_images)[:1], tf.ones([rank - 1], tf.int32)], axis=0)
    eps = tf.random.uniform(eps_shape)
    mixed = fake_images + eps * (real_images - fake_images)
    with tf.GradientTape() as inner:
        inner.watch(mixed)
        scores = critic(mixed)
    grads = inner.gradient(scores, mixed)
    per_sample = tf.reshape(grads, [tf.shape(grads)[0], -1])
    norms = tf.norm(per_sample, axis=1)
    return weight * tf.reduce_mean((norms - 1.0) ** 2)
