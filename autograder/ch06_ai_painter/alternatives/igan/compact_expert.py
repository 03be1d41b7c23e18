"""Style: compact expert, with library helpers where the task allows them.

A student who knows the libraries well and writes little: the per-image sums as one reduction
over every axis but the batch, keras.ops.einsum for row-wise dot products, keras.ops.norm,
keras.losses.mean_squared_error for the encoder's loss, the encoder's layers from a loop over a
small table of widths, and slerp evaluated for every t at once (t as a column) in
interpolate_on_manifold.
"""

# %% part: constraint_losses
def masked_colour_loss(images, targets, masks):
    """images, targets, masks (B, H, W, C), masks of 0 and 1 -> a scalar: for each image,
    sum(mask * (image - target) ** 2) / max(sum(mask), 1), then the mean over the batch.
    Pixels where the mask is 0 never count; an image with an empty mask contributes 0."""
    images, targets, masks = (keras.ops.cast(a, "float32") for a in (images, targets, masks))
    axes = tuple(range(1, len(images.shape)))  # every axis but the batch
    errors = keras.ops.sum(masks * (images - targets) ** 2, axis=axes)
    return keras.ops.mean(errors / keras.ops.maximum(keras.ops.sum(masks, axis=axes), 1.0))


def prior_loss(z):
    """z (B, Z) -> a scalar: the mean over the batch of 0.5 * sum(z ** 2) over the Z axis,
    the negative log-density of N(0, I) up to a constant."""
    return 0.5 * keras.ops.mean(keras.ops.sum(keras.ops.cast(z, "float32") ** 2, axis=-1))


# %% part: projection_step
def make_projection_step(generator, optimizer, prior_weight):
    """Return a tf.function step(z, targets, masks) -> loss, with z a tf.Variable (B, Z):
    loss = masked_colour_loss(generator(z, training=False), targets, masks)
    + prior_weight * prior_loss(z); the gradient of loss applied by optimizer to z alone.
    The loss returned is the one before the update."""

    @tf.function
    def step(z, targets, masks):
        with tf.GradientTape() as tape:
            loss = masked_colour_loss(generator(z, training=False), targets, masks)
            loss += prior_weight * prior_loss(z)
        optimizer.apply_gradients([(tape.gradient(loss, z), z)])
        return loss

    return step


# %% part: inverse_encoder
def build_inverse_encoder(z_dim=Z_DIM, filters=32):
    """images (B, 28, 28, 1) -> codes (B, z_dim): Conv2D(filters, 3, strides 2, same),
    LeakyReLU(0.2), Conv2D(2 * filters, 3, strides 2, same), LeakyReLU(0.2), Flatten,
    Dense(z_dim) with no activation."""
    layers = [keras.Input((28, 28, 1))]
    for width in (filters, 2 * filters):  # 28 -> 14 -> 7
        layers += [
            keras.layers.Conv2D(width, 3, strides=2, padding="same"),
            keras.layers.LeakyReLU(negative_slope=0.2),
        ]
    layers += [keras.layers.Flatten(), keras.layers.Dense(z_dim)]
    return keras.Sequential(layers, name="inverse_encoder")


def make_encoder_step(encoder, generator, optimizer, batch_size):
    """Return a tf.function step() -> loss: z ~ N(0, I) of shape (batch_size, z_dim) drawn with
    keras.random.normal and a SeedGenerator made once here (z_dim = generator.input_shape[-1]),
    x = generator(z, training=False), loss = mean((encoder(x) - z) ** 2); the gradient applied
    by optimizer to encoder.trainable_variables only. The loss is the one before the update."""
    seeds, shape = keras.random.SeedGenerator(), (batch_size, generator.input_shape[-1])

    @tf.function
    def step():
        z = keras.random.normal(shape, seed=seeds)
        x = generator(z, training=False)
        with tf.GradientTape() as tape:
            # mean over Z per code, then over the batch: the mean of all B * Z squares
            loss = keras.ops.mean(keras.losses.mean_squared_error(z, encoder(x, training=True)))
        weights = encoder.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
        return loss

    return step


# %% part: projection
def project(generator, encoder, targets, masks, steps=100, rate=0.05, prior_weight=0.01):
    """Return (z, losses): z starts at encoder(targets) and is optimised by `steps` calls of
    make_projection_step(generator, keras.optimizers.Adam(rate), prior_weight); z comes back
    as a NumPy array (B, Z), losses as the list of the `steps` losses (Python floats)."""
    targets, masks = (tf.constant(a, tf.float32) for a in (targets, masks))
    z = tf.Variable(encoder(targets))
    step = make_projection_step(generator, keras.optimizers.Adam(rate), prior_weight)
    losses = [float(step(z, targets, masks)) for _ in range(steps)]
    return z.numpy(), losses


# %% part: manifold_interpolation
def slerp(z_a, z_b, t):
    """Spherical interpolation of each row of z_a, z_b (B, Z) at t in [0, 1]:
    with n_a = |z_a|, n_b = |z_b|, u_a = z_a / n_a, u_b = z_b / n_b and
    omega = arccos(clip(u_a . u_b, -1, 1)),
        slerp = ((1 - t) n_a + t n_b) * (sin((1 - t) omega) u_a + sin(t omega) u_b) / sin(omega);
    rows where sin(omega) < 1e-4 (codes nearly parallel or opposite) get (1 - t) z_a + t z_b."""
    ops = keras.ops
    z_a, z_b, t = (ops.cast(v, "float64") for v in (z_a, z_b, t))  # float32 arccos is too coarse
    n_a, n_b = (ops.norm(z, axis=-1, keepdims=True) for z in (z_a, z_b))
    u_a, u_b = z_a / ops.maximum(n_a, 1e-12), z_b / ops.maximum(n_b, 1e-12)
    omega = ops.arccos(ops.clip(ops.einsum("bz,bz->b", u_a, u_b), -1.0, 1.0))[:, None]
    sin_omega = ops.sin(omega)
    flat = sin_omega < 1e-4
    arc = ops.sin((1 - t) * omega) * u_a + ops.sin(t * omega) * u_b
    arc /= ops.where(flat, 1.0, sin_omega)
    out = ops.where(flat, (1 - t) * z_a + t * z_b, ((1 - t) * n_a + t * n_b) * arc)
    return ops.cast(out, "float32")


def interpolate_on_manifold(generator, z_a, z_b, steps):
    """z_a, z_b (Z,) -> images (steps, 28, 28, 1), a NumPy array: generator(codes,
    training=False) where row k of codes is slerp of the pair at t = linspace(0, 1, steps)[k]."""
    pairs = [np.broadcast_to(np.asarray(z, np.float32), (steps, np.size(z))) for z in (z_a, z_b)]
    codes = slerp(*pairs, np.linspace(0, 1, steps, dtype=np.float32)[:, None])
    return keras.ops.convert_to_numpy(generator(codes, training=False))
