"""Style: keras.Sequential models with separate Activation layers; the autoencoder is a
Sequential of the two given models; latent_grid fills the codes with explicit loops and
decodes by calling the decoder on a tensor."""

# %% part: encoder
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> codes (B, latent_dim)."""
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(filters, kernel_size=(3, 3), strides=(2, 2), padding="same"),
            keras.layers.Activation("relu"),
            keras.layers.Conv2D(filters * 2, kernel_size=(3, 3), strides=(2, 2), padding="same"),
            keras.layers.Activation("relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(latent_dim, activation=None),
        ]
    )

# %% part: decoder
def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    return keras.Sequential(
        [
            keras.Input((latent_dim,)),
            keras.layers.Dense(7 * 7 * filters * 2),
            keras.layers.ReLU(),
            keras.layers.Reshape((7, 7, filters * 2)),
            keras.layers.Conv2DTranspose(filters * 2, (3, 3), strides=(2, 2), padding="same"),
            keras.layers.ReLU(),
            keras.layers.Conv2DTranspose(filters, (3, 3), strides=(2, 2), padding="same"),
            keras.layers.ReLU(),
            keras.layers.Conv2D(1, (3, 3), padding="same"),
            keras.layers.Activation("sigmoid"),
        ]
    )

# %% part: autoencoder
def build_autoencoder(encoder, decoder):
    """The model images -> decoder(encoder(images)), sharing the two networks' weights."""
    return keras.Sequential([keras.Input((28, 28, 1)), encoder, decoder])

# %% part: latent_grid
def latent_grid(decoder, low, high, n):
    """Decode the n x n grid of 2-D codes over [low, high]^2, row by row from the top.

    Image i * n + j decodes (u[j], u[n - 1 - i]) with u = np.linspace(low, high, n).
    Returns a numpy array (n * n, 28, 28, 1).
    """
    u = np.linspace(low, high, n)
    codes = np.zeros((n * n, 2), dtype="float32")
    for i in range(n):
        for j in range(n):
            codes[i * n + j, 0] = u[j]
            codes[i * n + j, 1] = u[n - 1 - i]
    return keras.ops.convert_to_numpy(decoder(codes, training=False))
