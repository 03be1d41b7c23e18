"""Preallocated output in encode_means (sized after the first batch); tf.math.reduce_mean /
reduce_std for the statistics (converted back to NumPy); attribute vectors by one-hot matrix
algebra (class sums and counts, the others' mean from the totals); edit_codes with np.einsum;
sampling entirely in tf/keras.ops (float32 codes), decoded with decoder.predict.
"""

# %% part: encode_means
import tensorflow as tf


def encode_means(encoder, images, batch_size=500):
    """The means (N, D) of the encodings of images (N, 28, 28, 1), computed in batches."""
    n = len(images)
    out = None
    for lo in range(0, n, batch_size):
        hi = min(lo + batch_size, n)
        batch_means = encoder(tf.convert_to_tensor(images[lo:hi]), training=False)[0].numpy()
        if out is None:
            out = np.empty((n, batch_means.shape[1]), dtype=batch_means.dtype)
        out[lo:hi] = batch_means
    return out


# %% part: latent_statistics


def latent_statistics(codes):
    """(mean (D,), std (D,)) of codes (N, D), per latent dimension."""
    codes = np.asarray(codes)
    if not np.issubdtype(codes.dtype, np.floating):
        codes = codes.astype(np.float64)
    t = tf.convert_to_tensor(codes)
    return tf.math.reduce_mean(t, axis=0).numpy(), tf.math.reduce_std(t, axis=0).numpy()


# %% part: attribute_vectors
def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    """(C, D): mean code of each class minus mean code of all other images, over all images."""
    codes = encode_means(encoder, images, batch_size=batch_size).astype(np.float64)
    labels = np.asarray(labels).ravel().astype(np.int64)
    one_hot = np.zeros((len(labels), num_classes))
    one_hot[np.arange(len(labels)), labels] = 1.0
    class_sums = one_hot.T @ codes  # (C, D)
    class_counts = one_hot.sum(axis=0)[:, None]  # (C, 1)
    other_sums = codes.sum(axis=0, keepdims=True) - class_sums
    other_counts = len(labels) - class_counts
    return class_sums / class_counts - other_sums / other_counts


# %% part: latent_arithmetic
def edit_codes(codes, vectors, strengths):
    """codes (N, D) + sum_c strengths[c] * vectors[c]: the edited codes (N, D)."""
    shift = np.einsum("c,cd->d", np.asarray(strengths), np.asarray(vectors))
    return np.asarray(codes) + shift[None, :]


# %% part: sample_from_statistics
def sample_from_statistics(decoder, mean, std, n, seed=0):
    """Decode n codes mean + std * epsilon, epsilon ~ N(0, I) drawn with the given seed."""
    mean = keras.ops.convert_to_tensor(np.asarray(mean), dtype="float32")
    std = keras.ops.convert_to_tensor(np.asarray(std), dtype="float32")
    eps = keras.random.normal((n, keras.ops.shape(mean)[0]), seed=seed)
    z = keras.ops.add(mean[None, :], keras.ops.multiply(std[None, :], eps))
    return decoder.predict(keras.ops.convert_to_numpy(z), verbose=0)
