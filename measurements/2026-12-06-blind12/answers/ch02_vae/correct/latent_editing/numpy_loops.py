"""Style: plain NumPy with explicit loops: encode_means slices the images batch by batch and
calls the encoder directly, attribute_vectors loops over the classes with boolean masks,
edit_codes accumulates the weighted vectors in a loop on a copy; sample_from_statistics
converts the keras noise to NumPy before the arithmetic."""

# %% part: encode_means
def encode_means(encoder, images, batch_size=500):
    """The means (N, D) of the encodings of images (N, 28, 28, 1), computed in batches."""
    chunks = []
    for start in range(0, len(images), batch_size):
        batch = images[start : start + batch_size]
        mean, _logvar = encoder(batch, training=False)
        chunks.append(keras.ops.convert_to_numpy(mean))
    return np.concatenate(chunks, axis=0)

# %% part: latent_statistics
def latent_statistics(codes):
    """(mean (D,), std (D,)) of codes (N, D), per latent dimension; std divides by N."""
    codes = np.asarray(codes)
    return codes.mean(axis=0), codes.std(axis=0)

# %% part: attribute_vectors
def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    """(C, D): mean code of each class minus mean code of all other images, over all images."""
    codes = encode_means(encoder, images, batch_size)
    labels = np.asarray(labels).reshape(-1)
    vectors = []
    for c in range(num_classes):
        inside = labels == c
        vectors.append(codes[inside].mean(axis=0) - codes[~inside].mean(axis=0))
    return np.stack(vectors)

# %% part: latent_arithmetic
def edit_codes(codes, vectors, strengths):
    """codes (N, D) + sum_c strengths[c] * vectors[c]: the edited codes (N, D)."""
    vectors = np.asarray(vectors)
    offset = np.zeros(vectors.shape[1])
    for c, s in enumerate(np.asarray(strengths)):
        offset = offset + s * vectors[c]
    return np.asarray(codes) + offset

# %% part: sample_from_statistics
def sample_from_statistics(decoder, mean, std, n, seed=0):
    """Decode n codes mean + std * epsilon, epsilon ~ N(0, I) drawn with the given seed."""
    mean = np.asarray(mean)
    std = np.asarray(std)
    epsilon = keras.ops.convert_to_numpy(keras.random.normal((n, mean.shape[-1]), seed=seed))
    codes = (mean + std * epsilon).astype("float32")
    return keras.ops.convert_to_numpy(decoder(codes, training=False))
