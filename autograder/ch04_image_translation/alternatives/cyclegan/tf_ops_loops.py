"""Table-driven: the generator's layers are created in loops over a table of settings (layer
type, width as a multiple of `filters`, kernel, stride) and the residual block's two convolutions
in a loop too; the losses with Keras loss objects (keras.losses.MeanSquaredError against
targets of ones or zeros, keras.losses.MeanAbsoluteError for the L1 terms), whose default
'sum_over_batch_size' reduction of the per-pixel mean over the last axis is the mean over every
element (the scores are flattened first, so that any shape works); the objective loops over the
two directions; the pool keeps a list and draws coins and slots with Generator.choice; the steps
use optimizer.apply(gradients, variables)."""

# %% part: resnet_generator
def residual_block(x, filters):
    """x + F(x), F = Conv2D(filters, 3, same, no bias), instance norm, ReLU, Conv2D(filters, 3,
    same, no bias), instance norm; no activation after the sum. (B, H, W, filters) -> same."""
    y = x
    for relu_after in (True, False):
        y = keras.layers.Conv2D(filters, (3, 3), padding="same", use_bias=False)(y)
        y = instance_norm()(y)
        if relu_after:
            y = keras.layers.Activation("relu")(y)
    return keras.layers.add([x, y])


# (layer, width in units of `filters`, kernel, stride) of the rows around the residual blocks
DOWNSAMPLING = (
    (keras.layers.Conv2D, 1, 7, 1),
    (keras.layers.Conv2D, 2, 3, 2),
    (keras.layers.Conv2D, 4, 3, 2),
)
UPSAMPLING = (
    (keras.layers.Conv2DTranspose, 2, 3, 2),
    (keras.layers.Conv2DTranspose, 1, 3, 2),
)


def build_resnet_generator(filters=16, blocks=3, channels=1):
    """CycleGAN's generator for 32 x 32 images, as the table says: (B, 32, 32, channels) ->
    (B, 32, 32, channels) in [-1, 1], with `blocks` residual blocks at 8 x 8."""
    inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    x = inputs
    for layer, width, kernel, stride in DOWNSAMPLING:
        x = layer(width * filters, kernel, strides=stride, padding="same", use_bias=False)(x)
        x = keras.layers.Activation("relu")(instance_norm()(x))
    for _ in range(blocks):
        x = residual_block(x, 4 * filters)
    for layer, width, kernel, stride in UPSAMPLING:
        x = layer(width * filters, kernel, strides=stride, padding="same", use_bias=False)(x)
        x = keras.layers.Activation("relu")(instance_norm()(x))
    x = keras.layers.Conv2D(channels, 7, padding="same")(x)
    outputs = keras.layers.Activation("tanh")(x)
    return keras.Model(inputs, outputs)


# %% part: lsgan_losses
def _flat(outputs):
    return tf.reshape(tf.cast(outputs, tf.float32), [-1])


def lsgan_discriminator_loss(real_outputs, fake_outputs):
    """0.5 * (mean (real_outputs - 1)^2 + mean fake_outputs^2); any shapes, such as (B, 8, 8, 1)."""
    mse = keras.losses.MeanSquaredError()
    real, fake = _flat(real_outputs), _flat(fake_outputs)
    return 0.5 * (mse(tf.ones_like(real), real) + mse(tf.zeros_like(fake), fake))


def lsgan_generator_loss(fake_outputs):
    """mean (fake_outputs - 1)^2: the generator wants its images scored as real."""
    fake = _flat(fake_outputs)
    return keras.losses.MeanSquaredError()(tf.ones_like(fake), fake)


# %% part: cycle_objective
def generator_objective(
    g_ab, g_ba, d_a, d_b, real_a, real_b, cycle_weight=10.0, identity_weight=5.0
):
    """The generators' loss: adversarial (both ways) + cycle_weight * cycle (both ways) +
    identity_weight * identity (g_ab on B images, g_ba on A images). Every network in
    training mode. Returns (total, fake_a, fake_b), fake_a = g_ba(real_b), fake_b = g_ab(real_a)."""
    l1 = keras.losses.MeanAbsoluteError()
    # (translator, the way back, the judge of its output, its source images, its target domain's)
    directions = (
        (g_ab, g_ba, d_b, real_a, real_b),
        (g_ba, g_ab, d_a, real_b, real_a),
    )
    adversarial = cycle = identity = 0.0
    fakes = []
    for forward, backward, judge, source, target in directions:
        fake = forward(source, training=True)
        fakes.append(fake)
        adversarial += lsgan_generator_loss(judge(fake, training=True))
        cycle += l1(source, backward(fake, training=True))
        identity += l1(target, forward(target, training=True))
    fake_b, fake_a = fakes
    total = adversarial + cycle_weight * cycle + identity_weight * identity
    return total, fake_a, fake_b


# %% part: image_pool
class ImagePool:
    """Up to `size` earlier generated images; query(images) returns, image by image, the new one
    (stored while the pool is not full) or, once full, with probability 1/2 a random stored one
    (the new one taking its place)."""

    def __init__(self, size=50):
        self.size = size
        self.stored = []
        self.rng = np.random.default_rng()

    def query(self, images):
        """images (B, H, W, C) -> a NumPy array of the same shape."""
        images = np.array(images)  # a copy, whether it was given an array or a tensor
        returned = np.array(images)
        for i in range(len(images)):
            if len(self.stored) < self.size:
                self.stored.append(images[i])
            elif self.size > 0 and self.rng.choice([True, False]):
                slot = self.rng.choice(len(self.stored))
                returned[i] = self.stored[slot]
                self.stored[slot] = images[i]
        return returned


# %% part: cyclegan_steps
def make_cyclegan_steps(
    g_ab, g_ba, d_a, d_b, g_optimizer, d_optimizer, cycle_weight=10.0, identity_weight=5.0
):
    """Return (generator_step, discriminator_step), two tf.functions:
    generator_step(real_a, real_b) -> (total, fake_a, fake_b), updating both generators;
    discriminator_step(real_a, real_b, fake_a, fake_b) -> (loss_a, loss_b), updating both
    discriminators."""
    generators = (g_ab, g_ba)
    discriminators = (d_a, d_b)

    @tf.function
    def generator_step(real_a, real_b):
        variables = [v for g in generators for v in g.trainable_variables]
        with tf.GradientTape() as tape:
            total, fake_a, fake_b = generator_objective(
                g_ab, g_ba, d_a, d_b, real_a, real_b, cycle_weight, identity_weight
            )
        g_optimizer.apply(tape.gradient(total, variables), variables)
        return total, fake_a, fake_b

    @tf.function
    def discriminator_step(real_a, real_b, fake_a, fake_b):
        variables = [v for d in discriminators for v in d.trainable_variables]
        with tf.GradientTape() as tape:
            loss_a, loss_b = [
                lsgan_discriminator_loss(d(real, training=True), d(fake, training=True))
                for d, real, fake in ((d_a, real_a, fake_a), (d_b, real_b, fake_b))
            ]
            loss = loss_a + loss_b  # summed under the tape, so that the sum is recorded
        d_optimizer.apply(tape.gradient(loss, variables), variables)
        return loss_a, loss_b

    return generator_step, discriminator_step
