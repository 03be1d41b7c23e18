"""PART: attribute_vectors
MISTAKE: The mean of the other images is taken as the plain mean of the other classes' means, which weights every class equally instead of every image.
Built on correct/latent_editing/predict_onehot.py with this one change.
"""

# %% part: encode_means
def encode_means(encoder, images, batch_size=500):
    """The means (N, D) of the encodings of images (N, 28, 28, 1), computed in batches."""
    outputs = encoder.predict(images, batch_size=batch_size, verbose=0)
    return np.asarray(outputs[0])


# %% part: latent_statistics
def latent_statistics(codes):
    """(mean (D,), std (D,)) of codes (N, D), per latent dimension."""
    codes = keras.ops.convert_to_tensor(np.asarray(codes))
    mean = keras.ops.mean(codes, axis=0)
    std = keras.ops.std(codes, axis=0)
    return keras.ops.convert_to_numpy(mean), keras.ops.convert_to_numpy(std)


# %% part: attribute_vectors
def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    """(C, D): mean code of each class minus mean code of all other images, over all images."""
    codes = encode_means(encoder, images, batch_size).astype("float64")
    one_hot = np.eye(num_classes)[np.asarray(labels, dtype=int)]  # (N, C)
    counts = one_hot.sum(axis=0)  # (C,)
    class_sums = one_hot.T @ codes  # (C, D)
    other_sums = codes.sum(axis=0, keepdims=True) - class_sums
    class_means = class_sums / counts[:, None]
    other_means = (class_means.sum(axis=0, keepdims=True) - class_means) / (num_classes - 1)
    return (class_means - other_means).astype(codes.dtype)


# %% part: latent_arithmetic
def edit_codes(codes, vectors, strengths):
    """codes (N, D) + sum_c strengths[c] * vectors[c]: the edited codes (N, D)."""
    return np.add(codes, np.einsum("c,cd->d", strengths, vectors))


# %% part: sample_from_statistics
def sample_from_statistics(decoder, mean, std, n, seed=0):
    """Decode n codes mean + std * epsilon, epsilon ~ N(0, I) drawn with the given seed."""
    mean = keras.ops.convert_to_tensor(mean, dtype="float32")
    std = keras.ops.convert_to_tensor(std, dtype="float32")
    epsilon = keras.random.normal((n, keras.ops.shape(mean)[0]), seed=seed)
    z = mean[None, :] + std[None, :] * epsilon
    return keras.ops.convert_to_numpy(decoder(z))
