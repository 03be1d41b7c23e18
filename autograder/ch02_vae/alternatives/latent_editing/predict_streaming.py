"""encode_means through encoder.predict(batch_size=...); statistics by the explicit formula
sqrt(mean((x - m)^2)); attribute vectors streamed: per-class sums and counts accumulated batch by
batch (each batch encoded with encode_means), so all codes are never held at once; edit_codes with
an explicit loop over the vectors on a copy; sampling draws epsilon with keras.random.normal and forms the codes with tf ops.
"""


# %% part: encode_means
def encode_means(encoder, images, batch_size=500):
    """The means (N, D) of the encodings of images (N, 28, 28, 1), computed in batches."""
    outputs = encoder.predict(np.asarray(images), batch_size=batch_size, verbose=0)
    return np.asarray(outputs[0])


# %% part: latent_statistics
def latent_statistics(codes):
    """(mean (D,), std (D,)) of codes (N, D), per latent dimension."""
    codes = np.asarray(codes)
    n = codes.shape[0]
    mean = codes.sum(axis=0) / n
    std = np.sqrt(((codes - mean) ** 2).sum(axis=0) / n)
    return mean, std


# %% part: attribute_vectors
def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    """(C, D): mean code of each class minus mean code of all other images, over all images."""
    labels = np.asarray(labels).reshape(-1)
    sums = None
    counts = np.zeros(num_classes)
    total = None
    for start in range(0, len(images), batch_size):
        codes = encode_means(encoder, images[start : start + batch_size], batch_size)
        batch_labels = labels[start : start + batch_size]
        if sums is None:
            sums = np.zeros((num_classes, codes.shape[1]))
            total = np.zeros(codes.shape[1])
        total += codes.sum(axis=0)
        for c in range(num_classes):
            chosen = codes[batch_labels == c]
            sums[c] += chosen.sum(axis=0)
            counts[c] += len(chosen)
    n = len(labels)
    own_mean = sums / counts[:, None]
    other_mean = (total[None, :] - sums) / (n - counts)[:, None]
    return own_mean - other_mean


# %% part: latent_arithmetic
def edit_codes(codes, vectors, strengths):
    """codes (N, D) + sum_c strengths[c] * vectors[c]: the edited codes (N, D)."""
    codes, vectors, strengths = np.asarray(codes), np.asarray(vectors), np.asarray(strengths)
    edited = codes.astype(np.result_type(codes, vectors, strengths), copy=True)
    for vector, strength in zip(vectors, strengths):
        edited = edited + strength * vector
    return edited


# %% part: sample_from_statistics
import tensorflow as tf


def sample_from_statistics(decoder, mean, std, n, seed=0):
    """Decode n codes mean + std * epsilon, epsilon ~ N(0, I) drawn with the given seed."""
    latent_dim = len(mean)
    epsilon = keras.random.normal((n, latent_dim), seed=seed)
    codes = tf.cast(mean, tf.float32) + tf.cast(std, tf.float32) * epsilon
    return np.asarray(decoder(codes, training=False))
