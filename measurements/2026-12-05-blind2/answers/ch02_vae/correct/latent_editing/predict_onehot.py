"""Style: encoder.predict for the batching; keras.ops for the statistics; one-hot matrix
algebra (class sums by a matrix product) for the attribute vectors; einsum for the edit;
the codes built with keras.ops and decoded with decoder.predict."""

# %% part: encode_means
def encode_means(encoder, images, batch_size=500):
    """The means (N, D) of the encodings of images (N, 28, 28, 1), computed in batches."""
    mean, _logvar = encoder.predict(images, batch_size=batch_size, verbose=0)
    return np.asarray(mean)

# %% part: latent_statistics
def latent_statistics(codes):
    """(mean (D,), std (D,)) of codes (N, D), per latent dimension."""
    x = keras.ops.convert_to_tensor(np.asarray(codes, dtype="float64"))
    mean = keras.ops.mean(x, axis=0)
    std = keras.ops.sqrt(keras.ops.mean(keras.ops.square(x - mean), axis=0))
    return keras.ops.convert_to_numpy(mean), keras.ops.convert_to_numpy(std)

# %% part: attribute_vectors
def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    """(C, D): mean code of each class minus mean code of all other images, over all images."""
    codes = encode_means(encoder, images, batch_size).astype("float64")  # (N, D)
    onehot = np.eye(num_classes)[np.asarray(labels).astype(int).ravel()]  # (N, C)
    counts = onehot.sum(axis=0)  # (C,)
    class_sums = onehot.T @ codes  # (C, D)
    total = codes.sum(axis=0)  # (D,)
    class_means = class_sums / counts[:, None]
    other_means = (total[None, :] - class_sums) / (len(codes) - counts)[:, None]
    return class_means - other_means

# %% part: latent_arithmetic
def edit_codes(codes, vectors, strengths):
    """codes (N, D) + sum_c strengths[c] * vectors[c]: the edited codes (N, D)."""
    offset = np.einsum("c,cd->d", np.asarray(strengths, float), np.asarray(vectors, float))
    edited = np.array(codes, dtype=float, copy=True)
    edited += offset[None, :]
    return edited

# %% part: sample_from_statistics
def sample_from_statistics(decoder, mean, std, n, seed=0):
    """Decode n codes mean + std * epsilon, epsilon ~ N(0, I) drawn with the given seed."""
    d = len(mean)
    epsilon = keras.random.normal((n, d), seed=seed)
    z = keras.ops.add(
        keras.ops.convert_to_tensor(np.asarray(mean, "float32")),
        keras.ops.multiply(keras.ops.convert_to_tensor(np.asarray(std, "float32")), epsilon),
    )
    return np.asarray(decoder.predict(keras.ops.convert_to_numpy(z), batch_size=1000, verbose=0))
