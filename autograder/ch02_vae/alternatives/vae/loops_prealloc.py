"""Explicit loops and preallocation: per-dimension KL accumulated in a Python loop over latent
dimensions with keras.ops, reconstruction via per-image sums over H, W, C axes in turn; sampling
with keras.random + SeedGenerator in tf ops; train step with @tf.function and a module-level
helper for the forward pass; interpolate encodes each image separately into a preallocated array.
"""


# %% part: sampling_layer
class GaussianSampling(keras.layers.Layer):
    """z = mean + exp(0.5 * logvar) * epsilon, with fresh standard normal noise on every call.

    seed: an integer (or None) for the layer's keras.random.SeedGenerator.
    Input: (mean, logvar), two tensors of the same shape (B, D). Output: z, shape (B, D).
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        mean, logvar = inputs
        mean = tf.cast(mean, self.compute_dtype)
        sigma = tf.exp(0.5 * tf.cast(logvar, self.compute_dtype))
        eps = keras.random.normal(tf.shape(mean), seed=self.generator, dtype=self.compute_dtype)
        return mean + sigma * eps


# %% part: kl_divergence
def kl_divergence(mean, logvar):
    """KL(N(mean, exp(logvar)) || N(0, I)): summed over latent dimensions, averaged over images.

    mean, logvar: tensors (B, D). Returns a scalar tensor.
    """
    mean = keras.ops.convert_to_tensor(mean)
    logvar = keras.ops.cast(logvar, mean.dtype)
    total = keras.ops.zeros_like(mean[:, 0])
    for j in range(mean.shape[-1]):  # D is static
        mu, lv = mean[:, j], logvar[:, j]
        total = total + 0.5 * (keras.ops.exp(lv) - lv - 1.0 + mu**2)
    return keras.ops.mean(total)


# %% part: vae_networks
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> [mean (B, latent_dim), logvar (B, latent_dim)]."""
    inputs = keras.Input((28, 28, 1))
    x = inputs
    for f in (filters, 2 * filters):
        x = keras.layers.Conv2D(f, 3, 2, "same")(x)
        x = keras.layers.Activation("relu")(x)
    x = keras.layers.Flatten()(x)
    mean_head = keras.layers.Dense(latent_dim)
    logvar_head = keras.layers.Dense(latent_dim)
    return keras.Model(inputs, [mean_head(x), logvar_head(x)])


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    inputs = keras.Input((latent_dim,))
    x = keras.layers.Dense(98 * filters)(inputs)  # 7 * 7 * 2F
    x = keras.layers.Activation("relu")(x)
    x = keras.layers.Reshape((7, 7, 2 * filters))(x)
    for f in (2 * filters, filters):
        x = keras.layers.Conv2DTranspose(f, 3, 2, "same")(x)
        x = keras.layers.Activation("relu")(x)
    x = keras.layers.Conv2D(1, 3, 1, "same", activation="sigmoid")(x)
    return keras.Model(inputs, x)


# %% part: vae_loss
def vae_loss(images, reconstructions, mean, logvar):
    """Negative ELBO of a batch: (loss, reconstruction, kl), three scalars in nats per image.

    images, reconstructions: (B, H, W, C) in [0, 1]; mean, logvar: (B, D).
    reconstruction: binary cross-entropy summed over each image's pixels, averaged over images;
    kl: kl_divergence(mean, logvar); loss = reconstruction + kl.
    """
    ops = keras.ops
    recon = ops.convert_to_tensor(reconstructions)
    target = ops.cast(images, recon.dtype)
    recon = ops.clip(recon, 1e-7, 1 - 1e-7)
    per_pixel = -(target * ops.log(recon) + (1 - target) * ops.log(1 - recon))
    per_image = per_pixel
    while len(per_image.shape) > 1:  # sum C, then W, then H
        per_image = ops.sum(per_image, axis=-1)
    reconstruction = ops.sum(per_image) / ops.cast(ops.shape(per_image)[0], per_image.dtype)
    kl = kl_divergence(mean, logvar)
    return reconstruction + kl, reconstruction, kl


# %% part: train_step
def _forward(encoder, decoder, sampler, images):
    mean, logvar = encoder(images, training=True)
    z = sampler((mean, logvar))
    return vae_loss(images, decoder(z, training=True), mean, logvar)


def make_train_step(encoder, decoder, sampler, optimizer):
    """Return a tf.function step(images) doing one update of both networks.

    images: (B, 28, 28, 1) in [0, 1]. The step returns (loss, reconstruction, kl) of vae_loss,
    computed before the update.
    """

    @tf.function
    def step(images):
        trainable = [*encoder.trainable_variables, *decoder.trainable_variables]
        with tf.GradientTape() as tape:
            loss, reconstruction, kl = _forward(encoder, decoder, sampler, images)
        grads = tape.gradient(loss, trainable)
        optimizer.apply_gradients([(g, v) for g, v in zip(grads, trainable)])
        return (loss, reconstruction, kl)

    return step


# %% part: generation
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    d = int(decoder.input_shape[-1])
    eps = keras.random.normal((n, d), seed=seed)
    return np.array(keras.ops.convert_to_numpy(decoder(eps, training=False)))


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    """Decode (1 - t) * mean_a + t * mean_b for t = 0, ..., 1 (steps values): (steps, 28, 28, 1).

    image_a, image_b: single images (28, 28, 1) in [0, 1].
    """
    mean_a = keras.ops.convert_to_numpy(encoder(np.expand_dims(image_a, 0), training=False)[0])[0]
    mean_b = keras.ops.convert_to_numpy(encoder(np.expand_dims(image_b, 0), training=False)[0])[0]
    ts = np.linspace(0, 1, steps)
    codes = np.empty((steps, mean_a.shape[0]), dtype="float32")
    for k in range(steps):
        codes[k] = (1 - ts[k]) * mean_a + ts[k] * mean_b
    return keras.ops.convert_to_numpy(decoder(codes, training=False))
