"""Style: one-hot labels with keras.layers.CategoryEncoding, everything as layers.

Generator: CategoryEncoding(num_tokens=num_classes, output_mode="one_hot") turns the labels into
one-hot vectors, joined to z; the rest layer by layer. Discriminator: the one-hot vector reshaped
to (1, 1, K) and spread over the 28 x 28 grid with UpSampling2D(size=28), so the label enters as
K channels of 0s and 1s beside the image. Steps: tapes that watch only the updated model's
variables (watch_accessed_variables=False), tf.function(reduce_retracing=True), and
optimizer.apply. class_grid: np.meshgrid of (class, column) indices and fancy indexing of z.
"""

# %% part: conditional_generator
LABEL_DIM = 16


def build_conditional_generator(z_dim=64, num_classes=10, filters=32):
    """Conditional DCGAN generator: [z (B, z_dim), labels (B,)] -> images (B, 28, 28, 1).

    The label becomes a vector (an Embedding of LABEL_DIM numbers per class, or a one-hot
    vector), concatenated with z; then Dense 7*7*4F, two transposed convolutions (table above)
    and a tanh, so the images lie in [-1, 1]. Returns keras.Model([z, labels], images).
    """
    from keras import layers

    z_in = keras.Input((z_dim,), dtype="float32")
    label_in = keras.Input((), dtype="int32")
    label_1hot = layers.CategoryEncoding(num_tokens=num_classes, output_mode="one_hot")(label_in)
    joined = layers.Concatenate(axis=1)([z_in, label_1hot])  # (B, z_dim + num_classes)

    dense = layers.Dense(units=4 * filters * 7 * 7, use_bias=False)(joined)
    dense = layers.ReLU()(layers.BatchNormalization()(dense))
    grid = layers.Reshape(target_shape=(7, 7, 4 * filters))(dense)

    up = layers.Conv2DTranspose(
        filters=2 * filters, kernel_size=4, strides=2, padding="same", use_bias=False
    )(grid)
    up = layers.ReLU()(layers.BatchNormalization()(up))

    out = layers.Conv2DTranspose(
        filters=1, kernel_size=4, strides=2, padding="same", activation=keras.activations.tanh
    )(up)
    return keras.Model(inputs=[z_in, label_in], outputs=out)


# %% part: conditional_discriminator
def build_conditional_discriminator(num_classes=10, filters=32):
    """Conditional DCGAN discriminator: [images (B, 28, 28, 1), labels (B,)] -> logits (B, 1).

    The label becomes a 28 x 28 label map (an Embedding of 28 * 28 numbers per class, reshaped)
    concatenated with the image as a second channel; then two strided convolutions (table
    above) and a Dense layer with one logit. Returns keras.Model([images, labels], logits).
    """
    from keras import layers

    image_in = keras.Input((28, 28, 1))
    label_in = keras.Input((), dtype="int32")
    label_1hot = layers.CategoryEncoding(num_tokens=num_classes, output_mode="one_hot")(label_in)
    label_planes = layers.Reshape((1, 1, num_classes))(label_1hot)
    label_planes = layers.UpSampling2D(size=(28, 28))(label_planes)  # (B, 28, 28, K)
    x = layers.Concatenate(axis=3)([image_in, label_planes])

    x = layers.Conv2D(filters=filters, kernel_size=4, strides=2, padding="same")(x)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    x = layers.Conv2D(filters=2 * filters, kernel_size=4, strides=2, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    logit = layers.Dense(units=1)(layers.Flatten()(x))
    return keras.Model(inputs=[image_in, label_in], outputs=logit)


# %% part: cgan_steps
def make_cgan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions that each make one update and return its loss.

    d_step(real_images, real_labels, z, fake_labels): D judges the real images with their labels
    and G's images of [z, fake_labels] with fake_labels; discriminator_loss; updates D only.
    g_step(z, fake_labels): D judges G's images of [z, fake_labels] with fake_labels;
    generator_loss; updates G only. Both networks run with training=True.
    """
    d_vars = discriminator.trainable_variables
    g_vars = generator.trainable_variables
    # Keras 3 variables wrap a tf.Variable (.value): that is what a tape can watch.
    d_watched = [v.value for v in d_vars]
    g_watched = [v.value for v in g_vars]

    @tf.function(reduce_retracing=True)
    def d_step(real_images, real_labels, z, fake_labels):
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            tape.watch(d_watched)
            fakes = generator([z, fake_labels], training=True)
            on_real = discriminator([real_images, real_labels], training=True)
            on_fake = discriminator([fakes, fake_labels], training=True)
            d_loss = discriminator_loss(on_real, on_fake)
        d_optimizer.apply(tape.gradient(d_loss, d_watched), d_vars)
        return d_loss

    @tf.function(reduce_retracing=True)
    def g_step(z, fake_labels):
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            tape.watch(g_watched)
            fakes = generator([z, fake_labels], training=True)
            g_loss = generator_loss(discriminator([fakes, fake_labels], training=True))
        g_optimizer.apply(tape.gradient(g_loss, g_watched), g_vars)
        return g_loss

    return d_step, g_step


# %% part: class_grid
def class_grid(generator, z, num_classes=10):
    """Images of every class for every noise vector, in rows: one row per class.

    z: (C, z_dim), one noise vector per column. Returns a NumPy array (num_classes * C, 28, 28,
    1): image c * C + j is generator([z[j], label c]) in inference mode, from one call.
    """
    z = np.asarray(z, dtype="float32")
    classes, columns = np.meshgrid(np.arange(num_classes), np.arange(z.shape[0]), indexing="ij")
    labels = classes.reshape(-1).astype("int32")  # row-major: class c, then column j
    noise = z[columns.reshape(-1)]
    out = generator([noise, labels], training=False)
    return np.array(out)
