"""PART: decoder
MISTAKE: The two transposed convolutions have their filter counts swapped (F then 2F instead of 2F then F).
Built on correct/autoencoder/layers_loops.py with that one change.
"""

# %% part: encoder
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> codes (B, latent_dim)."""
    inputs = keras.Input((28, 28, 1))
    h = keras.layers.Conv2D(filters, kernel_size=(3, 3), strides=(2, 2), padding="same")(inputs)
    h = keras.layers.ReLU()(h)
    h = keras.layers.Conv2D(filters * 2, kernel_size=(3, 3), strides=(2, 2), padding="same")(h)
    h = keras.layers.ReLU()(h)
    h = keras.layers.Flatten()(h)
    z = keras.layers.Dense(latent_dim, activation=None)(h)
    return keras.Model(inputs=inputs, outputs=z)


# %% part: decoder
def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    wide = filters * 2
    return keras.Sequential(
        [
            keras.Input((latent_dim,)),
            keras.layers.Dense(7 * 7 * wide),
            keras.layers.ReLU(),
            keras.layers.Reshape((7, 7, wide)),
            keras.layers.Conv2DTranspose(filters, (3, 3), strides=(2, 2), padding="same"),
            keras.layers.ReLU(),
            keras.layers.Conv2DTranspose(wide, (3, 3), strides=(2, 2), padding="same"),
            keras.layers.ReLU(),
            keras.layers.Conv2D(1, (3, 3), padding="same"),
            keras.layers.Activation("sigmoid"),
        ]
    )


# %% part: autoencoder
def build_autoencoder(encoder, decoder):
    """The model images -> decoder(encoder(images)), sharing the two networks' weights."""
    model = keras.Sequential([keras.Input((28, 28, 1)), encoder, decoder])
    return model


# %% part: latent_grid
def latent_grid(decoder, low, high, n):
    """Decode the n x n grid of 2-D codes over [low, high]^2, row by row from the top.

    Image i * n + j decodes (u[j], u[n - 1 - i]) with u = np.linspace(low, high, n).
    Returns a numpy array (n * n, 28, 28, 1).
    """
    u = np.linspace(low, high, n)
    codes = []
    for i in range(n):  # rows of the picture, top first
        for j in range(n):  # columns, left first
            codes.append([u[j], u[n - 1 - i]])
    codes = np.array(codes, dtype="float32")
    return keras.ops.convert_to_numpy(decoder(codes, training=False))
