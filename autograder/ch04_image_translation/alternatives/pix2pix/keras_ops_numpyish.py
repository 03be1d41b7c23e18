"""Style: keras.ops and NumPy-like slicing, loops where the table repeats itself.

Blocks: layers called in turn with positional arguments (LeakyReLU(0.2), Activation("relu")),
the skip joined by layers.Concatenate(axis=-1). U-Net: the table's seven block calls, the
output layer with activation=keras.activations.tanh. PatchGAN: the pair joined by
layers.Concatenate(axis=-1), then a loop over (filters, strides) = (F, 2), (2F, 2), (1, 1),
with a LeakyReLU after every convolution but the last. Losses: keras.ops only, binary
cross-entropy from logits as softplus (BCE(1, l) = softplus(-l), BCE(0, l) = softplus(l)).
Jitter: the pair concatenated on the channels, enlarged by a keras.layers.Resizing(36, 36,
interpolation="nearest"), cropped by slicing at an offset from np.random (one draw per batch)
and flipped with [:, :, ::-1] on a np.random coin. Step: @tf.function(reduce_retracing=True),
two tapes, optimizer.apply_gradients.
"""

# %% part: unet_blocks
def encoder_block(x, filters, normalize=True):
    """Halve height and width: Conv2D(filters, 4, strides=2, same, no bias), instance norm
    (unless normalize=False), LeakyReLU 0.2. (B, H, W, C) -> (B, H/2, W/2, filters)."""
    y = keras.layers.Conv2D(filters, (4, 4), (2, 2), "same", use_bias=False)(x)
    if normalize:
        y = instance_norm()(y)
    return keras.layers.LeakyReLU(0.2)(y)


def decoder_block(x, skip, filters, dropout=False):
    """Double height and width: Conv2DTranspose(filters, 4, strides=2, same, no bias), instance
    norm, Dropout(0.5) if dropout, ReLU; then concatenate [that, skip] on the channels.
    x (B, H, W, C), skip (B, 2H, 2W, S) -> (B, 2H, 2W, filters + S)."""
    y = keras.layers.Conv2DTranspose(filters, (4, 4), (2, 2), "same", use_bias=False)(x)
    y = instance_norm()(y)
    if dropout:
        y = keras.layers.Dropout(rate=0.5)(y)
    y = keras.layers.Activation("relu")(y)
    return keras.layers.Concatenate(axis=-1)([y, skip])


# %% part: unet
def build_unet(filters=16, channels=1):
    """pix2pix's U-Net for 32 x 32 images: (B, 32, 32, channels) -> (B, 32, 32, channels) in
    [-1, 1], built from encoder_block and decoder_block as the table says."""
    x = keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, channels))
    down16 = encoder_block(x, filters, normalize=False)
    down8 = encoder_block(down16, filters * 2)
    down4 = encoder_block(down8, filters * 4)
    down2 = encoder_block(down4, filters * 4)
    up4 = decoder_block(down2, down4, filters * 4, dropout=True)
    up8 = decoder_block(up4, down8, filters * 2, dropout=True)
    up16 = decoder_block(up8, down16, filters, dropout=False)
    y = keras.layers.Conv2DTranspose(
        channels, (4, 4), (2, 2), "same", activation=keras.activations.tanh
    )(up16)
    return keras.Model(inputs=x, outputs=y)


# %% part: patch_discriminator
def build_patch_discriminator(filters=16, channels=1):
    """PatchGAN: [inputs, targets], each (B, 32, 32, channels) -> logits (B, 8, 8, 1), one per
    22 x 22 patch of the pair."""
    shape = (IMAGE_SIZE, IMAGE_SIZE, channels)
    first, second = keras.Input(shape), keras.Input(shape)
    h = keras.layers.Concatenate(axis=-1)([first, second])
    plan = [(filters, 2), (2 * filters, 2), (1, 1)]
    for i, (width, stride) in enumerate(plan):
        h = keras.layers.Conv2D(width, 4, strides=stride, padding="same")(h)
        if i < len(plan) - 1:  # the last convolution gives the logits
            h = keras.layers.LeakyReLU(0.2)(h)
    return keras.Model([first, second], h)


# %% part: pix2pix_losses
from keras import ops


def discriminator_loss(real_logits, fake_logits):
    """mean BCE(1, real_logits) + mean BCE(0, fake_logits), from logits; any shapes, such as
    the PatchGAN's (B, 8, 8, 1)."""
    # -log sigmoid(l) = softplus(-l);  -log(1 - sigmoid(l)) = softplus(l)
    return ops.mean(ops.softplus(-real_logits)) + ops.mean(ops.softplus(fake_logits))


def generator_loss(fake_logits, generated, targets, l1_weight=100.0):
    """mean BCE(1, fake_logits) from logits + l1_weight * mean |targets - generated|."""
    adversarial = ops.mean(ops.softplus(ops.negative(fake_logits)))
    l1 = ops.mean(ops.abs(ops.subtract(targets, generated)))
    return adversarial + l1_weight * l1


# %% part: random_jitter
JITTER_SIZE = 36
_enlarge = keras.layers.Resizing(JITTER_SIZE, JITTER_SIZE, interpolation="nearest")


def random_jitter(inputs, targets):
    """The same random resize-crop (to 36 x 36, back to 32 x 32) and left-right flip (p = 1/2)
    for inputs and targets, (B, 32, 32, C) each; returns (inputs, targets)."""
    c = inputs.shape[-1]
    pair = _enlarge(keras.ops.concatenate([inputs, targets], axis=-1))  # (B, 36, 36, 2C)
    top, left = np.random.randint(0, JITTER_SIZE - IMAGE_SIZE + 1, size=2)
    pair = pair[:, top : top + IMAGE_SIZE, left : left + IMAGE_SIZE, :]
    if np.random.rand() < 0.5:
        pair = pair[:, :, ::-1, :]
    return pair[..., :c], pair[..., c:]


# %% part: pix2pix_step
def make_pix2pix_step(generator, discriminator, g_optimizer, d_optimizer, l1_weight=100.0):
    """Return train_step(inputs, targets) -> (g_loss, d_loss), a tf.function that updates G
    and D once each from one forward pass."""
    g_weights = generator.trainable_variables
    d_weights = discriminator.trainable_variables

    @tf.function(reduce_retracing=True)
    def train_step(inputs, targets):
        with tf.GradientTape() as tape_g:
            with tf.GradientTape() as tape_d:
                generated = generator(inputs, training=True)
                real_logits = discriminator([inputs, targets], training=True)
                fake_logits = discriminator([inputs, generated], training=True)
                g_loss = generator_loss(fake_logits, generated, targets, l1_weight)
                d_loss = discriminator_loss(real_logits, fake_logits)
        grads_g = tape_g.gradient(g_loss, g_weights)
        grads_d = tape_d.gradient(d_loss, d_weights)
        g_optimizer.apply_gradients(list(zip(grads_g, g_weights)))
        d_optimizer.apply_gradients(list(zip(grads_d, d_weights)))
        return g_loss, d_loss

    return train_step
