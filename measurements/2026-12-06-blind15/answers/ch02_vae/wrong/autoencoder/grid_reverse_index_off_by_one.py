"""PART: latent_grid
MISTAKE: Reverses the rows with u[-i] instead of u[n - 1 - i] (= u[-1 - i]): the top row decodes u[0] and the others are shifted by one.
Built on correct/autoencoder/sequential_loops.py.
"""

# %% part: encoder
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> codes (B, latent_dim)."""
    inputs = keras.Input((28, 28, 1), name="images")
    h = inputs
    for width in (filters, filters * 2):
        h = keras.layers.Conv2D(width, kernel_size=(3, 3), strides=(2, 2), padding="same")(h)
        h = keras.layers.ReLU()(h)
    h = keras.layers.Flatten()(h)
    z = keras.layers.Dense(latent_dim, activation=None, name="code")(h)
    return keras.Model(inputs=inputs, outputs=z)

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
        ],
        name="decoder",
    )

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
    codes = []
    for i in range(n):
        for j in range(n):
            codes.append([u[j], u[-i]])
    codes = np.array(codes, dtype="float32")
    return keras.ops.convert_to_numpy(decoder(codes, training=False))
