"""PART: gradient_penalty
MISTAKE: Takes the norm over axes (1, 2) only, forgetting the channel axis: one norm per sample and channel, right only for single-channel images.
Built on correct set: correct/wgan/keras_ops_while_loop.py
"""

# %% part: wasserstein_losses
def critic_loss(real_scores, fake_scores):
    """WGAN critic loss: mean(fake_scores) - mean(real_scores), a scalar tensor."""
    ops = keras.ops
    return ops.mean(ops.convert_to_tensor(fake_scores, "float32")) - ops.mean(
        ops.convert_to_tensor(real_scores, "float32")
    )


def wgan_generator_loss(fake_scores):
    """WGAN generator loss: -mean(fake_scores), a scalar tensor."""
    return keras.ops.negative(keras.ops.mean(keras.ops.convert_to_tensor(fake_scores, "float32")))

# %% part: weight_clipping
def clip_critic_weights(critic, clip_value):
    """Clip the kernel of every layer of `critic` to [-clip_value, clip_value], in place.

    Biases, batch normalisation's parameters and its moving statistics are left alone.
    """
    # Keras 3 names each layer's weight matrix "kernel" (its path is "<layer>/kernel");
    # biases are "bias", batch normalisation's "gamma", "beta", "moving_mean", ...
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
    # The optimizers' own variables must exist before they are used inside a tf.while_loop.
    c_optimizer.build(critic.trainable_variables)
    g_optimizer.build(generator.trainable_variables)

    def critic_update(real, z):
        with tf.GradientTape() as tape:
            fake = generator(z, training=True)
            loss = critic_loss(critic(real, training=True), critic(fake, training=True))
            if gp_weight > 0:
                loss += gradient_penalty(critic, real, fake, weight=gp_weight)
        variables = critic.trainable_variables
        c_optimizer.apply(tape.gradient(loss, variables), variables)
        if clip_value is not None:
            clip_critic_weights(critic, clip_value)
        return loss

    def generator_update(z):
        with tf.GradientTape() as tape:
            loss = wgan_generator_loss(critic(generator(z, training=True), training=True))
        variables = generator.trainable_variables
        g_optimizer.apply(tape.gradient(loss, variables), variables)
        return loss

    @tf.function
    def step(real_batches, critic_z, generator_z):
        real_batches = tf.convert_to_tensor(real_batches, tf.float32)
        critic_z = tf.convert_to_tensor(critic_z, tf.float32)
        last_c_loss = tf.constant(0.0)
        for i in tf.range(n_critic):
            last_c_loss = critic_update(real_batches[i], critic_z[i])
        g_loss = generator_update(generator_z)
        return last_c_loss, g_loss

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
    rank = len(real_images.shape)
    eps_shape = tf.concat([tf.shape(real_images)[:1], tf.ones([rank - 1], tf.int32)], axis=0)
    eps = tf.random.uniform(eps_shape)  # one eps per sample: (B, 1, 1, 1) for images
    mixed = eps * real_images + (1.0 - eps) * fake_images
    with tf.GradientTape() as inner:
        inner.watch(mixed)
        scores = critic(mixed, training=True)
    grads = inner.gradient(scores, mixed)
    pixel_axes = [1, 2]  # height and width
    norms = ops.sqrt(ops.sum(ops.square(grads), axis=pixel_axes))  # (B,)
    return weight * ops.mean(ops.square(norms - 1.0))
