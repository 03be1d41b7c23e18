"""PART: class_grid
MISTAKE: class_grid orders the images column by column (image j * num_classes + c has label c and z[j]) instead of row by row.
Built on correct/cgan/functional_embedding.py, with that one mistake.
"""

# %% part: conditional_generator
LABEL_DIM = 16


def build_conditional_generator(z_dim=64, num_classes=10, filters=32):
    """Conditional DCGAN generator: [z (B, z_dim), labels (B,)] -> images (B, 28, 28, 1).

    The label becomes a vector (an Embedding of LABEL_DIM numbers per class, or a one-hot
    vector), concatenated with z; then Dense 7*7*4F, two transposed convolutions (table above)
    and a tanh, so the images lie in [-1, 1]. Returns keras.Model([z, labels], images).
    """
    layers = keras.layers
    z = keras.Input((z_dim,), name="z")
    labels = keras.Input((), dtype="int32", name="labels")
    label_vector = layers.Embedding(num_classes, LABEL_DIM)(labels)  # (B, LABEL_DIM)
    x = layers.Concatenate()([z, label_vector])  # (B, z_dim + LABEL_DIM)
    x = layers.Dense(7 * 7 * 4 * filters, use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.Reshape((7, 7, 4 * filters))(x)
    x = layers.Conv2DTranspose(2 * filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    images = layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(x)
    return keras.Model([z, labels], images, name="conditional_generator")


# %% part: conditional_discriminator
def build_conditional_discriminator(num_classes=10, filters=32):
    """Conditional DCGAN discriminator: [images (B, 28, 28, 1), labels (B,)] -> logits (B, 1).

    The label becomes a 28 x 28 label map (an Embedding of 28 * 28 numbers per class, reshaped)
    concatenated with the image as a second channel; then two strided convolutions (table
    above) and a Dense layer with one logit. Returns keras.Model([images, labels], logits).
    """
    layers = keras.layers
    images = keras.Input((28, 28, 1), name="images")
    labels = keras.Input((), dtype="int32", name="labels")
    label_map = layers.Embedding(num_classes, 28 * 28)(labels)  # (B, 784)
    label_map = layers.Reshape((28, 28, 1))(label_map)
    x = layers.Concatenate(axis=-1)([images, label_map])  # (B, 28, 28, 2)
    x = layers.Conv2D(filters, 4, strides=2, padding="same")(x)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    x = layers.Conv2D(2 * filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    x = layers.Flatten()(x)
    logits = layers.Dense(1)(x)
    return keras.Model([images, labels], logits, name="conditional_discriminator")


# %% part: cgan_steps
def make_cgan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions that each make one update and return its loss.

    d_step(real_images, real_labels, z, fake_labels): D judges the real images with their labels
    and G's images of [z, fake_labels] with fake_labels; discriminator_loss; updates D only.
    g_step(z, fake_labels): D judges G's images of [z, fake_labels] with fake_labels;
    generator_loss; updates G only. Both networks run with training=True.
    """

    @tf.function
    def d_step(real_images, real_labels, z, fake_labels):
        fake_images = generator([z, fake_labels], training=True)
        with tf.GradientTape() as tape:
            real_logits = discriminator([real_images, real_labels], training=True)
            fake_logits = discriminator([fake_images, fake_labels], training=True)
            loss = discriminator_loss(real_logits, fake_logits)
        gradients = tape.gradient(loss, discriminator.trainable_variables)
        d_optimizer.apply_gradients(zip(gradients, discriminator.trainable_variables))
        return loss

    @tf.function
    def g_step(z, fake_labels):
        with tf.GradientTape() as tape:
            fake_images = generator([z, fake_labels], training=True)
            fake_logits = discriminator([fake_images, fake_labels], training=True)
            loss = generator_loss(fake_logits)
        gradients = tape.gradient(loss, generator.trainable_variables)
        g_optimizer.apply_gradients(zip(gradients, generator.trainable_variables))
        return loss

    return d_step, g_step


# %% part: class_grid
def class_grid(generator, z, num_classes=10):
    """Images of every class for every noise vector, in rows: one row per class.

    z: (C, z_dim), one noise vector per column. Returns a NumPy array (num_classes * C, 28, 28,
    1): image c * C + j is generator([z[j], label c]) in inference mode, from one call.
    """
    z = np.asarray(z, dtype=np.float32)
    columns = len(z)
    labels = np.tile(np.arange(num_classes, dtype=np.int32), columns)
    noise = np.repeat(z, num_classes, axis=0)
    images = generator([noise, labels], training=False)
    return np.asarray(images)
