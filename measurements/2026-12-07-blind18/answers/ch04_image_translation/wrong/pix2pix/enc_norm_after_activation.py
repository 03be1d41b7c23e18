"""PART: unet_blocks
MISTAKE: encoder_block applies the LeakyReLU before the instance norm instead of after it.
Built on correct/pix2pix/spec_loops_softplus_per_pair.py, with that one mistake.
"""

# %% part: unet_blocks
def _fold(x, layer_list):
    for layer in layer_list:
        x = layer(x)
    return x


def encoder_block(x, filters, normalize=True):
    """Halve height and width: Conv2D(filters, 4, strides=2, same, no bias), instance norm
    (unless normalize=False), LeakyReLU 0.2. (B, H, W, C) -> (B, H/2, W/2, filters)."""
    stack = [keras.layers.Conv2D(filters, kernel_size=4, strides=2, padding="same", use_bias=False)]
    stack += [keras.layers.LeakyReLU(negative_slope=0.2)]
    stack += [instance_norm()] if normalize else []
    return _fold(x, stack)


def decoder_block(x, skip, filters, dropout=False):
    """Double height and width: Conv2DTranspose(filters, 4, strides=2, same, no bias), instance
    norm, Dropout(0.5) if dropout, ReLU; then concatenate [that, skip] on the channels.
    x (B, H, W, C), skip (B, 2H, 2W, S) -> (B, 2H, 2W, filters + S)."""
    stack = [
        keras.layers.Conv2DTranspose(
            filters, kernel_size=4, strides=2, padding="same", use_bias=False
        ),
        instance_norm(),
    ]
    stack += [keras.layers.Dropout(rate=0.5)] if dropout else []
    stack += [keras.layers.Activation("relu")]
    own = _fold(x, stack)
    return keras.layers.Concatenate(axis=3)([own, skip])


# %% part: unet
def build_unet(filters=16, channels=1):
    """pix2pix's U-Net for 32 x 32 images: (B, 32, 32, channels) -> (B, 32, 32, channels) in
    [-1, 1], built from encoder_block and decoder_block as the table says."""
    inputs = keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, channels))
    # (width multiple, normalise): e1, e2, e3, bottleneck
    encoder_rows = [(1, False), (2, True), (4, True), (4, True)]
    # (width multiple, dropout): innermost first
    decoder_rows = [(4, True), (2, True), (1, False)]
    skips = []
    x = inputs
    for multiple, normalise in encoder_rows:
        x = encoder_block(x, multiple * filters, normalize=normalise)
        skips.append(x)
    skips.pop()  # the bottleneck is x itself, not a skip
    for multiple, use_dropout in decoder_rows:
        x = decoder_block(x, skips.pop(), multiple * filters, dropout=use_dropout)
    x = keras.layers.Conv2DTranspose(channels, kernel_size=4, strides=2, padding="same")(x)
    outputs = keras.layers.Activation(keras.activations.tanh)(x)
    return keras.Model(inputs=inputs, outputs=outputs)


# %% part: patch_discriminator
def build_patch_discriminator(filters=16, channels=1):
    """PatchGAN: [inputs, targets], each (B, 32, 32, channels) -> logits (B, 8, 8, 1), one per
    22 x 22 patch of the pair."""
    inputs = keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, channels))
    targets = keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, channels))
    x = keras.layers.Concatenate(axis=3)([inputs, targets])
    # (filters, stride, leaky): three 4 x 4 convolutions, receptive field 4, 10, 22
    for width, stride, leaky in ((filters, 2, True), (2 * filters, 2, True), (1, 1, False)):
        x = keras.layers.Conv2D(width, kernel_size=4, strides=stride, padding="same")(x)
        if leaky:
            x = keras.layers.LeakyReLU(negative_slope=0.2)(x)
    return keras.Model(inputs=[inputs, targets], outputs=x)


# %% part: pix2pix_losses
def _bce_one(logits):
    # BCE(1, l) = -log sigmoid(l) = softplus(-l), stable for any l
    return keras.ops.mean(keras.ops.softplus(-logits))


def _bce_zero(logits):
    # BCE(0, l) = -log(1 - sigmoid(l)) = softplus(l)
    return keras.ops.mean(keras.ops.softplus(logits))


def discriminator_loss(real_logits, fake_logits):
    """mean BCE(1, real_logits) + mean BCE(0, fake_logits), from logits; any shapes, such as
    the PatchGAN's (B, 8, 8, 1)."""
    real_logits = keras.ops.convert_to_tensor(real_logits, "float32")
    fake_logits = keras.ops.convert_to_tensor(fake_logits, "float32")
    return _bce_one(real_logits) + _bce_zero(fake_logits)


def generator_loss(fake_logits, generated, targets, l1_weight=100.0):
    """mean BCE(1, fake_logits) from logits + l1_weight * mean |targets - generated|."""
    fake_logits = keras.ops.convert_to_tensor(fake_logits, "float32")
    difference = keras.ops.convert_to_tensor(targets, "float32") - keras.ops.convert_to_tensor(
        generated, "float32"
    )
    return _bce_one(fake_logits) + l1_weight * keras.ops.mean(keras.ops.absolute(difference))


# %% part: random_jitter
JITTER_SIZE = 36


def random_jitter(inputs, targets):
    """The same random resize-crop (to 36 x 36, back to 32 x 32) and left-right flip (p = 1/2)
    for inputs and targets, (B, 32, 32, C) each; returns (inputs, targets)."""
    inputs = tf.convert_to_tensor(inputs, tf.float32)
    targets = tf.convert_to_tensor(targets, tf.float32)
    size = inputs.shape[1]
    c = inputs.shape[-1]
    joined = keras.ops.concatenate([inputs, targets], axis=-1)
    joined = keras.ops.image.resize(joined, (JITTER_SIZE, JITTER_SIZE), interpolation="nearest")
    count = int(joined.shape[0])
    offsets = tf.random.uniform((count, 2), 0, JITTER_SIZE - size + 1, dtype=tf.int32)
    coins = tf.random.uniform((count,)) < 0.5
    pieces = []
    for i in range(count):  # every pair its own offset and flip
        top, left = int(offsets[i, 0]), int(offsets[i, 1])
        piece = joined[i, top : top + size, left : left + size, :]
        if bool(coins[i]):
            piece = tf.reverse(piece, axis=[1])  # the width axis of (H, W, 2C)
        pieces.append(piece)
    jittered = tf.stack(pieces)
    return jittered[..., :c], jittered[..., c:]


# %% part: pix2pix_step
def make_pix2pix_step(generator, discriminator, g_optimizer, d_optimizer, l1_weight=100.0):
    """Return train_step(inputs, targets) -> (g_loss, d_loss), a tf.function that updates G
    and D once each from one forward pass."""

    def descend(optimizer, tape, loss, model):
        variables = model.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))

    def train_step(inputs, targets):
        with tf.GradientTape() as g_tape:
            with tf.GradientTape() as d_tape:
                generated = generator(inputs, training=True)
                real_logits = discriminator([inputs, targets], training=True)
                fake_logits = discriminator([inputs, generated], training=True)
                d_loss = discriminator_loss(real_logits, fake_logits)
                g_loss = generator_loss(fake_logits, generated, targets, l1_weight=l1_weight)
        descend(g_optimizer, g_tape, g_loss, generator)
        descend(d_optimizer, d_tape, d_loss, discriminator)
        return g_loss, d_loss

    return tf.function(train_step, reduce_retracing=True)
