"""keras.ops losses; clipping recurses into nested models' layers; the step runs the critic
updates in a tf.range loop (AutoGraph while loop, optimiser built beforehand) and returns the
critic loss including the penalty; penalty via keras.ops with sqrt(sum + 1e-12) for a finite gradient.
"""


# %% part: wasserstein_losses
def critic_loss(real_scores, fake_scores):
    """WGAN critic loss: mean(fake_scores) - mean(real_scores), a scalar tensor."""
    return keras.ops.subtract(keras.ops.mean(fake_scores), keras.ops.mean(real_scores))


def wgan_generator_loss(fake_scores):
    """WGAN generator loss: -mean(fake_scores), a scalar tensor."""
    return keras.ops.negative(keras.ops.mean(fake_scores))


# %% part: weight_clipping
def _layers_with_kernels(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):  # a nested model: look at its own layers
            yield from _layers_with_kernels(layer)
        elif getattr(layer, "kernel", None) is not None:
            yield layer


def clip_critic_weights(critic, clip_value):
    """Clip the kernel of every layer of `critic` to [-clip_value, clip_value], in place.

    Biases, batch normalisation's parameters and its moving statistics are left alone.
    """
    for layer in _layers_with_kernels(critic):
        layer.kernel.assign(
            keras.ops.minimum(keras.ops.maximum(layer.kernel, -clip_value), clip_value)
        )


# %% part: wgan_train_step
def make_wgan_train_step(
    generator, critic, g_optimizer, c_optimizer, n_critic=5, clip_value=None, gp_weight=0.0
):
    """Return a tf.function step(real_batches, critic_z, generator_z) -> (critic loss, g loss).

    n_critic critic updates (critic_loss, plus gradient_penalty(..., gp_weight) when gp_weight
    > 0; the critic's kernels clipped to clip_value after each update unless it is None), then
    one generator update on wgan_generator_loss. Each update changes only its own network.
    """
    # The optimisers' slots must exist before the graph loop (no variables in a while body).
    if not c_optimizer.built:
        c_optimizer.build(critic.trainable_variables)
    if not g_optimizer.built:
        g_optimizer.build(generator.trainable_variables)

    @tf.function
    def step(real_batches, critic_z, generator_z):
        c_loss = tf.constant(0.0)
        for i in tf.range(n_critic):
            real = tf.gather(real_batches, i)
            with tf.GradientTape() as tape:
                fake = generator(tf.gather(critic_z, i), training=True)
                c_loss = critic_loss(critic(real, training=True), critic(fake, training=True))
                if gp_weight > 0:
                    c_loss = c_loss + gradient_penalty(critic, real, fake, gp_weight)
            c_vars = critic.trainable_variables
            c_optimizer.apply_gradients(zip(tape.gradient(c_loss, c_vars), c_vars))
            if clip_value is not None:
                clip_critic_weights(critic, clip_value)
        with tf.GradientTape() as tape:
            g_loss = wgan_generator_loss(
                critic(generator(generator_z, training=True), training=True)
            )
        g_vars = generator.trainable_variables
        g_optimizer.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars))
        return c_loss, g_loss

    return step


# %% part: gradient_penalty
def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    """WGAN-GP penalty: weight * mean_i (||grad f(x_i)||_2 - 1)^2 at random interpolates.

    x_i = eps_i * real_i + (1 - eps_i) * fake_i with one eps_i ~ U(0, 1) per sample, shape
    (B, 1, 1, 1); the norm is taken per sample over all pixel axes. Returns a scalar tensor.
    """
    ops = keras.ops
    real = ops.convert_to_tensor(real_images, dtype="float32")
    fake = ops.convert_to_tensor(fake_images, dtype="float32")
    eps = tf.random.uniform((ops.shape(real)[0], 1, 1, 1), dtype=tf.float32)
    mixed = ops.add(ops.multiply(eps, real), ops.multiply(1.0 - eps, fake))
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        score_sum = ops.sum(critic(mixed, training=True))
    gradient = tape.gradient(score_sum, mixed)
    norm = ops.sqrt(ops.sum(ops.square(gradient), axis=(1, 2, 3)) + 1e-12)
    return weight * ops.mean(ops.square(norm - 1.0))
