"""PART: encode_means
MISTAKE: encode_means returns sampled codes mean + exp(0.5 * logvar) * epsilon instead of the means.
Built on correct/latent_editing/vectorised.py with that one change.
"""

# %% part: encode_means
def encode_means(encoder, images, batch_size=500):
    """The means (N, D) of the encodings of images (N, 28, 28, 1), computed in batches."""
    mean, logvar = encoder.predict(np.asarray(images), batch_size=batch_size, verbose=0)
    epsilon = np.random.default_rng(0).normal(size=mean.shape).astype(mean.dtype)
    return np.asarray(mean + np.exp(0.5 * logvar) * epsilon)


# %% part: latent_statistics
def latent_statistics(codes):
    """(mean (D,), std (D,)) of codes (N, D), per latent dimension."""
    codes = keras.ops.convert_to_tensor(np.asarray(codes, dtype="float64"))
    mean = keras.ops.mean(codes, axis=0)
    std = keras.ops.sqrt(keras.ops.mean(keras.ops.square(codes - mean), axis=0))
    return keras.ops.convert_to_numpy(mean), keras.ops.convert_to_numpy(std)


# %% part: attribute_vectors
def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    """(C, D): mean code of each class minus mean code of all other images, over all images."""
    codes = encode_means(encoder, images, batch_size).astype("float64")  # (N, D)
    one_hot = np.eye(num_classes)[np.asarray(labels, dtype=int).ravel()]  # (N, C)
    counts = one_hot.sum(axis=0)[:, None]  # (C, 1)
    class_sums = one_hot.T @ codes  # (C, D)
    total = codes.sum(axis=0, keepdims=True)  # (1, D)
    inside = class_sums / counts
    outside = (total - class_sums) / (len(codes) - counts)
    return inside - outside


# %% part: latent_arithmetic
def edit_codes(codes, vectors, strengths):
    """codes (N, D) + sum_c strengths[c] * vectors[c]: the edited codes (N, D)."""
    return np.add(codes, np.einsum("c,cd->d", np.asarray(strengths), np.asarray(vectors)))


# %% part: sample_from_statistics
def sample_from_statistics(decoder, mean, std, n, seed=0):
    """Decode n codes mean + std * epsilon, epsilon ~ N(0, I) drawn with the given seed."""
    d = len(mean)
    epsilon = keras.random.normal((n, d), seed=seed)
    codes = keras.ops.convert_to_tensor(np.asarray(mean, "float32")) + keras.ops.convert_to_tensor(
        np.asarray(std, "float32")
    ) * epsilon
    return decoder.predict(keras.ops.convert_to_numpy(codes), batch_size=1000, verbose=0)
