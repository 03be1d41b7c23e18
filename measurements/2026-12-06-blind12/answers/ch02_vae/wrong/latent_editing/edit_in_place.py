"""PART: latent_arithmetic
MISTAKE: The offset is added in place (codes += ...) to the array the caller passed in, which changes the caller's codes.
Built on the correct set correct/latent_editing/vectorised_predict.py, with that one mistake."""

# %% part: encode_means
def encode_means(encoder, images, batch_size=500):
    """The means (N, D) of the encodings of images (N, 28, 28, 1), computed in batches."""
    mean, _logvar = encoder.predict(images, batch_size=batch_size, verbose=0)
    return np.asarray(mean)

# %% part: latent_statistics
def latent_statistics(codes):
    """(mean (D,), std (D,)) of codes (N, D), per latent dimension; std divides by N."""
    codes = np.asarray(codes, dtype=np.float64)
    n = codes.shape[0]
    mean = codes.sum(axis=0) / n
    std = np.sqrt(((codes - mean) ** 2).sum(axis=0) / n)
    return mean, std

# %% part: attribute_vectors
def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    """(C, D): mean code of each class minus mean code of all other images, over all images."""
    codes = encode_means(encoder, images, batch_size=batch_size).astype(np.float64)
    one_hot = np.eye(num_classes)[np.asarray(labels, dtype=int).ravel()]  # (N, C)
    class_sums = one_hot.T @ codes  # (C, D)
    class_counts = one_hot.sum(axis=0)[:, None]  # (C, 1)
    other_sums = codes.sum(axis=0)[None, :] - class_sums
    other_counts = len(codes) - class_counts
    return class_sums / class_counts - other_sums / other_counts

# %% part: latent_arithmetic
def edit_codes(codes, vectors, strengths):
    """codes (N, D) + sum_c strengths[c] * vectors[c]: the edited codes (N, D)."""
    codes = np.asarray(codes)
    codes += np.asarray(strengths) @ np.asarray(vectors)
    return codes

# %% part: sample_from_statistics
def sample_from_statistics(decoder, mean, std, n, seed=0):
    """Decode n codes mean + std * epsilon, epsilon ~ N(0, I) drawn with the given seed."""
    latent_dim = np.shape(mean)[0]
    epsilon = keras.random.normal((n, latent_dim), seed=seed)
    mean = keras.ops.convert_to_tensor(mean, dtype=epsilon.dtype)
    std = keras.ops.convert_to_tensor(std, dtype=epsilon.dtype)
    z = keras.ops.add(mean[None, :], keras.ops.multiply(std[None, :], epsilon))
    return keras.ops.convert_to_numpy(decoder(z))
