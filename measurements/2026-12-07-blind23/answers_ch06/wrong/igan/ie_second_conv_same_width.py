"""PART: inverse_encoder
MISTAKE: Gives the second convolution `filters` filters instead of 2 * filters.

The plain set (keras.ops losses and slerp, tf.function steps with a GradientTape, a
functional keras.Model for the encoder) with the one mistake above."""

# %% part: constraint_losses
def masked_colour_loss(images, targets, masks):
    """images, targets, masks (B, H, W, C), masks of 0 and 1 -> a scalar: for each image,
    sum(mask * (image - target) ** 2) / max(sum(mask), 1), then the mean over the batch.
    Pixels where the mask is 0 never count; an image with an empty mask contributes 0."""
    images = keras.ops.convert_to_tensor(images, dtype="float32")
    targets = keras.ops.convert_to_tensor(targets, dtype="float32")
    masks = keras.ops.convert_to_tensor(masks, dtype="float32")
    squared = masks * keras.ops.square(images - targets)
    per_image = keras.ops.sum(squared, axis=(1, 2, 3))
    drawn = keras.ops.sum(masks, axis=(1, 2, 3))
    return keras.ops.mean(per_image / keras.ops.maximum(drawn, 1.0))


def prior_loss(z):
    """z (B, Z) -> a scalar: the mean over the batch of 0.5 * sum(z ** 2) over the Z axis,
    the negative log-density of N(0, I) up to a constant."""
    z = keras.ops.convert_to_tensor(z, dtype="float32")
    return keras.ops.mean(0.5 * keras.ops.sum(keras.ops.square(z), axis=-1))


# %% part: projection_step
def make_projection_step(generator, optimizer, prior_weight):
    """Return a tf.function step(z, targets, masks) -> loss, with z a tf.Variable (B, Z):
    loss = masked_colour_loss(generator(z, training=False), targets, masks)
    + prior_weight * prior_loss(z); the gradient of loss applied by optimizer to z alone.
    The loss returned is the one before the update."""

    @tf.function
    def step(z, targets, masks):
        with tf.GradientTape() as tape:
            made = generator(z, training=False)
            loss = masked_colour_loss(made, targets, masks) + prior_weight * prior_loss(z)
        gradient = tape.gradient(loss, z)
        optimizer.apply_gradients([(gradient, z)])
        return loss

    return step


# %% part: inverse_encoder
def build_inverse_encoder(z_dim=Z_DIM, filters=32):
    """images (B, 28, 28, 1) -> codes (B, z_dim): Conv2D(filters, 3, strides 2, same),
    LeakyReLU(0.2), Conv2D(2 * filters, 3, strides 2, same), LeakyReLU(0.2), Flatten,
    Dense(z_dim) with no activation."""
    images = keras.Input((28, 28, 1))
    h = keras.layers.Conv2D(filters, 3, strides=2, padding="same")(images)
    h = keras.layers.LeakyReLU(negative_slope=0.2)(h)
    h = keras.layers.Conv2D(filters, 3, strides=2, padding="same")(h)
    h = keras.layers.LeakyReLU(negative_slope=0.2)(h)
    h = keras.layers.Flatten()(h)
    codes = keras.layers.Dense(z_dim)(h)
    return keras.Model(images, codes, name="inverse_encoder")


def make_encoder_step(encoder, generator, optimizer, batch_size):
    """Return a tf.function step() -> loss: z ~ N(0, I) of shape (batch_size, z_dim) drawn with
    keras.random.normal and a SeedGenerator made once here (z_dim = generator.input_shape[-1]),
    x = generator(z, training=False), loss = mean((encoder(x) - z) ** 2); the gradient applied
    by optimizer to encoder.trainable_variables only. The loss is the one before the update."""
    z_dim = generator.input_shape[-1]
    seeds = keras.random.SeedGenerator()

    @tf.function
    def step():
        z = keras.random.normal((batch_size, z_dim), seed=seeds)
        x = generator(z, training=False)
        with tf.GradientTape() as tape:
            guess = encoder(x, training=True)
            loss = keras.ops.mean(keras.ops.square(guess - z))
        gradients = tape.gradient(loss, encoder.trainable_variables)
        optimizer.apply_gradients(zip(gradients, encoder.trainable_variables))
        return loss

    return step


# %% part: projection
def project(generator, encoder, targets, masks, steps=100, rate=0.05, prior_weight=0.01):
    """Return (z, losses): z starts at encoder(targets) and is optimised by `steps` calls of
    make_projection_step(generator, keras.optimizers.Adam(rate), prior_weight); z comes back
    as a NumPy array (B, Z), losses as the list of the `steps` losses (Python floats)."""
    targets = tf.convert_to_tensor(targets, dtype=tf.float32)
    masks = tf.convert_to_tensor(masks, dtype=tf.float32)
    z = tf.Variable(encoder(targets))
    step = make_projection_step(generator, keras.optimizers.Adam(rate), prior_weight)
    losses = []
    for _ in range(steps):
        losses.append(float(step(z, targets, masks)))
    return z.numpy(), losses


# %% part: manifold_interpolation
def slerp(z_a, z_b, t):
    """Spherical interpolation of each row of z_a, z_b (B, Z) at t in [0, 1]:
    with n_a = |z_a|, n_b = |z_b|, u_a = z_a / n_a, u_b = z_b / n_b and
    omega = arccos(clip(u_a . u_b, -1, 1)),
        slerp = ((1 - t) n_a + t n_b) * (sin((1 - t) omega) u_a + sin(t omega) u_b) / sin(omega);
    rows where sin(omega) < 1e-4 (codes nearly parallel or opposite) get (1 - t) z_a + t z_b."""
    z_a = keras.ops.convert_to_tensor(z_a, dtype="float32")
    z_b = keras.ops.convert_to_tensor(z_b, dtype="float32")
    t = float(t)
    n_a = keras.ops.norm(z_a, axis=-1, keepdims=True)
    n_b = keras.ops.norm(z_b, axis=-1, keepdims=True)
    u_a = z_a / keras.ops.maximum(n_a, 1e-12)
    u_b = z_b / keras.ops.maximum(n_b, 1e-12)
    cosine = keras.ops.clip(keras.ops.sum(u_a * u_b, axis=-1, keepdims=True), -1.0, 1.0)
    omega = keras.ops.arccos(cosine)
    sin_omega = keras.ops.sin(omega)
    flat = sin_omega < 1e-4
    safe_sin = keras.ops.where(flat, keras.ops.ones_like(sin_omega), sin_omega)
    direction = (keras.ops.sin((1.0 - t) * omega) * u_a + keras.ops.sin(t * omega) * u_b) / safe_sin
    curved = ((1.0 - t) * n_a + t * n_b) * direction
    straight = (1.0 - t) * z_a + t * z_b
    return keras.ops.where(flat, straight, curved)


def interpolate_on_manifold(generator, z_a, z_b, steps):
    """z_a, z_b (Z,) -> images (steps, 28, 28, 1), a NumPy array: generator(codes,
    training=False) where row k of codes is slerp of the pair at t = linspace(0, 1, steps)[k]."""
    z_a = np.asarray(z_a, np.float32)[None]
    z_b = np.asarray(z_b, np.float32)[None]
    codes = keras.ops.concatenate(
        [slerp(z_a, z_b, t) for t in np.linspace(0.0, 1.0, steps)], axis=0
    )
    return keras.ops.convert_to_numpy(generator(codes, training=False))
