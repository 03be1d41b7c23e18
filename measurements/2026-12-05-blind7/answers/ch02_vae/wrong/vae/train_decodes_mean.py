"""PART: train_step
MISTAKE: Draws z but decodes the mean, so the decoder never sees the sampling noise.
Built on correct/vae/tf_ops_wrapped.py.
"""

# %% part: sampling_layer
class GaussianSampling(keras.layers.Layer):
    """z = mean + exp(0.5 * logvar) * epsilon, with fresh standard normal noise on every call.

    seed: an integer (or None) for the layer's keras.random.SeedGenerator.
    Input: (mean, logvar), two tensors of the same shape (B, D). Output: z, shape (B, D).
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self._noise = keras.random.SeedGenerator(seed=seed)

    def call(self, inputs):
        mean, logvar = inputs
        mean = tf.cast(mean, self.compute_dtype)
        std = tf.exp(tf.cast(logvar, self.compute_dtype) / 2.0)
        eps = keras.random.normal(tf.shape(mean), seed=self._noise, dtype=self.compute_dtype)
        return mean + std * eps

# %% part: kl_divergence
def kl_divergence(mean, logvar):
    """KL(N(mean, exp(logvar)) || N(0, I)): summed over latent dimensions, averaged over images.

    mean, logvar: tensors (B, D). Returns a scalar tensor.
    """
    mean = tf.convert_to_tensor(mean)
    logvar = tf.convert_to_tensor(logvar)
    variance = tf.exp(logvar)
    kl_per_image = 0.5 * tf.reduce_sum(variance + mean * mean - 1.0 - logvar, axis=1)
    return tf.reduce_mean(kl_per_image)

# %% part: vae_networks
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> [mean (B, latent_dim), logvar (B, latent_dim)]."""
    x_in = keras.Input((28, 28, 1))
    h = keras.layers.Conv2D(filters, (3, 3), strides=(2, 2), padding="same")(x_in)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.Conv2D(filters * 2, (3, 3), strides=(2, 2), padding="same")(h)
    h = keras.layers.Activation("relu")(h)
    features = keras.layers.Flatten()(h)
    z_mean = keras.layers.Dense(latent_dim, activation="linear")(features)
    z_logvar = keras.layers.Dense(latent_dim, activation="linear")(features)
    return keras.Model(inputs=x_in, outputs=[z_mean, z_logvar])


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    z_in = keras.Input((latent_dim,))
    h = keras.layers.Dense(7 * 7 * filters * 2)(z_in)
    h = keras.layers.ReLU()(h)
    h = keras.layers.Reshape((7, 7, filters * 2))(h)
    h = keras.layers.Conv2DTranspose(filters * 2, (3, 3), strides=(2, 2), padding="same")(h)
    h = keras.layers.ReLU()(h)
    h = keras.layers.Conv2DTranspose(filters, (3, 3), strides=(2, 2), padding="same")(h)
    h = keras.layers.ReLU()(h)
    h = keras.layers.Conv2D(1, (3, 3), padding="same")(h)
    x_out = keras.layers.Activation("sigmoid")(h)
    return keras.Model(inputs=z_in, outputs=x_out)

# %% part: vae_loss
def vae_loss(images, reconstructions, mean, logvar):
    """Negative ELBO of a batch: (loss, reconstruction, kl), three scalars in nats per image.

    images, reconstructions: (B, H, W, C) in [0, 1]; mean, logvar: (B, D).
    reconstruction: binary cross-entropy summed over each image's pixels, averaged over images;
    kl: kl_divergence(mean, logvar); loss = reconstruction + kl.
    """
    x = tf.cast(images, tf.float32)
    x_hat = tf.clip_by_value(tf.cast(reconstructions, tf.float32), 1e-7, 1.0 - 1e-7)
    log_likelihood = x * tf.math.log(x_hat) + (1.0 - x) * tf.math.log(1.0 - x_hat)
    rec = -tf.reduce_mean(tf.reduce_sum(log_likelihood, axis=[1, 2, 3]))
    kl = kl_divergence(mean, logvar)
    return rec + kl, rec, kl

# %% part: train_step
def make_train_step(encoder, decoder, sampler, optimizer):
    """Return a tf.function step(images) doing one update of both networks.

    images: (B, 28, 28, 1) in [0, 1]. The step returns (loss, reconstruction, kl) of vae_loss,
    computed before the update.
    """

    def step(images):
        with tf.GradientTape() as tape:
            z_mean, z_logvar = encoder(images, training=True)
            z = sampler([z_mean, z_logvar], training=True)
            x_hat = decoder(z_mean, training=True)
            total, rec, kl = vae_loss(images, x_hat, z_mean, z_logvar)
        params = encoder.trainable_variables + decoder.trainable_variables
        grads = tape.gradient(total, params)
        optimizer.apply_gradients(list(zip(grads, params)))
        return total, rec, kl

    return tf.function(step)

# %% part: generation
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    _batch, latent_dim = decoder.input_shape
    z = keras.random.normal(shape=(n, latent_dim), mean=0.0, stddev=1.0, seed=seed)
    return np.asarray(decoder.predict(z, verbose=0))


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    """Decode (1 - t) * mean_a + t * mean_b for t = 0, ..., 1 (steps values): (steps, 28, 28, 1).

    image_a, image_b: single images (28, 28, 1) in [0, 1].
    """
    mean_a = keras.ops.convert_to_numpy(encoder(image_a[None], training=False)[0])[0]
    mean_b = keras.ops.convert_to_numpy(encoder(image_b[None], training=False)[0])[0]
    codes = []
    for k in range(steps):
        t = k / (steps - 1) if steps > 1 else 0.0
        codes.append((1 - t) * mean_a + t * mean_b)
    codes = np.array(codes, dtype=np.float32)
    return np.asarray(decoder.predict(codes, verbose=0))
