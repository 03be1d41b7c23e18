"""NumPy on flattened arrays: np.digitize for quantize, np.add.at for the counts, flat
indices into probs.ravel() and images.reshape(N, -1); sampling by the Gumbel-max trick
(argmax of log p + Gumbel noise, kept as a running maximum over the levels).
"""

import numpy as np


# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    # level k starts at the smallest x with x * L / 256 >= k, i.e. ceil(256 k / L)
    starts = -(-256 * np.arange(1, levels) // levels)
    return np.asarray(np.digitize(np.asarray(images), starts), dtype=np.int32)


# %% part: pixel_model
def fit_pixel_model(images, levels, alpha=1.0):
    """Estimate an independent categorical distribution for every pixel by counting.

    images: int array (N, H, W) of quantised values in 0..levels-1.
    levels: the number of grey levels L.
    alpha: Laplace pseudo-count added to every level (0 gives raw frequencies).
    Returns a float64 array (H, W, L): (count + alpha) / (N + alpha * L).
    """
    images = np.asarray(images)
    n = images.shape[0]
    height, width = images.shape[1:]
    flat = images.reshape(n, height * width).astype(np.int64)
    counts = np.zeros(height * width * levels)
    np.add.at(counts, np.arange(height * width) * levels + flat, 1.0)
    counts = counts.reshape(height, width, levels)
    return (counts + alpha) / (n + alpha * levels)


# %% part: pixel_sampling
def sample_pixel_model(probs, n, rng):
    """Draw n images from an independent per-pixel model.

    probs: float array (H, W, L), a categorical distribution per pixel.
    n: the number of images.
    rng: a numpy.random.Generator, the only source of randomness.
    Returns an int array (n, H, W) with values in 0..L-1.
    """
    probs = np.asarray(probs, dtype=np.float64)
    with np.errstate(divide="ignore"):
        log_probs = np.log(probs)  # -inf for impossible levels: never the argmax
    shape = (n,) + probs.shape[:-1]
    best = np.full(shape, -np.inf)
    samples = np.zeros(shape, dtype=np.int64)
    for level in range(probs.shape[-1]):
        score = log_probs[..., level] + rng.gumbel(size=shape)
        np.copyto(samples, level, where=score > best)
        np.maximum(best, score, out=best)
    return samples


# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    probs = np.asarray(probs, dtype=np.float64)
    height, width, levels = probs.shape
    where = np.arange(height * width).reshape(height, width) * levels + np.asarray(images)
    log_likelihoods = np.log2(probs.ravel()[where])
    return -float(log_likelihoods.mean())


# %% part: mix_pixels
def mix_pixels(images, n, rng):
    """Make n images whose every pixel is copied from a randomly chosen image.

    images: array (N, H, W); n: the number of images to make; rng: a numpy Generator.
    Each output pixel (h, w) is images[k, h, w] with k drawn uniformly from 0..N-1,
    independently for every output image and pixel. Returns an array (n, H, W).
    """
    images = np.asarray(images)
    count, height, width = images.shape
    pixels = height * width
    # floor(u * N) is uniform on 0..N-1; the minimum guards against rounding up to N
    sources = np.minimum((rng.random((n, pixels)) * count).astype(np.int64), count - 1)
    flat = images.reshape(count, pixels)
    return flat[sources, np.arange(pixels)].reshape(n, height, width)
