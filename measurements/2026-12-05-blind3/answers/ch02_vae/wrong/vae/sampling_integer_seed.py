"""PART: sampling_layer
MISTAKE: Passes the integer seed to keras.random.normal instead of the SeedGenerator, so every call repeats the same noise.
Built on correct/vae/tf_ops.py, with this one mistake."""

# %% part: sampling_layer
class GaussianSampling(keras.layers.Layer):
    """z = mean + exp(0.5 * logvar) * epsilon, with fresh standard normal noise on every call.

    seed: an integer (or None) for the layer's keras.random.SeedGenerator.
    Input: (mean, logvar), two tensors of the same shape (B, D). Output: z, shape (B, D).
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed=seed)

    def call(self, inputs):
        mean, logvar = inputs
        mean = tf.cast(mean, self.compute_dtype)
        logvar = tf.cast(logvar, self.compute_dtype)
        std = tf.exp(logvar / 2.0)
        noise = keras.random.normal(tf.shape(mean), seed=self.seed)
        return mean + std * tf.cast(noise, self.compute_dtype)

# %% part: kl_divergence
def kl_divergence(mean, logvar):
    """KL(N(mean, exp(logvar)) || N(0, I)): summed over latent dimensions, averaged over images.

    mean, logvar: tensors (B, D). Returns a scalar tensor.
    """
    mean = tf.convert_to_tensor(mean)
    logvar = tf.convert_to_tensor(logvar)
    variance = tf.exp(logvar)
    kl_per_image = 0.5 * tf.reduce_sum(variance + mean**2 - 1.0 - logvar, axis=1)
    return tf.reduce_mean(kl_per_image)

# %% part: vae_networks
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> [mean (B, latent_dim), logvar (B, latent_dim)]."""
    layers = keras.layers
    inputs = layers.Input((28, 28, 1))
    x = layers.Conv2D(filters, (3, 3), strides=(2, 2), padding="same")(inputs)
    x = layers.Activation("relu")(x)
    x = layers.Conv2D(filters * 2, (3, 3), strides=(2, 2), padding="same")(x)
    x = layers.Activation("relu")(x)
    features = layers.Flatten()(x)
    z_mean = layers.Dense(latent_dim, activation=None)(features)
    z_logvar = layers.Dense(latent_dim, activation=None)(features)
    return keras.Model(inputs=inputs, outputs=[z_mean, z_logvar])


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    layers = keras.layers
    inputs = layers.Input((latent_dim,))
    x = layers.Dense(7 * 7 * filters * 2)(inputs)
    x = layers.Activation("relu")(x)
    x = layers.Reshape((7, 7, filters * 2))(x)
    for channels in (filters * 2, filters):
        x = layers.Conv2DTranspose(channels, (3, 3), strides=(2, 2), padding="same")(x)
        x = layers.Activation("relu")(x)
    x = layers.Conv2D(1, (3, 3), padding="same")(x)
    outputs = layers.Activation("sigmoid")(x)
    return keras.Model(inputs=inputs, outputs=outputs)

# %% part: vae_loss
def vae_loss(images, reconstructions, mean, logvar):
    """Negative ELBO of a batch: (loss, reconstruction, kl), three scalars in nats per image.

    images, reconstructions: (B, H, W, C) in [0, 1]; mean, logvar: (B, D).
    reconstruction: binary cross-entropy summed over each image's pixels, averaged over images;
    kl: kl_divergence(mean, logvar); loss = reconstruction + kl.
    """
    eps = 1e-7
    images = tf.cast(images, tf.float32)
    probs = tf.clip_by_value(tf.cast(reconstructions, tf.float32), eps, 1.0 - eps)
    log_lik = images * tf.math.log(probs) + (1.0 - images) * tf.math.log(1.0 - probs)
    batch = tf.shape(images)[0]
    per_image = -tf.reduce_sum(tf.reshape(log_lik, (batch, -1)), axis=1)
    reconstruction = tf.reduce_mean(per_image)
    kl = tf.cast(kl_divergence(mean, logvar), tf.float32)
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
            z = sampler((z_mean, z_logvar))
            decoded = decoder(z, training=True)
            terms = vae_loss(images, decoded, z_mean, z_logvar)
        weights = encoder.trainable_variables + decoder.trainable_variables
        grads = tape.gradient(terms[0], weights)
        optimizer.apply_gradients(list(zip(grads, weights)))
        return terms

    return tf.function(step)

# %% part: generation
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    _batch, latent_dim = decoder.input_shape
    codes = keras.random.normal(shape=(n, latent_dim), mean=0.0, stddev=1.0, seed=seed)
    images = decoder.predict(codes, verbose=0)
    return np.asarray(images)


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    """Decode (1 - t) * mean_a + t * mean_b for t = 0, ..., 1 (steps values): (steps, 28, 28, 1).

    image_a, image_b: single images (28, 28, 1) in [0, 1].
    """
    mean_a = keras.ops.convert_to_numpy(encoder(np.asarray(image_a)[None], training=False)[0])[0]
    mean_b = keras.ops.convert_to_numpy(encoder(np.asarray(image_b)[None], training=False)[0])[0]
    codes = np.array(
        [(1 - t) * mean_a + t * mean_b for t in np.linspace(0.0, 1.0, steps)], dtype="float32"
    )
    return keras.ops.convert_to_numpy(decoder(codes, training=False))
