"""PART: vae_loss
MISTAKE: The cross-entropy is summed over height and width only, so with several channels it is averaged over them instead of summed.
Built on correct/vae/tf_ops_wrapped.py with this one change.
"""

# %% part: sampling_layer
class GaussianSampling(keras.layers.Layer):
    """z = mean + exp(0.5 * logvar) * epsilon, with fresh standard normal noise on every call.

    seed: an integer (or None) for the layer's keras.random.SeedGenerator.
    Input: (mean, logvar), two tensors of the same shape (B, D). Output: z, shape (B, D).
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.noise = keras.random.SeedGenerator(seed=seed)

    def call(self, inputs):
        mean, logvar = inputs
        dtype = self.compute_dtype
        mean = tf.cast(mean, dtype)
        std = tf.exp(tf.cast(logvar, dtype) / 2.0)
        eps = keras.random.normal(tf.shape(mean), mean=0.0, stddev=1.0, dtype=dtype, seed=self.noise)
        return mean + std * eps

# %% part: kl_divergence
def kl_divergence(mean, logvar):
    """KL(N(mean, exp(logvar)) || N(0, I)): summed over latent dimensions, averaged over images.

    mean, logvar: tensors (B, D). Returns a scalar tensor.
    """
    mean = tf.convert_to_tensor(mean)
    logvar = tf.convert_to_tensor(logvar)
    variance = tf.exp(logvar)
    per_dim = 0.5 * (variance + tf.square(mean) - 1.0 - logvar)
    return tf.reduce_mean(tf.reduce_sum(per_dim, axis=1))

# %% part: vae_networks
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> [mean (B, latent_dim), logvar (B, latent_dim)]."""
    inputs = keras.Input((28, 28, 1), name="images")
    h = inputs
    for width in (filters, 2 * filters):
        h = keras.layers.Conv2D(width, (3, 3), strides=(2, 2), padding="same")(h)
        h = keras.layers.Activation("relu")(h)
    h = keras.layers.Flatten()(h)
    mean = keras.layers.Dense(latent_dim, activation=None, name="z_mean")(h)
    logvar = keras.layers.Dense(latent_dim, activation=None, name="z_logvar")(h)
    return keras.Model(inputs=inputs, outputs=[mean, logvar])


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    inputs = keras.Input((latent_dim,), name="z")
    h = keras.layers.Dense(7 * 7 * filters * 2)(inputs)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.Reshape((7, 7, filters * 2))(h)
    for width in (filters * 2, filters):
        h = keras.layers.Conv2DTranspose(width, (3, 3), strides=(2, 2), padding="same")(h)
        h = keras.layers.Activation("relu")(h)
    h = keras.layers.Conv2D(1, (3, 3), padding="same")(h)
    outputs = keras.layers.Activation("sigmoid")(h)
    return keras.Model(inputs=inputs, outputs=outputs)

# %% part: vae_loss
def vae_loss(images, reconstructions, mean, logvar):
    """Negative ELBO of a batch: (loss, reconstruction, kl), three scalars in nats per image.

    images, reconstructions: (B, H, W, C) in [0, 1]; mean, logvar: (B, D).
    reconstruction: binary cross-entropy summed over each image's pixels, averaged over images;
    kl: kl_divergence(mean, logvar); loss = reconstruction + kl.
    """
    x = tf.cast(images, tf.float32)
    p = tf.clip_by_value(tf.cast(reconstructions, tf.float32), 1e-7, 1 - 1e-7)
    log_likelihood = x * tf.math.log(p) + (1.0 - x) * tf.math.log(1.0 - p)
    per_image = -tf.reduce_sum(log_likelihood, axis=[1, 2])
    reconstruction = tf.reduce_mean(per_image)
    kl = tf.cast(kl_divergence(mean, logvar), tf.float32)
    loss = reconstruction + kl
    return loss, reconstruction, kl

# %% part: train_step
def make_train_step(encoder, decoder, sampler, optimizer):
    """Return a tf.function step(images) doing one update of both networks.

    images: (B, 28, 28, 1) in [0, 1]. The step returns (loss, reconstruction, kl) of vae_loss,
    computed before the update.
    """
    variables = list(encoder.trainable_variables) + list(decoder.trainable_variables)

    def step(images):
        with tf.GradientTape() as tape:
            outputs = encoder(images, training=True)
            mean, logvar = outputs[0], outputs[1]
            z = sampler((mean, logvar))
            decoded = decoder(z, training=True)
            terms = vae_loss(images, decoded, mean, logvar)
        grads = tape.gradient(terms[0], variables)
        optimizer.apply(grads, variables)
        return terms

    return tf.function(step)

# %% part: generation
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    _batch, latent_dim = decoder.input_shape
    z = keras.random.normal(shape=(n, latent_dim), mean=0.0, stddev=1.0, seed=seed)
    return np.asarray(decoder.predict(z, batch_size=1000, verbose=0))


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    """Decode (1 - t) * mean_a + t * mean_b for t = 0, ..., 1 (steps values): (steps, 28, 28, 1).

    image_a, image_b: single images (28, 28, 1) in [0, 1].
    """
    mean_a = encoder(image_a[None, ...], training=False)[0][0]
    mean_b = encoder(image_b[None, ...], training=False)[0][0]
    frames = []
    for k in range(steps):
        t = k / (steps - 1) if steps > 1 else 0.0
        z = (1.0 - t) * mean_a + t * mean_b
        frames.append(keras.ops.convert_to_numpy(decoder(tf.reshape(z, (1, -1)), training=False))[0])
    return np.stack(frames)
