"""PART: vae_loss
MISTAKE: The reconstructions are not clipped to [1e-7, 1 - 1e-7] before the logarithms, so a saturated pixel gives inf or nan.
Built on correct/vae/tf_ops.py with that one change.
"""

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
        dtype = self.compute_dtype
        mean = tf.cast(mean, dtype)
        std = tf.exp(0.5 * tf.cast(logvar, dtype))
        epsilon = keras.random.normal(tf.shape(mean), seed=self.seed_generator, dtype=dtype)
        return mean + std * epsilon

    def get_config(self):
        config = super().get_config()
        config["seed"] = self.seed
        return config


# %% part: kl_divergence
def kl_divergence(mean, logvar):
    """KL(N(mean, exp(logvar)) || N(0, I)): summed over latent dimensions, averaged over images.

    mean, logvar: tensors (B, D). Returns a scalar tensor.
    """
    mean = tf.convert_to_tensor(mean)
    logvar = tf.convert_to_tensor(logvar)
    terms = 1.0 + logvar - tf.square(mean) - tf.exp(logvar)
    return tf.reduce_mean(-0.5 * tf.reduce_sum(terms, axis=1))


# %% part: vae_networks
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> [mean (B, latent_dim), logvar (B, latent_dim)]."""
    images = keras.Input((28, 28, 1))
    h = keras.layers.Conv2D(filters, (3, 3), strides=(2, 2), padding="same")(images)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.Conv2D(filters * 2, (3, 3), strides=(2, 2), padding="same")(h)
    h = keras.layers.Activation("relu")(h)
    features = keras.layers.Flatten()(h)
    mean_head = keras.layers.Dense(latent_dim, activation=None)
    logvar_head = keras.layers.Dense(latent_dim, activation=None)
    return keras.Model(inputs=images, outputs=[mean_head(features), logvar_head(features)])


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    z = keras.Input((latent_dim,))
    h = keras.layers.Dense(7 * 7 * filters * 2)(z)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.Reshape((7, 7, filters * 2))(h)
    h = keras.layers.Conv2DTranspose(filters * 2, (3, 3), strides=(2, 2), padding="same")(h)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.Conv2DTranspose(filters, (3, 3), strides=(2, 2), padding="same")(h)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.Conv2D(1, (3, 3), padding="same")(h)
    out = keras.layers.Activation("sigmoid")(h)
    return keras.Model(inputs=z, outputs=out)


# %% part: vae_loss
def vae_loss(images, reconstructions, mean, logvar):
    """Negative ELBO of a batch: (loss, reconstruction, kl), three scalars in nats per image.

    images, reconstructions: (B, H, W, C) in [0, 1]; mean, logvar: (B, D).
    reconstruction: binary cross-entropy summed over each image's pixels, averaged over images;
    kl: kl_divergence(mean, logvar); loss = reconstruction + kl.
    """
    x = tf.cast(images, tf.float32)
    x_hat = tf.cast(reconstructions, tf.float32)
    log_likelihood = x * tf.math.log(x_hat) + (1.0 - x) * tf.math.log(1.0 - x_hat)
    batch = tf.shape(x)[0]
    per_image = -tf.reduce_sum(tf.reshape(log_likelihood, [batch, -1]), axis=1)
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
        with tf.GradientTape(persistent=True) as tape:
            mean, logvar = encoder(images, training=True)
            z = sampler([mean, logvar])
            reconstructions = decoder(z, training=True)
            loss, reconstruction, kl = vae_loss(images, reconstructions, mean, logvar)
        encoder_grads = tape.gradient(loss, encoder.trainable_variables)
        decoder_grads = tape.gradient(loss, decoder.trainable_variables)
        del tape
        optimizer.apply_gradients(
            list(zip(encoder_grads, encoder.trainable_variables))
            + list(zip(decoder_grads, decoder.trainable_variables))
        )
        return loss, reconstruction, kl

    return tf.function(step)


# %% part: generation
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    _batch, latent_dim = decoder.input_shape
    codes = keras.random.normal(shape=(n, latent_dim), mean=0.0, stddev=1.0, seed=seed)
    return decoder.predict(keras.ops.convert_to_numpy(codes), verbose=0)


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    """Decode (1 - t) * mean_a + t * mean_b for t = 0, ..., 1 (steps values): (steps, 28, 28, 1).

    image_a, image_b: single images (28, 28, 1) in [0, 1].
    """
    mean_a = encoder(tf.expand_dims(image_a, 0), training=False)[0][0]
    mean_b = encoder(tf.expand_dims(image_b, 0), training=False)[0][0]
    images = []
    for k in range(steps):
        t = k / (steps - 1) if steps > 1 else 0.0
        z = (1.0 - t) * mean_a + t * mean_b
        images.append(keras.ops.convert_to_numpy(decoder(z[None], training=False))[0])
    return np.stack(images)
