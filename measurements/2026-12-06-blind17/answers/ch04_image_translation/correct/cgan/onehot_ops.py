"""Correct answers, style: one-hot labels built with keras.ops inside the functional models
(a one-hot vector joined to z in G; a one-hot vector tiled over the image, num_classes extra
channels, in D); steps written as plain Python functions wrapped with tf.function(...) at the
end, using the Keras 3 optimizer.apply(gradients, variables); class grid built with TensorFlow
ops (tf.tile / tf.repeat) and converted with keras.ops.convert_to_numpy.
"""

# %% part: conditional_generator
LABEL_DIM = 16


def build_conditional_generator(z_dim=64, num_classes=10, filters=32):
    """Conditional DCGAN generator: [z (B, z_dim), labels (B,)] -> images (B, 28, 28, 1).

    The label becomes a vector (an Embedding of LABEL_DIM numbers per class, or a one-hot
    vector), concatenated with z; then Dense 7*7*4F, two transposed convolutions (table above)
    and a tanh, so the images lie in [-1, 1]. Returns keras.Model([z, labels], images).
    """
    noise = keras.Input(shape=(z_dim,), name="z")
    labels = keras.Input(shape=(), dtype="int32", name="labels")
    one_hot = keras.ops.one_hot(labels, num_classes)  # (B, num_classes), float32
    h = keras.ops.concatenate([noise, one_hot], axis=-1)

    h = keras.layers.Dense(7 * 7 * 4 * filters, use_bias=False)(h)
    h = keras.layers.BatchNormalization()(h)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.Reshape((7, 7, 4 * filters))(h)

    h = keras.layers.Conv2DTranspose(
        filters * 2, kernel_size=(4, 4), strides=(2, 2), padding="same", use_bias=False
    )(h)
    h = keras.layers.BatchNormalization()(h)
    h = keras.layers.Activation("relu")(h)

    h = keras.layers.Conv2DTranspose(1, kernel_size=(4, 4), strides=(2, 2), padding="same")(h)
    images = keras.layers.Activation("tanh")(h)
    return keras.Model(inputs=[noise, labels], outputs=images, name="conditional_generator")


# %% part: conditional_discriminator
def build_conditional_discriminator(num_classes=10, filters=32):
    """Conditional DCGAN discriminator: [images (B, 28, 28, 1), labels (B,)] -> logits (B, 1).

    The label becomes a 28 x 28 label map (an Embedding of 28 * 28 numbers per class, reshaped)
    concatenated with the image as a second channel; then two strided convolutions (table
    above) and a Dense layer with one logit. Returns keras.Model([images, labels], logits).
    """
    images = keras.Input(shape=(28, 28, 1), name="images")
    labels = keras.Input(shape=(), dtype="int32", name="labels")
    one_hot = keras.ops.one_hot(labels, num_classes)  # (B, num_classes)
    # Tile the one-hot vector over every pixel: (B, 1, 1, n) * (B, 28, 28, 1) -> (B, 28, 28, n).
    label_maps = keras.ops.reshape(one_hot, (-1, 1, 1, num_classes)) * keras.ops.ones_like(images)
    h = keras.ops.concatenate([images, label_maps], axis=-1)  # (B, 28, 28, 1 + n)

    h = keras.layers.Conv2D(filters, (4, 4), strides=(2, 2), padding="same")(h)
    h = keras.layers.LeakyReLU(negative_slope=0.2)(h)
    h = keras.layers.Conv2D(filters * 2, (4, 4), strides=(2, 2), padding="same", use_bias=False)(h)
    h = keras.layers.BatchNormalization()(h)
    h = keras.layers.LeakyReLU(negative_slope=0.2)(h)
    h = keras.layers.Flatten()(h)
    logits = keras.layers.Dense(1)(h)
    return keras.Model(inputs=[images, labels], outputs=logits, name="conditional_discriminator")


# %% part: cgan_steps
def make_cgan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions that each make one update and return its loss.

    d_step(real_images, real_labels, z, fake_labels): D judges the real images with their labels
    and G's images of [z, fake_labels] with fake_labels; discriminator_loss; updates D only.
    g_step(z, fake_labels): D judges G's images of [z, fake_labels] with fake_labels;
    generator_loss; updates G only. Both networks run with training=True.
    """

    def train_discriminator(real_images, real_labels, z, fake_labels):
        with tf.GradientTape() as tape:
            generated = generator([z, fake_labels], training=True)
            d_real = discriminator([real_images, real_labels], training=True)
            d_fake = discriminator([generated, fake_labels], training=True)
            d_loss = discriminator_loss(d_real, d_fake)
        d_variables = discriminator.trainable_variables
        d_optimizer.apply(tape.gradient(d_loss, d_variables), d_variables)
        return d_loss

    def train_generator(z, fake_labels):
        with tf.GradientTape() as tape:
            generated = generator([z, fake_labels], training=True)
            d_fake = discriminator([generated, fake_labels], training=True)
            g_loss = generator_loss(d_fake)
        g_variables = generator.trainable_variables
        g_optimizer.apply(tape.gradient(g_loss, g_variables), g_variables)
        return g_loss

    return tf.function(train_discriminator), tf.function(train_generator)


# %% part: class_grid
def class_grid(generator, z, num_classes=10):
    """Images of every class for every noise vector, in rows: one row per class.

    z: (C, z_dim), one noise vector per column. Returns a NumPy array (num_classes * C, 28, 28,
    1): image c * C + j is generator([z[j], label c]) in inference mode, from one call.
    """
    z = tf.convert_to_tensor(z, dtype=tf.float32)
    columns = tf.shape(z)[0]
    batch_z = tf.tile(z, [num_classes, 1])  # row c repeats all C noise vectors
    batch_labels = tf.repeat(tf.range(num_classes, dtype=tf.int32), repeats=columns)
    grid = generator([batch_z, batch_labels], training=False)
    return keras.ops.convert_to_numpy(grid)
