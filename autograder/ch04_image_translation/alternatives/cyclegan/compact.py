"""As compact as it stays readable: one helper builds every conv / instance-norm / ReLU row
(plain or transposed convolution, positional Conv2D arguments), loops over the table's rows; the
losses with tf.math.squared_difference; the objective with two one-line lambdas (run a network
in training mode, mean absolute difference); the pool swaps images with tuple assignment and
draws integer coins; the steps share one update helper."""

# %% part: resnet_generator
def _conv_norm(x, filters, kernel=3, strides=1, transposed=False, relu=True):
    conv = keras.layers.Conv2DTranspose if transposed else keras.layers.Conv2D
    x = instance_norm()(conv(filters, kernel, strides, "same", use_bias=False)(x))
    return keras.layers.ReLU()(x) if relu else x


def residual_block(x, filters):
    """x + F(x), F = Conv2D(filters, 3, same, no bias), instance norm, ReLU, Conv2D(filters, 3,
    same, no bias), instance norm; no activation after the sum. (B, H, W, filters) -> same."""
    return keras.layers.Add()([x, _conv_norm(_conv_norm(x, filters), filters, relu=False)])


def build_resnet_generator(filters=16, blocks=3, channels=1):
    """CycleGAN's generator for 32 x 32 images, as the table says: (B, 32, 32, channels) ->
    (B, 32, 32, channels) in [-1, 1], with `blocks` residual blocks at 8 x 8."""
    x = inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    for width, kernel, strides in ((1, 7, 1), (2, 3, 2), (4, 3, 2)):
        x = _conv_norm(x, width * filters, kernel, strides)
    for _ in range(blocks):
        x = residual_block(x, 4 * filters)
    for width in (2, 1):
        x = _conv_norm(x, width * filters, 3, 2, transposed=True)
    return keras.Model(inputs, keras.layers.Conv2D(channels, 7, padding="same", activation="tanh")(x))


# %% part: lsgan_losses
def _mean_squared(outputs, target):
    return tf.reduce_mean(tf.math.squared_difference(outputs, target))


def lsgan_discriminator_loss(real_outputs, fake_outputs):
    """0.5 * (mean (real_outputs - 1)^2 + mean fake_outputs^2); any shapes, such as (B, 8, 8, 1)."""
    return 0.5 * (_mean_squared(real_outputs, 1.0) + _mean_squared(fake_outputs, 0.0))


def lsgan_generator_loss(fake_outputs):
    """mean (fake_outputs - 1)^2: the generator wants its images scored as real."""
    return _mean_squared(fake_outputs, 1.0)


# %% part: cycle_objective
def generator_objective(
    g_ab, g_ba, d_a, d_b, real_a, real_b, cycle_weight=10.0, identity_weight=5.0
):
    """The generators' loss: adversarial (both ways) + cycle_weight * cycle (both ways) +
    identity_weight * identity (g_ab on B images, g_ba on A images). Every network in
    training mode. Returns (total, fake_a, fake_b), fake_a = g_ba(real_b), fake_b = g_ab(real_a)."""
    run = lambda network, x: network(x, training=True)  # noqa: E731
    l1 = lambda x, y: tf.reduce_mean(tf.abs(x - y))  # noqa: E731
    fake_a, fake_b = run(g_ba, real_b), run(g_ab, real_a)
    adversarial = lsgan_generator_loss(run(d_b, fake_b)) + lsgan_generator_loss(run(d_a, fake_a))
    cycle = l1(real_a, run(g_ba, fake_b)) + l1(real_b, run(g_ab, fake_a))
    identity = l1(real_b, run(g_ab, real_b)) + l1(real_a, run(g_ba, real_a))
    return adversarial + cycle_weight * cycle + identity_weight * identity, fake_a, fake_b


# %% part: image_pool
class ImagePool:
    """Up to `size` earlier generated images; query(images) returns, image by image, the new one
    (stored while the pool is not full) or, once full, with probability 1/2 a random stored one
    (the new one taking its place)."""

    def __init__(self, size=50):
        self.size, self.images, self.rng = size, [], np.random.default_rng()

    def query(self, images):
        """images (B, H, W, C) -> a NumPy array of the same shape."""
        out = np.array(images)
        for i, image in enumerate(out.copy()):
            if len(self.images) < self.size:
                self.images.append(image)
            elif self.size and self.rng.integers(2):
                j = self.rng.integers(self.size)
                out[i], self.images[j] = self.images[j], image
        return out


# %% part: cyclegan_steps
def make_cyclegan_steps(
    g_ab, g_ba, d_a, d_b, g_optimizer, d_optimizer, cycle_weight=10.0, identity_weight=5.0
):
    """Return (generator_step, discriminator_step), two tf.functions:
    generator_step(real_a, real_b) -> (total, fake_a, fake_b), updating both generators;
    discriminator_step(real_a, real_b, fake_a, fake_b) -> (loss_a, loss_b), updating both
    discriminators."""

    def update(tape, loss, networks, optimizer):
        variables = [v for network in networks for v in network.trainable_variables]
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))

    @tf.function
    def generator_step(real_a, real_b):
        with tf.GradientTape() as tape:
            total, fake_a, fake_b = generator_objective(
                g_ab, g_ba, d_a, d_b, real_a, real_b, cycle_weight, identity_weight
            )
        update(tape, total, (g_ab, g_ba), g_optimizer)
        return total, fake_a, fake_b

    @tf.function
    def discriminator_step(real_a, real_b, fake_a, fake_b):
        with tf.GradientTape() as tape:
            losses = tuple(
                lsgan_discriminator_loss(d(real, training=True), d(fake, training=True))
                for d, real, fake in ((d_a, real_a, fake_a), (d_b, real_b, fake_b))
            )
            loss = losses[0] + losses[1]
        update(tape, loss, (d_a, d_b), d_optimizer)
        return losses

    return generator_step, discriminator_step
