"""PART: gradient_penalty
MISTAKE: Takes the gradient norm over axes (1, 2) only, forgetting the channel axis; correct for one channel, wrong (one norm per channel) for colour images.
Built on correct/wgan/keras_ops_variables.py.
"""

# %% part: wasserstein_losses
def critic_loss(real_scores, fake_scores):
    """WGAN critic loss: mean(fake_scores) - mean(real_scores), a scalar tensor."""
    real_mean = keras.ops.mean(keras.ops.convert_to_tensor(real_scores))
    fake_mean = keras.ops.mean(keras.ops.convert_to_tensor(fake_scores))
    return fake_mean - real_mean


def wgan_generator_loss(fake_scores):
    """WGAN generator loss: -mean(fake_scores), a scalar tensor."""
    return keras.ops.negative(keras.ops.mean(keras.ops.convert_to_tensor(fake_scores)))

# %% part: weight_clipping
def clip_critic_weights(critic, clip_value):
    """Clip the kernel of every layer of `critic` to [-clip_value, clip_value], in place.

    Biases, batch normalisation's parameters and its moving statistics are left alone.
    """
    for variable in critic.variables:
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
    use_penalty = gp_weight is not None and gp_weight > 0

    def critic_update(real, z):
        fake = generator(z, training=True)
        with tf.GradientTape() as tape:
            loss = critic_loss(critic(real, training=True), critic(fake, training=True))
            if use_penalty:
                loss = loss + gradient_penalty(critic, real, fake, gp_weight)
        grads = tape.gradient(loss, critic.trainable_variables)
        c_optimizer.apply_gradients(zip(grads, critic.trainable_variables))
        if clip_value is not None:
            clip_critic_weights(critic, clip_value)
        return loss

    def generator_update(z):
        with tf.GradientTape() as tape:
            loss = wgan_generator_loss(critic(generator(z, training=True), training=True))
        grads = tape.gradient(loss, generator.trainable_variables)
        g_optimizer.apply_gradients(zip(grads, generator.trainable_variables))
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
    real_images = keras.ops.cast(real_images, "float32")
    fake_images = keras.ops.cast(fake_images, "float32")
    batch = keras.ops.shape(real_images)[0]
    eps = tf.random.uniform((batch, 1, 1, 1))
    interpolates = fake_images + eps * (real_images - fake_images)
    with tf.GradientTape() as tape:
        tape.watch(interpolates)
        scores = critic(interpolates, training=True)
    (grads,) = tape.gradient(scores, [interpolates])
    norms = keras.ops.sqrt(keras.ops.sum(keras.ops.square(grads), axis=(1, 2)))
    return weight * keras.ops.mean(keras.ops.square(norms - 1.0))
