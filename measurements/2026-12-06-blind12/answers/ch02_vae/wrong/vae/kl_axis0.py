"""PART: kl_divergence
MISTAKE: The KL terms are summed over axis 0 (the images) and then averaged over the latent dimensions, instead of summed over the latent dimensions and averaged over the images.
Built on the correct set correct/vae/tf_ops.py, with that one mistake."""

# %% part: sampling_layer
class GaussianSampling(keras.layers.Layer):
    """z = mean + exp(0.5 * logvar) * epsilon, with fresh standard normal noise on every call.

    seed: an integer (or None) for the layer's keras.random.SeedGenerator.
    Input: (mean, logvar), two tensors of the same shape (B, D). Output: z, shape (B, D).
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self._seed = seed
        self.noise = keras.random.SeedGenerator(seed=seed)

    def call(self, inputs):
        mean, logvar = inputs
        dtype = self.compute_dtype
        mean = tf.cast(mean, dtype)
        logvar = tf.cast(logvar, dtype)
        epsilon = keras.random.normal(tf.shape(mean), mean=0.0, stddev=1.0, dtype=dtype,
                                      seed=self.noise)
        std = tf.exp(logvar / 2.0)
        return tf.add(mean, tf.multiply(std, epsilon))

# %% part: kl_divergence
def kl_divergence(mean, logvar):
    """KL(N(mean, exp(logvar)) || N(0, I)): summed over latent dimensions, averaged over images.

    mean, logvar: tensors (B, D). Returns a scalar tensor.
    """
    mean = tf.convert_to_tensor(mean)
    logvar = tf.cast(logvar, mean.dtype)
    terms = 1.0 + logvar - tf.square(mean) - tf.exp(logvar)
    return tf.reduce_mean(-0.5 * tf.reduce_sum(terms, axis=0))

# %% part: vae_networks
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> [mean (B, latent_dim), logvar (B, latent_dim)]."""
    inputs = keras.Input((28, 28, 1), name="images")
    x = inputs
    for width in (filters, filters * 2):
        x = keras.layers.Conv2D(width, (3, 3), strides=(2, 2), padding="same")(x)
        x = keras.layers.ReLU()(x)
    features = keras.layers.Flatten()(x)
    mean = keras.layers.Dense(latent_dim, name="z_mean")(features)
    logvar = keras.layers.Dense(latent_dim, name="z_logvar")(features)
    return keras.Model(inputs=inputs, outputs=[mean, logvar])


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    inputs = keras.Input((latent_dim,), name="z")
    x = keras.layers.Dense(7 * 7 * filters * 2)(inputs)
    x = keras.layers.ReLU()(x)
    x = keras.layers.Reshape((7, 7, filters * 2))(x)
    for width in (filters * 2, filters):
        x = keras.layers.Conv2DTranspose(width, (3, 3), strides=(2, 2), padding="same")(x)
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
    x = tf.convert_to_tensor(images)
    x_hat = tf.cast(reconstructions, x.dtype)
    batch = tf.shape(x)[0]
    x = tf.reshape(x, (batch, -1))
    x_hat = tf.clip_by_value(tf.reshape(x_hat, (batch, -1)), 1e-7, 1.0 - 1e-7)
    log_likelihood = x * tf.math.log(x_hat) + (1.0 - x) * tf.math.log(1.0 - x_hat)
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

    def step(images):
        with tf.GradientTape() as tape:
            outputs = encoder(images, training=True)
            mean, logvar = outputs[0], outputs[1]
            z = sampler([mean, logvar])
            loss, reconstruction, kl = vae_loss(
                images, decoder(z, training=True), mean, logvar
            )
        weights = list(encoder.trainable_weights) + list(decoder.trainable_weights)
        grads = tape.gradient(loss, weights)
        optimizer.apply(grads, weights)
        return loss, reconstruction, kl

    return tf.function(step)

# %% part: generation
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    shape = decoder.input_shape
    codes = keras.random.normal(shape=(n, shape[1]), mean=0.0, stddev=1.0, seed=seed)
    return np.asarray(decoder.predict(keras.ops.convert_to_numpy(codes), verbose=0))


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    """Decode (1 - t) * mean_a + t * mean_b for t = 0, ..., 1 (steps values): (steps, 28, 28, 1).

    image_a, image_b: single images (28, 28, 1) in [0, 1].
    """
    mean_a = encoder(tf.convert_to_tensor(image_a[None], tf.float32))[0][0]
    mean_b = encoder(tf.convert_to_tensor(image_b[None], tf.float32))[0][0]
    codes = []
    for k in range(steps):
        t = k / (steps - 1) if steps > 1 else 0.0
        codes.append((1.0 - t) * mean_a + t * mean_b)
    return np.asarray(decoder.predict(tf.stack(codes), verbose=0))
