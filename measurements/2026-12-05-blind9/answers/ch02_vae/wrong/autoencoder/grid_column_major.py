"""PART: latent_grid
MISTAKE: Image k is taken as row k % n, column k // n (column-major), which transposes the grid.
Built on correct/autoencoder/subclassed.py with that one change.
"""

# %% part: encoder
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> codes (B, latent_dim)."""
    layers = [
        keras.layers.Conv2D(filters, 3, strides=2, padding="same", activation="relu"),
        keras.layers.Conv2D(2 * filters, 3, strides=2, padding="same", activation="relu"),
        keras.layers.Flatten(),
        keras.layers.Dense(latent_dim),
    ]
    x = inputs = keras.Input(shape=(28, 28, 1), name="images")
    for layer in layers:
        x = layer(x)
    return keras.Model(inputs, x)


# %% part: decoder
def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    layers = [
        keras.layers.Dense(98 * filters, activation="relu"),
        keras.layers.Reshape((7, 7, 2 * filters)),
        keras.layers.Conv2DTranspose(2 * filters, 3, strides=2, padding="same", activation="relu"),
        keras.layers.Conv2DTranspose(filters, 3, strides=2, padding="same", activation="relu"),
        keras.layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
    ]
    x = inputs = keras.Input(shape=(latent_dim,), name="codes")
    for layer in layers:
        x = layer(x)
    return keras.Model(inputs, x)


# %% part: autoencoder
class Autoencoder(keras.Model):
    """decoder(encoder(x)), with the given networks as its only layers."""

    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder

    def call(self, images, training=None):
        return self.decoder(self.encoder(images, training=training), training=training)


def build_autoencoder(encoder, decoder):
    """The model images -> decoder(encoder(images)), sharing the two networks' weights."""
    return Autoencoder(encoder, decoder)


# %% part: latent_grid
def latent_grid(decoder, low, high, n):
    """Decode the n x n grid of 2-D codes over [low, high]^2, row by row from the top.

    Image i * n + j decodes (u[j], u[n - 1 - i]) with u = np.linspace(low, high, n).
    Returns a numpy array (n * n, 28, 28, 1).
    """
    u = np.linspace(low, high, n)
    k = np.arange(n * n)
    row, column = k % n, k // n
    codes = np.stack([u[column], u[n - 1 - row]], axis=-1).astype(np.float32)
    images = [
        keras.ops.convert_to_numpy(decoder(codes[start : start + 256]))
        for start in range(0, len(codes), 256)
    ]
    return np.concatenate(images, axis=0)
