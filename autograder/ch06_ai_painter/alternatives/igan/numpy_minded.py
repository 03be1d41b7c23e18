"""Style: NumPy-minded, with explicit shapes and reshapes.

A student who thinks in arrays: each image is flattened to a row of H * W * C pixels with
keras.ops.reshape, every intermediate has its shape in a comment, dot products are written as
sum(a * b) over the last axis, the encoder's layers are made one by one and applied in order,
and the interpolation's codes are filled into a (steps, Z) NumPy array row by row before one
call of the generator.
"""

# %% part: constraint_losses
def masked_colour_loss(images, targets, masks):
    """images, targets, masks (B, H, W, C), masks of 0 and 1 -> a scalar: for each image,
    sum(mask * (image - target) ** 2) / max(sum(mask), 1), then the mean over the batch.
    Pixels where the mask is 0 never count; an image with an empty mask contributes 0."""
    images = keras.ops.cast(images, "float32")
    targets = keras.ops.cast(targets, "float32")
    masks = keras.ops.cast(masks, "float32")
    batch = keras.ops.shape(images)[0]
    flat_images = keras.ops.reshape(images, (batch, -1))  # (B, P), P = H * W * C
    flat_targets = keras.ops.reshape(targets, (batch, -1))  # (B, P)
    flat_masks = keras.ops.reshape(masks, (batch, -1))  # (B, P)
    difference = flat_images - flat_targets  # (B, P)
    masked_sum = keras.ops.sum(flat_masks * difference * difference, axis=1)  # (B,)
    count = keras.ops.sum(flat_masks, axis=1)  # (B,)
    per_image = masked_sum / keras.ops.maximum(count, 1.0)  # (B,)
    return keras.ops.mean(per_image)  # ()


def prior_loss(z):
    """z (B, Z) -> a scalar: the mean over the batch of 0.5 * sum(z ** 2) over the Z axis,
    the negative log-density of N(0, I) up to a constant."""
    z = keras.ops.cast(z, "float32")  # (B, Z)
    half_squared_length = 0.5 * keras.ops.sum(z * z, axis=1)  # (B,)
    return keras.ops.mean(half_squared_length)  # ()


# %% part: projection_step
def make_projection_step(generator, optimizer, prior_weight):
    """Return a tf.function step(z, targets, masks) -> loss, with z a tf.Variable (B, Z):
    loss = masked_colour_loss(generator(z, training=False), targets, masks)
    + prior_weight * prior_loss(z); the gradient of loss applied by optimizer to z alone.
    The loss returned is the one before the update."""
    weight = float(prior_weight)

    def one_step(z, targets, masks):
        # z: tf.Variable (B, Z); targets, masks: (B, 28, 28, 1)
        with tf.GradientTape() as tape:
            images = generator(z, training=False)  # (B, 28, 28, 1)
            colour = masked_colour_loss(images, targets, masks)  # ()
            prior = prior_loss(z)  # ()
            loss = colour + weight * prior  # ()
        gradient = tape.gradient(loss, z)  # (B, Z)
        optimizer.apply_gradients([(gradient, z)])
        return loss

    return tf.function(one_step)


# %% part: inverse_encoder
def build_inverse_encoder(z_dim=Z_DIM, filters=32):
    """images (B, 28, 28, 1) -> codes (B, z_dim): Conv2D(filters, 3, strides 2, same),
    LeakyReLU(0.2), Conv2D(2 * filters, 3, strides 2, same), LeakyReLU(0.2), Flatten,
    Dense(z_dim) with no activation."""
    images = keras.Input(shape=(28, 28, 1))  # (B, 28, 28, 1)
    first = keras.layers.Conv2D(filters, (3, 3), strides=(2, 2), padding="same")
    first_act = keras.layers.LeakyReLU(negative_slope=0.2)
    second = keras.layers.Conv2D(2 * filters, (3, 3), strides=(2, 2), padding="same")
    second_act = keras.layers.LeakyReLU(negative_slope=0.2)
    flatten = keras.layers.Flatten()
    to_code = keras.layers.Dense(z_dim)
    h = first_act(first(images))  # (B, 14, 14, filters)
    h = second_act(second(h))  # (B, 7, 7, 2 * filters)
    h = flatten(h)  # (B, 7 * 7 * 2 * filters)
    codes = to_code(h)  # (B, z_dim)
    return keras.Model(inputs=images, outputs=codes)


def make_encoder_step(encoder, generator, optimizer, batch_size):
    """Return a tf.function step() -> loss: z ~ N(0, I) of shape (batch_size, z_dim) drawn with
    keras.random.normal and a SeedGenerator made once here (z_dim = generator.input_shape[-1]),
    x = generator(z, training=False), loss = mean((encoder(x) - z) ** 2); the gradient applied
    by optimizer to encoder.trainable_variables only. The loss is the one before the update."""
    z_dim = int(generator.input_shape[-1])
    shape = (int(batch_size), z_dim)
    seeds = keras.random.SeedGenerator()  # made once: each call draws new codes

    @tf.function
    def step():
        z = keras.random.normal(shape, mean=0.0, stddev=1.0, seed=seeds)  # (N, Z)
        x = generator(z, training=False)  # (N, 28, 28, 1)
        with tf.GradientTape() as tape:
            predicted = encoder(x)  # (N, Z)
            error = predicted - z  # (N, Z)
            loss = keras.ops.mean(error * error)  # mean over N * Z numbers
        gradients = tape.gradient(loss, encoder.trainable_variables)
        optimizer.apply_gradients(list(zip(gradients, encoder.trainable_variables)))
        return loss

    return step


# %% part: projection
def project(generator, encoder, targets, masks, steps=100, rate=0.05, prior_weight=0.01):
    """Return (z, losses): z starts at encoder(targets) and is optimised by `steps` calls of
    make_projection_step(generator, keras.optimizers.Adam(rate), prior_weight); z comes back
    as a NumPy array (B, Z), losses as the list of the `steps` losses (Python floats)."""
    targets = np.asarray(targets, dtype=np.float32)  # (B, 28, 28, 1)
    masks = np.asarray(masks, dtype=np.float32)  # (B, 28, 28, 1)
    start = encoder(targets)  # (B, Z)
    z = tf.Variable(start)
    step = make_projection_step(generator, keras.optimizers.Adam(rate), prior_weight)
    losses = []
    for _ in range(int(steps)):
        loss = step(z, targets, masks)
        losses.append(float(np.asarray(loss)))
    return np.array(z.numpy()), losses


# %% part: manifold_interpolation
def slerp(z_a, z_b, t):
    """Spherical interpolation of each row of z_a, z_b (B, Z) at t in [0, 1]:
    with n_a = |z_a|, n_b = |z_b|, u_a = z_a / n_a, u_b = z_b / n_b and
    omega = arccos(clip(u_a . u_b, -1, 1)),
        slerp = ((1 - t) n_a + t n_b) * (sin((1 - t) omega) u_a + sin(t omega) u_b) / sin(omega);
    rows where sin(omega) < 1e-4 (codes nearly parallel or opposite) get (1 - t) z_a + t z_b."""
    # float64 throughout: float32 arccos near +-1 has a resolution of about 3e-4 rad, coarser
    # than the 1e-4 threshold, so opposite codes could miss the fallback.
    z_a = keras.ops.cast(z_a, "float64")  # (B, Z)
    z_b = keras.ops.cast(z_b, "float64")  # (B, Z)
    t = float(t)
    n_a = keras.ops.sqrt(keras.ops.sum(z_a * z_a, axis=1))  # (B,)
    n_b = keras.ops.sqrt(keras.ops.sum(z_b * z_b, axis=1))  # (B,)
    n_a_col = keras.ops.reshape(n_a, (-1, 1))  # (B, 1)
    n_b_col = keras.ops.reshape(n_b, (-1, 1))  # (B, 1)
    tiny = 1e-12
    u_a = z_a / keras.ops.maximum(n_a_col, tiny)  # (B, Z)
    u_b = z_b / keras.ops.maximum(n_b_col, tiny)  # (B, Z)
    dot = keras.ops.sum(u_a * u_b, axis=1)  # (B,)
    omega = keras.ops.arccos(keras.ops.clip(dot, -1.0, 1.0))  # (B,)
    sin_omega = keras.ops.sin(omega)  # (B,)
    fallback = sin_omega < 1e-4  # (B,)
    denominator = keras.ops.where(fallback, keras.ops.ones_like(sin_omega), sin_omega)  # (B,)
    coef_a = keras.ops.reshape(keras.ops.sin((1.0 - t) * omega) / denominator, (-1, 1))  # (B, 1)
    coef_b = keras.ops.reshape(keras.ops.sin(t * omega) / denominator, (-1, 1))  # (B, 1)
    length = (1.0 - t) * n_a_col + t * n_b_col  # (B, 1)
    on_sphere = length * (coef_a * u_a + coef_b * u_b)  # (B, Z)
    on_line = (1.0 - t) * z_a + t * z_b  # (B, Z)
    fallback_col = keras.ops.reshape(fallback, (-1, 1))  # (B, 1)
    return keras.ops.cast(keras.ops.where(fallback_col, on_line, on_sphere), "float32")  # (B, Z)


def interpolate_on_manifold(generator, z_a, z_b, steps):
    """z_a, z_b (Z,) -> images (steps, 28, 28, 1), a NumPy array: generator(codes,
    training=False) where row k of codes is slerp of the pair at t = linspace(0, 1, steps)[k]."""
    z_a = np.asarray(z_a, dtype=np.float32).reshape(1, -1)  # (1, Z)
    z_b = np.asarray(z_b, dtype=np.float32).reshape(1, -1)  # (1, Z)
    ts = np.linspace(0.0, 1.0, steps)  # (steps,)
    codes = np.zeros((steps, z_a.shape[1]), dtype=np.float32)  # (steps, Z)
    for k in range(steps):
        row = keras.ops.convert_to_numpy(slerp(z_a, z_b, ts[k]))  # (1, Z)
        codes[k] = row.reshape(-1)
    images = generator(codes, training=False)  # (steps, 28, 28, 1)
    return np.asarray(keras.ops.convert_to_numpy(images))
