"""PART: trained_pix2pix
MISTAKE: (In the pix2pix_step cell.) A copy-paste slip: the generator's gradients are taken of d_loss instead of g_loss, so the returned losses are right but G learns to make its shoes easy to spot and never sees the L1 term.
Built on correct/pix2pix/keras_layers_tf_image.py, with that one mistake.
"""

# %% part: unet_blocks
def encoder_block(x, filters, normalize=True):
    """Halve height and width: Conv2D(filters, 4, strides=2, same, no bias), instance norm
    (unless normalize=False), LeakyReLU 0.2. (B, H, W, C) -> (B, H/2, W/2, filters)."""
    x = keras.layers.Conv2D(filters, 4, strides=2, padding="same", use_bias=False)(x)
    if normalize:
        x = instance_norm()(x)
    return keras.layers.LeakyReLU(negative_slope=0.2)(x)


def decoder_block(x, skip, filters, dropout=False):
    """Double height and width: Conv2DTranspose(filters, 4, strides=2, same, no bias), instance
    norm, Dropout(0.5) if dropout, ReLU; then concatenate [that, skip] on the channels.
    x (B, H, W, C), skip (B, 2H, 2W, S) -> (B, 2H, 2W, filters + S)."""
    x = keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = instance_norm()(x)
    if dropout:
        x = keras.layers.Dropout(0.5)(x)
    x = keras.layers.ReLU()(x)
    return keras.layers.Concatenate(axis=-1)([x, skip])


# %% part: unet
def build_unet(filters=16, channels=1):
    """pix2pix's U-Net for 32 x 32 images: (B, 32, 32, channels) -> (B, 32, 32, channels) in
    [-1, 1], built from encoder_block and decoder_block as the table says."""
    inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    e1 = encoder_block(inputs, filters, normalize=False)  # 16 x 16 x F
    e2 = encoder_block(e1, 2 * filters)  # 8 x 8 x 2F
    e3 = encoder_block(e2, 4 * filters)  # 4 x 4 x 4F
    x = encoder_block(e3, 4 * filters)  # 2 x 2 x 4F, the bottleneck
    x = decoder_block(x, e3, 4 * filters, dropout=True)  # 4 x 4 x 8F
    x = decoder_block(x, e2, 2 * filters, dropout=True)  # 8 x 8 x 4F
    x = decoder_block(x, e1, filters)  # 16 x 16 x 2F
    outputs = keras.layers.Conv2DTranspose(
        channels, 4, strides=2, padding="same", activation="tanh"
    )(x)
    return keras.Model(inputs, outputs, name="unet")


# %% part: patch_discriminator
def build_patch_discriminator(filters=16, channels=1):
    """PatchGAN: [inputs, targets], each (B, 32, 32, channels) -> logits (B, 8, 8, 1), one per
    22 x 22 patch of the pair."""
    inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    targets = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    x = keras.layers.Concatenate(axis=-1)([inputs, targets])
    x = keras.layers.Conv2D(filters, 4, strides=2, padding="same")(x)
    x = keras.layers.LeakyReLU(negative_slope=0.2)(x)
    x = keras.layers.Conv2D(2 * filters, 4, strides=2, padding="same")(x)
    x = keras.layers.LeakyReLU(negative_slope=0.2)(x)
    logits = keras.layers.Conv2D(1, 4, strides=1, padding="same")(x)
    return keras.Model([inputs, targets], logits, name="patchgan")


# %% part: pix2pix_losses
def discriminator_loss(real_logits, fake_logits):
    """mean BCE(1, real_logits) + mean BCE(0, fake_logits), from logits; any shapes, such as
    the PatchGAN's (B, 8, 8, 1)."""
    real_loss = keras.ops.binary_crossentropy(
        keras.ops.ones_like(real_logits), real_logits, from_logits=True
    )
    fake_loss = keras.ops.binary_crossentropy(
        keras.ops.zeros_like(fake_logits), fake_logits, from_logits=True
    )
    return keras.ops.mean(real_loss) + keras.ops.mean(fake_loss)


def generator_loss(fake_logits, generated, targets, l1_weight=100.0):
    """mean BCE(1, fake_logits) from logits + l1_weight * mean |targets - generated|."""
    adversarial = keras.ops.mean(
        keras.ops.binary_crossentropy(
            keras.ops.ones_like(fake_logits), fake_logits, from_logits=True
        )
    )
    l1 = keras.ops.mean(keras.ops.abs(targets - generated))
    return adversarial + l1_weight * l1


# %% part: random_jitter
JITTER_SIZE = 36


def random_jitter(inputs, targets):
    """The same random resize-crop (to 36 x 36, back to 32 x 32) and left-right flip (p = 1/2)
    for inputs and targets, (B, 32, 32, C) each; returns (inputs, targets)."""
    inputs = tf.convert_to_tensor(inputs, tf.float32)
    targets = tf.convert_to_tensor(targets, tf.float32)
    channels = tf.shape(inputs)[-1]
    pair = tf.concat([inputs, targets], axis=-1)  # (B, 32, 32, 2C)
    pair = tf.image.resize(pair, (JITTER_SIZE, JITTER_SIZE), method="nearest")
    height, width = inputs.shape[1], inputs.shape[2]
    pair = tf.image.random_crop(pair, size=tf.stack([tf.shape(pair)[0], height, width, 2 * channels]))
    if tf.random.uniform(()) < 0.5:
        pair = tf.image.flip_left_right(pair)
    return pair[..., :channels], pair[..., channels:]


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
        g_gradients = g_tape.gradient(d_loss, generator.trainable_variables)
        d_gradients = d_tape.gradient(d_loss, discriminator.trainable_variables)
        g_optimizer.apply_gradients(zip(g_gradients, generator.trainable_variables))
        d_optimizer.apply_gradients(zip(d_gradients, discriminator.trainable_variables))
        return g_loss, d_loss

    return train_step
