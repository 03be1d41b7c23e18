"""Correct answers for ch02_vae/autoencoder in a builder-loop style: each network's layers are
made as explicit layer objects from a table of (layer type, arguments) rows that follows the
notebook's layer tables exactly (Conv2D, Conv2D, Flatten, Dense for the encoder; Dense,
Reshape, Conv2DTranspose, Conv2DTranspose, Conv2D for the decoder), and a loop applies them in
turn to a keras.Input (functional API). The autoencoder calls the given networks as layers;
latent_grid fills the codes array with a loop and decodes it in one call.
"""

# %% part: encoder
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> codes (B, latent_dim)."""
    table = [
        (keras.layers.Conv2D, (filters, 3), {"strides": 2, "padding": "same", "activation": "relu"}),
        (keras.layers.Conv2D, (2 * filters, 3), {"strides": 2, "padding": "same", "activation": "relu"}),
        (keras.layers.Flatten, (), {}),
        (keras.layers.Dense, (latent_dim,), {}),  # no activation: codes may be negative
    ]
    images = keras.Input(shape=(28, 28, 1))
    x = images
    for layer_class, args, kwargs in table:  # (layer class, positional args, keyword args)
        x = layer_class(*args, **kwargs)(x)
    return keras.Model(images, x, name="encoder")

# %% part: decoder
def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    table = [
        (keras.layers.Dense, (7 * 7 * 2 * filters,), {"activation": "relu"}),
        (keras.layers.Reshape, ((7, 7, 2 * filters),), {}),
        (keras.layers.Conv2DTranspose, (2 * filters, 3), {"strides": 2, "padding": "same", "activation": "relu"}),
        (keras.layers.Conv2DTranspose, (filters, 3), {"strides": 2, "padding": "same", "activation": "relu"}),
        (keras.layers.Conv2D, (1, 3), {"padding": "same", "activation": "sigmoid"}),
    ]
    codes = keras.Input(shape=(latent_dim,))
    x = codes
    for layer_class, args, kwargs in table:  # (layer class, positional args, keyword args)
        x = layer_class(*args, **kwargs)(x)
    return keras.Model(codes, x, name="decoder")

# %% part: autoencoder
def build_autoencoder(encoder, decoder):
    """The model images -> decoder(encoder(images)), sharing the two networks' weights."""
    images = keras.Input(shape=(28, 28, 1))
    x = images
    for network in (encoder, decoder):  # the given networks, used as layers: weights shared
        x = network(x)
    return keras.Model(images, x, name="autoencoder")

# %% part: latent_grid
def latent_grid(decoder, low, high, n):
    """Decode the n x n grid of 2-D codes over [low, high]^2, row by row from the top.

    Image i * n + j decodes (u[j], u[n - 1 - i]) with u = np.linspace(low, high, n).
    Returns a numpy array (n * n, 28, 28, 1).
    """
    u = np.linspace(low, high, n)
    codes = np.empty((n * n, 2), dtype="float32")
    for i in range(n):
        for j in range(n):
            codes[i * n + j] = (u[j], u[n - 1 - i])
    return np.asarray(keras.ops.convert_to_numpy(decoder(codes)))
