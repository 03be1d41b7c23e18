"""PART: train_step
MISTAKE: make_train_step ignores the optimizer it is given and applies the gradients with a new keras.optimizers.Adam(1e-3) it creates itself.

Based on correct/vae/raw_tf_layers.py.
"""

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
        mean = tf.cast(mean, self.compute_dtype)
        logvar = tf.cast(logvar, self.compute_dtype)
        noise = keras.random.normal(tf.shape(mean), seed=self.seed_generator)
        noise = tf.cast(noise, self.compute_dtype)
        std = tf.exp(logvar / 2.0)
        return mean + std * noise

# %% part: kl_divergence
def kl_divergence(mean, logvar):
    """KL(N(mean, exp(logvar)) || N(0, I)): summed over latent dimensions, averaged over images.

    mean, logvar: tensors (B, D). Returns a scalar tensor.
    """
    mean = tf.convert_to_tensor(mean)
    logvar = tf.convert_to_tensor(logvar)
    kl_per_dim = 0.5 * (tf.square(mean) + tf.exp(logvar) - logvar - 1.0)
    return tf.reduce_mean(tf.reduce_sum(kl_per_dim, axis=1))

# %% part: vae_networks
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> [mean (B, latent_dim), logvar (B, latent_dim)]."""
    inputs = keras.Input((28, 28, 1))
    h = keras.layers.Conv2D(filters, (3, 3), strides=(2, 2), padding="same")(inputs)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.Conv2D(filters * 2, (3, 3), strides=(2, 2), padding="same")(h)
    h = keras.layers.Activation("relu")(h)
    features = keras.layers.Flatten()(h)
    z_mean = keras.layers.Dense(latent_dim, name="z_mean")(features)
    z_logvar = keras.layers.Dense(latent_dim, name="z_logvar")(features)
    return keras.Model(inputs=inputs, outputs=[z_mean, z_logvar])


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    inputs = keras.Input((latent_dim,))
    h = keras.layers.Dense(7 * 7 * filters * 2)(inputs)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.Reshape((7, 7, filters * 2))(h)
    h = keras.layers.Conv2DTranspose(filters * 2, (3, 3), strides=(2, 2), padding="same")(h)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.Conv2DTranspose(filters, (3, 3), strides=(2, 2), padding="same")(h)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.Conv2D(1, (3, 3), padding="same")(h)
    outputs = keras.layers.Activation("sigmoid")(h)
    return keras.Model(inputs=inputs, outputs=outputs)

# %% part: vae_loss
def vae_loss(images, reconstructions, mean, logvar):
    """Negative ELBO of a batch: (loss, reconstruction, kl), three scalars in nats per image.

    images, reconstructions: (B, H, W, C) in [0, 1]; mean, logvar: (B, D).
    reconstruction: binary cross-entropy summed over each image's pixels, averaged over images;
    kl: kl_divergence(mean, logvar); loss = reconstruction + kl.
    """
    x = tf.cast(images, tf.float32)
    x_hat = tf.clip_by_value(tf.cast(reconstructions, tf.float32), 1e-7, 1.0 - 1e-7)
    log_likelihood = x * tf.math.log(x_hat) + (1.0 - x) * tf.math.log(1.0 - x_hat)
    per_image = -tf.reduce_sum(tf.reshape(log_likelihood, (tf.shape(x)[0], -1)), axis=1)
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

    optimizer_ = keras.optimizers.Adam(1e-3)

    def step(images):
        with tf.GradientTape() as tape:
            z_mean, z_logvar = encoder(images, training=True)
            z = sampler([z_mean, z_logvar])
            x_hat = decoder(z, training=True)
            loss, rec, kl = vae_loss(images, x_hat, z_mean, z_logvar)
        weights = encoder.trainable_weights + decoder.trainable_weights
        grads = tape.gradient(loss, weights)
        optimizer_.apply_gradients(list(zip(grads, weights)))
        return loss, rec, kl

    return tf.function(step)

# %% part: generation
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    _batch, latent_dim = decoder.input_shape
    z = keras.random.normal(shape=(n, latent_dim), seed=seed)
    return keras.ops.convert_to_numpy(decoder(z, training=False))


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    """Decode (1 - t) * mean_a + t * mean_b for t = 0, ..., 1 (steps values): (steps, 28, 28, 1).

    image_a, image_b: single images (28, 28, 1) in [0, 1].
    """
    mean_a, _ = encoder(np.asarray(image_a, "float32")[None], training=False)
    mean_b, _ = encoder(np.asarray(image_b, "float32")[None], training=False)
    mean_a = keras.ops.convert_to_numpy(mean_a)[0]
    mean_b = keras.ops.convert_to_numpy(mean_b)[0]
    codes = np.array([(1 - t) * mean_a + t * mean_b for t in np.linspace(0, 1, steps)])
    return keras.ops.convert_to_numpy(decoder(codes.astype("float32"), training=False))
