"""PART: attribute_vectors
MISTAKE: The 'other images' mean is the unweighted mean of the other classes' means, wrong when classes differ in size.
Built on correct/latent_editing/predict_onehot.py with this one change.
"""

# %% part: encode_means
def encode_means(encoder, images, batch_size=500):
    """The means (N, D) of the encodings of images (N, 28, 28, 1), computed in batches."""
    outputs = encoder.predict(images, batch_size=batch_size, verbose=0)
    return np.asarray(outputs[0])

# %% part: latent_statistics
def latent_statistics(codes):
    """(mean (D,), std (D,)) of codes (N, D), per latent dimension."""
    codes = np.asarray(codes, dtype=np.float64)
    n = codes.shape[0]
    mean = codes.sum(axis=0) / n
    variance = ((codes - mean) ** 2).sum(axis=0) / n
    return mean, np.sqrt(variance)

# %% part: attribute_vectors
def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    """(C, D): mean code of each class minus mean code of all other images, over all images."""
    codes = encode_means(encoder, images, batch_size).astype(np.float64)
    onehot = np.eye(num_classes)[np.asarray(labels).astype(int).reshape(-1)]  # (N, C)
    counts = onehot.sum(axis=0)[:, None]  # (C, 1)
    class_sums = onehot.T @ codes  # (C, D)
    total = codes.sum(axis=0, keepdims=True)  # (1, D)
    inside = class_sums / counts
    outside = (inside.sum(axis=0, keepdims=True) - inside) / (num_classes - 1)
    return inside - outside

# %% part: latent_arithmetic
def edit_codes(codes, vectors, strengths):
    """codes (N, D) + sum_c strengths[c] * vectors[c]: the edited codes (N, D)."""
    offset = np.einsum("c,cd->d", np.asarray(strengths, np.float64), np.asarray(vectors, np.float64))
    edited = np.array(codes, dtype=np.float64, copy=True)
    edited += offset[None, :]
    return edited

# %% part: sample_from_statistics
def sample_from_statistics(decoder, mean, std, n, seed=0):
    """Decode n codes mean + std * epsilon, epsilon ~ N(0, I) drawn with the given seed."""
    latent_dim = len(mean)
    epsilon = keras.random.normal((n, latent_dim), seed=seed)
    mean = keras.ops.convert_to_tensor(np.asarray(mean, "float32"))
    std = keras.ops.convert_to_tensor(np.asarray(std, "float32"))
    codes = keras.ops.add(mean, keras.ops.multiply(std, epsilon))
    return np.asarray(decoder.predict(codes, batch_size=1000, verbose=0))
