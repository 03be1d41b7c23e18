"""PART: sample_from_statistics
MISTAKE: The std is treated like a log-variance and turned into exp(0.5 * std) before scaling the noise.
Built on correct/latent_editing/tf_sums.py, with only this change.
"""

# %% part: encode_means
def encode_means(encoder, images, batch_size=500):
    """The means (N, D) of the encodings of images (N, 28, 28, 1), computed in batches
    with the encoder in inference mode (training=False, as encoder(x) and predict call it)."""
    n = images.shape[0]
    number_of_batches = -(-n // batch_size)  # ceiling division keeps the last, smaller batch
    means = []
    for b in range(number_of_batches):
        batch = tf.convert_to_tensor(images[b * batch_size : (b + 1) * batch_size])
        outputs = encoder(batch)
        means.append(outputs[0])
    return tf.concat(means, axis=0).numpy()

# %% part: latent_statistics
def latent_statistics(codes):
    """(mean (D,), std (D,)) of codes (N, D), per latent dimension; std divides by N.

    codes is left as it is (the notebook uses the same codes again)."""
    n = codes.shape[0]
    mean = np.sum(codes, axis=0) / n
    centred = codes - mean
    std = np.sqrt(np.sum(centred * centred, axis=0) / n)
    return mean, std

# %% part: attribute_vectors
def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    """(C, D): mean code of each class minus mean code of all other images, over all images."""
    codes = tf.constant(encode_means(encoder, images, batch_size=batch_size), tf.float64)
    one_hot = tf.one_hot(tf.cast(np.ravel(labels), tf.int32), num_classes, dtype=tf.float64)
    class_sums = tf.matmul(one_hot, codes, transpose_a=True)  # (C, D)
    class_counts = tf.reduce_sum(one_hot, axis=0)[:, None]  # (C, 1)
    total_sum = tf.reduce_sum(codes, axis=0, keepdims=True)
    total_count = tf.cast(tf.shape(codes)[0], tf.float64)
    in_class = class_sums / class_counts
    others = (total_sum - class_sums) / (total_count - class_counts)
    return (in_class - others).numpy()

# %% part: latent_arithmetic
def edit_codes(codes, vectors, strengths):
    """codes (N, D) + sum_c strengths[c] * vectors[c]: the edited codes (N, D)."""
    codes, vectors, strengths = np.asarray(codes), np.asarray(vectors), np.asarray(strengths)
    edited = np.array(codes, dtype=np.result_type(codes, vectors, strengths), copy=True)
    for c in range(len(vectors)):
        edited = edited + strengths[c] * vectors[c]
    return edited

# %% part: sample_from_statistics
def sample_from_statistics(decoder, mean, std, n, seed=0):
    """Decode n codes mean + std * epsilon, epsilon ~ N(0, I) drawn with the given seed."""
    latent_dim = int(np.shape(mean)[0])
    epsilon = keras.random.normal((n, latent_dim), seed=seed)
    codes = keras.ops.cast(mean, "float32")[None, :] + keras.ops.exp(0.5 * keras.ops.cast(std, "float32"))[None, :] * epsilon
    return np.asarray(decoder.predict(codes, verbose=0))
