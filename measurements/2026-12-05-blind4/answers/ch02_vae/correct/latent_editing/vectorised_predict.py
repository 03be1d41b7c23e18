"""Style: vectorised. encode_means uses Model.predict with batch_size (Keras does the batching,
last smaller batch included); attribute_vectors uses a one-hot matrix product for all class sums
at once; statistics computed from the definition; edit_codes as one matrix product s^T V;
sampling with keras.ops."""

# %% part: encode_means
def encode_means(encoder, images, batch_size=500):
    """The means (N, D) of the encodings of images (N, 28, 28, 1), computed in batches."""
    outputs = encoder.predict(np.asarray(images, dtype=np.float32), batch_size=batch_size,
                              verbose=0)
    return np.asarray(outputs[0])

# %% part: latent_statistics
def latent_statistics(codes):
    """(mean (D,), std (D,)) of codes (N, D), per latent dimension."""
    codes = np.asarray(codes, dtype=np.float64)
    mean = np.sum(codes, axis=0) / codes.shape[0]
    std = np.sqrt(np.sum((codes - mean) ** 2, axis=0) / codes.shape[0])
    return mean, std

# %% part: attribute_vectors
def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    """(C, D): mean code of each class minus mean code of all other images, over all images."""
    codes = encode_means(encoder, images, batch_size).astype(np.float64)
    labels = np.ravel(labels)
    one_hot = (labels[:, None] == np.arange(num_classes)[None, :]).astype(np.float64)  # (N, C)
    class_sums = one_hot.T @ codes  # (C, D)
    class_counts = one_hot.sum(axis=0)[:, None]  # (C, 1)
    total = codes.sum(axis=0, keepdims=True)  # (1, D)
    inside = class_sums / class_counts
    outside = (total - class_sums) / (len(codes) - class_counts)
    return inside - outside

# %% part: latent_arithmetic
def edit_codes(codes, vectors, strengths):
    """codes (N, D) + sum_c strengths[c] * vectors[c]: the edited codes (N, D)."""
    shift = np.asarray(strengths) @ np.asarray(vectors)  # (D,)
    return np.asarray(codes) + shift[None, :]

# %% part: sample_from_statistics
def sample_from_statistics(decoder, mean, std, n, seed=0):
    """Decode n codes mean + std * epsilon, epsilon ~ N(0, I) drawn with the given seed."""
    latent_dim = int(np.shape(mean)[-1])
    epsilon = keras.random.normal((n, latent_dim), seed=seed)
    mean = keras.ops.convert_to_tensor(np.asarray(mean), dtype="float32")
    std = keras.ops.convert_to_tensor(np.asarray(std), dtype="float32")
    codes = keras.ops.add(mean, keras.ops.multiply(std, epsilon))
    return keras.ops.convert_to_numpy(decoder(codes))
