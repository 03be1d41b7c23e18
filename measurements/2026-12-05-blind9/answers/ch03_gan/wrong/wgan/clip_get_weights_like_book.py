"""PART: weight_clipping
MISTAKE: Clips everything layer.get_weights() returns, like the book, which includes batch normalisation's moving mean and variance.
Built on correct/wgan/keras_ops_autograph.py.
"""

# %% part: wasserstein_losses
def critic_loss(real_scores, fake_scores):
    """WGAN critic loss: mean(fake_scores) - mean(real_scores), a scalar tensor."""
    ops = keras.ops
    return ops.mean(ops.cast(fake_scores, "float32")) - ops.mean(ops.cast(real_scores, "float32"))


def wgan_generator_loss(fake_scores):
    """WGAN generator loss: -mean(fake_scores), a scalar tensor."""
    return keras.ops.negative(keras.ops.mean(keras.ops.cast(fake_scores, "float32")))


# %% part: weight_clipping
def clip_critic_weights(critic, clip_value):
    """Clip the kernel of every layer of `critic` to [-clip_value, clip_value], in place.

    Biases, batch normalisation's parameters and its moving statistics are left alone.
    """
    for layer in critic.layers:
        weights = layer.get_weights()
        if weights:
            layer.set_weights([np.clip(w, -clip_value, clip_value) for w in weights])


# %% part: wgan_train_step
def make_wgan_train_step(
    generator, critic, g_optimizer, c_optimizer, n_critic=5, clip_value=None, gp_weight=0.0
):
    """Return a tf.function step(real_batches, critic_z, generator_z) -> (critic loss, g loss).

    n_critic critic updates (critic_loss, plus gradient_penalty(..., gp_weight) when gp_weight
    > 0; the critic's kernels clipped to clip_value after each update unless it is None), then
    one generator update on wgan_generator_loss. Each update changes only its own network.
    """
    # Build the optimizers' slots outside the traced loop: no variables created in its body.
    if not c_optimizer.built:
        c_optimizer.build(critic.trainable_variables)
    if not g_optimizer.built:
        g_optimizer.build(generator.trainable_variables)

    def critic_update(real, z):
        with tf.GradientTape() as tape:
            fake = generator(z, training=True)
            loss = critic_loss(critic(real, training=True), critic(fake, training=True))
            if gp_weight > 0:
                loss += gradient_penalty(critic, real, fake, gp_weight)
        grads = tape.gradient(loss, critic.trainable_variables)
        c_optimizer.apply(grads, critic.trainable_variables)
        if clip_value is not None:
            clip_critic_weights(critic, clip_value)
        return loss

    @tf.function
    def step(real_batches, critic_z, generator_z):
        last = tf.constant(0.0)
        for i in tf.range(n_critic):
            last = critic_update(real_batches[i], critic_z[i])
        with tf.GradientTape() as tape:
            g_loss = wgan_generator_loss(
                critic(generator(generator_z, training=True), training=True)
            )
        grads = tape.gradient(g_loss, generator.trainable_variables)
        g_optimizer.apply(grads, generator.trainable_variables)
        return last, g_loss

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
    eps = tf.random.uniform((ops.shape(real_images)[0], 1, 1, 1))
    mixed = fake_images + eps * (real_images - fake_images)
    with tf.GradientTape() as inner:
        inner.watch(mixed)
        scores = critic(mixed, training=True)
    grads = inner.gradient(scores, mixed)
    norms = ops.sqrt(ops.sum(ops.square(grads), axis=[1, 2, 3]) + 1e-12)
    return weight * ops.mean((norms - 1.0) ** 2)
