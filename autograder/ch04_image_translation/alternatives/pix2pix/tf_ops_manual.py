"""Style: TensorFlow ops written out by hand, small keras.Sequential sub-blocks.

Blocks: each block's layers in a keras.Sequential (convolution, instance_norm(), dropout,
activation) called on the tensor, weights drawn from N(0, 0.02) as in the paper; the skip
joined with keras.ops.concatenate (works on symbolic and plain tensors alike). U-Net: the
table's calls of encoder_block and decoder_block. PatchGAN: the pair joined by
layers.Concatenate, then one Sequential of the three convolutions. Losses:
tf.nn.sigmoid_cross_entropy_with_logits averaged with tf.reduce_mean, the L1 term as
tf.reduce_mean(tf.abs(...)). Jitter: both batches resized (nearest) to 36 x 36, then a crop
offset and a coin drawn per pair with tf.random.uniform, applied with
tf.image.crop_to_bounding_box and tf.image.flip_left_right to the input and the target of that
pair inside a tf.map_fn over the batch. Step: two nested tapes, gradients taken after both
closed, optimizer.apply(gradients, variables).
"""

# %% part: unet_blocks
def _weights():
    return keras.initializers.RandomNormal(mean=0.0, stddev=0.02)


def encoder_block(x, filters, normalize=True):
    """Halve height and width: Conv2D(filters, 4, strides=2, same, no bias), instance norm
    (unless normalize=False), LeakyReLU 0.2. (B, H, W, C) -> (B, H/2, W/2, filters)."""
    block = keras.Sequential()
    block.add(
        keras.layers.Conv2D(
            filters, kernel_size=4, strides=2, padding="same", use_bias=False,
            kernel_initializer=_weights(),
        )
    )
    if normalize:
        block.add(instance_norm())
    block.add(keras.layers.LeakyReLU(negative_slope=0.2))
    return block(x)


def decoder_block(x, skip, filters, dropout=False):
    """Double height and width: Conv2DTranspose(filters, 4, strides=2, same, no bias), instance
    norm, Dropout(0.5) if dropout, ReLU; then concatenate [that, skip] on the channels.
    x (B, H, W, C), skip (B, 2H, 2W, S) -> (B, 2H, 2W, filters + S)."""
    block = keras.Sequential(
        [
            keras.layers.Conv2DTranspose(
                filters, kernel_size=4, strides=2, padding="same", use_bias=False,
                kernel_initializer=_weights(),
            ),
            instance_norm(),
        ]
    )
    if dropout:
        block.add(keras.layers.Dropout(rate=0.5))
    block.add(keras.layers.ReLU())
    return keras.ops.concatenate([block(x), skip], axis=-1)


# %% part: unet
def build_unet(filters=16, channels=1):
    """pix2pix's U-Net for 32 x 32 images: (B, 32, 32, channels) -> (B, 32, 32, channels) in
    [-1, 1], built from encoder_block and decoder_block as the table says."""
    F = filters
    image = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels), name="drawing")
    e1 = encoder_block(image, F, normalize=False)
    e2 = encoder_block(e1, 2 * F, normalize=True)
    e3 = encoder_block(e2, 4 * F, normalize=True)
    bottleneck = encoder_block(e3, 4 * F, normalize=True)
    up = decoder_block(bottleneck, e3, 4 * F, dropout=True)
    up = decoder_block(up, e2, 2 * F, dropout=True)
    up = decoder_block(up, e1, F, dropout=False)
    last = keras.layers.Conv2DTranspose(
        channels, kernel_size=4, strides=2, padding="same", kernel_initializer=_weights()
    )
    output = keras.layers.Activation("tanh")(last(up))
    return keras.Model(inputs=image, outputs=output, name="unet")


# %% part: patch_discriminator
def build_patch_discriminator(filters=16, channels=1):
    """PatchGAN: [inputs, targets], each (B, 32, 32, channels) -> logits (B, 8, 8, 1), one per
    22 x 22 patch of the pair."""
    init = keras.initializers.RandomNormal(mean=0.0, stddev=0.02)
    drawing = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels), name="drawing")
    image = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels), name="image")
    pair = keras.layers.Concatenate()([drawing, image])
    patches = keras.Sequential(
        [
            keras.layers.Conv2D(filters, 4, strides=2, padding="same", kernel_initializer=init),
            keras.layers.LeakyReLU(negative_slope=0.2),
            keras.layers.Conv2D(2 * filters, 4, strides=2, padding="same", kernel_initializer=init),
            keras.layers.LeakyReLU(negative_slope=0.2),
            keras.layers.Conv2D(1, 4, strides=1, padding="same", kernel_initializer=init),
        ],
        name="patches",
    )
    return keras.Model(inputs=[drawing, image], outputs=patches(pair), name="patchgan")


# %% part: pix2pix_losses
def discriminator_loss(real_logits, fake_logits):
    """mean BCE(1, real_logits) + mean BCE(0, fake_logits), from logits; any shapes, such as
    the PatchGAN's (B, 8, 8, 1)."""
    real_logits = tf.convert_to_tensor(real_logits)
    fake_logits = tf.convert_to_tensor(fake_logits)
    on_real = tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.ones_like(real_logits), logits=real_logits
    )
    on_fake = tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.zeros_like(fake_logits), logits=fake_logits
    )
    return tf.reduce_mean(on_real) + tf.reduce_mean(on_fake)


def generator_loss(fake_logits, generated, targets, l1_weight=100.0):
    """mean BCE(1, fake_logits) from logits + l1_weight * mean |targets - generated|."""
    fake_logits = tf.convert_to_tensor(fake_logits)
    fooled = tf.reduce_mean(
        tf.nn.sigmoid_cross_entropy_with_logits(
            labels=tf.ones_like(fake_logits), logits=fake_logits
        )
    )
    l1 = tf.reduce_mean(tf.abs(tf.convert_to_tensor(targets) - generated))
    return fooled + l1_weight * l1


# %% part: random_jitter
JITTER_SIZE = 36


def random_jitter(inputs, targets):
    """The same random resize-crop (to 36 x 36, back to 32 x 32) and left-right flip (p = 1/2)
    for inputs and targets, (B, 32, 32, C) each; returns (inputs, targets)."""
    inputs = tf.convert_to_tensor(inputs)
    targets = tf.convert_to_tensor(targets)
    height, width = inputs.shape[1], inputs.shape[2]
    big_inputs = tf.image.resize(inputs, (JITTER_SIZE, JITTER_SIZE), method="nearest")
    big_targets = tf.image.resize(targets, (JITTER_SIZE, JITTER_SIZE), method="nearest")
    batch = tf.shape(inputs)[0]
    # One draw per pair, shared by its input and its target.
    rows = tf.random.uniform([batch], 0, JITTER_SIZE - height + 1, dtype=tf.int32)
    cols = tf.random.uniform([batch], 0, JITTER_SIZE - width + 1, dtype=tf.int32)
    flips = tf.random.uniform([batch]) < 0.5

    def jitter_one(args):
        drawing, image, row, col, flip = args
        drawing = tf.image.crop_to_bounding_box(drawing, row, col, height, width)
        image = tf.image.crop_to_bounding_box(image, row, col, height, width)
        drawing, image = tf.cond(
            flip,
            lambda: (tf.image.flip_left_right(drawing), tf.image.flip_left_right(image)),
            lambda: (drawing, image),
        )
        return drawing, image

    out_inputs, out_targets = tf.map_fn(
        jitter_one,
        (big_inputs, big_targets, rows, cols, flips),
        fn_output_signature=(inputs.dtype, targets.dtype),
    )
    return out_inputs, out_targets


# %% part: pix2pix_step
def make_pix2pix_step(generator, discriminator, g_optimizer, d_optimizer, l1_weight=100.0):
    """Return train_step(inputs, targets) -> (g_loss, d_loss), a tf.function that updates G
    and D once each from one forward pass."""

    def train_step(inputs, targets):
        with tf.GradientTape() as gen_tape:
            with tf.GradientTape() as disc_tape:
                generated = generator(inputs, training=True)
                real_logits = discriminator([inputs, targets], training=True)
                fake_logits = discriminator([inputs, generated], training=True)
                g_loss = generator_loss(fake_logits, generated, targets, l1_weight)
                d_loss = discriminator_loss(real_logits, fake_logits)
        g_vars = generator.trainable_variables
        d_vars = discriminator.trainable_variables
        g_optimizer.apply(gen_tape.gradient(g_loss, g_vars), g_vars)
        d_optimizer.apply(disc_tape.gradient(d_loss, d_vars), d_vars)
        return g_loss, d_loss

    return tf.function(train_step)
