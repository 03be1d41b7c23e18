"""Style: keras.ops for the losses and the penalty's norm (flattened per sample); clipping
picks the critic's variables named `kernel` (which also reaches layers of nested models); the
training step runs the critic updates in an explicit tf.while_loop (traced once), with
the optimizers built before tracing so no variable is created inside the loop."""

# %% part: wasserstein_losses
def critic_loss(real_scores, fake_scores):
    """WGAN critic loss: mean(fake_scores) - mean(real_scores), a scalar tensor."""
    return keras.ops.mean(keras.ops.convert_to_tensor(fake_scores, "float32")) - keras.ops.mean(
        keras.ops.convert_to_tensor(real_scores, "float32")
    )


def wgan_generator_loss(fake_scores):
    """WGAN generator loss: -mean(fake_scores), a scalar tensor."""
    return keras.ops.negative(keras.ops.mean(keras.ops.convert_to_tensor(fake_scores, "float32")))

# %% part: weight_clipping
def clip_critic_weights(critic, clip_value):
    """Clip the kernel of every layer of `critic` to [-clip_value, clip_value], in place.

    Biases, batch normalisation's parameters and its moving statistics are left alone.
    """
    c = float(clip_value)
    for variable in critic.weights:
        if variable.path.split("/")[-1] == "kernel":
            variable.assign(keras.ops.clip(variable, -c, c))

# %% part: wgan_train_step
def make_wgan_train_step(
    generator, critic, g_optimizer, c_optimizer, n_critic=5, clip_value=None, gp_weight=0.0
):
    """Return a tf.function step(real_batches, critic_z, generator_z) -> (critic loss, g loss).

    n_critic critic updates (critic_loss, plus gradient_penalty(..., gp_weight) when gp_weight
    > 0; the critic's kernels clipped to clip_value after each update unless it is None), then
    one generator update on wgan_generator_loss. Each update changes only its own network.
    """
    # Build the optimizers' slots now: variables may not be created inside a while loop.
    c_optimizer.build(critic.trainable_variables)
    g_optimizer.build(generator.trainable_variables)

    def critic_update(real, z):
        with tf.GradientTape() as tape:
            fake = generator(z, training=True)
            loss = critic_loss(critic(real, training=True), critic(fake, training=True))
            if gp_weight > 0:
                loss += gradient_penalty(critic, real, fake, gp_weight)
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

    @tf.function
    def step(real_batches, critic_z, generator_z):
        real_batches = tf.convert_to_tensor(real_batches, tf.float32)
        critic_z = tf.convert_to_tensor(critic_z, tf.float32)

        def body(i, _last):
            return i + 1, critic_update(real_batches[i], critic_z[i])

        _, last = tf.while_loop(
            lambda i, _last: i < n_critic, body, (tf.constant(0), tf.constant(0.0))
        )
        return last, generator_update(generator_z)

    return step

# %% part: gradient_penalty
def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    """WGAN-GP penalty: weight * mean_i (||grad f(x_i)||_2 - 1)^2 at random interpolates.

    x_i = eps_i * real_i + (1 - eps_i) * fake_i with one eps_i ~ U(0, 1) per sample, shape
    (B, 1, 1, 1); the norm is taken per sample over all pixel axes. Returns a scalar tensor.
    """
    real = keras.ops.convert_to_tensor(real_images, "float32")
    fake = keras.ops.convert_to_tensor(fake_images, "float32")
    eps = tf.random.uniform((keras.ops.shape(real)[0], 1, 1, 1))  # one eps per sample
    between = fake + eps * (real - fake)
    with tf.GradientTape() as tape:
        tape.watch(between)
        scores = critic(between, training=True)
    grads = tape.gradient(scores, between)
    flat = keras.ops.reshape(grads, (keras.ops.shape(grads)[0], -1))
    norms = keras.ops.norm(flat, axis=1)
    return weight * keras.ops.mean((norms - 1.0) ** 2)
