"""PART: train_step
MISTAKE: The gradients are applied to the encoder's variables only, so the decoder never learns.

Based on correct/vae/tf_ops.py, changed only in part train_step.
Public checks: caught: the `train_step` public check(s) fail ("returns (loss, reconstruction, kl) and updates both networks").
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
        self.noise = keras.random.SeedGenerator(seed=seed)

    def call(self, inputs):
        mean, logvar = inputs
        mean = tf.cast(mean, self.compute_dtype)
        logvar = tf.cast(logvar, self.compute_dtype)
        std = tf.exp(logvar / 2.0)
        eps = keras.random.normal(tf.shape(mean), mean=0.0, stddev=1.0, dtype=self.compute_dtype,
                                  seed=self.noise)
        return mean + std * eps

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
    variance = tf.exp(logvar)
    per_image = 0.5 * tf.reduce_sum(variance + mean**2 - 1.0 - logvar, axis=1)
    return tf.reduce_mean(per_image)

# %% part: vae_networks
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> [mean (B, latent_dim), logvar (B, latent_dim)]."""
    inputs = keras.Input((28, 28, 1))
    h = keras.layers.Conv2D(filters, (3, 3), strides=(2, 2), padding="same")(inputs)
    h = keras.layers.ReLU()(h)
    h = keras.layers.Conv2D(filters * 2, (3, 3), strides=(2, 2), padding="same")(h)
    h = keras.layers.ReLU()(h)
    features = keras.layers.Flatten()(h)
    mean_head = keras.layers.Dense(latent_dim)
    logvar_head = keras.layers.Dense(latent_dim)
    return keras.Model(inputs=inputs, outputs=[mean_head(features), logvar_head(features)])


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    inputs = keras.Input((latent_dim,))
    h = keras.layers.ReLU()(keras.layers.Dense(7 * 7 * filters * 2)(inputs))
    h = keras.layers.Reshape((7, 7, filters * 2))(h)
    h = keras.layers.ReLU()(keras.layers.Conv2DTranspose(filters * 2, (3, 3), strides=2, padding="same")(h))
    h = keras.layers.ReLU()(keras.layers.Conv2DTranspose(filters, (3, 3), strides=2, padding="same")(h))
    logits = keras.layers.Conv2D(1, (3, 3), padding="same")(h)
    return keras.Model(inputs=inputs, outputs=keras.layers.Activation("sigmoid")(logits))

# %% part: vae_loss
def vae_loss(images, reconstructions, mean, logvar):
    """Negative ELBO of a batch: (loss, reconstruction, kl), three scalars in nats per image.

    images, reconstructions: (B, H, W, C) in [0, 1]; mean, logvar: (B, D).
    reconstruction: binary cross-entropy summed over each image's pixels, averaged over images;
    kl: kl_divergence(mean, logvar); loss = reconstruction + kl.
    """
    images = tf.cast(images, tf.float32)
    x_hat = tf.clip_by_value(tf.cast(reconstructions, tf.float32), 1e-7, 1 - 1e-7)
    log_likelihood = images * tf.math.log(x_hat) + (1 - images) * tf.math.log(1 - x_hat)
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
    variables = list(encoder.trainable_variables)
    optimizer.build(variables)

    def step(images):
        with tf.GradientTape() as tape:
            mean, logvar = encoder(images, training=True)
            reconstructions = decoder(sampler((mean, logvar)), training=True)
            terms = vae_loss(images, reconstructions, mean, logvar)
        grads = tape.gradient(terms[0], variables)
        optimizer.apply_gradients(list(zip(grads, variables)))
        return terms

    return tf.function(step)

# %% part: generation
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    _batch, latent_dim = decoder.input_shape
    z = keras.random.normal(shape=(n, latent_dim), mean=0.0, stddev=1.0, seed=seed)
    return np.asarray(decoder.predict(z, verbose=0))


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    """Decode (1 - t) * mean_a + t * mean_b for t = 0, ..., 1 (steps values): (steps, 28, 28, 1).

    image_a, image_b: single images (28, 28, 1) in [0, 1].
    """
    mean_a = encoder(tf.convert_to_tensor(image_a[None], tf.float32), training=False)[0][0]
    mean_b = encoder(tf.convert_to_tensor(image_b[None], tf.float32), training=False)[0][0]
    codes = [(1.0 - t) * mean_a + t * mean_b for t in np.linspace(0.0, 1.0, steps)]
    return decoder(tf.stack(codes), training=False).numpy()
