"""PART: sampling_layer
MISTAKE: The noise is drawn with shape (D,) (the last axis only) and broadcast, so every image of the batch gets the same epsilon.
Built on correct/vae/keras_ops.py, with only this change.
"""

# %% part: sampling_layer
class GaussianSampling(keras.layers.Layer):
    """z = mean + exp(0.5 * logvar) * epsilon, with fresh standard normal noise on every call.

    seed: an integer (or None) for the layer's keras.random.SeedGenerator.
    Input: (mean, logvar), two tensors of the same shape (B, D). Output: z, shape (B, D).
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        mean, logvar = inputs
        mean = keras.ops.cast(mean, self.compute_dtype)
        logvar = keras.ops.cast(logvar, self.compute_dtype)
        epsilon = keras.random.normal(
            keras.ops.shape(mean)[-1:], dtype=self.compute_dtype, seed=self.seed_generator
        )
        return mean + keras.ops.exp(0.5 * logvar) * epsilon

# %% part: kl_divergence
def kl_divergence(mean, logvar):
    """KL(N(mean, exp(logvar)) || N(0, I)): summed over latent dimensions, averaged over images.

    mean, logvar: tensors (B, D). Returns a scalar tensor.
    """
    per_image = -0.5 * keras.ops.sum(
        1.0 + logvar - keras.ops.square(mean) - keras.ops.exp(logvar), axis=-1
    )
    return keras.ops.mean(per_image)

# %% part: vae_networks
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> [mean (B, latent_dim), logvar (B, latent_dim)]."""
    images = keras.Input((28, 28, 1))
    h = keras.layers.Conv2D(filters, 3, strides=2, padding="same", activation="relu")(images)
    h = keras.layers.Conv2D(2 * filters, 3, strides=2, padding="same", activation="relu")(h)
    h = keras.layers.Flatten()(h)
    mean = keras.layers.Dense(latent_dim, name="mean")(h)
    logvar = keras.layers.Dense(latent_dim, name="logvar")(h)
    return keras.Model(images, [mean, logvar], name="vae_encoder")


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    z = keras.Input((latent_dim,))
    h = keras.layers.Dense(7 * 7 * 2 * filters, activation="relu")(z)
    h = keras.layers.Reshape((7, 7, 2 * filters))(h)
    h = keras.layers.Conv2DTranspose(2 * filters, 3, strides=2, padding="same", activation="relu")(h)
    h = keras.layers.Conv2DTranspose(filters, 3, strides=2, padding="same", activation="relu")(h)
    out = keras.layers.Conv2D(1, 3, padding="same", activation="sigmoid")(h)
    return keras.Model(z, out, name="vae_decoder")

# %% part: vae_loss
def vae_loss(images, reconstructions, mean, logvar):
    """Negative ELBO of a batch: (loss, reconstruction, kl), three scalars in nats per image.

    images, reconstructions: (B, H, W, C) in [0, 1]; mean, logvar: (B, D).
    reconstruction: binary cross-entropy summed over each image's pixels, averaged over images;
    kl: kl_divergence(mean, logvar); loss = reconstruction + kl.
    """
    x = keras.ops.cast(images, "float32")
    p = keras.ops.clip(keras.ops.cast(reconstructions, "float32"), 1e-7, 1.0 - 1e-7)
    bce = -(x * keras.ops.log(p) + (1.0 - x) * keras.ops.log(1.0 - p))
    per_image = keras.ops.sum(keras.ops.reshape(bce, (keras.ops.shape(bce)[0], -1)), axis=1)
    reconstruction = keras.ops.mean(per_image)
    kl = kl_divergence(mean, logvar)
    return reconstruction + kl, reconstruction, kl

# %% part: train_step
def make_train_step(encoder, decoder, sampler, optimizer):
    """Return a tf.function step(images) doing one update of both networks.

    images: (B, 28, 28, 1) in [0, 1]. The step returns (loss, reconstruction, kl) of vae_loss,
    computed before the update.
    """
    variables = encoder.trainable_variables + decoder.trainable_variables

    @tf.function
    def step(images):
        with tf.GradientTape() as tape:
            mean, logvar = encoder(images, training=True)
            z = sampler((mean, logvar))
            reconstructions = decoder(z, training=True)
            loss, reconstruction, kl = vae_loss(images, reconstructions, mean, logvar)
        gradients = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(gradients, variables))
        return loss, reconstruction, kl

    return step

# %% part: generation
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    latent_dim = decoder.input_shape[-1]
    z = keras.random.normal((n, latent_dim), seed=seed)
    return keras.ops.convert_to_numpy(decoder(z, training=False))


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    """Decode (1 - t) * mean_a + t * mean_b for t = 0, ..., 1 (steps values): (steps, 28, 28, 1).

    image_a, image_b: single images (28, 28, 1) in [0, 1].
    """
    pair = np.stack([np.asarray(image_a), np.asarray(image_b)]).astype("float32")
    mean, _logvar = encoder(pair, training=False)
    mean = keras.ops.convert_to_numpy(mean)
    t = np.linspace(0.0, 1.0, steps)[:, None]
    codes = ((1.0 - t) * mean[0] + t * mean[1]).astype("float32")
    return keras.ops.convert_to_numpy(decoder(codes, training=False))
