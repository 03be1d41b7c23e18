"""Latent editing, style: Keras's own batching (encoder.predict with batch_size), class sums
from a one-hot matrix product (no loop over classes), statistics written out by hand, the edit
as an accumulating loop on a copy, and keras.ops for the sampled codes."""

# %% part: encode_means
def encode_means(encoder, images, batch_size=500):
    """The means (N, D) of the encodings of images (N, 28, 28, 1), computed in batches."""
    mean, _logvar = encoder.predict(images, batch_size=batch_size, verbose=0)
    return np.asarray(mean)

# %% part: latent_statistics
def latent_statistics(codes):
    """(mean (D,), std (D,)) of codes (N, D), per latent dimension."""
    codes = np.asarray(codes, dtype=np.float64)
    n = codes.shape[0]
    mean = codes.sum(axis=0) / n
    std = np.sqrt(((codes - mean) ** 2).sum(axis=0) / n)
    return mean, std

# %% part: attribute_vectors
def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    """(C, D): mean code of each class minus mean code of all other images, over all images."""
    codes = encode_means(encoder, images, batch_size).astype(np.float64)
    onehot = np.eye(num_classes)[np.asarray(labels).astype(int)]  # (N, C)
    class_sums = onehot.T @ codes  # (C, D)
    counts = onehot.sum(axis=0)[:, None]  # (C, 1)
    total = codes.sum(axis=0, keepdims=True)
    inside = class_sums / counts
    outside = (total - class_sums) / (len(codes) - counts)
    return inside - outside

# %% part: latent_arithmetic
def edit_codes(codes, vectors, strengths):
    """codes (N, D) + sum_c strengths[c] * vectors[c]: the edited codes (N, D)."""
    edited = np.array(codes, dtype=np.float64, copy=True)
    for s, v in zip(strengths, vectors):
        edited = edited + s * np.asarray(v)
    return edited

# %% part: sample_from_statistics
def sample_from_statistics(decoder, mean, std, n, seed=0):
    """Decode n codes mean + std * epsilon, epsilon ~ N(0, I) drawn with the given seed."""
    latent_dim = len(mean)
    epsilon = keras.random.normal((n, latent_dim), seed=seed)
    codes = keras.ops.convert_to_tensor(np.asarray(mean), "float32") + keras.ops.convert_to_tensor(
        np.asarray(std), "float32"
    ) * epsilon
    return np.asarray(decoder.predict(codes, batch_size=1000, verbose=0))
