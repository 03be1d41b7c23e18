"""PART: latent_grid
MISTAKE: tf.meshgrid is called with indexing='xy' (its default) instead of 'ij', which transposes the grid: image i*n+j decodes (u[i], u[n-1-j]).
Built on correct/autoencoder/subclassed_tf.py.
"""

# %% part: encoder
import tensorflow as tf


def build_encoder(latent_dim, filters=32):
    """Images (B, 28, 28, 1) -> codes (B, latent_dim)."""
    conv1 = keras.layers.Conv2D(filters, 3, strides=2, padding="same", activation=tf.nn.relu)
    conv2 = keras.layers.Conv2D(2 * filters, 3, strides=2, padding="same", activation=tf.nn.relu)
    head = keras.layers.Dense(latent_dim)
    x = keras.Input(shape=(28, 28, 1))
    return keras.Model(x, head(keras.layers.Flatten()(conv2(conv1(x)))))

# %% part: decoder
import tensorflow as tf


def build_decoder(latent_dim, filters=32):
    """Codes (B, latent_dim) -> images (B, 28, 28, 1) with values in (0, 1)."""
    z = keras.Input(shape=(latent_dim,))
    h = keras.layers.Dense(49 * 2 * filters, activation=tf.nn.relu)(z)
    h = keras.layers.Reshape((7, 7, 2 * filters))(h)
    h = keras.layers.Conv2DTranspose(2 * filters, 3, 2, "same", activation=tf.nn.relu)(h)
    h = keras.layers.Conv2DTranspose(filters, 3, 2, "same", activation=tf.nn.relu)(h)
    logits = keras.layers.Conv2D(1, 3, padding="same")(h)
    return keras.Model(z, keras.layers.Activation(tf.sigmoid)(logits))

# %% part: autoencoder
class Autoencoder(keras.Model):
    """decoder(encoder(x)) with the given networks as sub-models."""

    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder

    def call(self, images, training=None):
        return self.decoder(self.encoder(images, training=training), training=training)


def build_autoencoder(encoder, decoder):
    """The model images -> decoder(encoder(images)), sharing the two networks' weights."""
    return Autoencoder(encoder, decoder, name="autoencoder")

# %% part: latent_grid
import tensorflow as tf


def latent_grid(decoder, low, high, n):
    """Decode the n x n grid of 2-D codes over [low, high]^2, row by row from the top.

    Image i * n + j decodes (u[j], u[n - 1 - i]) with u = np.linspace(low, high, n).
    Returns a numpy array (n * n, 28, 28, 1).
    """
    u = tf.linspace(tf.cast(low, tf.float64), tf.cast(high, tf.float64), n)
    # rows are i (second coordinate, from high to low), columns are j.
    second, first = tf.meshgrid(tf.reverse(u, [0]), u, indexing="xy")
    codes = tf.cast(tf.stack([tf.reshape(first, [-1]), tf.reshape(second, [-1])], axis=1), tf.float32)
    parts = [decoder(codes[k : k + 256], training=False) for k in range(0, n * n, 256)]
    return tf.concat(parts, axis=0).numpy()
