"""Module-level helpers and constants (clip bound, per-image sum, KL summand); the KL summed
over everything then divided by the batch size, BCE as a mean of per-image sums; sampling with keras.random + SeedGenerator and
sqrt(exp(logvar)); BCE with log1p; tf.function(reduce_retracing=True) step that takes encoder and
decoder gradients as two lists from one tape and applies them in one apply_gradients call.
"""


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
        mean, logvar = (keras.ops.cast(v, self.compute_dtype) for v in inputs)
        noise = keras.random.normal(
            shape=keras.ops.shape(mean),
            mean=0.0,
            stddev=1.0,
            dtype=mean.dtype,
            seed=self._noise_seed,
        )
        std = keras.ops.sqrt(keras.ops.exp(logvar))
        return keras.ops.add(mean, keras.ops.multiply(std, noise))


# %% part: kl_divergence
def _kl_summand(mean, logvar):
    """The per-element closed-form KL, 0.5 * (sigma^2 + mu^2 - 1 - log sigma^2)."""
    return 0.5 * (tf.exp(logvar) + mean * mean - 1.0 - logvar)


def kl_divergence(mean, logvar):
    """KL(N(mean, exp(logvar)) || N(0, I)): summed over latent dimensions, averaged over images.

    mean, logvar: tensors (B, D). Returns a scalar tensor.
    """
    mean = tf.convert_to_tensor(mean)
    logvar = tf.convert_to_tensor(logvar, dtype=mean.dtype)
    batch = tf.cast(tf.shape(mean)[0], mean.dtype)
    return tf.reduce_sum(_kl_summand(mean, logvar)) / batch


# %% part: vae_networks
def _conv(width, transpose=False):
    kind = keras.layers.Conv2DTranspose if transpose else keras.layers.Conv2D
    return kind(width, kernel_size=(3, 3), strides=(2, 2), padding="same", activation="relu")


def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> [mean (B, latent_dim), logvar (B, latent_dim)]."""
    x = keras.layers.Input(shape=(28, 28, 1), name="images")
    features = keras.layers.Flatten()(_conv(2 * filters)(_conv(filters)(x)))
    heads = [keras.layers.Dense(latent_dim, name=name)(features) for name in ("mean", "logvar")]
    return keras.Model(inputs=x, outputs=heads)


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    z = keras.layers.Input(shape=(latent_dim,), name="z")
    h = keras.layers.Dense(7 * 7 * 2 * filters, activation="relu")(z)
    h = keras.layers.Reshape(target_shape=(7, 7, 2 * filters))(h)
    h = _conv(filters, transpose=True)(_conv(2 * filters, transpose=True)(h))
    out = keras.layers.Conv2D(1, 3, padding="same")(h)
    return keras.Model(inputs=z, outputs=keras.layers.Activation("sigmoid")(out))


# %% part: vae_loss
CLIP = 1e-7


def _sum_per_image(values):
    """Sum every axis but the first."""
    return tf.reduce_sum(tf.reshape(values, [tf.shape(values)[0], -1]), axis=1)


def vae_loss(images, reconstructions, mean, logvar):
    """Negative ELBO of a batch: (loss, reconstruction, kl), three scalars in nats per image.

    images, reconstructions: (B, H, W, C) in [0, 1]; mean, logvar: (B, D).
    reconstruction: binary cross-entropy summed over each image's pixels, averaged over images;
    kl: kl_divergence(mean, logvar); loss = reconstruction + kl.
    """
    reconstructions = tf.convert_to_tensor(reconstructions)
    images = tf.cast(images, reconstructions.dtype)
    p = tf.clip_by_value(reconstructions, CLIP, 1.0 - CLIP)
    bce = -images * tf.math.log(p) - (1.0 - images) * tf.math.log1p(-p)
    reconstruction = tf.reduce_mean(_sum_per_image(bce))
    kl = kl_divergence(mean, logvar)
    loss = tf.add(reconstruction, kl)
    return loss, reconstruction, kl


# %% part: train_step
def make_train_step(encoder, decoder, sampler, optimizer):
    """Return a tf.function step(images) doing one update of both networks.

    images: (B, 28, 28, 1) in [0, 1]. The step returns (loss, reconstruction, kl) of vae_loss,
    computed before the update.
    """

    @tf.function(reduce_retracing=True)
    def step(images):
        images = tf.convert_to_tensor(images)
        with tf.GradientTape() as tape:
            mean, logvar = encoder(images, training=True)
            z = sampler([mean, logvar])
            loss, reconstruction, kl = vae_loss(images, decoder(z, training=True), mean, logvar)
        encoder_vars = encoder.trainable_variables
        decoder_vars = decoder.trainable_variables
        encoder_grads, decoder_grads = tape.gradient(loss, [encoder_vars, decoder_vars])
        optimizer.apply_gradients(
            list(zip(encoder_grads, encoder_vars)) + list(zip(decoder_grads, decoder_vars))
        )
        return loss, reconstruction, kl

    return step


# %% part: generation
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    _batch, latent_dim = decoder.input_shape
    z = keras.random.normal(shape=(n, latent_dim), mean=0.0, stddev=1.0, seed=seed)
    return np.asarray(decoder(z, training=False))


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    """Decode (1 - t) * mean_a + t * mean_b for t = 0, ..., 1 (steps values): (steps, 28, 28, 1).

    image_a, image_b: single images (28, 28, 1) in [0, 1].
    """
    batch = tf.stack(
        [tf.convert_to_tensor(image_a, tf.float32), tf.convert_to_tensor(image_b, tf.float32)]
    )
    mean = encoder(batch, training=False)[0]
    t = tf.reshape(tf.linspace(0.0, 1.0, steps), (-1, 1))
    codes = (1.0 - t) * mean[0:1] + t * mean[1:2]
    return np.asarray(decoder(codes, training=False))
