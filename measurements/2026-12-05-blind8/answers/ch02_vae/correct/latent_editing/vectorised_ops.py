"""Style: vectorised. encode_means uses encoder.predict(batch_size=...); latent_statistics uses
NumPy formulas written out (sqrt of the mean squared deviation); attribute_vectors
uses a one-hot matrix and class sums; edit_codes uses einsum on a float copy; and
sample_from_statistics stays in keras.ops until the decoder's output."""

# %% part: encode_means
def encode_means(encoder, images, batch_size=500):
    """The means (N, D) of the encodings of images (N, 28, 28, 1), computed in batches."""
    means, _logvars = encoder.predict(images, batch_size=batch_size, verbose=0)
    return np.asarray(means)


# %% part: latent_statistics
def latent_statistics(codes):
    """(mean (D,), std (D,)) of codes (N, D), per latent dimension."""
    codes = np.asarray(codes, dtype=np.float64)
    m = np.sum(codes, axis=0) / codes.shape[0]
    s = np.sqrt(np.mean((codes - m) ** 2, axis=0))
    return m, s


# %% part: attribute_vectors
def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    """(C, D): mean code of each class minus mean code of all other images, over all images."""
    codes = encode_means(encoder, images, batch_size)
    labels = np.asarray(labels).astype(int).ravel()
    one_hot = np.eye(num_classes)[labels]  # (N, C)
    class_sums = one_hot.T @ codes  # (C, D)
    counts = one_hot.sum(axis=0)[:, None]  # (C, 1)
    total = codes.sum(axis=0, keepdims=True)  # (1, D)
    other_counts = len(codes) - counts
    return class_sums / counts - (total - class_sums) / other_counts


# %% part: latent_arithmetic
def edit_codes(codes, vectors, strengths):
    """codes (N, D) + sum_c strengths[c] * vectors[c]: the edited codes (N, D)."""
    codes, vectors, strengths = np.asarray(codes), np.asarray(vectors), np.asarray(strengths)
    edited = np.array(codes, dtype=np.result_type(codes, vectors, strengths, np.float32))
    edited += np.einsum("c,cd->d", strengths, vectors)
    return edited


# %% part: sample_from_statistics
def sample_from_statistics(decoder, mean, std, n, seed=0):
    """Decode n codes mean + std * epsilon, epsilon ~ N(0, I) drawn with the given seed."""
    latent_dim = len(mean)
    epsilon = keras.random.normal((n, latent_dim), seed=seed)
    mean = keras.ops.convert_to_tensor(np.asarray(mean), dtype="float32")
    std = keras.ops.convert_to_tensor(np.asarray(std), dtype="float32")
    z = keras.ops.add(mean[None, :], keras.ops.multiply(std[None, :], epsilon))
    return keras.ops.convert_to_numpy(decoder(z))
