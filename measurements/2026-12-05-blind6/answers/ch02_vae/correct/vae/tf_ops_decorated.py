"""VAE, style: TensorFlow ops (tf.exp, tf.reduce_sum, tf.math.log) with a @tf.function-decorated
inner step, the KL written as 0.5 * sum(mu^2 + sigma^2 - 1 - logvar), flattened images for the
reconstruction, networks built with a loop, and tf.linspace for the interpolation."""

# %% part: sampling_layer
class GaussianSampling(keras.layers.Layer):
    """z = mean + exp(0.5 * logvar) * epsilon, with fresh standard normal noise on every call.

    seed: an integer (or None) for the layer's keras.random.SeedGenerator.
    Input: (mean, logvar), two tensors of the same shape (B, D). Output: z, shape (B, D).
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed=seed)

    def call(self, inputs):
        mean, logvar = inputs
        mean = tf.cast(mean, self.compute_dtype)
        std = tf.exp(tf.cast(logvar, self.compute_dtype) / 2.0)
        noise = keras.random.normal(tf.shape(mean), seed=self.seed_generator, dtype=self.compute_dtype)
        return mean + std * noise

# %% part: kl_divergence
def kl_divergence(mean, logvar):
    """KL(N(mean, exp(logvar)) || N(0, I)): summed over latent dimensions, averaged over images.

    mean, logvar: tensors (B, D). Returns a scalar tensor.
    """
    mean = tf.convert_to_tensor(mean)
    logvar = tf.cast(logvar, mean.dtype)
    per_image = 0.5 * tf.reduce_sum(tf.square(mean) + tf.exp(logvar) - 1.0 - logvar, axis=1)
    return tf.reduce_mean(per_image)

# %% part: vae_networks
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> [mean (B, latent_dim), logvar (B, latent_dim)]."""
    inputs = keras.Input((28, 28, 1))
    h = inputs
    for width in (filters, 2 * filters):
        h = keras.layers.Conv2D(width, (3, 3), strides=(2, 2), padding="same")(h)
        h = keras.layers.ReLU()(h)
    features = keras.layers.Flatten()(h)
    heads = [keras.layers.Dense(latent_dim, name=name)(features) for name in ("mean", "logvar")]
    return keras.Model(inputs, heads)


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    codes = keras.Input((latent_dim,))
    h = keras.layers.ReLU()(keras.layers.Dense(7 * 7 * 2 * filters)(codes))
    h = keras.layers.Reshape((7, 7, 2 * filters))(h)
    for width in (2 * filters, filters):
        h = keras.layers.Conv2DTranspose(width, (3, 3), strides=(2, 2), padding="same")(h)
        h = keras.layers.ReLU()(h)
    h = keras.layers.Conv2D(1, (3, 3), padding="same")(h)
    return keras.Model(codes, keras.layers.Activation("sigmoid")(h))

# %% part: vae_loss
def vae_loss(images, reconstructions, mean, logvar):
    """Negative ELBO of a batch: (loss, reconstruction, kl), three scalars in nats per image.

    images, reconstructions: (B, H, W, C) in [0, 1]; mean, logvar: (B, D).
    reconstruction: binary cross-entropy summed over each image's pixels, averaged over images;
    kl: kl_divergence(mean, logvar); loss = reconstruction + kl.
    """
    reconstructions = tf.convert_to_tensor(reconstructions)
    x = tf.cast(images, reconstructions.dtype)
    p = tf.clip_by_value(reconstructions, 1e-7, 1 - 1e-7)
    batch = tf.shape(x)[0]
    x_flat = tf.reshape(x, (batch, -1))
    p_flat = tf.reshape(p, (batch, -1))
    log_likelihood = tf.reduce_sum(
        x_flat * tf.math.log(p_flat) + (1 - x_flat) * tf.math.log(1 - p_flat), axis=1
    )
    reconstruction = -tf.reduce_mean(log_likelihood)
    kl = kl_divergence(mean, logvar)
    loss = reconstruction + kl
    return loss, reconstruction, kl

# %% part: train_step
def make_train_step(encoder, decoder, sampler, optimizer):
    """Return a tf.function step(images) doing one update of both networks.

    images: (B, 28, 28, 1) in [0, 1]. The step returns (loss, reconstruction, kl) of vae_loss,
    computed before the update.
    """

    @tf.function
    def step(images):
        with tf.GradientTape() as tape:
            mean, logvar = encoder(images, training=True)
            z = sampler((mean, logvar), training=True)
            terms = vae_loss(images, decoder(z, training=True), mean, logvar)
        weights = encoder.trainable_variables + decoder.trainable_variables
        grads = tape.gradient(terms[0], weights)
        optimizer.apply_gradients(list(zip(grads, weights)))
        return terms

    return step

# %% part: generation
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    _batch, latent_dim = decoder.input_shape
    codes = keras.random.normal(shape=(n, latent_dim), mean=0.0, stddev=1.0, seed=seed)
    images = decoder(codes, training=False)
    return np.asarray(keras.ops.convert_to_numpy(images))


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    """Decode (1 - t) * mean_a + t * mean_b for t = 0, ..., 1 (steps values): (steps, 28, 28, 1).

    image_a, image_b: single images (28, 28, 1) in [0, 1].
    """
    mean_a = encoder(tf.convert_to_tensor(image_a, tf.float32)[None], training=False)[0]
    mean_b = encoder(tf.convert_to_tensor(image_b, tf.float32)[None], training=False)[0]
    t = tf.reshape(tf.linspace(0.0, 1.0, steps), (-1, 1))
    codes = (1.0 - t) * mean_a + t * mean_b  # (1, D) rows broadcast to (steps, D)
    return keras.ops.convert_to_numpy(decoder(codes, training=False))
