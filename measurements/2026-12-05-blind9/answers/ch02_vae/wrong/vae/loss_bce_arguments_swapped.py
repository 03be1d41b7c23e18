"""PART: vae_loss
MISTAKE: keras.losses.binary_crossentropy gets (reconstructions, images) instead of (images, reconstructions), taking logs of the data.
Built on correct/vae/keras_losses.py with that one change.
"""

# %% part: sampling_layer
class GaussianSampling(keras.layers.Layer):
    """z = mean + exp(0.5 * logvar) * epsilon, with fresh standard normal noise on every call.

    seed: an integer (or None) for the layer's keras.random.SeedGenerator.
    Input: (mean, logvar), two tensors of the same shape (B, D). Output: z, shape (B, D).
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self._noise = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        mean, logvar = inputs
        std = keras.ops.sqrt(keras.ops.exp(keras.ops.cast(logvar, self.compute_dtype)))
        # N(mean, std^2) drawn as mean + std * N(0, 1)
        noise = keras.random.normal(
            keras.ops.shape(std), mean=0.0, stddev=1.0, dtype=self.compute_dtype, seed=self._noise
        )
        return keras.ops.add(keras.ops.cast(mean, self.compute_dtype), keras.ops.multiply(std, noise))


# %% part: kl_divergence
def kl_divergence(mean, logvar):
    """KL(N(mean, exp(logvar)) || N(0, I)): summed over latent dimensions, averaged over images.

    mean, logvar: tensors (B, D). Returns a scalar tensor.
    """
    variance = keras.ops.exp(logvar)
    # 0.5 * sum(mu^2 + sigma^2 - 1 - log sigma^2) per image, then the batch mean
    per_dimension = 0.5 * (keras.ops.square(mean) + variance - 1.0 - logvar)
    batch = keras.ops.shape(mean)[0]
    return keras.ops.sum(per_dimension) / keras.ops.cast(batch, per_dimension.dtype)


# %% part: vae_networks
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> [mean (B, latent_dim), logvar (B, latent_dim)]."""
    trunk = keras.Sequential(
        [
            keras.layers.Conv2D(filters, 3, strides=2, padding="same", activation="relu"),
            keras.layers.Conv2D(2 * filters, 3, strides=2, padding="same", activation="relu"),
            keras.layers.Flatten(),
        ],
        name="trunk",
    )
    images = keras.Input((28, 28, 1))
    features = trunk(images)
    return keras.Model(
        images, [keras.layers.Dense(latent_dim)(features), keras.layers.Dense(latent_dim)(features)]
    )


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    codes = keras.Input((latent_dim,))
    body = keras.Sequential(
        [
            keras.layers.Dense(7 * 7 * 2 * filters, activation="relu"),
            keras.layers.Reshape((7, 7, 2 * filters)),
            keras.layers.Conv2DTranspose(2 * filters, 3, strides=2, padding="same", activation="relu"),
            keras.layers.Conv2DTranspose(filters, 3, strides=2, padding="same", activation="relu"),
            keras.layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
        ],
        name="body",
    )
    return keras.Model(codes, body(codes))


# %% part: vae_loss
def vae_loss(images, reconstructions, mean, logvar):
    """Negative ELBO of a batch: (loss, reconstruction, kl), three scalars in nats per image.

    images, reconstructions: (B, H, W, C) in [0, 1]; mean, logvar: (B, D).
    reconstruction: binary cross-entropy summed over each image's pixels, averaged over images;
    kl: kl_divergence(mean, logvar); loss = reconstruction + kl.
    """
    images = keras.ops.convert_to_tensor(images, dtype="float32")
    reconstructions = keras.ops.clip(
        keras.ops.convert_to_tensor(reconstructions, dtype="float32"), 1e-7, 1.0 - 1e-7
    )
    channels = keras.ops.shape(images)[-1]
    # binary_crossentropy averages over the last (channel) axis: multiply back by the channels
    per_pixel = keras.losses.binary_crossentropy(reconstructions, images) * keras.ops.cast(
        channels, "float32"
    )
    reconstruction = keras.ops.mean(keras.ops.sum(per_pixel, axis=(1, 2)))
    kl = kl_divergence(mean, logvar)
    return reconstruction + kl, reconstruction, kl


# %% part: train_step
class _VaeStep:
    """One training update of a VAE, compiled with tf.function."""

    def __init__(self, encoder, decoder, sampler, optimizer):
        self.encoder, self.decoder = encoder, decoder
        self.sampler, self.optimizer = sampler, optimizer

    def __call__(self, images):
        variables = self.encoder.trainable_variables + self.decoder.trainable_variables
        with tf.GradientTape() as tape:
            mean, logvar = self.encoder(images, training=True)
            reconstructions = self.decoder(self.sampler((mean, logvar)), training=True)
            terms = vae_loss(images, reconstructions, mean, logvar)
        self.optimizer.apply_gradients(zip(tape.gradient(terms[0], variables), variables))
        return terms


def make_train_step(encoder, decoder, sampler, optimizer):
    """Return a tf.function step(images) doing one update of both networks.

    images: (B, 28, 28, 1) in [0, 1]. The step returns (loss, reconstruction, kl) of vae_loss,
    computed before the update.
    """
    return tf.function(_VaeStep(encoder, decoder, sampler, optimizer).__call__)


# %% part: generation
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    shape = (n,) + tuple(decoder.input_shape[1:])
    return np.asarray(keras.ops.convert_to_numpy(decoder(keras.random.normal(shape, seed=seed))))


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    """Decode (1 - t) * mean_a + t * mean_b for t = 0, ..., 1 (steps values): (steps, 28, 28, 1).

    image_a, image_b: single images (28, 28, 1) in [0, 1].
    """
    means = encoder(keras.ops.stack([image_a, image_b]))[0]
    t = keras.ops.reshape(keras.ops.linspace(0.0, 1.0, steps), (steps, 1))
    codes = keras.ops.cast(1.0 - t, means.dtype) * means[0] + keras.ops.cast(t, means.dtype) * means[1]
    return keras.ops.convert_to_numpy(decoder(codes))
