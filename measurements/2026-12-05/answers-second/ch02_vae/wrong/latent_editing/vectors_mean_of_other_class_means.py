"""PART: attribute_vectors
MISTAKE: The 'others' term is the average of the other classes' mean codes instead of the mean over all other images, which differs when classes are unbalanced.

Based on correct/latent_editing/vectorised_predict.py.
"""

# %% part: encode_means
def encode_means(encoder, images, batch_size=500):
    """The means (N, D) of the encodings of images (N, 28, 28, 1), computed in batches."""
    mean, _ = encoder.predict(images, batch_size=batch_size, verbose=0)
    return np.asarray(mean)

# %% part: latent_statistics
def latent_statistics(codes):
    """(mean (D,), std (D,)) of codes (N, D), per latent dimension."""
    codes = np.asarray(codes, dtype=np.float64)
    mean = np.mean(codes, axis=0)
    std = np.sqrt(np.mean((codes - mean) ** 2, axis=0))
    return mean, std

# %% part: attribute_vectors
def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    """(C, D): mean code of each class minus mean code of all other images, over all images."""
    codes = encode_means(encoder, images, batch_size).astype(np.float64)
    onehot = np.eye(num_classes)[np.asarray(labels, dtype=int)]  # (N, C)
    class_sums = onehot.T @ codes  # (C, D)
    class_counts = onehot.sum(axis=0)[:, None]  # (C, 1)
    class_means = class_sums / class_counts
    others = (class_means.sum(axis=0, keepdims=True) - class_means) / (num_classes - 1)
    return class_means - others

# %% part: latent_arithmetic
def edit_codes(codes, vectors, strengths):
    """codes (N, D) + sum_c strengths[c] * vectors[c]: the edited codes (N, D)."""
    return np.asarray(codes) + np.asarray(strengths) @ np.asarray(vectors)

# %% part: sample_from_statistics
def sample_from_statistics(decoder, mean, std, n, seed=0):
    """Decode n codes mean + std * epsilon, epsilon ~ N(0, I) drawn with the given seed."""
    latent_dim = len(mean)
    epsilon = keras.random.normal((n, latent_dim), seed=seed)
    codes = keras.ops.convert_to_tensor(np.asarray(mean, "float32")) + keras.ops.convert_to_tensor(
        np.asarray(std, "float32")
    ) * epsilon
    return keras.ops.convert_to_numpy(decoder(codes))
