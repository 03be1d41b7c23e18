"""Subclassed keras.Model networks (layers as in the tables, built in the builder so that they
have their weights at once) and a subclassed autoencoder that calls the two given networks;
latent_grid builds the codes with a list comprehension and decodes with tf, then concatenates.
"""

# %% part: encoder
import tensorflow as tf


class _ConvEncoder(keras.Model):
    def __init__(self, latent_dim, filters, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = keras.layers.Conv2D(filters, 3, strides=2, padding="same", activation="relu")
        self.conv2 = keras.layers.Conv2D(
            2 * filters, 3, strides=2, padding="same", activation="relu"
        )
        self.flatten = keras.layers.Flatten()
        self.code = keras.layers.Dense(latent_dim)

    def call(self, images):
        return self.code(self.flatten(self.conv2(self.conv1(images))))


def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> codes (B, latent_dim)."""
    model = _ConvEncoder(latent_dim, filters, name="encoder")
    model(tf.zeros((1, 28, 28, 1)))  # create the weights now
    return model


# %% part: decoder
class _ConvDecoder(keras.Model):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(7 * 7 * 2 * filters, activation="relu")
        self.reshape = keras.layers.Reshape((7, 7, 2 * filters))
        self.up1 = keras.layers.Conv2DTranspose(
            2 * filters, 3, strides=2, padding="same", activation="relu"
        )
        self.up2 = keras.layers.Conv2DTranspose(
            filters, 3, strides=2, padding="same", activation="relu"
        )
        self.out = keras.layers.Conv2D(1, 3, padding="same", activation="sigmoid")

    def call(self, codes):
        return self.out(self.up2(self.up1(self.reshape(self.dense(codes)))))


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    model = _ConvDecoder(filters, name="decoder")
    model(tf.zeros((1, latent_dim)))
    return model


# %% part: autoencoder
class _Composed(keras.Model):
    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder

    def call(self, images, training=None):
        return self.decoder(self.encoder(images, training=training), training=training)


def build_autoencoder(encoder, decoder):
    """The model images -> decoder(encoder(images)), sharing the two networks' weights."""
    model = _Composed(encoder, decoder, name="autoencoder")
    model(tf.zeros((1, 28, 28, 1)))
    return model


# %% part: latent_grid


def latent_grid(decoder, low, high, n):
    """Decode the n x n grid of 2-D codes over [low, high]^2, row by row from the top.

    Image i * n + j decodes (u[j], u[n - 1 - i]) with u = np.linspace(low, high, n).
    Returns a numpy array (n * n, 28, 28, 1).
    """
    u = np.linspace(low, high, n)
    codes = tf.constant([[u[j], u[n - 1 - i]] for i in range(n) for j in range(n)], tf.float32)
    pieces = [decoder(codes[k : k + 64], training=False) for k in range(0, n * n, 64)]
    return tf.concat(pieces, axis=0).numpy()
