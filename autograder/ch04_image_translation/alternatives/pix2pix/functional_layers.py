"""Style: plain Keras functional API, one layer object per step.

Blocks: keras.layers objects called on tensors in turn (Conv2D / Conv2DTranspose without bias,
instance_norm(), LeakyReLU / Dropout / ReLU, layers.Concatenate). U-Net: the table written out
line by line, e1, e2, e3, bottleneck, d1, d2, d3, default initialisers. PatchGAN: two Inputs,
layers.Concatenate, three Conv2D layers. Losses: keras.losses.BinaryCrossentropy(from_logits=True)
objects and keras.losses.MeanAbsoluteError. Jitter: tf.image.resize (nearest) of the pair
concatenated on the channels, tf.image.random_crop (one offset for the whole batch) and
tf.image.random_flip_left_right (a coin per pair), then tf.split. Step: two tapes, gradients
after them, optimizer.apply_gradients(zip(...)).
"""

# %% part: unet_blocks
from keras import layers


def encoder_block(x, filters, normalize=True):
    """Halve height and width: Conv2D(filters, 4, strides=2, same, no bias), instance norm
    (unless normalize=False), LeakyReLU 0.2. (B, H, W, C) -> (B, H/2, W/2, filters)."""
    x = layers.Conv2D(filters, 4, strides=2, padding="same", use_bias=False)(x)
    if normalize:
        x = instance_norm()(x)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    return x


def decoder_block(x, skip, filters, dropout=False):
    """Double height and width: Conv2DTranspose(filters, 4, strides=2, same, no bias), instance
    norm, Dropout(0.5) if dropout, ReLU; then concatenate [that, skip] on the channels.
    x (B, H, W, C), skip (B, 2H, 2W, S) -> (B, 2H, 2W, filters + S)."""
    x = layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = instance_norm()(x)
    if dropout:
        x = layers.Dropout(0.5)(x)
    x = layers.ReLU()(x)
    return layers.Concatenate(axis=-1)([x, skip])


# %% part: unet
def build_unet(filters=16, channels=1):
    """pix2pix's U-Net for 32 x 32 images: (B, 32, 32, channels) -> (B, 32, 32, channels) in
    [-1, 1], built from encoder_block and decoder_block as the table says."""
    inputs = keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, channels))
    e1 = encoder_block(inputs, filters, normalize=False)  # (B, 16, 16, F)
    e2 = encoder_block(e1, 2 * filters)  # (B, 8, 8, 2F)
    e3 = encoder_block(e2, 4 * filters)  # (B, 4, 4, 4F)
    bottleneck = encoder_block(e3, 4 * filters)  # (B, 2, 2, 4F)
    d1 = decoder_block(bottleneck, e3, 4 * filters, dropout=True)  # (B, 4, 4, 8F)
    d2 = decoder_block(d1, e2, 2 * filters, dropout=True)  # (B, 8, 8, 4F)
    d3 = decoder_block(d2, e1, filters)  # (B, 16, 16, 2F)
    outputs = layers.Conv2DTranspose(
        channels, 4, strides=2, padding="same", activation="tanh"
    )(d3)  # (B, 32, 32, channels)
    return keras.Model(inputs, outputs)


# %% part: patch_discriminator
def build_patch_discriminator(filters=16, channels=1):
    """PatchGAN: [inputs, targets], each (B, 32, 32, channels) -> logits (B, 8, 8, 1), one per
    22 x 22 patch of the pair."""
    from keras import layers

    inputs = keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, channels))
    targets = keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, channels))
    x = layers.Concatenate(axis=-1)([inputs, targets])  # (B, 32, 32, 2 * channels)
    x = layers.Conv2D(filters, 4, strides=2, padding="same")(x)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    x = layers.Conv2D(2 * filters, 4, strides=2, padding="same")(x)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    logits = layers.Conv2D(1, 4, strides=1, padding="same")(x)
    return keras.Model([inputs, targets], logits)


# %% part: pix2pix_losses
bce = keras.losses.BinaryCrossentropy(from_logits=True)
mae = keras.losses.MeanAbsoluteError()


def discriminator_loss(real_logits, fake_logits):
    """mean BCE(1, real_logits) + mean BCE(0, fake_logits), from logits; any shapes, such as
    the PatchGAN's (B, 8, 8, 1)."""
    real_loss = bce(tf.ones_like(real_logits), real_logits)
    fake_loss = bce(tf.zeros_like(fake_logits), fake_logits)
    return real_loss + fake_loss


def generator_loss(fake_logits, generated, targets, l1_weight=100.0):
    """mean BCE(1, fake_logits) from logits + l1_weight * mean |targets - generated|."""
    adversarial = bce(tf.ones_like(fake_logits), fake_logits)
    l1 = mae(targets, generated)
    return adversarial + l1_weight * l1


# %% part: random_jitter
JITTER_SIZE = 36


def random_jitter(inputs, targets):
    """The same random resize-crop (to 36 x 36, back to 32 x 32) and left-right flip (p = 1/2)
    for inputs and targets, (B, 32, 32, C) each; returns (inputs, targets)."""
    channels = inputs.shape[-1]
    pair = tf.concat([inputs, targets], axis=-1)  # (B, 32, 32, 2C)
    pair = tf.image.resize(pair, [JITTER_SIZE, JITTER_SIZE], method="nearest")
    size = tf.concat([tf.shape(pair)[:1], [IMAGE_SIZE, IMAGE_SIZE], tf.shape(pair)[-1:]], axis=0)
    pair = tf.image.random_crop(pair, size)  # one offset for the batch
    pair = tf.image.random_flip_left_right(pair)  # a coin per pair: both images flip together
    inputs, targets = tf.split(pair, [channels, channels], axis=-1)
    return inputs, targets


# %% part: pix2pix_step
def make_pix2pix_step(generator, discriminator, g_optimizer, d_optimizer, l1_weight=100.0):
    """Return train_step(inputs, targets) -> (g_loss, d_loss), a tf.function that updates G
    and D once each from one forward pass."""

    @tf.function
    def train_step(inputs, targets):
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            generated = generator(inputs, training=True)
            real_logits = discriminator([inputs, targets], training=True)
            fake_logits = discriminator([inputs, generated], training=True)
            g_loss = generator_loss(fake_logits, generated, targets, l1_weight)
            d_loss = discriminator_loss(real_logits, fake_logits)
        g_gradients = g_tape.gradient(g_loss, generator.trainable_variables)
        d_gradients = d_tape.gradient(d_loss, discriminator.trainable_variables)
        g_optimizer.apply_gradients(zip(g_gradients, generator.trainable_variables))
        d_optimizer.apply_gradients(zip(d_gradients, discriminator.trainable_variables))
        return g_loss, d_loss

    return train_step
