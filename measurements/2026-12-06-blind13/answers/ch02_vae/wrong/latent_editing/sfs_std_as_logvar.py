"""PART: sample_from_statistics
MISTAKE: The std is treated like the VAE's log-variance, scaling epsilon by exp(0.5 * std) instead of by std.
Built on correct/latent_editing/predict_onehot.py, with only this one change."""

# %% part: encode_means
def encode_means(encoder, images, batch_size=500):
    """The means (N, D) of the encodings of images (N, 28, 28, 1), computed in batches
    with the encoder in inference mode (training=False, as encoder(x) and predict call it)."""
    mean, _logvar = encoder.predict(images, batch_size=batch_size, verbose=0)
    return np.asarray(mean)

# %% part: latent_statistics
def latent_statistics(codes):
    """(mean (D,), std (D,)) of codes (N, D), per latent dimension; std divides by N."""
    codes = np.asarray(codes, dtype=np.float64)
    count = codes.shape[0]
    mean = codes.sum(axis=0) / count
    deviations = codes - mean
    std = np.sqrt((deviations**2).sum(axis=0) / count)
    return mean, std

# %% part: attribute_vectors
def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    """(C, D): mean code of each class minus mean code of all other images, over all images."""
    codes = encode_means(encoder, images, batch_size).astype(np.float64)
    labels = np.asarray(labels).ravel()
    one_hot = (labels[:, None] == np.arange(num_classes)[None, :]).astype(np.float64)  # (N, C)
    class_count = one_hot.sum(axis=0)  # (C,)
    class_sum = one_hot.T @ codes  # (C, D)
    other_sum = codes.sum(axis=0, keepdims=True) - class_sum
    other_count = len(codes) - class_count
    return class_sum / class_count[:, None] - other_sum / other_count[:, None]

# %% part: latent_arithmetic
def edit_codes(codes, vectors, strengths):
    """codes (N, D) + sum_c strengths[c] * vectors[c]: the edited codes (N, D)."""
    codes, vectors, strengths = (np.asarray(a) for a in (codes, vectors, strengths))
    edited = np.array(codes, dtype=np.result_type(codes, vectors, strengths, np.float32))
    edited += np.einsum("c,cd->d", strengths, vectors)  # a fresh copy: the caller's stays
    return edited

# %% part: sample_from_statistics
def sample_from_statistics(decoder, mean, std, n, seed=0):
    """Decode n codes mean + std * epsilon, epsilon ~ N(0, I) drawn with the given seed."""
    latent_dim = len(mean)
    epsilon = keras.random.normal((n, latent_dim), seed=seed)
    m = keras.ops.convert_to_tensor(mean, dtype="float32")
    s = keras.ops.convert_to_tensor(std, dtype="float32")
    codes = keras.ops.add(m, keras.ops.multiply(keras.ops.exp(0.5 * s), epsilon))
    return decoder.predict(codes, batch_size=512, verbose=0)
