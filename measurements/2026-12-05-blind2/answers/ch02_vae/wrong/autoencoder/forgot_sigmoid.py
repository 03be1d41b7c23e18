"""PART: decoder
MISTAKE: The last convolution's sigmoid is forgotten, so the decoder outputs unbounded values instead of pixels in (0, 1).
Built on correct/autoencoder/separate_activations_loops.py.
"""

# %% part: encoder
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> codes (B, latent_dim)."""
    f1, f2 = filters, filters * 2
    inputs = keras.Input((28, 28, 1), name="images")
    h = inputs
    for width in (f1, f2):
        h = keras.layers.Conv2D(width, kernel_size=(3, 3), strides=(2, 2), padding="same")(h)
        h = keras.layers.ReLU()(h)
    h = keras.layers.Flatten()(h)
    outputs = keras.layers.Dense(latent_dim, activation=None, name="code")(h)
    return keras.Model(inputs=inputs, outputs=outputs)

# %% part: decoder
def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    f1, f2 = filters, filters * 2
    inputs = keras.Input((latent_dim,), name="code")
    h = keras.layers.Dense(7 * 7 * f2)(inputs)
    h = keras.layers.ReLU()(h)
    h = keras.layers.Reshape((7, 7, f2))(h)
    for width in (f2, f1):
        h = keras.layers.Conv2DTranspose(width, kernel_size=3, strides=2, padding="same")(h)
        h = keras.layers.ReLU()(h)
    outputs = keras.layers.Conv2D(1, kernel_size=3, padding="same")(h)
    return keras.Model(inputs=inputs, outputs=outputs)

# %% part: autoencoder
def build_autoencoder(encoder, decoder):
    """The model images -> decoder(encoder(images)), sharing the two networks' weights."""
    model = keras.Sequential([keras.Input((28, 28, 1)), encoder, decoder], name="autoencoder")
    return model

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
    images = decoder.predict(codes, batch_size=256, verbose=0)
    return np.asarray(images)
