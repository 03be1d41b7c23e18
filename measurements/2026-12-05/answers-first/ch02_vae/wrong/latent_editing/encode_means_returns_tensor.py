"""PART: encode_means
MISTAKE: The batches are joined with tf.concat, so encode_means returns a TensorFlow tensor instead of a NumPy array.

Based on correct/latent_editing/vectorised_tfdata.py, changed only in part encode_means.
Public checks: not caught by the `encode_means` public checks themselves. Because other parts call this one, the public check(s) of `attribute_vectors` fail too ("class mean minus the mean of the other images, over every batch").
"""

# %% part: encode_means
def encode_means(encoder, images, batch_size=500):
    """The means (N, D) of the encodings of images (N, 28, 28, 1), computed in batches."""
    batches = tf.data.Dataset.from_tensor_slices(images).batch(batch_size)  # last batch kept
    means = [encoder(batch, training=False)[0] for batch in batches]
    return tf.concat(means, axis=0)

# %% part: latent_statistics
def latent_statistics(codes):
    """(mean (D,), std (D,)) of codes (N, D), per latent dimension."""
    mean = keras.ops.mean(codes, axis=0)
    std = keras.ops.sqrt(keras.ops.mean(keras.ops.square(codes - mean), axis=0))
    return keras.ops.convert_to_numpy(mean), keras.ops.convert_to_numpy(std)

# %% part: attribute_vectors
def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    """(C, D): mean code of each class minus mean code of all other images, over all images."""
    codes = encode_means(encoder, images, batch_size=batch_size).astype("float64")
    one_hot = np.eye(num_classes)[np.asarray(labels, dtype=int)]  # (N, C)
    counts = one_hot.sum(axis=0)[:, None]  # (C, 1)
    class_sums = one_hot.T @ codes  # (C, D)
    other_sums = codes.sum(axis=0, keepdims=True) - class_sums
    return class_sums / counts - other_sums / (len(codes) - counts)

# %% part: latent_arithmetic
def edit_codes(codes, vectors, strengths):
    """codes (N, D) + sum_c strengths[c] * vectors[c]: the edited codes (N, D)."""
    return np.asarray(codes) + np.einsum("c,cd->d", np.asarray(strengths), np.asarray(vectors))

# %% part: sample_from_statistics
def sample_from_statistics(decoder, mean, std, n, seed=0):
    """Decode n codes mean + std * epsilon, epsilon ~ N(0, I) drawn with the given seed."""
    latent_dim = decoder.input_shape[-1]
    epsilon = keras.random.normal((n, latent_dim), seed=seed)
    mean = keras.ops.convert_to_tensor(mean, dtype="float32")
    std = keras.ops.convert_to_tensor(std, dtype="float32")
    codes = keras.ops.add(mean, keras.ops.multiply(std, epsilon))
    return np.asarray(decoder.predict(codes, verbose=0))
