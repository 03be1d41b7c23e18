"""PART: encoder
MISTAKE: The ReLU after the second convolution is missing, so that convolution is linear.
Built on correct/autoencoder/separate_layers_sequential.py.
"""

# %% part: encoder
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> codes (B, latent_dim)."""
    inputs = keras.Input((28, 28, 1))
    h = keras.layers.Conv2D(filters, kernel_size=(3, 3), strides=(2, 2), padding="same")(inputs)
    h = keras.layers.ReLU()(h)
    h = keras.layers.Conv2D(2 * filters, kernel_size=(3, 3), strides=(2, 2), padding="same")(h)
    h = keras.layers.Flatten()(h)
    z = keras.layers.Dense(latent_dim, activation=None)(h)
    return keras.Model(inputs=inputs, outputs=z)

# %% part: decoder
def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    wide = 2 * filters
    return keras.Sequential(
        [
            keras.Input((latent_dim,)),
            keras.layers.Dense(7 * 7 * wide),
            keras.layers.ReLU(),
            keras.layers.Reshape((7, 7, wide)),
            keras.layers.Conv2DTranspose(wide, (3, 3), strides=2, padding="same"),
            keras.layers.ReLU(),
            keras.layers.Conv2DTranspose(filters, (3, 3), strides=2, padding="same"),
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
    first, second = np.meshgrid(u, u[::-1])  # first[i, j] = u[j], second[i, j] = u[n-1-i]
    codes = np.stack([first.reshape(-1), second.reshape(-1)], axis=1).astype(np.float32)
    return np.asarray(decoder.predict(codes, batch_size=256, verbose=0))
