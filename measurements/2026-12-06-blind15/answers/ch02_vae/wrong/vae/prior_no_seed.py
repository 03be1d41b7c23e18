"""PART: generation
MISTAKE: sample_prior does not pass seed to keras.random.normal, so its samples are not reproducible from the seed.
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
        self.noise = keras.random.SeedGenerator(seed=seed)

    def call(self, inputs):
        mean, logvar = inputs
        dtype = self.compute_dtype
        mean = tf.cast(mean, dtype)
        std = tf.exp(tf.cast(logvar, dtype) / 2.0)
        epsilon = keras.random.normal(tf.shape(mean), mean=0.0, stddev=1.0, dtype=dtype,
                                      seed=self.noise)
        return tf.add(mean, tf.multiply(std, epsilon))

# %% part: kl_divergence
def kl_divergence(mean, logvar):
    """KL(N(mean, exp(logvar)) || N(0, I)): summed over latent dimensions, averaged over images.

    mean, logvar: tensors (B, D). Returns a scalar tensor.
    """
    mean = tf.convert_to_tensor(mean)
    logvar = tf.cast(tf.convert_to_tensor(logvar), mean.dtype)
    variance = tf.exp(logvar)
    per_dimension = 0.5 * (variance + tf.square(mean) - 1.0 - logvar)
    return tf.reduce_mean(tf.reduce_sum(per_dimension, axis=1))

# %% part: vae_networks
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> [mean (B, latent_dim), logvar (B, latent_dim)]."""
    inputs = keras.Input((28, 28, 1))
    features = inputs
    for layer in [
        keras.layers.Conv2D(filters, (3, 3), strides=(2, 2), padding="same"),
        keras.layers.Activation("relu"),
        keras.layers.Conv2D(filters * 2, (3, 3), strides=(2, 2), padding="same"),
        keras.layers.Activation("relu"),
        keras.layers.Flatten(),
    ]:
        features = layer(features)
    z_mean = keras.layers.Dense(latent_dim, name="z_mean")(features)
    z_logvar = keras.layers.Dense(latent_dim, name="z_logvar")(features)
    return keras.Model(inputs=inputs, outputs=[z_mean, z_logvar])


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    inputs = keras.Input((latent_dim,))
    h = inputs
    for layer in [
        keras.layers.Dense(7 * 7 * filters * 2),
        keras.layers.Activation("relu"),
        keras.layers.Reshape((7, 7, filters * 2)),
        keras.layers.Conv2DTranspose(filters * 2, (3, 3), strides=(2, 2), padding="same"),
        keras.layers.Activation("relu"),
        keras.layers.Conv2DTranspose(filters, (3, 3), strides=(2, 2), padding="same"),
        keras.layers.Activation("relu"),
        keras.layers.Conv2D(1, (3, 3), padding="same"),
        keras.layers.Activation("sigmoid"),
    ]:
        h = layer(h)
    return keras.Model(inputs=inputs, outputs=h)

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
    x = tf.reshape(x, [batch, -1])
    x_hat = tf.reshape(x_hat, [batch, -1])
    log_likelihood = tf.reduce_sum(
        x * tf.math.log(x_hat) + (1.0 - x) * tf.math.log(1.0 - x_hat), axis=1
    )
    reconstruction = -tf.reduce_mean(log_likelihood)
    kl = tf.cast(kl_divergence(mean, logvar), tf.float32)
    loss = tf.add(reconstruction, kl)
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
            z = sampler([z_mean, z_logvar])
            x_hat = decoder(z, training=True)
            terms = vae_loss(images, x_hat, z_mean, z_logvar)
        weights = encoder.trainable_weights + decoder.trainable_weights
        grads = tape.gradient(terms[0], weights)
        optimizer.apply(grads, weights)
        return terms

    return tf.function(step)

# %% part: generation
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    _batch, latent_dim = decoder.input_shape
    z = keras.random.normal(shape=(n, latent_dim))
    return keras.ops.convert_to_numpy(decoder(z, training=False))


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    """Decode (1 - t) * mean_a + t * mean_b for t = 0, ..., 1 (steps values): (steps, 28, 28, 1).

    image_a, image_b: single images (28, 28, 1) in [0, 1].
    """
    mean_a = encoder(tf.convert_to_tensor(image_a, tf.float32)[None], training=False)[0][0]
    mean_b = encoder(tf.convert_to_tensor(image_b, tf.float32)[None], training=False)[0][0]
    frames = []
    for k in range(steps):
        t = k / (steps - 1) if steps > 1 else 0.0
        z = (1.0 - t) * mean_a + t * mean_b
        frames.append(decoder(z[None], training=False)[0])
    return tf.stack(frames).numpy()
