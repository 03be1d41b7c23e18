"""PART: kl_divergence
MISTAKE: Uses the standard deviation exp(0.5 * logvar) where the formula has the variance sigma^2 = exp(logvar) (still 0 at the prior).
Built on correct/vae/tf_ops.py, otherwise unchanged."""

# %% part: sampling_layer
class GaussianSampling(keras.layers.Layer):
    """z = mean + exp(0.5 * logvar) * epsilon, with fresh standard normal noise on every call.

    seed: an integer (or None) for the layer's keras.random.SeedGenerator.
    Input: (mean, logvar), two tensors of the same shape (B, D). Output: z, shape (B, D).
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self._seed = seed
        self.noise_seed = keras.random.SeedGenerator(seed=seed)

    def call(self, inputs):
        mean, logvar = inputs
        mean = tf.cast(mean, self.compute_dtype)
        std = tf.exp(0.5 * tf.cast(logvar, self.compute_dtype))
        eps = keras.random.normal(tf.shape(mean), mean=0.0, stddev=1.0,
                                  dtype=self.compute_dtype, seed=self.noise_seed)
        return mean + std * eps


# %% part: kl_divergence
def kl_divergence(mean, logvar):
    """KL(N(mean, exp(logvar)) || N(0, I)): summed over latent dimensions, averaged over images.

    mean, logvar: tensors (B, D). Returns a scalar tensor.
    """
    mean = tf.convert_to_tensor(mean, tf.float32)
    logvar = tf.convert_to_tensor(logvar, tf.float32)
    variance = tf.exp(0.5 * logvar)
    kl_per_image = 0.5 * tf.reduce_sum(variance + tf.square(mean) - 1.0 - logvar, axis=1)
    return tf.reduce_mean(kl_per_image)


# %% part: vae_networks
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> [mean (B, latent_dim), logvar (B, latent_dim)]."""
    inputs = keras.Input((28, 28, 1))
    h = inputs
    for width in [filters, 2 * filters]:
        h = keras.layers.Conv2D(width, (3, 3), strides=2, padding="same")(h)
        h = keras.layers.Activation("relu")(h)
    features = keras.layers.Flatten()(h)
    z_mean = keras.layers.Dense(latent_dim, name="z_mean")(features)
    z_logvar = keras.layers.Dense(latent_dim, name="z_log_var")(features)
    return keras.Model(inputs=inputs, outputs=[z_mean, z_logvar])


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    inputs = keras.Input((latent_dim,))
    h = keras.layers.Dense(7 * 7 * (2 * filters))(inputs)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.Reshape((7, 7, 2 * filters))(h)
    for width in [2 * filters, filters]:
        h = keras.layers.Conv2DTranspose(width, (3, 3), strides=2, padding="same")(h)
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
    batch = tf.shape(x)[0]
    x = tf.reshape(x, [batch, -1])
    p = tf.reshape(p, [batch, -1])
    log_likelihood = tf.reduce_sum(x * tf.math.log(p) + (1 - x) * tf.math.log(1 - p), axis=1)
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

    def step(images):
        with tf.GradientTape() as tape:
            z_mean, z_logvar = encoder(images, training=True)
            z = sampler([z_mean, z_logvar])
            decoded = decoder(z, training=True)
            terms = vae_loss(images, decoded, z_mean, z_logvar)
        enc_vars = encoder.trainable_variables
        dec_vars = decoder.trainable_variables
        enc_grads, dec_grads = tape.gradient(terms[0], [enc_vars, dec_vars])
        optimizer.apply(list(enc_grads) + list(dec_grads), enc_vars + dec_vars)
        return terms

    return tf.function(step)


# %% part: generation
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    _batch, latent_dim = decoder.input_shape
    z = keras.random.normal(shape=(n, latent_dim), mean=0.0, stddev=1.0, seed=seed)
    return decoder.predict(z, batch_size=500, verbose=0)


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    """Decode (1 - t) * mean_a + t * mean_b for t = 0, ..., 1 (steps values): (steps, 28, 28, 1).

    image_a, image_b: single images (28, 28, 1) in [0, 1].
    """
    mean_a = encoder(tf.convert_to_tensor(image_a[None], tf.float32), training=False)[0][0]
    mean_b = encoder(tf.convert_to_tensor(image_b[None], tf.float32), training=False)[0][0]
    frames = []
    for k in range(steps):
        t = k / (steps - 1) if steps > 1 else 0.0
        z = (1.0 - t) * mean_a + t * mean_b
        frames.append(decoder(z[None], training=False)[0])
    return np.stack([keras.ops.convert_to_numpy(f) for f in frames])
