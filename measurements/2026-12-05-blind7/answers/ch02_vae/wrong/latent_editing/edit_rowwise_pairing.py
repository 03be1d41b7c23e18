"""PART: latent_arithmetic
MISTAKE: Adds strengths[:, None] * vectors row by row (vector c to code c) instead of adding the sum of the weighted vectors to every code; right only with a single vector, wrong when N == C, a broadcasting error otherwise.
Built on correct/latent_editing/keras_ops_vectorised.py.
"""

# %% part: encode_means
def encode_means(encoder, images, batch_size=500):
    """The means (N, D) of the encodings of images (N, 28, 28, 1), computed in batches."""
    dataset = tf.data.Dataset.from_tensor_slices(np.asarray(images, np.float32)).batch(batch_size)
    means = [np.asarray(encoder.predict_on_batch(batch)[0]) for batch in dataset]
    return np.concatenate(means)

# %% part: latent_statistics
def latent_statistics(codes):
    """(mean (D,), std (D,)) of codes (N, D), per latent dimension."""
    x = keras.ops.convert_to_tensor(np.asarray(codes, dtype=np.float64))
    mean = keras.ops.mean(x, axis=0)
    std = keras.ops.sqrt(keras.ops.mean(keras.ops.square(x - mean), axis=0))
    return keras.ops.convert_to_numpy(mean), keras.ops.convert_to_numpy(std)

# %% part: attribute_vectors
def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    """(C, D): mean code of each class minus mean code of all other images, over all images."""
    codes = encode_means(encoder, images, batch_size=batch_size).astype(np.float64)  # (N, D)
    onehot = np.eye(num_classes)[np.asarray(labels, dtype=int)]  # (N, C)
    counts = onehot.sum(axis=0)  # (C,)
    class_sums = onehot.T @ codes  # (C, D)
    total = codes.sum(axis=0)  # (D,)
    inside = class_sums / counts[:, None]
    outside = (total[None, :] - class_sums) / (len(codes) - counts)[:, None]
    return inside - outside

# %% part: latent_arithmetic
def edit_codes(codes, vectors, strengths):
    """codes (N, D) + sum_c strengths[c] * vectors[c]: the edited codes (N, D)."""
    delta = np.asarray(strengths, float)[:, None] * np.asarray(vectors, float)
    edited = np.array(codes, dtype=float, copy=True)
    edited += delta
    return edited

# %% part: sample_from_statistics
def sample_from_statistics(decoder, mean, std, n, seed=0):
    """Decode n codes mean + std * epsilon, epsilon ~ N(0, I) drawn with the given seed."""
    latent_dim = len(mean)
    epsilon = keras.random.normal((n, latent_dim), seed=seed)
    z = keras.ops.convert_to_tensor(np.asarray(mean, "float32")) + keras.ops.convert_to_tensor(
        np.asarray(std, "float32")
    ) * epsilon
    return keras.ops.convert_to_numpy(decoder(z))
