"""Sequential models with separate ReLU / Activation layers (same layers and widths as the tables);
the autoencoder is a keras.Sequential of the two given networks; latent_grid fills a
preallocated code array with explicit loops and decodes it row by row into a preallocated output.
"""


# %% part: encoder
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> codes (B, latent_dim)."""
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(filters, (3, 3), strides=(2, 2), padding="same"),
            layers.ReLU(),
            layers.Conv2D(filters * 2, (3, 3), strides=(2, 2), padding="same"),
            layers.ReLU(),
            layers.Flatten(),
            layers.Dense(latent_dim, activation=None),
        ]
    )


# %% part: decoder
def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    layers = keras.layers
    wide = filters * 2
    return keras.Sequential(
        [
            keras.Input(shape=(latent_dim,)),
            layers.Dense(7 * 7 * wide),
            layers.Activation("relu"),
            layers.Reshape((7, 7, wide)),
            layers.Conv2DTranspose(wide, (3, 3), strides=(2, 2), padding="same"),
            layers.ReLU(),
            layers.Conv2DTranspose(filters, (3, 3), strides=(2, 2), padding="same"),
            layers.ReLU(),
            layers.Conv2D(1, (3, 3), padding="same"),
            layers.Activation("sigmoid"),
        ]
    )


# %% part: autoencoder
def build_autoencoder(encoder, decoder):
    """The model images -> decoder(encoder(images)), sharing the two networks' weights."""
    return keras.Sequential([keras.Input(shape=(28, 28, 1)), encoder, decoder])


# %% part: latent_grid
def latent_grid(decoder, low, high, n):
    """Decode the n x n grid of 2-D codes over [low, high]^2, row by row from the top.

    Image i * n + j decodes (u[j], u[n - 1 - i]) with u = np.linspace(low, high, n).
    Returns a numpy array (n * n, 28, 28, 1).
    """
    u = np.linspace(low, high, n)
    codes = np.empty((n * n, 2), dtype="float32")
    for i in range(n):
        for j in range(n):
            codes[i * n + j, 0] = u[j]
            codes[i * n + j, 1] = u[n - 1 - i]
    out = None
    for i in range(n):  # one row of the picture at a time
        row = keras.ops.convert_to_numpy(decoder(codes[i * n : (i + 1) * n], training=False))
        if out is None:
            out = np.empty((n * n,) + row.shape[1:], dtype=row.dtype)
        out[i * n : (i + 1) * n] = row
    return out
