"""Subclassing where the task allows it: the residual block is a custom keras.layers.Layer
(its branch built in __init__, the sum in call), and the functional generator that the task asks
for is assembled from nested keras.Sequential stages (conv, instance norm, ReLU). The losses
with raw TensorFlow ops (tf.reduce_mean, tf.square, tf.abs); the pool keeps its images in one
preallocated NumPy array (allocated at the first query, when the image shape is known); the
generator step takes its gradients from one persistent tape (per generator), the discriminator
step from two tapes, one per discriminator, and each applies them with one optimizer call."""

# %% part: resnet_generator
class ResidualBlock(keras.layers.Layer):
    """y = x + IN(conv(ReLU(IN(conv(x))))), 3 x 3 same convolutions without bias."""

    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.conv1 = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)
        self.norm1 = instance_norm()
        self.conv2 = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)
        self.norm2 = instance_norm()

    def build(self, input_shape):
        self.conv1.build(input_shape)
        shape = self.conv1.compute_output_shape(input_shape)
        self.norm1.build(shape)
        self.conv2.build(shape)
        self.norm2.build(self.conv2.compute_output_shape(shape))

    def call(self, inputs, training=None):
        branch = self.conv1(inputs)
        branch = tf.nn.relu(self.norm1(branch, training=training))
        branch = self.norm2(self.conv2(branch), training=training)
        return inputs + branch

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "filters": self.filters}


def residual_block(x, filters):
    """x + F(x), F = Conv2D(filters, 3, same, no bias), instance norm, ReLU, Conv2D(filters, 3,
    same, no bias), instance norm; no activation after the sum. (B, H, W, filters) -> same."""
    return ResidualBlock(filters)(x)


def _stage(layer_type, filters, kernel_size, strides, name):
    """One row of the table: a convolution without bias, instance norm, ReLU."""
    return keras.Sequential(
        [
            layer_type(filters, kernel_size, strides=strides, padding="same", use_bias=False),
            instance_norm(),
            keras.layers.Activation("relu"),
        ],
        name=name,
    )


def build_resnet_generator(filters=16, blocks=3, channels=1):
    """CycleGAN's generator for 32 x 32 images, as the table says: (B, 32, 32, channels) ->
    (B, 32, 32, channels) in [-1, 1], with `blocks` residual blocks at 8 x 8."""
    inputs = keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, channels))
    encoder = keras.Sequential(
        [
            _stage(keras.layers.Conv2D, filters, 7, 1, "in_7x7"),
            _stage(keras.layers.Conv2D, 2 * filters, 3, 2, "down_1"),
            _stage(keras.layers.Conv2D, 4 * filters, 3, 2, "down_2"),
        ],
        name="encoder",
    )
    decoder = keras.Sequential(
        [
            _stage(keras.layers.Conv2DTranspose, 2 * filters, 3, 2, "up_1"),
            _stage(keras.layers.Conv2DTranspose, filters, 3, 2, "up_2"),
            keras.layers.Conv2D(channels, 7, padding="same", use_bias=True, activation="tanh"),
        ],
        name="decoder",
    )
    x = encoder(inputs)
    for index in range(blocks):
        x = residual_block(x, 4 * filters)
    outputs = decoder(x)
    return keras.Model(inputs, outputs)


# %% part: lsgan_losses
def lsgan_discriminator_loss(real_outputs, fake_outputs):
    """0.5 * (mean (real_outputs - 1)^2 + mean fake_outputs^2); any shapes, such as (B, 8, 8, 1)."""
    real_outputs = tf.cast(real_outputs, tf.float32)
    fake_outputs = tf.cast(fake_outputs, tf.float32)
    return 0.5 * (
        tf.reduce_mean(tf.square(real_outputs - 1.0)) + tf.reduce_mean(tf.square(fake_outputs))
    )


def lsgan_generator_loss(fake_outputs):
    """mean (fake_outputs - 1)^2: the generator wants its images scored as real."""
    return tf.reduce_mean(tf.square(tf.cast(fake_outputs, tf.float32) - 1.0))


# %% part: cycle_objective
def generator_objective(
    g_ab, g_ba, d_a, d_b, real_a, real_b, cycle_weight=10.0, identity_weight=5.0
):
    """The generators' loss: adversarial (both ways) + cycle_weight * cycle (both ways) +
    identity_weight * identity (g_ab on B images, g_ba on A images). Every network in
    training mode. Returns (total, fake_a, fake_b), fake_a = g_ba(real_b), fake_b = g_ab(real_a)."""
    fake_b = g_ab(real_a, training=True)  # A -> B
    fake_a = g_ba(real_b, training=True)  # B -> A

    adversarial_ab = lsgan_generator_loss(d_b(fake_b, training=True))
    adversarial_ba = lsgan_generator_loss(d_a(fake_a, training=True))

    # a -> b -> a and b -> a -> b
    cycle_a = tf.reduce_mean(tf.abs(real_a - g_ba(fake_b, training=True)))
    cycle_b = tf.reduce_mean(tf.abs(real_b - g_ab(fake_a, training=True)))

    # each generator given an image already in its target domain
    identity_b = tf.reduce_mean(tf.abs(real_b - g_ab(real_b, training=True)))
    identity_a = tf.reduce_mean(tf.abs(real_a - g_ba(real_a, training=True)))

    total = (
        (adversarial_ab + adversarial_ba)
        + cycle_weight * (cycle_a + cycle_b)
        + identity_weight * (identity_b + identity_a)
    )
    return total, fake_a, fake_b


# %% part: image_pool
class ImagePool:
    """Up to `size` earlier generated images; query(images) returns, image by image, the new one
    (stored while the pool is not full) or, once full, with probability 1/2 a random stored one
    (the new one taking its place)."""

    def __init__(self, size=50):
        self.size = int(size)
        self.count = 0  # how many slots of the buffer hold an image
        self.buffer = None  # (size, H, W, C), allocated at the first query
        self.generator = np.random.default_rng()

    def query(self, images):
        """images (B, H, W, C) -> a NumPy array of the same shape."""
        batch = np.array(images, copy=True)  # an eager tensor or an array; never the caller's
        if self.size == 0:
            return batch
        if self.buffer is None:
            self.buffer = np.empty((self.size, *batch.shape[1:]), dtype=batch.dtype)
        result = np.empty_like(batch)
        for i in range(batch.shape[0]):
            if self.count < self.size:
                self.buffer[self.count] = batch[i]
                self.count += 1
                result[i] = batch[i]
            elif self.generator.uniform() > 0.5:
                slot = self.generator.integers(self.size)
                result[i] = self.buffer[slot]  # copied into result before it is replaced
                self.buffer[slot] = batch[i]
            else:
                result[i] = batch[i]
        return result


# %% part: cyclegan_steps
def make_cyclegan_steps(
    g_ab, g_ba, d_a, d_b, g_optimizer, d_optimizer, cycle_weight=10.0, identity_weight=5.0
):
    """Return (generator_step, discriminator_step), two tf.functions:
    generator_step(real_a, real_b) -> (total, fake_a, fake_b), updating both generators;
    discriminator_step(real_a, real_b, fake_a, fake_b) -> (loss_a, loss_b), updating both
    discriminators."""

    def generator_update(real_a, real_b):
        with tf.GradientTape(persistent=True) as tape:
            total, fake_a, fake_b = generator_objective(
                g_ab, g_ba, d_a, d_b, real_a, real_b, cycle_weight, identity_weight
            )
        grads_ab = tape.gradient(total, g_ab.trainable_variables)
        grads_ba = tape.gradient(total, g_ba.trainable_variables)
        del tape
        g_optimizer.apply_gradients(
            list(zip(grads_ab, g_ab.trainable_variables))
            + list(zip(grads_ba, g_ba.trainable_variables))
        )
        return total, fake_a, fake_b

    def discriminator_update(real_a, real_b, fake_a, fake_b):
        # loss_b does not depend on d_a nor loss_a on d_b: the gradient of loss_a + loss_b with
        # respect to d_a's variables is that of loss_a, and likewise for d_b.
        with tf.GradientTape() as tape_a:
            loss_a = lsgan_discriminator_loss(d_a(real_a, training=True), d_a(fake_a, training=True))
        with tf.GradientTape() as tape_b:
            loss_b = lsgan_discriminator_loss(d_b(real_b, training=True), d_b(fake_b, training=True))
        grads_a = tape_a.gradient(loss_a, d_a.trainable_variables)
        grads_b = tape_b.gradient(loss_b, d_b.trainable_variables)
        d_optimizer.apply_gradients(
            list(zip(grads_a, d_a.trainable_variables))
            + list(zip(grads_b, d_b.trainable_variables))
        )
        return loss_a, loss_b

    return tf.function(generator_update), tf.function(discriminator_update)
