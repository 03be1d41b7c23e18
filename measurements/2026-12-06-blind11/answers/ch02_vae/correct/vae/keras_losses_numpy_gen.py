"""Style: reconstruction term from keras.losses.binary_crossentropy applied per pixel (a
trailing axis of size 1 added so that its mean over the last axis is a no-op), KL written
as a batch sum divided by the batch size, networks from small helper functions over a
layer list, Keras 3 `optimizer.apply(grads, variables)` in the train step, and generation
with NumPy interpolation weights (np.outer) and decoder.predict."""

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
        noise = keras.random.normal(
            shape=keras.ops.shape(logvar), seed=self.generator, dtype=self.compute_dtype
        )
        return keras.ops.add(mean, keras.ops.multiply(keras.ops.exp(logvar / 2.0), noise))


# %% part: kl_divergence
def kl_divergence(mean, logvar):
    """KL(N(mean, exp(logvar)) || N(0, I)): summed over latent dimensions, averaged over images.

    mean, logvar: tensors (B, D). Returns a scalar tensor.
    """
    mean = keras.ops.convert_to_tensor(mean)
    logvar = keras.ops.convert_to_tensor(logvar)
    batch = keras.ops.cast(keras.ops.shape(mean)[0], mean.dtype)
    total = keras.ops.sum(keras.ops.exp(logvar) + mean * mean - logvar - 1.0)
    return 0.5 * total / batch


# %% part: vae_networks
def _stack(x, layers):
    for layer in layers:
        x = layer(x)
    return x


def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> [mean (B, latent_dim), logvar (B, latent_dim)]."""
    L = keras.layers
    inputs = keras.Input(shape=(28, 28, 1))
    features = _stack(inputs, [
        L.Conv2D(filters, 3, strides=2, padding="same", activation="relu"),
        L.Conv2D(filters * 2, 3, strides=2, padding="same", activation="relu"),
        L.Flatten(),
    ])
    return keras.Model(inputs, [L.Dense(latent_dim)(features), L.Dense(latent_dim)(features)])


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    L = keras.layers
    inputs = keras.Input(shape=(latent_dim,))
    outputs = _stack(inputs, [
        L.Dense(7 * 7 * filters * 2, activation="relu"),
        L.Reshape((7, 7, filters * 2)),
        L.Conv2DTranspose(filters * 2, 3, strides=2, padding="same", activation="relu"),
        L.Conv2DTranspose(filters, 3, strides=2, padding="same", activation="relu"),
        L.Conv2D(1, 3, padding="same", activation="sigmoid"),
    ])
    return keras.Model(inputs, outputs)


# %% part: vae_loss
def vae_loss(images, reconstructions, mean, logvar):
    """Negative ELBO of a batch: (loss, reconstruction, kl), three scalars in nats per image.

    images, reconstructions: (B, H, W, C) in [0, 1]; mean, logvar: (B, D).
    reconstruction: binary cross-entropy summed over each image's pixels, averaged over images;
    kl: kl_divergence(mean, logvar); loss = reconstruction + kl.
    """
    images = keras.ops.convert_to_tensor(images, dtype="float32")
    reconstructions = keras.ops.convert_to_tensor(reconstructions, dtype="float32")
    # One value per pixel and channel: the trailing size-1 axis makes the loss's own mean
    # over the last axis a no-op (Keras clips the predictions to [1e-7, 1 - 1e-7]).
    per_pixel = keras.losses.binary_crossentropy(images[..., None], reconstructions[..., None])
    per_image = keras.ops.sum(keras.ops.reshape(per_pixel, (keras.ops.shape(per_pixel)[0], -1)), axis=1)
    reconstruction = keras.ops.mean(per_image)
    kl = kl_divergence(mean, logvar)
    return reconstruction + kl, reconstruction, kl


# %% part: train_step
def make_train_step(encoder, decoder, sampler, optimizer):
    """Return a tf.function step(images) doing one update of both networks.

    images: (B, 28, 28, 1) in [0, 1]. The step returns (loss, reconstruction, kl) of vae_loss,
    computed before the update.
    """

    @tf.function(reduce_retracing=True)
    def step(images):
        variables = encoder.trainable_variables + decoder.trainable_variables
        with tf.GradientTape() as tape:
            mean, logvar = encoder(images, training=True)
            reconstructions = decoder(sampler((mean, logvar)), training=True)
            loss, reconstruction, kl = vae_loss(images, reconstructions, mean, logvar)
        optimizer.apply(tape.gradient(loss, variables), variables)
        return loss, reconstruction, kl

    return step


# %% part: generation
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    shape = (n, int(decoder.input_shape[1]))
    z = keras.ops.convert_to_numpy(keras.random.normal(shape, seed=seed))
    return decoder.predict(z, batch_size=512, verbose=0)


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    """Decode (1 - t) * mean_a + t * mean_b for t = 0, ..., 1 (steps values): (steps, 28, 28, 1).

    image_a, image_b: single images (28, 28, 1) in [0, 1].
    """
    means = encoder.predict(np.stack([image_a, image_b]).astype("float32"), verbose=0)[0]
    t = np.linspace(0.0, 1.0, steps)
    codes = np.outer(1.0 - t, means[0]) + np.outer(t, means[1])
    return decoder.predict(codes.astype("float32"), verbose=0)
