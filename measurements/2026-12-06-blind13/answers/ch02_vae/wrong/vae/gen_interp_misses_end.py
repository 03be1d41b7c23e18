"""PART: generation
MISTAKE: interpolate uses t = k / steps for k = 0..steps-1, so the last image is not the decoded mean of image_b (t never reaches 1).
Built on correct/vae/tf_ops.py, with only this one change."""

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
        sigma = tf.exp(logvar / 2.0)
        eps = keras.random.normal(
            shape=tf.shape(mean), mean=0.0, stddev=1.0, dtype=self.compute_dtype,
            seed=self._noise_seed,
        )
        return tf.add(mean, tf.multiply(sigma, eps))

# %% part: kl_divergence
def kl_divergence(mean, logvar):
    """KL(N(mean, exp(logvar)) || N(0, I)): summed over latent dimensions, averaged over images.

    mean, logvar: tensors (B, D). Returns a scalar tensor.
    """
    mean = tf.convert_to_tensor(mean)
    logvar = tf.cast(logvar, mean.dtype)
    variance = tf.exp(logvar)
    # 0.5 * sum(mu^2 + sigma^2 - 1 - log sigma^2), per image, then the batch mean.
    per_image = 0.5 * tf.reduce_sum(tf.square(mean) + variance - 1.0 - logvar, axis=1)
    return tf.reduce_mean(per_image)

# %% part: vae_networks
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> [mean (B, latent_dim), logvar (B, latent_dim)]."""
    trunk = keras.Sequential(
        [
            keras.layers.Conv2D(filters, (3, 3), strides=(2, 2), padding="same"),
            keras.layers.ReLU(),
            keras.layers.Conv2D(2 * filters, (3, 3), strides=(2, 2), padding="same"),
            keras.layers.ReLU(),
            keras.layers.Flatten(),
        ],
        name="trunk",
    )
    images = keras.Input((28, 28, 1), name="images")
    features = trunk(images)
    z_mean = keras.layers.Dense(latent_dim, name="z_mean")(features)
    z_logvar = keras.layers.Dense(latent_dim, name="z_log_var")(features)
    return keras.Model(inputs=images, outputs=[z_mean, z_logvar])


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    channels = 2 * filters
    return keras.Sequential(
        [
            keras.Input((latent_dim,)),
            keras.layers.Dense(7 * 7 * channels),
            keras.layers.Activation("relu"),
            keras.layers.Reshape((7, 7, channels)),
            keras.layers.Conv2DTranspose(channels, (3, 3), strides=(2, 2), padding="same"),
            keras.layers.Activation("relu"),
            keras.layers.Conv2DTranspose(filters, (3, 3), strides=(2, 2), padding="same"),
            keras.layers.Activation("relu"),
            keras.layers.Conv2D(1, (3, 3), padding="same"),
            keras.layers.Activation("sigmoid"),
        ]
    )

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
    probs = tf.clip_by_value(reconstructions, eps, 1.0 - eps)
    log_likelihood = images * tf.math.log(probs) + (1.0 - images) * tf.math.log(1.0 - probs)
    batch = tf.shape(images)[0]
    per_image = -tf.reduce_sum(tf.reshape(log_likelihood, (batch, -1)), axis=1)
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
    variables = list(encoder.trainable_variables) + list(decoder.trainable_variables)
    if not optimizer.built:
        optimizer.build(variables)

    def step(images):
        with tf.GradientTape() as tape:
            z_mean, z_logvar = encoder(images, training=True)
            z = sampler((z_mean, z_logvar))
            decoded = decoder(z, training=True)
            terms = vae_loss(images, decoded, z_mean, z_logvar)
        grads = tape.gradient(terms[0], variables)
        optimizer.apply(grads, variables)
        return terms

    return tf.function(step)

# %% part: generation
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    _batch, latent_dim = decoder.input_shape
    codes = keras.random.normal(shape=(n, latent_dim), seed=seed)
    return decoder.predict(codes, batch_size=256, verbose=0)


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    """Decode (1 - t) * mean_a + t * mean_b for t = 0, ..., 1 (steps values): (steps, 28, 28, 1).

    image_a, image_b: single images (28, 28, 1) in [0, 1].
    """
    mean_a = encoder(tf.expand_dims(tf.cast(image_a, "float32"), 0))[0][0]
    mean_b = encoder(tf.expand_dims(tf.cast(image_b, "float32"), 0))[0][0]
    t = (tf.range(steps, dtype=tf.float32) / steps)[:, tf.newaxis]
    path = (1.0 - t) * mean_a[tf.newaxis, :] + t * mean_b[tf.newaxis, :]
    return decoder.predict(path, verbose=0)
