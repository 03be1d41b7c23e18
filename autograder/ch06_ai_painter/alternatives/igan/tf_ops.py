"""Style: TensorFlow ops throughout (tf.reduce_*, tf.norm, tf.math, tf.where, tf.cast).

A student used to TensorFlow 2 before Keras 3: tensors converted with tf.convert_to_tensor,
reductions with tf.reduce_sum / tf.reduce_mean, lengths with tf.norm, angles with tf.math.acos,
the fallback with tf.where, an encoder built as a keras.Sequential, and the interpolation as a
Python loop over t that stacks the codes with tf.concat.
"""

# %% part: constraint_losses
def masked_colour_loss(images, targets, masks):
    """images, targets, masks (B, H, W, C), masks of 0 and 1 -> a scalar: for each image,
    sum(mask * (image - target) ** 2) / max(sum(mask), 1), then the mean over the batch.
    Pixels where the mask is 0 never count; an image with an empty mask contributes 0."""
    images = tf.cast(tf.convert_to_tensor(images), tf.float32)
    targets = tf.cast(tf.convert_to_tensor(targets), tf.float32)
    masks = tf.cast(tf.convert_to_tensor(masks), tf.float32)
    squared = masks * tf.math.squared_difference(images, targets)
    numerator = tf.reduce_sum(squared, axis=[1, 2, 3])
    denominator = tf.math.maximum(tf.reduce_sum(masks, axis=[1, 2, 3]), 1.0)
    return tf.reduce_mean(numerator / denominator)


def prior_loss(z):
    """z (B, Z) -> a scalar: the mean over the batch of 0.5 * sum(z ** 2) over the Z axis,
    the negative log-density of N(0, I) up to a constant."""
    z = tf.cast(tf.convert_to_tensor(z), tf.float32)
    return tf.reduce_mean(0.5 * tf.reduce_sum(tf.square(z), axis=1))


# %% part: projection_step
def make_projection_step(generator, optimizer, prior_weight):
    """Return a tf.function step(z, targets, masks) -> loss, with z a tf.Variable (B, Z):
    loss = masked_colour_loss(generator(z, training=False), targets, masks)
    + prior_weight * prior_loss(z); the gradient of loss applied by optimizer to z alone.
    The loss returned is the one before the update."""

    @tf.function
    def step(z, targets, masks):
        with tf.GradientTape() as tape:
            colour = masked_colour_loss(generator(z, training=False), targets, masks)
            loss = colour + prior_weight * prior_loss(z)
        (gradient,) = tape.gradient(loss, [z])
        optimizer.apply_gradients([(gradient, z)])
        return loss

    return step


# %% part: inverse_encoder
def build_inverse_encoder(z_dim=Z_DIM, filters=32):
    """images (B, 28, 28, 1) -> codes (B, z_dim): Conv2D(filters, 3, strides 2, same),
    LeakyReLU(0.2), Conv2D(2 * filters, 3, strides 2, same), LeakyReLU(0.2), Flatten,
    Dense(z_dim) with no activation."""
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(filters, 3, strides=2, padding="same"),
            keras.layers.LeakyReLU(negative_slope=0.2),
            keras.layers.Conv2D(2 * filters, 3, strides=2, padding="same"),
            keras.layers.LeakyReLU(negative_slope=0.2),
            keras.layers.Flatten(),
            keras.layers.Dense(z_dim, activation=None),
        ],
        name="inverse_encoder",
    )


def make_encoder_step(encoder, generator, optimizer, batch_size):
    """Return a tf.function step() -> loss: z ~ N(0, I) of shape (batch_size, z_dim) drawn with
    keras.random.normal and a SeedGenerator made once here (z_dim = generator.input_shape[-1]),
    x = generator(z, training=False), loss = mean((encoder(x) - z) ** 2); the gradient applied
    by optimizer to encoder.trainable_variables only. The loss is the one before the update."""
    z_dim = generator.input_shape[-1]
    seeds = keras.random.SeedGenerator(seed=1234)

    @tf.function
    def step():
        z = keras.random.normal((batch_size, z_dim), seed=seeds)
        x = tf.stop_gradient(generator(z, training=False))
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(encoder(x, training=True) - z))
        variables = encoder.trainable_variables
        gradients = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(gradients, variables))
        return loss

    return step


# %% part: projection
def project(generator, encoder, targets, masks, steps=100, rate=0.05, prior_weight=0.01):
    """Return (z, losses): z starts at encoder(targets) and is optimised by `steps` calls of
    make_projection_step(generator, keras.optimizers.Adam(rate), prior_weight); z comes back
    as a NumPy array (B, Z), losses as the list of the `steps` losses (Python floats)."""
    targets = tf.convert_to_tensor(targets, dtype=tf.float32)
    masks = tf.convert_to_tensor(masks, dtype=tf.float32)
    z = tf.Variable(encoder(targets), trainable=True, dtype=tf.float32)
    optimizer = keras.optimizers.Adam(learning_rate=rate)
    step = make_projection_step(generator, optimizer, prior_weight)
    losses = [float(step(z, targets, masks).numpy()) for _ in range(steps)]
    return z.numpy(), losses


# %% part: manifold_interpolation
def slerp(z_a, z_b, t):
    """Spherical interpolation of each row of z_a, z_b (B, Z) at t in [0, 1]:
    with n_a = |z_a|, n_b = |z_b|, u_a = z_a / n_a, u_b = z_b / n_b and
    omega = arccos(clip(u_a . u_b, -1, 1)),
        slerp = ((1 - t) n_a + t n_b) * (sin((1 - t) omega) u_a + sin(t omega) u_b) / sin(omega);
    rows where sin(omega) < 1e-4 (codes nearly parallel or opposite) get (1 - t) z_a + t z_b."""
    # In double precision: tf.math.acos in float32 cannot tell angles below about 3e-4 from
    # 0 (or pi), so exactly opposite codes could miss the sin(omega) < 1e-4 fallback.
    z_a = tf.cast(tf.convert_to_tensor(z_a), tf.float64)
    z_b = tf.cast(tf.convert_to_tensor(z_b), tf.float64)
    t = tf.cast(t, tf.float64)
    n_a = tf.norm(z_a, axis=1, keepdims=True)  # (B, 1)
    n_b = tf.norm(z_b, axis=1, keepdims=True)
    u_a = tf.math.divide_no_nan(z_a, n_a)  # a zero code gives a zero direction, not NaN
    u_b = tf.math.divide_no_nan(z_b, n_b)
    cosine = tf.clip_by_value(tf.reduce_sum(u_a * u_b, axis=1, keepdims=True), -1.0, 1.0)
    omega = tf.math.acos(cosine)
    sin_omega = tf.math.sin(omega)
    weights_a = tf.math.divide_no_nan(tf.math.sin((1.0 - t) * omega), sin_omega)
    weights_b = tf.math.divide_no_nan(tf.math.sin(t * omega), sin_omega)
    spherical = ((1.0 - t) * n_a + t * n_b) * (weights_a * u_a + weights_b * u_b)
    linear = (1.0 - t) * z_a + t * z_b
    nearly_parallel = sin_omega < 1e-4  # (B, 1), broadcast over the code
    return tf.cast(tf.where(nearly_parallel, linear, spherical), tf.float32)


def interpolate_on_manifold(generator, z_a, z_b, steps):
    """z_a, z_b (Z,) -> images (steps, 28, 28, 1), a NumPy array: generator(codes,
    training=False) where row k of codes is slerp of the pair at t = linspace(0, 1, steps)[k]."""
    z_a = tf.reshape(tf.cast(z_a, tf.float32), (1, -1))
    z_b = tf.reshape(tf.cast(z_b, tf.float32), (1, -1))
    codes = tf.concat([slerp(z_a, z_b, t) for t in np.linspace(0.0, 1.0, steps)], axis=0)
    return generator(codes, training=False).numpy()
