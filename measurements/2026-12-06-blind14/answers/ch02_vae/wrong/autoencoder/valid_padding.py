"""PART: encoder
MISTAKE: The encoder's convolutions use padding='valid', so the maps shrink 28 -> 13 -> 6 instead of 28 -> 14 -> 7.
Built on correct/autoencoder/sequential_loops.py, otherwise unchanged."""

# %% part: encoder
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> codes (B, latent_dim)."""
    inputs = keras.Input((28, 28, 1), name="images")
    h = inputs
    for channels in (filters, filters * 2):
        h = keras.layers.Conv2D(channels, kernel_size=(3, 3), strides=(2, 2), padding="valid")(h)
        h = keras.layers.ReLU()(h)
    h = keras.layers.Flatten()(h)
    z = keras.layers.Dense(latent_dim, activation=None, name="code")(h)
    return keras.Model(inputs=inputs, outputs=z)


# %% part: decoder
def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    inputs = keras.Input((latent_dim,), name="codes")
    h = keras.layers.Dense(7 * 7 * filters * 2)(inputs)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.Reshape((7, 7, filters * 2))(h)
    for channels in (filters * 2, filters):
        h = keras.layers.Conv2DTranspose(channels, (3, 3), strides=(2, 2), padding="same")(h)
        h = keras.layers.Activation("relu")(h)
    h = keras.layers.Conv2D(1, (3, 3), padding="same")(h)
    outputs = keras.layers.Activation("sigmoid")(h)
    return keras.Model(inputs=inputs, outputs=outputs)


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
    codes = np.zeros((n * n, 2), dtype="float32")
    for i in range(n):
        for j in range(n):
            codes[i * n + j, 0] = u[j]
            codes[i * n + j, 1] = u[n - 1 - i]
    return decoder.predict(codes, verbose=0)
