"""PART: train_step
MISTAKE: The encoder and decoder are called without training=True inside the training step.
Built on correct/vae/tf_explicit.py, with only this mistake.
"""

# %% part: sampling_layer
class GaussianSampling(keras.layers.Layer):
    """z = mean + exp(0.5 * logvar) * epsilon, with fresh standard normal noise on every call.

    seed: an integer (or None) for the layer's keras.random.SeedGenerator.
    Input: (mean, logvar), two tensors of the same shape (B, D). Output: z, shape (B, D).
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self._noise = keras.random.SeedGenerator(seed=seed)

    def call(self, inputs):
        mean, logvar = inputs
        mean = tf.cast(mean, self.compute_dtype)
        std = tf.exp(tf.cast(logvar, self.compute_dtype) / 2.0)
        epsilon = keras.random.normal(tf.shape(mean), dtype=self.compute_dtype, seed=self._noise)
        return mean + std * epsilon

# %% part: kl_divergence
def kl_divergence(mean, logvar):
    """KL(N(mean, exp(logvar)) || N(0, I)): summed over latent dimensions, averaged over images.

    mean, logvar: tensors (B, D). Returns a scalar tensor.
    """
    mean = tf.convert_to_tensor(mean)
    logvar = tf.convert_to_tensor(logvar)
    variance = tf.exp(logvar)
    per_dimension = variance + mean * mean - 1.0 - logvar
    return tf.reduce_mean(0.5 * tf.reduce_sum(per_dimension, axis=1))

# %% part: vae_networks
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> [mean (B, latent_dim), logvar (B, latent_dim)]."""
    inputs = keras.Input((28, 28, 1), name="images")
    x = keras.layers.Conv2D(filters, (3, 3), strides=(2, 2), padding="same")(inputs)
    x = keras.layers.ReLU()(x)
    x = keras.layers.Conv2D(filters * 2, (3, 3), strides=(2, 2), padding="same")(x)
    x = keras.layers.ReLU()(x)
    features = keras.layers.Flatten()(x)
    z_mean = keras.layers.Dense(latent_dim, activation=None)(features)
    z_logvar = keras.layers.Dense(latent_dim, activation=None)(features)
    return keras.Model(inputs=inputs, outputs=[z_mean, z_logvar])


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    inputs = keras.Input((latent_dim,), name="z")
    x = keras.layers.Dense(7 * 7 * filters * 2)(inputs)
    x = keras.layers.ReLU()(x)
    x = keras.layers.Reshape((7, 7, filters * 2))(x)
    x = keras.layers.Conv2DTranspose(filters * 2, (3, 3), strides=(2, 2), padding="same")(x)
    x = keras.layers.ReLU()(x)
    x = keras.layers.Conv2DTranspose(filters, (3, 3), strides=(2, 2), padding="same")(x)
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
    images = tf.convert_to_tensor(images, dtype=tf.float32)
    reconstructions = tf.convert_to_tensor(reconstructions, dtype=tf.float32)
    batch = tf.shape(images)[0]
    x = tf.reshape(images, [batch, -1])
    x_hat = tf.clip_by_value(tf.reshape(reconstructions, [batch, -1]), 1e-7, 1.0 - 1e-7)
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

    def step(images):
        with tf.GradientTape() as tape:
            z_mean, z_logvar = encoder(images)
            z = sampler((z_mean, z_logvar))
            decoded = decoder(z)
            terms = vae_loss(images, decoded, z_mean, z_logvar)
        trainable = encoder.trainable_variables + decoder.trainable_variables
        grads = tape.gradient(terms[0], trainable)
        optimizer.apply(grads, trainable)
        return terms

    return tf.function(step)

# %% part: generation
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    _batch, latent_dim = decoder.input_shape
    z = keras.random.normal(shape=(n, latent_dim), mean=0.0, stddev=1.0, seed=seed)
    return decoder.predict(keras.ops.convert_to_numpy(z), batch_size=512, verbose=0)


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    """Decode (1 - t) * mean_a + t * mean_b for t = 0, ..., 1 (steps values): (steps, 28, 28, 1).

    image_a, image_b: single images (28, 28, 1) in [0, 1].
    """
    mean_a = encoder(image_a[None], training=False)[0][0]
    mean_b = encoder(image_b[None], training=False)[0][0]
    codes = []
    for k in range(steps):
        t = k / (steps - 1) if steps > 1 else 0.0
        codes.append((1.0 - t) * mean_a + t * mean_b)
    return decoder.predict(tf.stack(codes), verbose=0)
