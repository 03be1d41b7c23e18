"""PART: encode_means
MISTAKE: Returns sampled codes mean + exp(0.5 * logvar) * noise instead of the encoder's means.
Built on correct/latent_editing/vectorised_ops.py, with this one mistake."""

# %% part: encode_means
def encode_means(encoder, images, batch_size=500):
    """The means (N, D) of the encodings of images (N, 28, 28, 1), computed in batches."""
    outputs = encoder.predict(images, batch_size=batch_size, verbose=0)
    mean, logvar = (np.asarray(o) for o in outputs)
    noise = np.random.default_rng(0).standard_normal(mean.shape).astype(mean.dtype)
    return mean + np.exp(0.5 * logvar) * noise

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
    codes = encode_means(encoder, images, batch_size)  # (N, D)
    onehot = np.eye(num_classes)[np.asarray(labels, dtype=int).ravel()]  # (N, C)
    counts = onehot.sum(axis=0)  # (C,)
    class_sums = onehot.T @ codes  # (C, D)
    total = codes.sum(axis=0)  # (D,)
    inside = class_sums / counts[:, None]
    outside = (total[None, :] - class_sums) / (len(codes) - counts)[:, None]
    return inside - outside

# %% part: latent_arithmetic
def edit_codes(codes, vectors, strengths):
    """codes (N, D) + sum_c strengths[c] * vectors[c]: the edited codes (N, D)."""
    codes = np.array(codes, dtype=float, copy=True)
    return codes + np.einsum("c,cd->d", np.asarray(strengths, float), np.asarray(vectors, float))

# %% part: sample_from_statistics
def sample_from_statistics(decoder, mean, std, n, seed=0):
    """Decode n codes mean + std * epsilon, epsilon ~ N(0, I) drawn with the given seed."""
    latent_dim = np.shape(mean)[-1]
    epsilon = keras.random.normal((n, latent_dim), seed=seed)
    mean = keras.ops.convert_to_tensor(np.asarray(mean), dtype="float32")
    std = keras.ops.convert_to_tensor(np.asarray(std), dtype="float32")
    codes = mean[None, :] + std[None, :] * epsilon
    return np.asarray(decoder.predict(codes, batch_size=1000, verbose=0))
