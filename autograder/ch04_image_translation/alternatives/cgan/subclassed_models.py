"""Style: subclassed keras.Model classes whose call takes the list [z, labels] / [images, labels].

Each builder defines a small keras.Model subclass (layers made in __init__, the forward pass in
call with the training flag passed to batch normalisation), builds it by calling it once on a
dummy batch (so that its weights exist for count_params, save_weights and load_weights), and
returns it. Generator: a learned Embedding of LABEL_DIM numbers. Discriminator: an Embedding of
28 * 28 numbers reshaped to a label map. Steps: the losses computed in helper functions, the two
steps decorated with @tf.function. class_grid: a comprehension that builds the batch row by row.
"""

# %% part: conditional_generator
LABEL_DIM = 16


class ConditionalGenerator(keras.Model):
    """G(z, y): [z (B, z_dim), labels (B,)] -> images (B, 28, 28, 1) in [-1, 1]."""

    def __init__(self, z_dim, num_classes, filters, **kwargs):
        super().__init__(**kwargs)
        self.z_dim = z_dim
        self.label_embedding = keras.layers.Embedding(num_classes, LABEL_DIM)
        self.project = keras.layers.Dense(7 * 7 * 4 * filters, use_bias=False)
        self.project_norm = keras.layers.BatchNormalization()
        self.to_map = keras.layers.Reshape((7, 7, 4 * filters))
        self.up1 = keras.layers.Conv2DTranspose(
            2 * filters, 4, strides=2, padding="same", use_bias=False
        )
        self.up1_norm = keras.layers.BatchNormalization()
        self.up2 = keras.layers.Conv2DTranspose(1, 4, strides=2, padding="same")

    def call(self, inputs, training=False):
        z, labels = inputs
        labels = keras.ops.cast(labels, "int32")
        h = keras.ops.concatenate([z, self.label_embedding(labels)], axis=-1)
        h = keras.ops.relu(self.project_norm(self.project(h), training=training))
        h = self.to_map(h)
        h = keras.ops.relu(self.up1_norm(self.up1(h), training=training))
        return keras.ops.tanh(self.up2(h))


def build_conditional_generator(z_dim=64, num_classes=10, filters=32):
    """Conditional DCGAN generator: [z (B, z_dim), labels (B,)] -> images (B, 28, 28, 1).

    The label becomes a vector (an Embedding of LABEL_DIM numbers per class, or a one-hot
    vector), concatenated with z; then Dense 7*7*4F, two transposed convolutions (table above)
    and a tanh, so the images lie in [-1, 1]. Returns keras.Model([z, labels], images).
    """
    generator = ConditionalGenerator(z_dim, num_classes, filters)
    generator([np.zeros((1, z_dim), np.float32), np.zeros((1,), np.int32)])  # create the weights
    return generator


# %% part: conditional_discriminator
class ConditionalDiscriminator(keras.Model):
    """D(x, y): [images (B, 28, 28, 1), labels (B,)] -> logits (B, 1)."""

    def __init__(self, num_classes, filters, **kwargs):
        super().__init__(**kwargs)
        self.label_table = keras.layers.Embedding(num_classes, 28 * 28)
        self.conv1 = keras.layers.Conv2D(filters, 4, strides=2, padding="same")
        self.conv2 = keras.layers.Conv2D(2 * filters, 4, strides=2, padding="same", use_bias=False)
        self.norm2 = keras.layers.BatchNormalization()
        self.flatten = keras.layers.Flatten()
        self.logit = keras.layers.Dense(1)

    def call(self, inputs, training=False):
        images, labels = inputs
        label_map = keras.ops.reshape(
            self.label_table(keras.ops.cast(labels, "int32")), (-1, 28, 28, 1)
        )
        h = keras.ops.concatenate([images, label_map], axis=-1)
        h = keras.ops.leaky_relu(self.conv1(h), negative_slope=0.2)
        h = keras.ops.leaky_relu(self.norm2(self.conv2(h), training=training), negative_slope=0.2)
        return self.logit(self.flatten(h))


def build_conditional_discriminator(num_classes=10, filters=32):
    """Conditional DCGAN discriminator: [images (B, 28, 28, 1), labels (B,)] -> logits (B, 1).

    The label becomes a 28 x 28 label map (an Embedding of 28 * 28 numbers per class, reshaped)
    concatenated with the image as a second channel; then two strided convolutions (table
    above) and a Dense layer with one logit. Returns keras.Model([images, labels], logits).
    """
    discriminator = ConditionalDiscriminator(num_classes, filters)
    discriminator([np.zeros((1, 28, 28, 1), np.float32), np.zeros((1,), np.int32)])
    return discriminator


# %% part: cgan_steps
def _cgan_d_loss(generator, discriminator, real_images, real_labels, z, fake_labels):
    """D's loss: real images judged with their own labels, generated ones with fake_labels."""
    fake_images = generator([z, fake_labels], training=True)
    real_logits = discriminator([real_images, real_labels], training=True)
    fake_logits = discriminator([fake_images, fake_labels], training=True)
    return discriminator_loss(real_logits, fake_logits)


def _cgan_g_loss(generator, discriminator, z, fake_labels):
    """G's loss: its images of [z, fake_labels] judged by D with the same fake_labels."""
    fake_images = generator([z, fake_labels], training=True)
    return generator_loss(discriminator([fake_images, fake_labels], training=True))


def _descend(optimizer, tape, loss, model):
    variables = model.trainable_variables
    gradients = tape.gradient(loss, variables)
    optimizer.apply_gradients(list(zip(gradients, variables)))


def make_cgan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions that each make one update and return its loss.

    d_step(real_images, real_labels, z, fake_labels): D judges the real images with their labels
    and G's images of [z, fake_labels] with fake_labels; discriminator_loss; updates D only.
    g_step(z, fake_labels): D judges G's images of [z, fake_labels] with fake_labels;
    generator_loss; updates G only. Both networks run with training=True.
    """

    @tf.function
    def d_step(real_images, real_labels, z, fake_labels):
        with tf.GradientTape() as tape:
            loss = _cgan_d_loss(generator, discriminator, real_images, real_labels, z, fake_labels)
        _descend(d_optimizer, tape, loss, discriminator)
        return loss

    @tf.function
    def g_step(z, fake_labels):
        with tf.GradientTape() as tape:
            loss = _cgan_g_loss(generator, discriminator, z, fake_labels)
        _descend(g_optimizer, tape, loss, generator)
        return loss

    return d_step, g_step


# %% part: class_grid
def class_grid(generator, z, num_classes=10):
    """Images of every class for every noise vector, in rows: one row per class.

    z: (C, z_dim), one noise vector per column. Returns a NumPy array (num_classes * C, 28, 28,
    1): image c * C + j is generator([z[j], label c]) in inference mode, from one call.
    """
    z = np.asarray(z, np.float32)
    pairs = [(z[j], c) for c in range(num_classes) for j in range(len(z))]  # row by row
    noise = np.stack([vector for vector, _label in pairs])
    labels = np.array([label for _vector, label in pairs], dtype=np.int32)
    return keras.ops.convert_to_numpy(generator([noise, labels], training=False))
