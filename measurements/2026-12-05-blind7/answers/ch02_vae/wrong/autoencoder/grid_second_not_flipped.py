"""PART: latent_grid
MISTAKE: The second coordinate grows from top to bottom (u[i] instead of u[n-1-i]), so the picture is upside down relative to the scatter plot.
Built on correct/autoencoder/separate_relu_layers_loops.py.
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
    inputs = keras.Input((latent_dim,), name="code")
    h = keras.layers.Dense(7 * 7 * filters * 2)(inputs)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.Reshape(target_shape=(7, 7, filters * 2))(h)
    for width in (filters * 2, filters):
        h = keras.layers.Conv2DTranspose(width, kernel_size=3, strides=2, padding="same")(h)
        h = keras.layers.Activation("relu")(h)
    h = keras.layers.Conv2D(1, kernel_size=3, padding="same")(h)
    out = keras.layers.Activation("sigmoid")(h)
    return keras.Model(inputs=inputs, outputs=out)

# %% part: autoencoder
def build_autoencoder(encoder, decoder):
    """The model images -> decoder(encoder(images)), sharing the two networks' weights."""
    x = keras.Input(shape=encoder.input_shape[1:])
    code = encoder(x)
    reconstruction = decoder(code)
    return keras.Model(inputs=x, outputs=reconstruction)

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
            codes.append([u[j], u[i]])
    codes = np.array(codes, dtype=np.float32)
    images = decoder(codes, training=False)
    return keras.ops.convert_to_numpy(images)
