"""PART: train_step
MISTAKE: The step returns the loss recomputed after the update (with a second call of the sampler) instead of the loss computed before it.
Built on correct/vae/tf_ops.py.
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
        self.seed_generator = self._noise

    def call(self, inputs):
        mean, logvar = inputs
        dtype = self.compute_dtype
        mean = tf.cast(mean, dtype)
        std = tf.exp(tf.cast(logvar, dtype) / 2.0)
        noise = keras.random.normal(tf.shape(mean), mean=0.0, stddev=1.0, dtype=dtype,
                                    seed=self._noise)
        return mean + std * noise

# %% part: kl_divergence
def kl_divergence(mean, logvar):
    """KL(N(mean, exp(logvar)) || N(0, I)): summed over latent dimensions, averaged over images.

    mean, logvar: tensors (B, D). Returns a scalar tensor.
    """
    mean = tf.convert_to_tensor(mean)
    logvar = tf.cast(tf.convert_to_tensor(logvar), mean.dtype)
    terms = 1.0 + logvar - tf.square(mean) - tf.exp(logvar)
    return tf.reduce_mean(-0.5 * tf.reduce_sum(terms, axis=1))

# %% part: vae_networks
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> [mean (B, latent_dim), logvar (B, latent_dim)]."""
    layers = keras.layers
    images = keras.Input((28, 28, 1))
    h = layers.Activation("relu")(layers.Conv2D(filters, (3, 3), strides=(2, 2),
                                                 padding="same")(images))
    h = layers.Activation("relu")(layers.Conv2D(filters * 2, (3, 3), strides=(2, 2),
                                                 padding="same")(h))
    features = layers.Flatten()(h)
    mean_head = layers.Dense(latent_dim)
    logvar_head = layers.Dense(latent_dim)
    return keras.Model(inputs=images, outputs=[mean_head(features), logvar_head(features)])


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    layers = keras.layers
    codes = keras.Input((latent_dim,))
    h = layers.Activation("relu")(layers.Dense(7 * 7 * filters * 2)(codes))
    h = layers.Reshape((7, 7, filters * 2))(h)
    h = layers.Activation("relu")(layers.Conv2DTranspose(filters * 2, (3, 3), strides=(2, 2),
                                                          padding="same")(h))
    h = layers.Activation("relu")(layers.Conv2DTranspose(filters, (3, 3), strides=(2, 2),
                                                          padding="same")(h))
    out = layers.Activation("sigmoid")(layers.Conv2D(1, (3, 3), padding="same")(h))
    return keras.Model(inputs=codes, outputs=out)

# %% part: vae_loss
def vae_loss(images, reconstructions, mean, logvar):
    """Negative ELBO of a batch: (loss, reconstruction, kl), three scalars in nats per image.

    images, reconstructions: (B, H, W, C) in [0, 1]; mean, logvar: (B, D).
    reconstruction: binary cross-entropy summed over each image's pixels, averaged over images;
    kl: kl_divergence(mean, logvar); loss = reconstruction + kl.
    """
    recon = tf.convert_to_tensor(reconstructions)
    x = tf.cast(images, recon.dtype)
    batch = tf.shape(x)[0]
    x = tf.reshape(x, [batch, -1])
    p = tf.clip_by_value(tf.reshape(recon, [batch, -1]), 1e-7, 1.0 - 1e-7)
    log_likelihood = x * tf.math.log(p) + (1.0 - x) * tf.math.log(1.0 - p)
    reconstruction = tf.reduce_mean(-tf.reduce_sum(log_likelihood, axis=1))
    kl = tf.cast(kl_divergence(mean, logvar), reconstruction.dtype)
    loss = reconstruction + kl
    return loss, reconstruction, kl

# %% part: train_step
def make_train_step(encoder, decoder, sampler, optimizer):
    """Return a tf.function step(images) doing one update of both networks.

    images: (B, 28, 28, 1) in [0, 1]. The step returns (loss, reconstruction, kl) of vae_loss,
    computed before the update.
    """

    def one_step(images):
        with tf.GradientTape() as tape:
            mean, logvar = encoder(images, training=True)
            reconstructions = decoder(sampler((mean, logvar)), training=True)
            terms = vae_loss(images, reconstructions, mean, logvar)
        weights = list(encoder.trainable_weights) + list(decoder.trainable_weights)
        grads = tape.gradient(terms[0], weights)
        optimizer.apply(grads, weights)
        mean, logvar = encoder(images, training=True)
        terms = vae_loss(images, decoder(sampler((mean, logvar)), training=True), mean, logvar)
        return terms[0], terms[1], terms[2]

    return tf.function(one_step)

# %% part: generation
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    shape = decoder.input_shape
    if isinstance(shape, list):
        shape = shape[0]
    z = keras.random.normal(shape=(n, shape[1]), mean=0.0, stddev=1.0, seed=seed)
    return np.asarray(keras.ops.convert_to_numpy(decoder(z)))


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    """Decode (1 - t) * mean_a + t * mean_b for t = 0, ..., 1 (steps values): (steps, 28, 28, 1).

    image_a, image_b: single images (28, 28, 1) in [0, 1].
    """
    batch = np.stack([np.asarray(image_a), np.asarray(image_b)]).astype("float32")
    means = keras.ops.convert_to_numpy(encoder(batch)[0])
    mean_a, mean_b = means
    codes = np.array([(1 - t) * mean_a + t * mean_b for t in np.linspace(0.0, 1.0, steps)])
    return keras.ops.convert_to_numpy(decoder(codes.astype("float32")))
