"""PART: patch_discriminator
MISTAKE: The PatchGAN uses plain ReLU after its first two convolutions instead of LeakyReLU 0.2.
Built on: correct/pix2pix/loops_tf_ops.py (one change, in part patch_discriminator; everything else as in that set).
"""

# %% part: unet_blocks
def _init():
    return keras.initializers.RandomNormal(mean=0.0, stddev=0.02)


def encoder_block(x, filters, normalize=True):
    """Halve height and width: Conv2D(filters, 4, strides=2, same, no bias), instance norm
    (unless normalize=False), LeakyReLU 0.2. (B, H, W, C) -> (B, H/2, W/2, filters)."""
    conv = keras.layers.Conv2D(
        filters,
        kernel_size=(4, 4),
        strides=(2, 2),
        padding="same",
        use_bias=False,
        kernel_initializer=_init(),
    )
    y = conv(x)
    y = instance_norm()(y) if normalize else y
    return keras.layers.Activation(lambda t: keras.activations.leaky_relu(t, 0.2))(y)


def decoder_block(x, skip, filters, dropout=False):
    """Double height and width: Conv2DTranspose(filters, 4, strides=2, same, no bias), instance
    norm, Dropout(0.5) if dropout, ReLU; then concatenate [that, skip] on the channels.
    x (B, H, W, C), skip (B, 2H, 2W, S) -> (B, 2H, 2W, filters + S)."""
    up = keras.layers.Conv2DTranspose(
        filters,
        kernel_size=(4, 4),
        strides=(2, 2),
        padding="same",
        use_bias=False,
        kernel_initializer=_init(),
    )
    y = instance_norm()(up(x))
    if dropout:
        y = keras.layers.Dropout(rate=0.5)(y)
    y = keras.layers.Activation("relu")(y)
    return keras.layers.concatenate([y, skip], axis=-1)


# %% part: unet
def build_unet(filters=16, channels=1):
    """pix2pix's U-Net for 32 x 32 images: (B, 32, 32, channels) -> (B, 32, 32, channels) in
    [-1, 1], built from encoder_block and decoder_block as the table says."""
    image = keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, channels))
    down_widths = [filters, 2 * filters, 4 * filters, 4 * filters]
    up_widths = [4 * filters, 2 * filters, filters]
    up_dropout = [True, True, False]

    x = image
    skips = []
    for level, width in enumerate(down_widths):
        x = encoder_block(x, width, normalize=level > 0)
        skips.append(x)
    skips = list(reversed(skips[:-1]))  # e3, e2, e1: the bottleneck is not a skip

    for skip, width, drop in zip(skips, up_widths, up_dropout):
        x = decoder_block(x, skip, width, dropout=drop)

    output = keras.layers.Conv2DTranspose(
        channels,
        kernel_size=(4, 4),
        strides=(2, 2),
        padding="same",
        activation="tanh",
        kernel_initializer=_init(),
    )(x)
    return keras.Model(inputs=image, outputs=output, name="unet")


# %% part: patch_discriminator
def build_patch_discriminator(filters=16, channels=1):
    """PatchGAN: [inputs, targets], each (B, 32, 32, channels) -> logits (B, 8, 8, 1), one per
    22 x 22 patch of the pair."""
    drawing = keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, channels))
    shoe = keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, channels))
    trunk = keras.Sequential(
        [
            keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, 2 * channels)),
            keras.layers.Conv2D(filters, 4, 2, padding="same", kernel_initializer=_init()),
            keras.layers.ReLU(),
            keras.layers.Conv2D(2 * filters, 4, 2, padding="same", kernel_initializer=_init()),
            keras.layers.ReLU(),
            keras.layers.Conv2D(1, 4, 1, padding="same", kernel_initializer=_init()),
        ],
        name="patch_trunk",
    )
    pair = keras.layers.concatenate([drawing, shoe], axis=-1)
    return keras.Model(inputs=[drawing, shoe], outputs=trunk(pair), name="patchgan")


# %% part: pix2pix_losses
def discriminator_loss(real_logits, fake_logits):
    """mean BCE(1, real_logits) + mean BCE(0, fake_logits), from logits; any shapes, such as
    the PatchGAN's (B, 8, 8, 1)."""
    real_logits = tf.convert_to_tensor(real_logits, tf.float32)
    fake_logits = tf.convert_to_tensor(fake_logits, tf.float32)
    on_real = tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.ones_like(real_logits), logits=real_logits
    )
    on_fake = tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.zeros_like(fake_logits), logits=fake_logits
    )
    return tf.reduce_mean(on_real) + tf.reduce_mean(on_fake)


def generator_loss(fake_logits, generated, targets, l1_weight=100.0):
    """mean BCE(1, fake_logits) from logits + l1_weight * mean |targets - generated|."""
    fake_logits = tf.convert_to_tensor(fake_logits, tf.float32)
    gan_term = tf.reduce_mean(
        tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones_like(fake_logits), logits=fake_logits)
    )
    l1_term = tf.reduce_mean(tf.abs(tf.cast(targets, tf.float32) - tf.cast(generated, tf.float32)))
    return gan_term + l1_weight * l1_term


# %% part: random_jitter
JITTER_SIZE = 36


def random_jitter(inputs, targets):
    """The same random resize-crop (to 36 x 36, back to 32 x 32) and left-right flip (p = 1/2)
    for inputs and targets, (B, 32, 32, C) each; returns (inputs, targets)."""
    size = inputs.shape[1]
    split = inputs.shape[-1]
    both = tf.concat([tf.cast(inputs, tf.float32), tf.cast(targets, tf.float32)], axis=-1)
    both = tf.image.resize(both, [JITTER_SIZE, JITTER_SIZE], method=tf.image.ResizeMethod.NEAREST_NEIGHBOR)
    jittered = []
    for i in range(both.shape[0]):
        # Offsets 0 .. JITTER_SIZE - size, both ends included; one draw per pair.
        top = tf.random.uniform((), 0, JITTER_SIZE - size + 1, dtype=tf.int32)
        left = tf.random.uniform((), 0, JITTER_SIZE - size + 1, dtype=tf.int32)
        pair = tf.image.crop_to_bounding_box(both[i], top, left, size, size)
        if tf.random.uniform(()) < 0.5:
            pair = tf.reverse(pair, axis=[1])  # (H, W, 2C): axis 1 is the width
        jittered.append(pair)
    both = tf.stack(jittered)
    return both[..., :split], both[..., split:]


# %% part: pix2pix_step
def make_pix2pix_step(generator, discriminator, g_optimizer, d_optimizer, l1_weight=100.0):
    """Return train_step(inputs, targets) -> (g_loss, d_loss), a tf.function that updates G
    and D once each from one forward pass."""

    def train_step(inputs, targets):
        with tf.GradientTape(persistent=True) as tape:
            generated = generator(inputs, training=True)
            real_logits = discriminator([inputs, targets], training=True)
            fake_logits = discriminator([inputs, generated], training=True)
            g_loss = generator_loss(fake_logits, generated, targets, l1_weight)
            d_loss = discriminator_loss(real_logits, fake_logits)
        g_vars = generator.trainable_variables
        d_vars = discriminator.trainable_variables
        g_grads = tape.gradient(g_loss, g_vars)
        d_grads = tape.gradient(d_loss, d_vars)
        del tape
        g_optimizer.apply(g_grads, g_vars)
        d_optimizer.apply(d_grads, d_vars)
        return g_loss, d_loss

    return tf.function(train_step)
