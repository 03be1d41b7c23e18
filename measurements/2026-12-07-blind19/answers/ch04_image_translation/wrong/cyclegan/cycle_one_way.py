"""PART: cycle_objective
MISTAKE: the cycle term only goes A -> B -> A; the B -> A -> B cycle is left out.
Built on base.py (correct/cyclegan/base.py) with only this one change.
"""

# %% part: resnet_generator
def residual_block(x, filters):
    """x + F(x), F = Conv2D(filters, 3, same, no bias), instance norm, ReLU, Conv2D(filters, 3,
    same, no bias), instance norm; no activation after the sum. (B, H, W, filters) -> same."""
    y = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
    y = instance_norm()(y)
    y = keras.layers.ReLU()(y)
    y = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(y)
    y = instance_norm()(y)
    return keras.layers.Add()([x, y])


def build_resnet_generator(filters=16, blocks=3, channels=1):
    """CycleGAN's generator for 32 x 32 images, as the table says: (B, 32, 32, channels) ->
    (B, 32, 32, channels) in [-1, 1], with `blocks` residual blocks at 8 x 8."""
    inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    x = keras.layers.Conv2D(filters, 7, strides=1, padding="same", use_bias=False)(inputs)
    x = instance_norm()(x)
    x = keras.layers.ReLU()(x)
    for width in (2 * filters, 4 * filters):
        x = keras.layers.Conv2D(width, 3, strides=2, padding="same", use_bias=False)(x)
        x = instance_norm()(x)
        x = keras.layers.ReLU()(x)
    for _ in range(blocks):
        x = residual_block(x, 4 * filters)
    for width in (2 * filters, filters):
        x = keras.layers.Conv2DTranspose(width, 3, strides=2, padding="same", use_bias=False)(x)
        x = instance_norm()(x)
        x = keras.layers.ReLU()(x)
    outputs = keras.layers.Conv2D(channels, 7, strides=1, padding="same", activation="tanh")(x)
    return keras.Model(inputs, outputs)


# %% part: lsgan_losses
def lsgan_discriminator_loss(real_outputs, fake_outputs):
    """0.5 * (mean (real_outputs - 1)^2 + mean fake_outputs^2); any shapes, such as (B, 8, 8, 1)."""
    real_term = tf.reduce_mean(tf.square(real_outputs - 1.0))
    fake_term = tf.reduce_mean(tf.square(fake_outputs))
    return 0.5 * (real_term + fake_term)


def lsgan_generator_loss(fake_outputs):
    """mean (fake_outputs - 1)^2: the generator wants its images scored as real."""
    return tf.reduce_mean(tf.square(fake_outputs - 1.0))


# %% part: cycle_objective
def generator_objective(
    g_ab, g_ba, d_a, d_b, real_a, real_b, cycle_weight=10.0, identity_weight=5.0
):
    """The generators' loss: adversarial (both ways) + cycle_weight * cycle (both ways) +
    identity_weight * identity (g_ab on B images, g_ba on A images). Every network in
    training mode. Returns (total, fake_a, fake_b), fake_a = g_ba(real_b), fake_b = g_ab(real_a)."""
    fake_b = g_ab(real_a, training=True)
    fake_a = g_ba(real_b, training=True)

    adversarial = lsgan_generator_loss(d_b(fake_b, training=True)) + lsgan_generator_loss(
        d_a(fake_a, training=True)
    )

    cycled_a = g_ba(fake_b, training=True)
    cycled_b = g_ab(fake_a, training=True)
    cycle = tf.reduce_mean(tf.abs(real_a - cycled_a))

    same_b = g_ab(real_b, training=True)
    same_a = g_ba(real_a, training=True)
    identity = tf.reduce_mean(tf.abs(real_b - same_b)) + tf.reduce_mean(tf.abs(real_a - same_a))

    total = adversarial + cycle_weight * cycle + identity_weight * identity
    return total, fake_a, fake_b


# %% part: image_pool
class ImagePool:
    """Up to `size` earlier generated images; query(images) returns, image by image, the new one
    (stored while the pool is not full) or, once full, with probability 1/2 a random stored one
    (the new one taking its place)."""

    def __init__(self, size=50):
        self.size = size
        self.images = []
        self.rng = np.random.default_rng()

    def query(self, images):
        """images (B, H, W, C) -> a NumPy array of the same shape."""
        images = np.asarray(images)
        answers = []
        for image in images:
            image = np.array(image, copy=True)
            if len(self.images) < self.size:
                self.images.append(image)
                answers.append(image)
            elif self.rng.random() < 0.5:
                index = int(self.rng.integers(0, self.size))
                answers.append(self.images[index])
                self.images[index] = image
            else:
                answers.append(image)
        return np.stack(answers).reshape(images.shape)


# %% part: cyclegan_steps
def make_cyclegan_steps(
    g_ab, g_ba, d_a, d_b, g_optimizer, d_optimizer, cycle_weight=10.0, identity_weight=5.0
):
    """Return (generator_step, discriminator_step), two tf.functions:
    generator_step(real_a, real_b) -> (total, fake_a, fake_b), updating both generators;
    discriminator_step(real_a, real_b, fake_a, fake_b) -> (loss_a, loss_b), updating both
    discriminators."""

    @tf.function
    def generator_step(real_a, real_b):
        with tf.GradientTape() as tape:
            total, fake_a, fake_b = generator_objective(
                g_ab, g_ba, d_a, d_b, real_a, real_b, cycle_weight, identity_weight
            )
        variables = g_ab.trainable_variables + g_ba.trainable_variables
        gradients = tape.gradient(total, variables)
        g_optimizer.apply_gradients(zip(gradients, variables))
        return total, fake_a, fake_b

    @tf.function
    def discriminator_step(real_a, real_b, fake_a, fake_b):
        with tf.GradientTape() as tape:
            loss_a = lsgan_discriminator_loss(d_a(real_a, training=True), d_a(fake_a, training=True))
            loss_b = lsgan_discriminator_loss(d_b(real_b, training=True), d_b(fake_b, training=True))
            loss = loss_a + loss_b
        variables = d_a.trainable_variables + d_b.trainable_variables
        gradients = tape.gradient(loss, variables)
        d_optimizer.apply_gradients(zip(gradients, variables))
        return loss_a, loss_b

    return generator_step, discriminator_step
