"""PART: generation
MISTAKE: sample_prior draws the codes with NumPy's generator instead of keras.random.normal(seed=seed), so they are not the documented codes for that seed.
Built on correct/vae/tf_ops.py, with only this change.
"""

# %% part: sampling_layer
class GaussianSampling(keras.layers.Layer):
    """z = mean + exp(0.5 * logvar) * epsilon, with fresh standard normal noise on every call.

    seed: an integer (or None) for the layer's keras.random.SeedGenerator.
    Input: (mean, logvar), two tensors of the same shape (B, D). Output: z, shape (B, D).
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self._noise_seed = keras.random.SeedGenerator(seed=seed)

    def call(self, inputs):
        mean, logvar = inputs
        mean = tf.cast(mean, self.compute_dtype)
        std = tf.exp(tf.cast(logvar, self.compute_dtype) / 2.0)
        eps = keras.random.normal(tf.shape(mean), seed=self._noise_seed, dtype=self.compute_dtype)
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
    inputs = keras.Input(shape=(28, 28, 1), name="images")
    x = inputs
    for width in (filters, filters * 2):
        x = keras.layers.Conv2D(width, 3, strides=2, padding="same")(x)
        x = keras.layers.ReLU()(x)
    features = keras.layers.Flatten()(x)
    heads = [keras.layers.Dense(latent_dim, name=name)(features) for name in ("mean", "logvar")]
    return keras.Model(inputs=inputs, outputs=heads)


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    inputs = keras.Input(shape=(latent_dim,), name="z")
    x = keras.layers.Dense(7 * 7 * filters * 2)(inputs)
    x = keras.layers.ReLU()(x)
    x = keras.layers.Reshape((7, 7, filters * 2))(x)
    for width in (filters * 2, filters):
        x = keras.layers.Conv2DTranspose(width, 3, strides=2, padding="same")(x)
        x = keras.layers.ReLU()(x)
    x = keras.layers.Conv2D(1, 3, padding="same")(x)
    outputs = keras.layers.Activation("sigmoid")(x)
    return keras.Model(inputs=inputs, outputs=outputs)

# %% part: vae_loss
def vae_loss(images, reconstructions, mean, logvar):
    """Negative ELBO of a batch: (loss, reconstruction, kl), three scalars in nats per image.

    images, reconstructions: (B, H, W, C) in [0, 1]; mean, logvar: (B, D).
    reconstruction: binary cross-entropy summed over each image's pixels, averaged over images;
    kl: kl_divergence(mean, logvar); loss = reconstruction + kl.
    """
    reconstructions = tf.convert_to_tensor(reconstructions)
    images = tf.cast(images, reconstructions.dtype)
    p = tf.clip_by_value(reconstructions, 1e-7, 1.0 - 1e-7)
    log_likelihood = images * tf.math.log(p) + (1.0 - images) * tf.math.log1p(-p)
    reconstruction = -tf.reduce_mean(tf.reduce_sum(log_likelihood, axis=[1, 2, 3]))
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
        with tf.GradientTape(persistent=True) as tape:
            mean, logvar = encoder(images, training=True)
            reconstructions = decoder(sampler([mean, logvar]), training=True)
            terms = vae_loss(images, reconstructions, mean, logvar)
        enc_vars = encoder.trainable_variables
        dec_vars = decoder.trainable_variables
        enc_grads = tape.gradient(terms[0], enc_vars)
        dec_grads = tape.gradient(terms[0], dec_vars)
        del tape
        optimizer.apply_gradients(list(zip(enc_grads + dec_grads, enc_vars + dec_vars)))
        return terms

    return tf.function(step)

# %% part: generation
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    _batch, latent_dim = decoder.input_shape
    codes = np.random.default_rng(seed).normal(size=(n, latent_dim)).astype("float32")
    return np.asarray(decoder.predict(codes, verbose=0))


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    """Decode (1 - t) * mean_a + t * mean_b for t = 0, ..., 1 (steps values): (steps, 28, 28, 1).

    image_a, image_b: single images (28, 28, 1) in [0, 1].
    """
    mean_a = encoder(tf.convert_to_tensor(image_a, tf.float32)[None])[0][0]
    mean_b = encoder(tf.convert_to_tensor(image_b, tf.float32)[None])[0][0]
    codes = tf.stack([mean_a + (mean_b - mean_a) * (k / (steps - 1)) for k in range(steps)]) \
        if steps > 1 else mean_a[None]
    return np.asarray(keras.ops.convert_to_numpy(decoder(codes)))
