"""PART: vae_loss
MISTAKE: The reconstructions are not clipped to [1e-7, 1 - 1e-7] before the logarithms, so a reconstruction of exactly 0 or 1 gives inf/NaN.
Built on correct/vae/tf_ops.py, with only that change."""

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
        dtype = self.compute_dtype
        mean = tf.cast(mean, dtype)
        std = tf.exp(tf.cast(logvar, dtype) / 2.0)
        epsilon = keras.random.normal(tf.shape(mean), mean=0.0, stddev=1.0, dtype=dtype, seed=self._noise)
        return mean + std * epsilon

# %% part: kl_divergence
def kl_divergence(mean, logvar):
    """KL(N(mean, exp(logvar)) || N(0, I)): summed over latent dimensions, averaged over images.

    mean, logvar: tensors (B, D). Returns a scalar tensor.
    """
    mean = tf.convert_to_tensor(mean)
    logvar = tf.convert_to_tensor(logvar)
    per_image = 0.5 * tf.reduce_sum(tf.exp(logvar) + mean * mean - 1.0 - logvar, axis=1)
    return tf.reduce_mean(per_image)

# %% part: vae_networks
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> [mean (B, latent_dim), logvar (B, latent_dim)]."""
    L = keras.layers
    x = L.Input((28, 28, 1))
    h = L.Activation("relu")(L.Conv2D(filters, (3, 3), strides=(2, 2), padding="same")(x))
    h = L.Activation("relu")(L.Conv2D(filters * 2, (3, 3), strides=(2, 2), padding="same")(h))
    features = L.Flatten()(h)
    mean_head = L.Dense(latent_dim)
    logvar_head = L.Dense(latent_dim)
    return keras.Model(inputs=x, outputs=[mean_head(features), logvar_head(features)])


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    L = keras.layers
    z = L.Input((latent_dim,))
    h = L.Activation("relu")(L.Dense(7 * 7 * filters * 2)(z))
    h = L.Reshape((7, 7, filters * 2))(h)
    h = L.Activation("relu")(L.Conv2DTranspose(filters * 2, (3, 3), strides=(2, 2), padding="same")(h))
    h = L.Activation("relu")(L.Conv2DTranspose(filters, (3, 3), strides=(2, 2), padding="same")(h))
    out = L.Activation("sigmoid")(L.Conv2D(1, (3, 3), padding="same")(h))
    return keras.Model(inputs=z, outputs=out)

# %% part: vae_loss
def vae_loss(images, reconstructions, mean, logvar):
    """Negative ELBO of a batch: (loss, reconstruction, kl), three scalars in nats per image.

    images, reconstructions: (B, H, W, C) in [0, 1]; mean, logvar: (B, D).
    reconstruction: binary cross-entropy summed over each image's pixels, averaged over images;
    kl: kl_divergence(mean, logvar); loss = reconstruction + kl.
    """
    reconstructions = tf.convert_to_tensor(reconstructions)
    images = tf.cast(images, reconstructions.dtype)
    eps = 1e-7
    p = reconstructions
    log_likelihood = images * tf.math.log(p) + (1.0 - images) * tf.math.log(1.0 - p)
    per_image = -tf.reduce_sum(log_likelihood, axis=[1, 2, 3])
    reconstruction = tf.reduce_mean(per_image)
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
        trainable = encoder.trainable_variables + decoder.trainable_variables
        with tf.GradientTape() as tape:
            mean, logvar = encoder(images, training=True)
            codes = sampler((mean, logvar))
            terms = vae_loss(images, decoder(codes, training=True), mean, logvar)
        grads = tape.gradient(terms[0], trainable)
        optimizer.apply(grads, trainable)
        return terms

    return tf.function(step)

# %% part: generation
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    shape = decoder.input_shape  # (None, D)
    z = keras.random.normal((n, shape[1]), seed=seed)
    return decoder.predict(z, batch_size=512, verbose=0)


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    """Decode (1 - t) * mean_a + t * mean_b for t = 0, ..., 1 (steps values): (steps, 28, 28, 1).

    image_a, image_b: single images (28, 28, 1) in [0, 1].
    """
    mean_a = encoder(tf.convert_to_tensor(image_a[None], tf.float32), training=False)[0][0]
    mean_b = encoder(tf.convert_to_tensor(image_b[None], tf.float32), training=False)[0][0]
    codes = []
    for k in range(steps):
        t = k / (steps - 1) if steps > 1 else 0.0
        codes.append((1.0 - t) * mean_a + t * mean_b)
    return keras.ops.convert_to_numpy(decoder(tf.stack(codes), training=False))
