"""Style: vectorised and Keras-driven: encoder.predict(batch_size=...) for the means,
keras.ops statistics (sqrt of the mean squared deviation), one-hot matrix algebra for all
attribute vectors at once, an explicit per-class accumulation loop for the edit, and
decoder.predict for the samples."""

# %% part: encode_means
def encode_means(encoder, images, batch_size=500):
    """The means (N, D) of the encodings of images (N, 28, 28, 1), computed in batches."""
    mean, _logvar = encoder.predict(images, batch_size=batch_size, verbose=0)
    return np.asarray(mean)

# %% part: latent_statistics
def latent_statistics(codes):
    """(mean (D,), std (D,)) of codes (N, D), per latent dimension."""
    codes = keras.ops.convert_to_tensor(codes, dtype="float64")
    mean = keras.ops.mean(codes, axis=0)
    std = keras.ops.sqrt(keras.ops.mean(keras.ops.square(codes - mean), axis=0))
    return keras.ops.convert_to_numpy(mean), keras.ops.convert_to_numpy(std)

# %% part: attribute_vectors
def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    """(C, D): mean code of each class minus mean code of all other images, over all images."""
    codes = encode_means(encoder, images, batch_size=batch_size).astype("float64")  # (N, D)
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
    edited = np.array(codes, dtype=float, copy=True)
    for s, v in zip(strengths, vectors):
        edited = edited + s * np.asarray(v)
    return edited

# %% part: sample_from_statistics
def sample_from_statistics(decoder, mean, std, n, seed=0):
    """Decode n codes mean + std * epsilon, epsilon ~ N(0, I) drawn with the given seed."""
    latent_dim = np.shape(mean)[-1]
    epsilon = keras.random.normal((n, latent_dim), seed=seed)
    codes = keras.ops.cast(mean, "float32") + keras.ops.cast(std, "float32") * epsilon
    return decoder.predict(codes, batch_size=1000, verbose=0)
