"""PART: vae_loss
MISTAKE: The reconstruction is only clipped from below (tf.maximum(p, 1e-7)), so a reconstruction of exactly 1 makes log(1 - p) = -inf and the loss inf (nan where that pixel is also 1).
Built on correct/vae/tf_ops.py with this one change.
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
        mean = tf.cast(mean, self.compute_dtype)
        logvar = tf.cast(logvar, self.compute_dtype)
        eps = keras.random.normal(tf.shape(mean), mean=0.0, stddev=1.0,
                                  dtype=self.compute_dtype, seed=self.noise)
        return mean + tf.sqrt(tf.exp(logvar)) * eps


# %% part: kl_divergence
def kl_divergence(mean, logvar):
    """KL(N(mean, exp(logvar)) || N(0, I)): summed over latent dimensions, averaged over images.

    mean, logvar: tensors (B, D). Returns a scalar tensor.
    """
    mean = tf.convert_to_tensor(mean)
    logvar = tf.convert_to_tensor(logvar, dtype=mean.dtype)
    variance = tf.exp(logvar)
    kl_per_image = 0.5 * tf.reduce_sum(variance + tf.square(mean) - 1.0 - logvar, axis=1)
    return tf.reduce_mean(kl_per_image)


# %% part: vae_networks
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> [mean (B, latent_dim), logvar (B, latent_dim)]."""
    inputs = keras.Input((28, 28, 1))
    x = inputs
    for k in (1, 2):
        x = keras.layers.Conv2D(k * filters, (3, 3), strides=(2, 2), padding="same")(x)
        x = keras.layers.ReLU()(x)
    features = keras.layers.Flatten()(x)
    mean_head = keras.layers.Dense(latent_dim)
    logvar_head = keras.layers.Dense(latent_dim)
    return keras.Model(inputs=inputs, outputs=[mean_head(features), logvar_head(features)])


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    inputs = keras.Input((latent_dim,))
    x = keras.layers.Dense(7 * 7 * (2 * filters))(inputs)
    x = keras.layers.ReLU()(x)
    x = keras.layers.Reshape((7, 7, 2 * filters))(x)
    for k in (2, 1):
        x = keras.layers.Conv2DTranspose(k * filters, (3, 3), strides=(2, 2), padding="same")(x)
        x = keras.layers.ReLU()(x)
    x = keras.layers.Conv2D(1, (3, 3), padding="same")(x)
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
    batch = tf.shape(images)[0]
    x = tf.reshape(images, (batch, -1))
    p = tf.maximum(tf.reshape(reconstructions, (batch, -1)), 1e-7)
    log_likelihood = x * tf.math.log(p) + (1.0 - x) * tf.math.log(1.0 - p)
    reconstruction = tf.reduce_mean(-tf.reduce_sum(log_likelihood, axis=1))
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
            mean, logvar = encoder(images, training=True)
            z = sampler([mean, logvar])
            terms = vae_loss(images, decoder(z, training=True), mean, logvar)
        weights = encoder.trainable_weights + decoder.trainable_weights
        grads = tape.gradient(terms[0], weights)
        optimizer.apply_gradients(list(zip(grads, weights)))
        return terms

    return tf.function(step)


# %% part: generation
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    _batch, latent_dim = decoder.input_shape
    z = keras.random.normal(shape=(n, latent_dim), seed=seed)
    return np.asarray(decoder.predict(z, batch_size=1000, verbose=0))


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    """Decode (1 - t) * mean_a + t * mean_b for t = 0, ..., 1 (steps values): (steps, 28, 28, 1).

    image_a, image_b: single images (28, 28, 1) in [0, 1].
    """
    mean_a = encoder(tf.expand_dims(image_a, 0), training=False)[0][0]
    mean_b = encoder(tf.expand_dims(image_b, 0), training=False)[0][0]
    codes = []
    for t in np.linspace(0.0, 1.0, steps):
        codes.append((1.0 - t) * mean_a + t * mean_b)
    return keras.ops.convert_to_numpy(decoder(tf.stack(codes), training=False))
