"""PART: autoencoder
MISTAKE: The given networks are copied with keras.models.clone_model (new weights), so training the autoencoder does not train the encoder and decoder the notebook uses afterwards.
Built on correct/autoencoder/activation_layers_sequential.py with this one change.
"""

# %% part: encoder
def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> codes (B, latent_dim)."""
    x = keras.Input((28, 28, 1), name="images")
    y = x
    for width in (filters, filters * 2):
        y = keras.layers.Conv2D(width, kernel_size=(3, 3), strides=(2, 2), padding="same")(y)
        y = keras.layers.ReLU()(y)
    y = keras.layers.Flatten()(y)
    z = keras.layers.Dense(latent_dim, name="code")(y)
    return keras.Model(inputs=x, outputs=z)


# %% part: decoder
def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    z = keras.Input((latent_dim,), name="code")
    y = keras.layers.Dense(7 * 7 * filters * 2)(z)
    y = keras.layers.ReLU()(y)
    y = keras.layers.Reshape((7, 7, filters * 2))(y)
    for width in (filters * 2, filters):
        y = keras.layers.Conv2DTranspose(width, kernel_size=3, strides=2, padding="same")(y)
        y = keras.layers.ReLU()(y)
    y = keras.layers.Conv2D(1, kernel_size=3, padding="same")(y)
    out = keras.layers.Activation("sigmoid")(y)
    return keras.Model(inputs=z, outputs=out)


# %% part: autoencoder
def build_autoencoder(encoder, decoder):
    """The model images -> decoder(encoder(images)), sharing the two networks' weights."""
    return keras.Sequential([keras.Input((28, 28, 1)), keras.models.clone_model(encoder), keras.models.clone_model(decoder)], name="autoencoder")


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
    codes = keras.ops.convert_to_tensor(np.array(codes, dtype="float32"))
    images = []
    for first in range(0, n * n, 256):
        images.append(keras.ops.convert_to_numpy(decoder(codes[first : first + 256])))
    return np.concatenate(images, axis=0)
