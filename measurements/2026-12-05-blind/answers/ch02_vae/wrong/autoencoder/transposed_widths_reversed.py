"""PART: decoder
MISTAKE: The two Conv2DTranspose layers have their widths in the wrong order (F then 2F instead of 2F then F).
Built on correct/autoencoder/subclassed_ops.py, with only that change."""

# %% part: encoder
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> codes (B, latent_dim)."""
    inputs = keras.Input(shape=(28, 28, 1))
    x = inputs
    for width in (filters, filters * 2):
        x = keras.layers.Conv2D(width, 3, strides=2, padding="same")(x)
        x = keras.layers.Activation("relu")(x)
    x = keras.layers.Flatten()(x)
    return keras.Model(inputs, keras.layers.Dense(latent_dim)(x))

# %% part: decoder
def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    inputs = keras.Input(shape=(latent_dim,))
    x = keras.layers.Dense(7 * 7 * filters * 2, activation="relu")(inputs)
    x = keras.layers.Reshape((7, 7, filters * 2))(x)
    for width in (filters, filters * 2):
        x = keras.layers.Conv2DTranspose(width, 3, strides=2, padding="same", activation="relu")(x)
    outputs = keras.layers.Conv2D(1, 3, padding="same", activation="sigmoid")(x)
    return keras.Model(inputs, outputs)

# %% part: autoencoder
class Autoencoder(keras.Model):
    """decoder(encoder(x)) with the very networks it is given."""

    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder

    def call(self, images, training=False):
        codes = self.encoder(images, training=training)
        return self.decoder(codes, training=training)


def build_autoencoder(encoder, decoder):
    """The model images -> decoder(encoder(images)), sharing the two networks' weights."""
    return Autoencoder(encoder, decoder)

# %% part: latent_grid
def latent_grid(decoder, low, high, n):
    """Decode the n x n grid of 2-D codes over [low, high]^2, row by row from the top.

    Image i * n + j decodes (u[j], u[n - 1 - i]) with u = np.linspace(low, high, n).
    Returns a numpy array (n * n, 28, 28, 1).
    """
    u = keras.ops.convert_to_tensor(np.linspace(low, high, n), dtype="float32")
    rows = []
    for i in range(n):
        second = keras.ops.full((n,), u[n - 1 - i], dtype="float32")
        codes = keras.ops.stack([u, second], axis=1)  # row i: (u[j], u[n - 1 - i]) for all j
        rows.append(keras.ops.convert_to_numpy(decoder(codes)))
    return np.concatenate(rows, axis=0)
