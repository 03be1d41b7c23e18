"""PART: encode_means
MISTAKE: Concatenates both outputs of predict ([mean, logvar]) along the rows instead of keeping the means only.
Built on correct/latent_editing/predict_sums.py, otherwise unchanged."""

# %% part: encode_means
def encode_means(encoder, images, batch_size=500):
    """The means (N, D) of the encodings of images (N, 28, 28, 1), computed in batches
    with the encoder in inference mode (training=False, as encoder(x) and predict call it)."""
    outputs = encoder.predict(images, batch_size=batch_size, verbose=0)
    return np.concatenate(outputs, axis=0)


# %% part: latent_statistics
def latent_statistics(codes):
    """(mean (D,), std (D,)) of codes (N, D), per latent dimension; std divides by N.

    codes is left as it is (the notebook uses the same codes again)."""
    values = np.array(codes, dtype="float64")  # a copy
    count = values.shape[0]
    mean = values.sum(axis=0) / count
    deviations = values - mean
    std = np.sqrt((deviations * deviations).sum(axis=0) / count)
    return mean, std


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
    edited = np.array(codes, dtype="float64")  # a new array, never the caller's
    for strength, vector in zip(strengths, vectors):
        edited = edited + strength * np.asarray(vector)
    return edited


# %% part: sample_from_statistics
def sample_from_statistics(decoder, mean, std, n, seed=0):
    """Decode n codes mean + std * epsilon, epsilon ~ N(0, I) drawn with the given seed."""
    latent_dim = len(mean)
    epsilon = keras.random.normal((n, latent_dim), seed=seed)
    z = tf.constant(mean, tf.float32)[None, :] + tf.constant(std, tf.float32)[None, :] * epsilon
    return decoder.predict(z, batch_size=1000, verbose=0)
