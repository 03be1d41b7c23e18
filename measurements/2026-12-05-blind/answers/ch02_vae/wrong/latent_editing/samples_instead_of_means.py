"""PART: encode_means
MISTAKE: It returns sampled codes mean + exp(0.5 * logvar) * noise instead of the encoder's means.
Built on correct/latent_editing/vectorised_predict.py, with only that change."""

# %% part: encode_means
def encode_means(encoder, images, batch_size=500):
    """The means (N, D) of the encodings of images (N, 28, 28, 1), computed in batches."""
    mean, logvar = encoder.predict(images, batch_size=batch_size, verbose=0)
    return np.asarray(mean + np.exp(0.5 * logvar) * np.random.normal(size=mean.shape))

# %% part: latent_statistics
def latent_statistics(codes):
    """(mean (D,), std (D,)) of codes (N, D), per latent dimension."""
    codes = np.asarray(codes, dtype="float64")
    mean = np.sum(codes, axis=0) / codes.shape[0]
    std = np.sqrt(np.sum((codes - mean) ** 2, axis=0) / codes.shape[0])
    return mean, std

# %% part: attribute_vectors
def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    """(C, D): mean code of each class minus mean code of all other images, over all images."""
    codes = encode_means(encoder, images, batch_size=batch_size).astype("float64")  # (N, D)
    one_hot = np.eye(num_classes)[np.asarray(labels, dtype=int).ravel()]  # (N, C)
    counts = one_hot.sum(axis=0)[:, None]  # (C, 1)
    class_sums = one_hot.T @ codes  # (C, D)
    other_sums = codes.sum(axis=0, keepdims=True) - class_sums
    return class_sums / counts - other_sums / (len(codes) - counts)

# %% part: latent_arithmetic
def edit_codes(codes, vectors, strengths):
    """codes (N, D) + sum_c strengths[c] * vectors[c]: the edited codes (N, D)."""
    codes, vectors, strengths = (np.asarray(a) for a in (codes, vectors, strengths))
    edited = np.array(codes, dtype=np.result_type(codes, vectors, strengths), copy=True)
    for vector, strength in zip(vectors, strengths, strict=True):
        edited += strength * vector
    return edited

# %% part: sample_from_statistics
def sample_from_statistics(decoder, mean, std, n, seed=0):
    """Decode n codes mean + std * epsilon, epsilon ~ N(0, I) drawn with the given seed."""
    latent_dim = decoder.input_shape[-1]
    epsilon = keras.random.normal((n, latent_dim), seed=seed)
    codes = keras.ops.add(
        keras.ops.convert_to_tensor(mean, dtype="float32"),
        keras.ops.multiply(keras.ops.convert_to_tensor(std, dtype="float32"), epsilon),
    )
    return decoder.predict(codes, batch_size=1000, verbose=0)
