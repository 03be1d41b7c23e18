"""PART: kl_divergence
MISTAKE: The sigma^2 term uses the standard deviation exp(0.5 * logvar) instead of the variance exp(logvar) (still zero at the prior).
Built on correct/vae/tf_ops.py with this one change."""

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
        dtype = self.compute_dtype
        mean = tf.cast(mean, dtype)
        std = tf.exp(tf.cast(logvar, dtype) / 2.0)
        noise = keras.random.normal(tf.shape(mean), mean=0.0, stddev=1.0, dtype=dtype,
                                    seed=self.seed_generator)
        return mean + std * noise


# %% part: kl_divergence
def kl_divergence(mean, logvar):
    """KL(N(mean, exp(logvar)) || N(0, I)): summed over latent dimensions, averaged over images.

    mean, logvar: tensors (B, D). Returns a scalar tensor.
    """
    mean = tf.convert_to_tensor(mean)
    logvar = tf.convert_to_tensor(logvar)
    variance = tf.exp(0.5 * logvar)
    kl_per_image = 0.5 * tf.reduce_sum(variance + mean * mean - 1.0 - logvar, axis=1)
    return tf.reduce_mean(kl_per_image)


# %% part: vae_networks
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> [mean (B, latent_dim), logvar (B, latent_dim)]."""
    inputs = keras.Input((28, 28, 1))
    x = inputs
    for width in (filters, 2 * filters):
        x = keras.layers.Conv2D(width, (3, 3), strides=(2, 2), padding="same")(x)
        x = keras.layers.Activation("relu")(x)
    features = keras.layers.Flatten()(x)
    mean_head = keras.layers.Dense(latent_dim)
    logvar_head = keras.layers.Dense(latent_dim)
    return keras.Model(inputs, [mean_head(features), logvar_head(features)])


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    inputs = keras.Input((latent_dim,))
    x = keras.layers.Dense(7 * 7 * 2 * filters)(inputs)
    x = keras.layers.Activation("relu")(x)
    x = keras.layers.Reshape((7, 7, 2 * filters))(x)
    for width in (2 * filters, filters):
        x = keras.layers.Conv2DTranspose(width, (3, 3), strides=(2, 2), padding="same")(x)
        x = keras.layers.Activation("relu")(x)
    x = keras.layers.Conv2D(1, (3, 3), padding="same")(x)
    outputs = keras.layers.Activation("sigmoid")(x)
    return keras.Model(inputs, outputs)


# %% part: vae_loss
def vae_loss(images, reconstructions, mean, logvar):
    """Negative ELBO of a batch: (loss, reconstruction, kl), three scalars in nats per image.

    images, reconstructions: (B, H, W, C) in [0, 1]; mean, logvar: (B, D).
    reconstruction: binary cross-entropy summed over each image's pixels, averaged over images;
    kl: kl_divergence(mean, logvar); loss = reconstruction + kl.
    """
    x = tf.cast(images, tf.float32)
    x_hat = tf.clip_by_value(tf.cast(reconstructions, tf.float32), 1e-7, 1.0 - 1e-7)
    batch = tf.shape(x)[0]
    x = tf.reshape(x, (batch, -1))
    x_hat = tf.reshape(x_hat, (batch, -1))
    log_likelihood = x * tf.math.log(x_hat) + (1.0 - x) * tf.math.log(1.0 - x_hat)
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
    variables = list(encoder.trainable_variables) + list(decoder.trainable_variables)

    def step(images):
        with tf.GradientTape() as tape:
            mean, logvar = encoder(images, training=True)
            reconstructions = decoder(sampler((mean, logvar)), training=True)
            terms = vae_loss(images, reconstructions, mean, logvar)
        grads = tape.gradient(terms[0], variables)
        optimizer.apply(grads, variables)
        return terms

    return tf.function(step)


# %% part: generation
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    _batch, latent_dim = decoder.input_shape
    codes = keras.random.normal(shape=(n, latent_dim), mean=0.0, stddev=1.0, seed=seed)
    return np.asarray(decoder.predict(codes, verbose=0))


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
    return keras.ops.convert_to_numpy(decoder(codes, training=False))
