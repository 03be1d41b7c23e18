"""Style: functional API with named layers; latent_grid builds all codes at once with
np.meshgrid and decodes them in one predict call."""

# %% part: encoder
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> codes (B, latent_dim)."""
    inputs = keras.Input(shape=(28, 28, 1))
    x = keras.layers.Conv2D(filters, 3, strides=2, padding="same", activation="relu")(inputs)
    x = keras.layers.Conv2D(2 * filters, 3, strides=2, padding="same", activation="relu")(x)
    x = keras.layers.Flatten()(x)
    codes = keras.layers.Dense(latent_dim)(x)
    return keras.Model(inputs, codes, name="encoder")

# %% part: decoder
def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    codes = keras.Input(shape=(latent_dim,))
    x = keras.layers.Dense(7 * 7 * 2 * filters, activation="relu")(codes)
    x = keras.layers.Reshape((7, 7, 2 * filters))(x)
    x = keras.layers.Conv2DTranspose(2 * filters, 3, strides=2, padding="same", activation="relu")(x)
    x = keras.layers.Conv2DTranspose(filters, 3, strides=2, padding="same", activation="relu")(x)
    images = keras.layers.Conv2D(1, 3, padding="same", activation="sigmoid")(x)
    return keras.Model(codes, images, name="decoder")

# %% part: autoencoder
def build_autoencoder(encoder, decoder):
    """The model images -> decoder(encoder(images)), sharing the two networks' weights."""
    images = keras.Input(shape=(28, 28, 1))
    reconstructions = decoder(encoder(images))
    return keras.Model(images, reconstructions, name="autoencoder")

# %% part: latent_grid
def latent_grid(decoder, low, high, n):
    """Decode the n x n grid of 2-D codes over [low, high]^2, row by row from the top.

    Image i * n + j decodes (u[j], u[n - 1 - i]) with u = np.linspace(low, high, n).
    Returns a numpy array (n * n, 28, 28, 1).
    """
    u = np.linspace(low, high, n)
    first, second = np.meshgrid(u, u[::-1])  # first[i, j] = u[j], second[i, j] = u[n-1-i]
    codes = np.stack([first.ravel(), second.ravel()], axis=1).astype("float32")
    return np.asarray(decoder.predict(codes, verbose=0))
