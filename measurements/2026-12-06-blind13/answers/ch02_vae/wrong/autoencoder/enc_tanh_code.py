"""PART: encoder
MISTAKE: The code layer gets a tanh activation (to keep codes bounded), although the table asks for a Dense(latent_dim) with no activation.
Built on correct/autoencoder/sequential_loops.py, with only this one change."""

# %% part: encoder
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> codes (B, latent_dim)."""
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(filters, kernel_size=(3, 3), strides=(2, 2), padding="same"),
            layers.Activation("relu"),
            layers.Conv2D(filters * 2, kernel_size=(3, 3), strides=(2, 2), padding="same"),
            layers.Activation("relu"),
            layers.Flatten(),
            layers.Dense(latent_dim, activation="tanh"),
        ],
        name="conv_encoder",
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
            layers.ReLU(),
            layers.Reshape((7, 7, wide)),
            layers.Conv2DTranspose(wide, kernel_size=3, strides=2, padding="same"),
            layers.ReLU(),
            layers.Conv2DTranspose(filters, kernel_size=3, strides=2, padding="same"),
            layers.ReLU(),
            layers.Conv2D(1, kernel_size=3, padding="same"),
            layers.Activation("sigmoid"),
        ],
        name="conv_decoder",
    )

# %% part: autoencoder
def build_autoencoder(encoder, decoder):
    """The model images -> decoder(encoder(images)), sharing the two networks' weights."""
    return keras.Sequential([keras.Input(shape=(28, 28, 1)), encoder, decoder], name="ae")

# %% part: latent_grid
def latent_grid(decoder, low, high, n):
    """Decode the n x n grid of 2-D codes over [low, high]^2, row by row from the top.

    Image i * n + j decodes (u[j], u[n - 1 - i]) with u = np.linspace(low, high, n).
    Returns a numpy array (n * n, 28, 28, 1).
    """
    u = np.linspace(low, high, n)
    codes = []
    for i in range(n):  # picture rows, top row first: the second coordinate falls
        for j in range(n):  # picture columns, left to right: the first coordinate grows
            codes.append([u[j], u[n - 1 - i]])
    codes = np.array(codes, dtype=np.float32)
    return np.asarray(decoder.predict(codes, verbose=0))
