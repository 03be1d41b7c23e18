"""Style: a functional front that joins the label, then a keras.Sequential trunk.

Each network is a functional keras.Model: its inputs, the label turned into a vector / map
(Embedding(num_classes, LABEL_DIM) flattened for G; Embedding(num_classes, 28 * 28) reshaped for
D) and the concatenation; then the unconditional chapter-3 body as one keras.Sequential block
called on the joined tensor. Steps: one generic factory that wraps "loss of a batch" into a
tf.function that differentiates it and updates one model. class_grid: keras.ops.repeat and
keras.ops.tile.
"""

# %% part: conditional_generator
LABEL_DIM = 16


def build_conditional_generator(z_dim=64, num_classes=10, filters=32):
    """Conditional DCGAN generator: [z (B, z_dim), labels (B,)] -> images (B, 28, 28, 1).

    The label becomes a vector (an Embedding of LABEL_DIM numbers per class, or a one-hot
    vector), concatenated with z; then Dense 7*7*4F, two transposed convolutions (table above)
    and a tanh, so the images lie in [-1, 1]. Returns keras.Model([z, labels], images).
    """
    L = keras.layers
    z = keras.Input(shape=(z_dim,))
    labels = keras.Input(shape=(), dtype="int32")
    label_vector = L.Flatten()(L.Embedding(input_dim=num_classes, output_dim=LABEL_DIM)(labels))
    body = keras.Sequential(
        [
            L.Dense(7 * 7 * 4 * filters, use_bias=False),
            L.BatchNormalization(),
            L.Activation("relu"),
            L.Reshape((7, 7, 4 * filters)),
            L.Conv2DTranspose(2 * filters, 4, strides=2, padding="same", use_bias=False),
            L.BatchNormalization(),
            L.Activation("relu"),
            L.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh"),
        ],
        name="dcgan_body",
    )
    images = body(L.concatenate([z, label_vector]))
    return keras.Model([z, labels], images)


# %% part: conditional_discriminator
def build_conditional_discriminator(num_classes=10, filters=32):
    """Conditional DCGAN discriminator: [images (B, 28, 28, 1), labels (B,)] -> logits (B, 1).

    The label becomes a 28 x 28 label map (an Embedding of 28 * 28 numbers per class, reshaped)
    concatenated with the image as a second channel; then two strided convolutions (table
    above) and a Dense layer with one logit. Returns keras.Model([images, labels], logits).
    """
    L = keras.layers
    images = keras.Input(shape=(28, 28, 1))
    labels = keras.Input(shape=(), dtype="int32")
    label_map = L.Reshape((28, 28, 1))(L.Embedding(input_dim=num_classes, output_dim=784)(labels))
    body = keras.Sequential(
        [
            L.Conv2D(filters, 4, strides=2, padding="same"),
            L.LeakyReLU(negative_slope=0.2),
            L.Conv2D(2 * filters, 4, strides=2, padding="same", use_bias=False),
            L.BatchNormalization(),
            L.LeakyReLU(negative_slope=0.2),
            L.Flatten(),
            L.Dense(1),
        ],
        name="dcgan_critic_body",
    )
    logits = body(L.concatenate([images, label_map], axis=-1))
    return keras.Model([images, labels], logits)


# %% part: cgan_steps
def make_cgan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions that each make one update and return its loss.

    d_step(real_images, real_labels, z, fake_labels): D judges the real images with their labels
    and G's images of [z, fake_labels] with fake_labels; discriminator_loss; updates D only.
    g_step(z, fake_labels): D judges G's images of [z, fake_labels] with fake_labels;
    generator_loss; updates G only. Both networks run with training=True.
    """

    def update(model, optimizer, loss_of_batch):
        """A tf.function that computes loss_of_batch(*batch) and takes one step on model only."""

        def step(*batch):
            with tf.GradientTape() as tape:
                loss = loss_of_batch(*batch)
            variables = model.trainable_variables
            optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
            return loss

        return tf.function(step)

    def d_loss_of(real_images, real_labels, z, fake_labels):
        fake_images = generator([z, fake_labels], training=True)
        return discriminator_loss(
            discriminator([real_images, real_labels], training=True),
            discriminator([fake_images, fake_labels], training=True),
        )

    def g_loss_of(z, fake_labels):
        fake_images = generator([z, fake_labels], training=True)
        return generator_loss(discriminator([fake_images, fake_labels], training=True))

    d_step = update(discriminator, d_optimizer, d_loss_of)
    g_step = update(generator, g_optimizer, g_loss_of)
    return d_step, g_step


# %% part: class_grid
def class_grid(generator, z, num_classes=10):
    """Images of every class for every noise vector, in rows: one row per class.

    z: (C, z_dim), one noise vector per column. Returns a NumPy array (num_classes * C, 28, 28,
    1): image c * C + j is generator([z[j], label c]) in inference mode, from one call.
    """
    ops = keras.ops
    z = ops.convert_to_tensor(z, dtype="float32")
    columns = ops.shape(z)[0]
    labels = ops.repeat(ops.arange(num_classes, dtype="int32"), columns)
    noise = ops.tile(z, (num_classes, 1))
    return ops.convert_to_numpy(generator([noise, labels], training=False))
