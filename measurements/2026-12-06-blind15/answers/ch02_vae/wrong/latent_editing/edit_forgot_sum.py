"""PART: latent_arithmetic
MISTAKE: Scales each vector by its strength but forgets to sum over the vectors: adds the (C, D) matrix row by row, which only runs when N == C and then gives wrong codes.
Built on correct/latent_editing/vectorised_ops.py.
"""

# %% part: encode_means
def encode_means(encoder, images, batch_size=500):
    """The means (N, D) of the encodings of images (N, 28, 28, 1), computed in batches
    with the encoder in inference mode (training=False, as encoder(x) and predict call it)."""
    means, _logvars = encoder.predict(images, batch_size=batch_size, verbose=0)
    return np.asarray(means)

# %% part: latent_statistics
def latent_statistics(codes):
    """(mean (D,), std (D,)) of codes (N, D), per latent dimension; std divides by N.

    codes is left as it is (the notebook uses the same codes again)."""
    n = len(codes)
    mean = codes.sum(axis=0) / n
    centred = codes - mean  # a new array: codes itself is not touched
    std = np.sqrt((centred**2).sum(axis=0) / n)
    return mean, std

# %% part: attribute_vectors
def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    """(C, D): mean code of each class minus mean code of all other images, over all images."""
    codes = np.asarray(encode_means(encoder, images, batch_size), dtype=np.float64)  # (N, D)
    one_hot = np.eye(num_classes)[np.asarray(labels, dtype=np.int64).ravel()]  # (N, C)
    counts = one_hot.sum(axis=0)[:, None]  # (C, 1)
    class_sums = one_hot.T @ codes  # (C, D)
    other_sums = codes.sum(axis=0)[None, :] - class_sums
    return class_sums / counts - other_sums / (len(codes) - counts)

# %% part: latent_arithmetic
def edit_codes(codes, vectors, strengths):
    """codes (N, D) + sum_c strengths[c] * vectors[c]: the edited codes (N, D)."""
    shift = np.asarray(strengths)[:, None] * np.asarray(vectors)  # (C, D)
    return np.asarray(codes) + shift  # broadcast over the rows

# %% part: sample_from_statistics
def sample_from_statistics(decoder, mean, std, n, seed=0):
    """Decode n codes mean + std * epsilon, epsilon ~ N(0, I) drawn with the given seed."""
    latent_dim = len(mean)
    epsilon = keras.random.normal((n, latent_dim), seed=seed)
    codes = keras.ops.add(
        keras.ops.cast(mean, "float32"), keras.ops.multiply(keras.ops.cast(std, "float32"), epsilon)
    )
    return np.asarray(decoder.predict(codes, batch_size=1000, verbose=0))
