"""PART: pix2pix_step
MISTAKE: The generator's gradients are applied with d_optimizer and the discriminator's with g_optimizer (each network is stepped by the other's optimiser and learning rate).
Built on correct/pix2pix/sequential_numpy_jitter.py, with that one mistake.
"""

# %% part: unet_blocks
def _init():
    return keras.initializers.RandomNormal(mean=0.0, stddev=0.02)


def encoder_block(x, filters, normalize=True):
    """Halve height and width: Conv2D(filters, 4, strides=2, same, no bias), instance norm
    (unless normalize=False), LeakyReLU 0.2. (B, H, W, C) -> (B, H/2, W/2, filters)."""
    block = keras.Sequential()
    block.add(
        keras.layers.Conv2D(
            filters, (4, 4), strides=(2, 2), padding="same", use_bias=False,
            kernel_initializer=_init(),
        )
    )
    if normalize:
        block.add(instance_norm())
    block.add(keras.layers.LeakyReLU(0.2))
    return block(x)


def decoder_block(x, skip, filters, dropout=False):
    """Double height and width: Conv2DTranspose(filters, 4, strides=2, same, no bias), instance
    norm, Dropout(0.5) if dropout, ReLU; then concatenate [that, skip] on the channels.
    x (B, H, W, C), skip (B, 2H, 2W, S) -> (B, 2H, 2W, filters + S)."""
    block = keras.Sequential()
    block.add(
        keras.layers.Conv2DTranspose(
            filters, (4, 4), strides=(2, 2), padding="same", use_bias=False,
            kernel_initializer=_init(),
        )
    )
    block.add(instance_norm())
    if dropout:
        block.add(keras.layers.Dropout(0.5))
    block.add(keras.layers.Activation("relu"))
    return keras.layers.concatenate([block(x), skip], axis=-1)


# %% part: unet
def build_unet(filters=16, channels=1):
    """pix2pix's U-Net for 32 x 32 images: (B, 32, 32, channels) -> (B, 32, 32, channels) in
    [-1, 1], built from encoder_block and decoder_block as the table says."""
    image = keras.Input(shape=(32, 32, channels))
    down1 = encoder_block(image, filters, normalize=False)
    down2 = encoder_block(down1, filters * 2)
    down3 = encoder_block(down2, filters * 4)
    bottom = encoder_block(down3, filters * 4)
    up3 = decoder_block(bottom, down3, filters * 4, dropout=True)
    up2 = decoder_block(up3, down2, filters * 2, dropout=True)
    up1 = decoder_block(up2, down1, filters, dropout=False)
    last = keras.layers.Conv2DTranspose(
        channels, (4, 4), strides=(2, 2), padding="same", kernel_initializer=_init()
    )
    result = keras.layers.Activation("tanh")(last(up1))
    return keras.Model(inputs=image, outputs=result)


# %% part: patch_discriminator
def build_patch_discriminator(filters=16, channels=1):
    """PatchGAN: [inputs, targets], each (B, 32, 32, channels) -> logits (B, 8, 8, 1), one per
    22 x 22 patch of the pair."""
    drawing = keras.Input(shape=(32, 32, channels))
    shoe = keras.Input(shape=(32, 32, channels))
    patches = keras.Sequential(
        [
            keras.Input((32, 32, 2 * channels)),
            keras.layers.Conv2D(filters, (4, 4), strides=(2, 2), padding="same",
                                kernel_initializer=_init()),
            keras.layers.LeakyReLU(0.2),
            keras.layers.Conv2D(2 * filters, (4, 4), strides=(2, 2), padding="same",
                                kernel_initializer=_init()),
            keras.layers.LeakyReLU(0.2),
            keras.layers.Conv2D(1, (4, 4), strides=(1, 1), padding="same",
                                kernel_initializer=_init()),
        ]
    )
    return keras.Model([drawing, shoe], patches(keras.layers.concatenate([drawing, shoe])))


# %% part: pix2pix_losses
def discriminator_loss(real_logits, fake_logits):
    """mean BCE(1, real_logits) + mean BCE(0, fake_logits), from logits; any shapes, such as
    the PatchGAN's (B, 8, 8, 1)."""
    real_logits = tf.convert_to_tensor(real_logits, tf.float32)
    fake_logits = tf.convert_to_tensor(fake_logits, tf.float32)
    real_term = tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.ones_like(real_logits), logits=real_logits
    )
    fake_term = tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.zeros_like(fake_logits), logits=fake_logits
    )
    return tf.reduce_mean(real_term) + tf.reduce_mean(fake_term)


def generator_loss(fake_logits, generated, targets, l1_weight=100.0):
    """mean BCE(1, fake_logits) from logits + l1_weight * mean |targets - generated|."""
    fake_logits = tf.convert_to_tensor(fake_logits, tf.float32)
    gan_term = tf.reduce_mean(
        tf.nn.sigmoid_cross_entropy_with_logits(
            labels=tf.ones_like(fake_logits), logits=fake_logits
        )
    )
    l1_term = tf.reduce_mean(
        tf.abs(tf.cast(targets, tf.float32) - tf.cast(generated, tf.float32))
    )
    return gan_term + l1_weight * l1_term


# %% part: random_jitter
JITTER_SIZE = 36
_jitter_rng = np.random.default_rng()


def _nearest_indices(size_in, size_out):
    # Half-pixel centres, as tf.image.resize(method="nearest") does.
    return np.minimum(
        np.floor((np.arange(size_out) + 0.5) * size_in / size_out).astype(np.int64), size_in - 1
    )


def random_jitter(inputs, targets):
    """The same random resize-crop (to 36 x 36, back to 32 x 32) and left-right flip (p = 1/2)
    for inputs and targets, (B, 32, 32, C) each; returns (inputs, targets)."""
    a = np.array(inputs, dtype=np.float32)  # copies: the caller's arrays stay as they are
    b = np.array(targets, dtype=np.float32)
    height, width = a.shape[1], a.shape[2]
    rows = _nearest_indices(height, JITTER_SIZE)
    cols = _nearest_indices(width, JITTER_SIZE)
    top = int(_jitter_rng.integers(0, JITTER_SIZE - height + 1))
    left = int(_jitter_rng.integers(0, JITTER_SIZE - width + 1))
    rows, cols = rows[top : top + height], cols[left : left + width]
    if _jitter_rng.random() < 0.5:
        cols = cols[::-1]
    a = a[:, rows][:, :, cols]
    b = b[:, rows][:, :, cols]
    return a, b


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
        d_optimizer.apply(g_grads, g_vars)
        g_optimizer.apply(d_grads, d_vars)
        return g_loss, d_loss

    return tf.function(train_step)
