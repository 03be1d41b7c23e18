"""PART: conditional_discriminator
MISTAKE: The discriminator's LeakyReLUs use Keras's default slope (0.3) instead of 0.2.
Built on correct/cgan/subclassed_lookup_loops.py, with that one mistake.
"""

# %% part: conditional_generator
LABEL_DIM = 16


class LabelLookup(keras.layers.Layer):
    """labels (B,) int -> (B, *shape): one trainable table row per class (an embedding)."""

    def __init__(self, num_classes, shape, **kwargs):
        super().__init__(**kwargs)
        self.num_classes = int(num_classes)
        self.row_shape = tuple(int(s) for s in shape)

    def build(self, input_shape):
        size = 1
        for s in self.row_shape:
            size *= s
        self.table = self.add_weight(
            shape=(self.num_classes, size),
            initializer=keras.initializers.RandomUniform(-0.05, 0.05),
            trainable=True,
            name="table",
        )

    def call(self, labels):
        rows = keras.ops.take(self.table, keras.ops.cast(labels, "int32"), axis=0)
        return keras.ops.reshape(rows, (-1, *self.row_shape))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *self.row_shape)

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes, "shape": self.row_shape}


def build_conditional_generator(z_dim=64, num_classes=10, filters=32):
    """Conditional DCGAN generator: [z (B, z_dim), labels (B,)] -> images (B, 28, 28, 1).

    The label becomes a vector (an Embedding of LABEL_DIM numbers per class, or a one-hot
    vector), concatenated with z; then Dense 7*7*4F, two transposed convolutions (table above)
    and a tanh, so the images lie in [-1, 1]. Returns keras.Model([z, labels], images).
    """
    z = keras.Input(shape=(z_dim,))
    labels = keras.Input(shape=(), dtype="int32")
    h = keras.layers.concatenate([z, LabelLookup(num_classes, (LABEL_DIM,))(labels)])
    h = keras.layers.Dense(7 * 7 * 4 * filters, use_bias=False)(h)
    h = keras.layers.BatchNormalization()(h)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.Reshape((7, 7, 4 * filters))(h)
    # (filters, activation, normalise): 14 x 14 then 28 x 28
    for width, activation, normalise in ((2 * filters, "relu", True), (1, "tanh", False)):
        h = keras.layers.Conv2DTranspose(
            width, 4, strides=2, padding="same", use_bias=not normalise
        )(h)
        if normalise:
            h = keras.layers.BatchNormalization()(h)
        h = keras.layers.Activation(activation)(h)
    return keras.Model(inputs=[z, labels], outputs=h)


# %% part: conditional_discriminator
def build_conditional_discriminator(num_classes=10, filters=32):
    """Conditional DCGAN discriminator: [images (B, 28, 28, 1), labels (B,)] -> logits (B, 1).

    The label becomes a 28 x 28 label map (an Embedding of 28 * 28 numbers per class, reshaped)
    concatenated with the image as a second channel; then two strided convolutions (table
    above) and a Dense layer with one logit. Returns keras.Model([images, labels], logits).
    """
    images = keras.Input(shape=(28, 28, 1))
    labels = keras.Input(shape=(), dtype="int32")
    label_map = LabelLookup(num_classes, (28, 28, 1))(labels)
    h = keras.layers.concatenate([images, label_map], axis=3)
    for width, normalise in ((filters, False), (2 * filters, True)):
        h = keras.layers.Conv2D(width, 4, strides=2, padding="same", use_bias=not normalise)(h)
        if normalise:
            h = keras.layers.BatchNormalization()(h)
        h = keras.layers.LeakyReLU()(h)
    logits = keras.layers.Dense(1)(keras.layers.Flatten()(h))
    return keras.Model(inputs=[images, labels], outputs=logits)


# %% part: cgan_steps
def make_cgan_steps(generator, discriminator, g_optimizer, d_optimizer):
    """Return (d_step, g_step), two tf.functions that each make one update and return its loss.

    d_step(real_images, real_labels, z, fake_labels): D judges the real images with their labels
    and G's images of [z, fake_labels] with fake_labels; discriminator_loss; updates D only.
    g_step(z, fake_labels): D judges G's images of [z, fake_labels] with fake_labels;
    generator_loss; updates G only. Both networks run with training=True.
    """
    images_spec = tf.TensorSpec([None, 28, 28, 1], tf.float32)
    z_spec = tf.TensorSpec([None, None], tf.float32)
    labels_spec = tf.TensorSpec([None], tf.int32)

    @tf.function(input_signature=[images_spec, labels_spec, z_spec, labels_spec])
    def d_step(real_images, real_labels, z, fake_labels):
        with tf.GradientTape(persistent=True) as tape:
            fake_images = generator([z, fake_labels], training=True)
            both_logits = (
                discriminator([real_images, real_labels], training=True),
                discriminator([fake_images, fake_labels], training=True),
            )
            loss = discriminator_loss(*both_logits)
        variables = discriminator.trainable_variables
        grads = tape.gradient(loss, variables)
        del tape
        d_optimizer.apply_gradients(list(zip(grads, variables)))
        return loss

    @tf.function(input_signature=[z_spec, labels_spec])
    def g_step(z, fake_labels):
        with tf.GradientTape(persistent=True) as tape:
            logits = discriminator([generator([z, fake_labels], training=True), fake_labels],
                                   training=True)
            loss = generator_loss(logits)
        variables = generator.trainable_variables
        grads = tape.gradient(loss, variables)
        del tape
        g_optimizer.apply_gradients(list(zip(grads, variables)))
        return loss

    return d_step, g_step


# %% part: class_grid
def class_grid(generator, z, num_classes=10):
    """Images of every class for every noise vector, in rows: one row per class.

    z: (C, z_dim), one noise vector per column. Returns a NumPy array (num_classes * C, 28, 28,
    1): image c * C + j is generator([z[j], label c]) in inference mode, from one call.
    """
    z = np.asarray(z, np.float32)
    label_of, column_of = [], []
    for c in range(num_classes):  # row c
        for j in range(z.shape[0]):  # column j
            label_of.append(c)
            column_of.append(j)
    labels = np.array(label_of, dtype=np.int32)
    batch = z[np.array(column_of, dtype=np.int64)]
    out = generator([batch, labels], training=False)
    return keras.ops.convert_to_numpy(out)
