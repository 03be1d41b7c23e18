"""PART: decoder
MISTAKE: The first Dense layer of the decoder has no ReLU after it.
Built on correct/autoencoder/separate_layers_loops.py with this one change.
"""

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
    h = inputs
    for layer in layers:
        h = layer(h)
    return keras.Model(inputs=inputs, outputs=h)

# %% part: decoder
def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    channels = filters * 2
    inputs = keras.Input((latent_dim,))
    h = keras.layers.Dense(7 * 7 * channels)(inputs)
    h = keras.layers.Reshape((7, 7, channels))(h)
    for width in (channels, filters):
        h = keras.layers.Conv2DTranspose(width, (3, 3), strides=(2, 2), padding="same")(h)
        h = keras.layers.ReLU()(h)
    h = keras.layers.Conv2D(1, (3, 3), padding="same")(h)
    outputs = keras.layers.Activation("sigmoid")(h)
    return keras.Model(inputs=inputs, outputs=outputs)

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
    for i in range(n):
        for j in range(n):
            codes.append([u[j], u[n - 1 - i]])
    codes = np.array(codes, dtype=np.float32)
    return decoder.predict(codes, verbose=0)
