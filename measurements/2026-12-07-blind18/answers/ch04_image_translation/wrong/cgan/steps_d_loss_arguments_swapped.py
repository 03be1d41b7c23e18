"""PART: cgan_steps
MISTAKE: d_step passes the logits to discriminator_loss in the wrong order (fake logits first, real logits second).
Built on correct/cgan/onehot_ops_sequential.py, with that one mistake.
"""

# %% part: conditional_generator
LABEL_DIM = 16


def build_conditional_generator(z_dim=64, num_classes=10, filters=32):
    """Conditional DCGAN generator: [z (B, z_dim), labels (B,)] -> images (B, 28, 28, 1).

    The label becomes a vector (an Embedding of LABEL_DIM numbers per class, or a one-hot
    vector), concatenated with z; then Dense 7*7*4F, two transposed convolutions (table above)
    and a tanh, so the images lie in [-1, 1]. Returns keras.Model([z, labels], images).
    """
    z = keras.Input((z_dim,))
    labels = keras.Input((), dtype="int32")
    one_hot = keras.ops.one_hot(labels, num_classes)  # (B, num_classes), a category
    joined = keras.ops.concatenate([z, one_hot], axis=-1)
    body = keras.Sequential(
        [
            keras.Input((z_dim + num_classes,)),
            keras.layers.Dense(7 * 7 * 4 * filters, use_bias=False),
            keras.layers.BatchNormalization(),
            keras.layers.Activation("relu"),
            keras.layers.Reshape((7, 7, 4 * filters)),
            keras.layers.Conv2DTranspose(
                2 * filters, (4, 4), strides=(2, 2), padding="same", use_bias=False
            ),
            keras.layers.BatchNormalization(),
            keras.layers.Activation("relu"),
            keras.layers.Conv2DTranspose(1, (4, 4), strides=(2, 2), padding="same"),
            keras.layers.Activation("tanh"),
        ],
        name="generator_body",
    )
    return keras.Model([z, labels], body(joined))


# %% part: conditional_discriminator
def build_conditional_discriminator(num_classes=10, filters=32):
    """Conditional DCGAN discriminator: [images (B, 28, 28, 1), labels (B,)] -> logits (B, 1).

    The label becomes a 28 x 28 label map (an Embedding of 28 * 28 numbers per class, reshaped)
    concatenated with the image as a second channel; then two strided convolutions (table
    above) and a Dense layer with one logit. Returns keras.Model([images, labels], logits).
    """
    images = keras.Input((28, 28, 1))
    labels = keras.Input((), dtype="int32")
    one_hot = keras.ops.one_hot(labels, num_classes)  # (B, num_classes)
    # Tiled over the image: (B, 1, 1, K) * (B, 28, 28, 1) -> (B, 28, 28, K) of 0s and 1s.
    label_maps = keras.ops.reshape(one_hot, (-1, 1, 1, num_classes)) * keras.ops.ones_like(images)
    joined = keras.ops.concatenate([images, label_maps], axis=-1)  # (B, 28, 28, 1 + K)
    body = keras.Sequential(
        [
            keras.Input((28, 28, 1 + num_classes)),
            keras.layers.Conv2D(filters, (4, 4), strides=(2, 2), padding="same"),
            keras.layers.LeakyReLU(0.2),
            keras.layers.Conv2D(2 * filters, (4, 4), strides=(2, 2), padding="same", use_bias=False),
            keras.layers.BatchNormalization(),
            keras.layers.LeakyReLU(0.2),
            keras.layers.Flatten(),
            keras.layers.Dense(1),
        ],
        name="discriminator_body",
    )
    return keras.Model([images, labels], body(joined))


# %% part: cgan_steps
def make_cgan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions that each make one update and return its loss.

    d_step(real_images, real_labels, z, fake_labels): D judges the real images with their labels
    and G's images of [z, fake_labels] with fake_labels; discriminator_loss; updates D only.
    g_step(z, fake_labels): D judges G's images of [z, fake_labels] with fake_labels;
    generator_loss; updates G only. Both networks run with training=True.
    """

    def d_update(real_images, real_labels, z, fake_labels):
        with tf.GradientTape() as tape:
            generated = generator([z, fake_labels], training=True)
            d_loss = discriminator_loss(
                discriminator([generated, fake_labels], training=True),
                discriminator([real_images, real_labels], training=True),
            )
        d_vars = discriminator.trainable_variables
        d_optimizer.apply(tape.gradient(d_loss, d_vars), d_vars)
        return d_loss

    def g_update(z, fake_labels):
        with tf.GradientTape() as tape:
            generated = generator([z, fake_labels], training=True)
            g_loss = generator_loss(discriminator([generated, fake_labels], training=True))
        g_vars = generator.trainable_variables
        g_optimizer.apply(tape.gradient(g_loss, g_vars), g_vars)
        return g_loss

    return tf.function(d_update), tf.function(g_update)


# %% part: class_grid
def class_grid(generator, z, num_classes=10):
    """Images of every class for every noise vector, in rows: one row per class.

    z: (C, z_dim), one noise vector per column. Returns a NumPy array (num_classes * C, 28, 28,
    1): image c * C + j is generator([z[j], label c]) in inference mode, from one call.
    """
    z = tf.convert_to_tensor(z, dtype=tf.float32)
    columns = tf.shape(z)[0]
    labels = tf.repeat(tf.range(num_classes, dtype=tf.int32), repeats=columns)
    noise = tf.tile(z, [num_classes, 1])
    return generator([noise, labels], training=False).numpy()
