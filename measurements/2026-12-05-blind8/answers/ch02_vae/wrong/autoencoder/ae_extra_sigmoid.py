"""PART: autoencoder
MISTAKE: An extra sigmoid is stacked after the decoder 'to keep the output in [0, 1]', squashing the reconstructions into (0.5, 0.73) instead of returning decoder(encoder(x)).
Built on correct/autoencoder/sequential_meshgrid.py with this one change."""

# %% part: encoder
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> codes (B, latent_dim)."""
    layers = [
        keras.layers.Conv2D(filters, kernel_size=(3, 3), strides=(2, 2), padding="same"),
        keras.layers.ReLU(),
        keras.layers.Conv2D(filters * 2, kernel_size=(3, 3), strides=(2, 2), padding="same"),
        keras.layers.ReLU(),
        keras.layers.Flatten(),
        keras.layers.Dense(latent_dim, activation=None),
    ]
    inputs = keras.Input((28, 28, 1))
    x = inputs
    for layer in layers:
        x = layer(x)
    return keras.Model(inputs=inputs, outputs=x)


# %% part: decoder
def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    width = filters * 2
    return keras.Sequential(
        [
            keras.Input((latent_dim,)),
            keras.layers.Dense(7 * 7 * width),
            keras.layers.Activation("relu"),
            keras.layers.Reshape((7, 7, width)),
            keras.layers.Conv2DTranspose(width, 3, strides=2, padding="same"),
            keras.layers.Activation("relu"),
            keras.layers.Conv2DTranspose(filters, 3, strides=2, padding="same"),
            keras.layers.Activation("relu"),
            keras.layers.Conv2D(1, 3, padding="same"),
            keras.layers.Activation("sigmoid"),
        ]
    )


# %% part: autoencoder
def build_autoencoder(encoder, decoder):
    """The model images -> decoder(encoder(images)), sharing the two networks' weights."""
    return keras.Sequential(
        [keras.Input((28, 28, 1)), encoder, decoder, keras.layers.Activation("sigmoid")]
    )


# %% part: latent_grid
def latent_grid(decoder, low, high, n):
    """Decode the n x n grid of 2-D codes over [low, high]^2, row by row from the top.

    Image i * n + j decodes (u[j], u[n - 1 - i]) with u = np.linspace(low, high, n).
    Returns a numpy array (n * n, 28, 28, 1).
    """
    u = np.linspace(low, high, n)
    first, second = np.meshgrid(u, u[::-1])  # rows: second coordinate from high to low
    codes = np.stack([first.ravel(), second.ravel()], axis=1).astype(np.float32)
    return np.asarray(decoder.predict(codes, batch_size=256, verbose=0))
