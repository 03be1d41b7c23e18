"""PART: latent_grid
MISTAKE: Each code is written (u[n - 1 - i], u[j]) instead of (u[j], u[n - 1 - i]): the two latent coordinates are swapped (the grid is transposed).
Built on correct/autoencoder/sequential_loops.py, with only that change."""

# %% part: encoder
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> codes (B, latent_dim)."""
    layers = keras.layers
    x = layers.Input((28, 28, 1), name="images")
    h = layers.Conv2D(filters, kernel_size=(3, 3), strides=(2, 2), padding="same", name="conv1")(x)
    h = layers.ReLU()(h)
    h = layers.Conv2D(2 * filters, kernel_size=(3, 3), strides=(2, 2), padding="same", name="conv2")(h)
    h = layers.ReLU()(h)
    h = layers.Flatten()(h)
    z = layers.Dense(latent_dim, activation=None, name="code")(h)
    return keras.Model(inputs=x, outputs=z)

# %% part: decoder
def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input((latent_dim,)),
            layers.Dense(7 * 7 * 2 * filters),
            layers.Activation("relu"),
            layers.Reshape((7, 7, 2 * filters)),
            layers.Conv2DTranspose(2 * filters, (3, 3), strides=(2, 2), padding="same"),
            layers.Activation("relu"),
            layers.Conv2DTranspose(filters, (3, 3), strides=(2, 2), padding="same"),
            layers.Activation("relu"),
            layers.Conv2D(1, (3, 3), padding="same"),
            layers.Activation("sigmoid"),
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
    codes = []
    for i in range(n):  # rows, from the top: the second coordinate decreases
        for j in range(n):  # columns, from the left: the first coordinate increases
            codes.append([u[n - 1 - i], u[j]])
    codes = np.array(codes, dtype="float32")
    return np.asarray(decoder.predict(codes, batch_size=256, verbose=0))
