"""TensorFlow ops: sampling with a tf.random.Generator made from the seed (stateful, fresh noise per
call, reproducible per seed), per-element KL reduced with tf.reduce_sum/tf.reduce_mean,
Sequential trunks with functional heads, tf.function(step) wrapping a plain function and
optimizer.apply; generation with decoder.predict and an explicit loop over t.
"""


# %% part: sampling_layer
class GaussianSampling(keras.layers.Layer):
    """z = mean + exp(0.5 * logvar) * epsilon, with fresh standard normal noise on every call.

    seed: an integer (or None) for the layer's keras.random.SeedGenerator.
    Input: (mean, logvar), two tensors of the same shape (B, D). Output: z, shape (B, D).
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        if seed is None:
            self._rng = tf.random.Generator.from_non_deterministic_state()
        else:
            self._rng = tf.random.Generator.from_seed(seed)

    def call(self, inputs):
        mean, logvar = inputs
        dtype = tf.as_dtype(self.compute_dtype)
        mean = tf.cast(mean, dtype)
        logvar = tf.cast(logvar, dtype)
        epsilon = self._rng.normal(tf.shape(mean), dtype=dtype)
        return mean + tf.exp(logvar / 2.0) * epsilon


# %% part: kl_divergence
def kl_divergence(mean, logvar):
    """KL(N(mean, exp(logvar)) || N(0, I)): summed over latent dimensions, averaged over images.

    mean, logvar: tensors (B, D). Returns a scalar tensor.
    """
    mean = tf.convert_to_tensor(mean)
    logvar = tf.cast(logvar, mean.dtype)
    elementwise = 0.5 * (tf.exp(logvar) + tf.square(mean) - 1.0 - logvar)
    return tf.reduce_mean(tf.reduce_sum(elementwise, axis=1))


# %% part: vae_networks
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> [mean (B, latent_dim), logvar (B, latent_dim)]."""
    trunk = keras.Sequential(
        [
            keras.layers.Conv2D(filters, 3, strides=2, padding="same"),
            keras.layers.ReLU(),
            keras.layers.Conv2D(filters * 2, 3, strides=2, padding="same"),
            keras.layers.ReLU(),
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
    return keras.Sequential(
        [
            keras.Input((latent_dim,)),
            keras.layers.Dense(7 * 7 * filters * 2),
            keras.layers.ReLU(),
            keras.layers.Reshape((7, 7, filters * 2)),
            keras.layers.Conv2DTranspose(filters * 2, 3, strides=2, padding="same"),
            keras.layers.ReLU(),
            keras.layers.Conv2DTranspose(filters, 3, strides=2, padding="same"),
            keras.layers.ReLU(),
            keras.layers.Conv2D(1, 3, padding="same"),
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
    p = tf.clip_by_value(tf.convert_to_tensor(reconstructions), 1e-7, 1.0 - 1e-7)
    x = tf.cast(images, p.dtype)
    log_likelihood = x * tf.math.log(p) + (1.0 - x) * tf.math.log(1.0 - p)
    reconstruction = -tf.reduce_mean(tf.reduce_sum(log_likelihood, axis=[1, 2, 3]))
    kl = kl_divergence(mean, logvar)
    return reconstruction + kl, reconstruction, kl


# %% part: train_step
def make_train_step(encoder, decoder, sampler, optimizer):
    """Return a tf.function step(images) doing one update of both networks.

    images: (B, 28, 28, 1) in [0, 1]. The step returns (loss, reconstruction, kl) of vae_loss,
    computed before the update.
    """

    def one_update(images):
        variables = encoder.trainable_variables + decoder.trainable_variables
        with tf.GradientTape() as tape:
            mean, logvar = encoder(images, training=True)
            reconstructions = decoder(sampler((mean, logvar)), training=True)
            terms = vae_loss(images, reconstructions, mean, logvar)
        optimizer.apply(tape.gradient(terms[0], variables), variables)
        return terms

    return tf.function(one_update)


# %% part: generation
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    shape = (n, decoder.input_shape[1])
    return decoder.predict(keras.random.normal(shape, seed=seed), verbose=0)


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    """Decode (1 - t) * mean_a + t * mean_b for t = 0, ..., 1 (steps values): (steps, 28, 28, 1).

    image_a, image_b: single images (28, 28, 1) in [0, 1].
    """
    mean_a = encoder.predict(np.asarray(image_a, "float32")[None], verbose=0)[0][0]
    mean_b = encoder.predict(np.asarray(image_b, "float32")[None], verbose=0)[0][0]
    codes = []
    for t in np.linspace(0.0, 1.0, steps):
        codes.append((1.0 - t) * mean_a + t * mean_b)
    return decoder.predict(np.array(codes, dtype="float32"), verbose=0)
