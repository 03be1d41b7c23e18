"""Autoencoder, style: functional API built in a loop over the stages, with separate
Activation layers; Sequential composition of the given networks; the latent grid is
vectorised with np.meshgrid over the flipped axis and decoded with decoder.predict."""

# %% part: encoder
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> codes (B, latent_dim)."""
    inputs = keras.Input((28, 28, 1), name="images")
    h = inputs
    for width in (filters, filters * 2):
        h = keras.layers.Conv2D(width, kernel_size=(3, 3), strides=(2, 2), padding="same")(h)
        h = keras.layers.Activation("relu")(h)
    h = keras.layers.Flatten()(h)
    z = keras.layers.Dense(latent_dim, activation=None, name="code")(h)
    return keras.Model(inputs=inputs, outputs=z)

# %% part: decoder
def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    z = keras.Input((latent_dim,), name="code")
    h = keras.layers.Dense(7 * 7 * filters * 2)(z)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.Reshape((7, 7, filters * 2))(h)
    for width in (filters * 2, filters):
        h = keras.layers.Conv2DTranspose(width, (3, 3), strides=(2, 2), padding="same")(h)
        h = keras.layers.Activation("relu")(h)
    h = keras.layers.Conv2D(1, (3, 3), padding="same")(h)
    out = keras.layers.Activation("sigmoid")(h)
    return keras.Model(inputs=z, outputs=out)

# %% part: autoencoder
def build_autoencoder(encoder, decoder):
    """The model images -> decoder(encoder(images)), sharing the two networks' weights."""
    return keras.Sequential([keras.Input((28, 28, 1)), encoder, decoder], name="autoencoder")

# %% part: latent_grid
def latent_grid(decoder, low, high, n):
    """Decode the n x n grid of 2-D codes over [low, high]^2, row by row from the top.

    Image i * n + j decodes (u[j], u[n - 1 - i]) with u = np.linspace(low, high, n).
    Returns a numpy array (n * n, 28, 28, 1).
    """
    u = np.linspace(low, high, n)
    first, second = np.meshgrid(u, u[::-1])  # first[i, j] = u[j], second[i, j] = u[n-1-i]
    codes = np.stack([first.ravel(), second.ravel()], axis=1).astype(np.float32)
    return np.asarray(decoder.predict(codes, verbose=0))
