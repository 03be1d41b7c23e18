"""Style: loops over layer lists and block plans.

Blocks: a list of layers built first, then applied to x in a for loop; the skip joined by
layers.Concatenate(axis=3). U-Net: a loop over the encoder plan [(F, no norm), (2F, norm),
(4F, norm), (4F, norm)] that keeps every output but the bottleneck in a list of skips, then a
loop over the decoder plan [(4F, dropout), (2F, dropout), (F, no dropout)] that pops the skips
from the end (the deepest first). PatchGAN: the pair joined by keras.ops.concatenate on the
symbolic tensors (no Lambda), then a loop over the three convolutions. Losses: the
keras.losses.binary_crossentropy function (from_logits=True) and
keras.losses.mean_absolute_error, averaged with keras.ops.mean. Jitter: inputs and targets
stacked on a new leading axis (2, B, H, W, C), resized (nearest) as one batch of 2B images,
cropped with tf.image.random_crop (one offset for everything), flipped with tf.reverse under
one tf.cond coin, then tf.unstack. Step: two tapes that watch only their own network's
variables (watch_accessed_variables=False) over one forward pass, optimizer.apply.
"""

# %% part: unet_blocks
def encoder_block(x, filters, normalize=True):
    """Halve height and width: Conv2D(filters, 4, strides=2, same, no bias), instance norm
    (unless normalize=False), LeakyReLU 0.2. (B, H, W, C) -> (B, H/2, W/2, filters)."""
    steps = [
        keras.layers.Conv2D(
            filters=filters, kernel_size=4, strides=2, padding="same", use_bias=False
        )
    ]
    if normalize:
        steps.append(instance_norm())
    steps.append(keras.layers.LeakyReLU(negative_slope=0.2))
    for layer in steps:
        x = layer(x)
    return x


def decoder_block(x, skip, filters, dropout=False):
    """Double height and width: Conv2DTranspose(filters, 4, strides=2, same, no bias), instance
    norm, Dropout(0.5) if dropout, ReLU; then concatenate [that, skip] on the channels.
    x (B, H, W, C), skip (B, 2H, 2W, S) -> (B, 2H, 2W, filters + S)."""
    steps = [
        keras.layers.Conv2DTranspose(
            filters=filters, kernel_size=4, strides=2, padding="same", use_bias=False
        ),
        instance_norm(),
    ]
    if dropout:
        steps.append(keras.layers.Dropout(0.5))
    steps.append(keras.layers.ReLU())
    for layer in steps:
        x = layer(x)
    return keras.layers.Concatenate(axis=3)([x, skip])


# %% part: unet
def build_unet(filters=16, channels=1):
    """pix2pix's U-Net for 32 x 32 images: (B, 32, 32, channels) -> (B, 32, 32, channels) in
    [-1, 1], built from encoder_block and decoder_block as the table says."""
    down_plan = [(filters, False), (2 * filters, True), (4 * filters, True), (4 * filters, True)]
    up_plan = [(4 * filters, True), (2 * filters, True), (filters, False)]

    inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    x = inputs
    skips = []
    for width, normalize in down_plan:
        x = encoder_block(x, width, normalize=normalize)
        skips.append(x)
    skips.pop()  # the bottleneck (B, 2, 2, 4F) is not a skip
    for width, dropout in up_plan:
        x = decoder_block(x, skips.pop(), width, dropout=dropout)  # e3, then e2, then e1
    assert not skips
    outputs = keras.layers.Conv2DTranspose(
        filters=channels, kernel_size=4, strides=2, padding="same", activation="tanh"
    )(x)
    return keras.Model(inputs, outputs)


# %% part: patch_discriminator
def build_patch_discriminator(filters=16, channels=1):
    """PatchGAN: [inputs, targets], each (B, 32, 32, channels) -> logits (B, 8, 8, 1), one per
    22 x 22 patch of the pair."""
    inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    targets = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    x = keras.ops.concatenate([inputs, targets], axis=-1)
    for width, stride, leaky in [(filters, 2, True), (2 * filters, 2, True), (1, 1, False)]:
        x = keras.layers.Conv2D(filters=width, kernel_size=4, strides=stride, padding="same")(x)
        if leaky:
            x = keras.layers.LeakyReLU(negative_slope=0.2)(x)
    return keras.Model([inputs, targets], x)


# %% part: pix2pix_losses
def _mean_bce(label, logits):
    labels = keras.ops.full_like(logits, label)
    return keras.ops.mean(keras.losses.binary_crossentropy(labels, logits, from_logits=True))


def discriminator_loss(real_logits, fake_logits):
    """mean BCE(1, real_logits) + mean BCE(0, fake_logits), from logits; any shapes, such as
    the PatchGAN's (B, 8, 8, 1)."""
    return _mean_bce(1.0, real_logits) + _mean_bce(0.0, fake_logits)


def generator_loss(fake_logits, generated, targets, l1_weight=100.0):
    """mean BCE(1, fake_logits) from logits + l1_weight * mean |targets - generated|."""
    l1 = keras.ops.mean(keras.losses.mean_absolute_error(targets, generated))
    return _mean_bce(1.0, fake_logits) + l1_weight * l1


# %% part: random_jitter
JITTER_SIZE = 36


def random_jitter(inputs, targets):
    """The same random resize-crop (to 36 x 36, back to 32 x 32) and left-right flip (p = 1/2)
    for inputs and targets, (B, 32, 32, C) each; returns (inputs, targets)."""
    stacked = tf.stack([inputs, targets], axis=0)  # (2, B, H, W, C)
    shape = tf.shape(stacked)
    flat = tf.reshape(stacked, tf.concat([[-1], shape[2:]], axis=0))  # (2B, H, W, C)
    flat = tf.image.resize(flat, [JITTER_SIZE, JITTER_SIZE], method="nearest")
    stacked = tf.reshape(flat, tf.stack([2, shape[1], JITTER_SIZE, JITTER_SIZE, shape[4]]))
    crop = tf.stack([2, shape[1], IMAGE_SIZE, IMAGE_SIZE, shape[4]])
    stacked = tf.image.random_crop(stacked, crop)  # the same offset for every image
    stacked = tf.cond(
        tf.random.uniform([]) < 0.5,
        lambda: tf.reverse(stacked, axis=[3]),  # axis 3: width
        lambda: stacked,
    )
    new_inputs, new_targets = tf.unstack(stacked, num=2, axis=0)
    return new_inputs, new_targets


# %% part: pix2pix_step
def make_pix2pix_step(generator, discriminator, g_optimizer, d_optimizer, l1_weight=100.0):
    """Return train_step(inputs, targets) -> (g_loss, d_loss), a tf.function that updates G
    and D once each from one forward pass."""
    g_vars = generator.trainable_variables
    d_vars = discriminator.trainable_variables
    # A tape watches the tf.Variable that each Keras variable wraps.
    g_watch = [v.value for v in g_vars]
    d_watch = [v.value for v in d_vars]

    @tf.function
    def train_step(inputs, targets):
        g_tape = tf.GradientTape(watch_accessed_variables=False)
        d_tape = tf.GradientTape(watch_accessed_variables=False)
        with g_tape, d_tape:
            g_tape.watch(g_watch)
            d_tape.watch(d_watch)
            generated = generator(inputs, training=True)
            real_logits = discriminator([inputs, targets], training=True)
            fake_logits = discriminator([inputs, generated], training=True)
            g_loss = generator_loss(fake_logits, generated, targets, l1_weight)
            d_loss = discriminator_loss(real_logits, fake_logits)
        g_optimizer.apply(g_tape.gradient(g_loss, g_watch), g_vars)
        d_optimizer.apply(d_tape.gradient(d_loss, d_watch), d_vars)
        return g_loss, d_loss

    return train_step
