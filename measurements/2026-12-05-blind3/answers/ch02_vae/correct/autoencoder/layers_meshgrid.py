"""Style: separate ReLU/Activation layers, filter counts named up front, the decoder as a
keras.Sequential, the autoencoder as a Sequential stack of the two given networks, and a
vectorised latent grid (np.meshgrid) decoded with decoder.predict."""

# %% part: encoder
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> codes (B, latent_dim)."""
    f1, f2 = filters, filters * 2
    x_in = keras.layers.Input((28, 28, 1))
    x = keras.layers.Conv2D(f1, kernel_size=(3, 3), strides=(2, 2), padding="same")(x_in)
    x = keras.layers.ReLU()(x)
    x = keras.layers.Conv2D(f2, kernel_size=(3, 3), strides=(2, 2), padding="same")(x)
    x = keras.layers.ReLU()(x)
    x = keras.layers.Flatten()(x)
    z = keras.layers.Dense(latent_dim, activation=None)(x)
    return keras.Model(inputs=x_in, outputs=z)

# %% part: decoder
def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    f1, f2 = filters, filters * 2
    return keras.Sequential(
        [
            keras.layers.Input((latent_dim,)),
            keras.layers.Dense(7 * 7 * f2),
            keras.layers.ReLU(),
            keras.layers.Reshape((7, 7, f2)),
            keras.layers.Conv2DTranspose(f2, (3, 3), strides=(2, 2), padding="same"),
            keras.layers.ReLU(),
            keras.layers.Conv2DTranspose(f1, (3, 3), strides=(2, 2), padding="same"),
            keras.layers.ReLU(),
            keras.layers.Conv2D(1, (3, 3), padding="same"),
            keras.layers.Activation("sigmoid"),
        ]
    )

# %% part: autoencoder
def build_autoencoder(encoder, decoder):
    """The model images -> decoder(encoder(images)), sharing the two networks' weights."""
    return keras.Sequential([keras.layers.Input((28, 28, 1)), encoder, decoder])

# %% part: latent_grid
def latent_grid(decoder, low, high, n):
    """Decode the n x n grid of 2-D codes over [low, high]^2, row by row from the top.

    Image i * n + j decodes (u[j], u[n - 1 - i]) with u = np.linspace(low, high, n).
    Returns a numpy array (n * n, 28, 28, 1).
    """
    u = np.linspace(low, high, n)
    first, second = np.meshgrid(u, u[::-1])  # first[i, j] = u[j], second[i, j] = u[n-1-i]
    codes = np.stack([first.ravel(), second.ravel()], axis=1).astype(np.float32)
    return np.asarray(decoder.predict(codes, batch_size=256, verbose=0))
