"""PART: wasserstein_losses
MISTAKE: wgan_generator_loss returns +mean(fake_scores) (label -1 for fakes), so the generator lowers its score.
Built on correct/wgan/keras_ops_unstack.py.
"""

# %% part: wasserstein_losses
def critic_loss(real_scores, fake_scores):
    """WGAN critic loss: mean(fake_scores) - mean(real_scores), a scalar tensor."""
    return keras.ops.mean(keras.ops.convert_to_tensor(fake_scores, "float32")) - keras.ops.mean(
        keras.ops.convert_to_tensor(real_scores, "float32")
    )


def wgan_generator_loss(fake_scores):
    """WGAN generator loss: -mean(fake_scores), a scalar tensor."""
    return keras.ops.mean(keras.ops.convert_to_tensor(fake_scores, "float32"))

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
    use_penalty = gp_weight > 0

    def critic_update(real_images, z):
        with tf.GradientTape() as tape:
            fakes = generator(z, training=True)
            wasserstein = critic_loss(
                critic(real_images, training=True), critic(fakes, training=True)
            )
            total = wasserstein
            if use_penalty:
                total = total + gradient_penalty(critic, real_images, fakes, gp_weight)
        grads = tape.gradient(total, critic.trainable_variables)
        c_optimizer.apply_gradients(zip(grads, critic.trainable_variables))
        if clip_value is not None:
            clip_critic_weights(critic, clip_value)
        return wasserstein

    def generator_update(z):
        with tf.GradientTape() as tape:
            loss = wgan_generator_loss(critic(generator(z, training=True), training=True))
        grads = tape.gradient(loss, generator.trainable_variables)
        g_optimizer.apply_gradients(zip(grads, generator.trainable_variables))
        return loss

    def step(real_batches, critic_z, generator_z):
        reals = tf.unstack(real_batches, num=n_critic)
        noises = tf.unstack(critic_z, num=n_critic)
        last = None
        for real_images, z in zip(reals, noises):
            last = critic_update(real_images, z)
        return last, generator_update(generator_z)

    return tf.function(step)

# %% part: gradient_penalty
def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    """WGAN-GP penalty: weight * mean_i (||grad f(x_i)||_2 - 1)^2 at random interpolates.

    x_i = eps_i * real_i + (1 - eps_i) * fake_i with one eps_i ~ U(0, 1) per sample, shape
    (B, 1, 1, 1); the norm is taken per sample over all pixel axes. Returns a scalar tensor.
    """
    real_images = keras.ops.convert_to_tensor(real_images, "float32")
    fake_images = keras.ops.convert_to_tensor(fake_images, "float32")
    eps = tf.random.uniform(tf.stack([tf.shape(real_images)[0], 1, 1, 1]))
    mixed = fake_images + eps * (real_images - fake_images)
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        scores = critic(mixed, training=True)
    grad = tape.gradient(scores, mixed)
    flat = keras.ops.reshape(grad, (keras.ops.shape(grad)[0], -1))
    norms = keras.ops.norm(flat, axis=1)
    return weight * keras.ops.mean(keras.ops.square(norms - 1.0))
