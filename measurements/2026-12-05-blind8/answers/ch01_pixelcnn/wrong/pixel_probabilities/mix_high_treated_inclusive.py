"""PART: mix_pixels
MISTAKE: Calls rng.integers(0, N - 1) as if the upper bound were inclusive, so the last image is never used.
Built on correct/pixel_probabilities/flat_bincount.py.
"""

# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    scaled = np.multiply(images, levels, dtype=np.int32)
    return np.floor_divide(scaled, 256).astype(np.int32)


# %% part: pixel_model
def fit_pixel_model(images, levels, alpha=1.0):
    """Estimate an independent categorical distribution for every pixel by counting.

    images: int array (N, H, W) of quantised values in 0..levels-1.
    levels: the number of grey levels L.
    alpha: Laplace pseudo-count added to every level (0 gives raw frequencies).
    Returns a float64 array (H, W, L): (count + alpha) / (N + alpha * L).
    """
    images = np.asarray(images, dtype=np.int64)
    n, height, width = images.shape
    h, w = np.indices((height, width))
    index = (h * width + w) * levels + images  # (N, H, W), one bin per (pixel, level)
    counts = np.bincount(index.ravel(), minlength=height * width * levels)
    counts = counts.reshape(height, width, levels).astype(np.float64)
    return (counts + alpha) / (n + alpha * levels)


# %% part: pixel_sampling
def sample_pixel_model(probs, n, rng):
    """Draw n images from an independent per-pixel model.

    probs: float array (H, W, L), a categorical distribution per pixel.
    n: the number of images.
    rng: a numpy.random.Generator, the only source of randomness.
    Returns an int array (n, H, W) with values in 0..L-1.
    """
    cdf = np.cumsum(np.asarray(probs, dtype=np.float64), axis=-1)
    cdf[..., -1] = 1.0  # guard against round-off: the last level takes what is left
    u = rng.uniform(0.0, 1.0, size=(n, *cdf.shape[:2], 1))
    return np.argmax(u < cdf, axis=-1)


# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    probs = np.asarray(probs)
    height, width, levels = probs.shape
    images = np.asarray(images).reshape(-1, height * width)  # (N, D)
    table = probs.reshape(height * width, levels)  # (D, L)
    chosen = table[np.arange(height * width), images]  # (N, D)
    return float(-np.log2(chosen).mean())


# %% part: mix_pixels
def mix_pixels(images, n, rng):
    """Make n images whose every pixel is copied from a randomly chosen image.

    images: array (N, H, W); n: the number of images to make; rng: a numpy Generator.
    Each output pixel (h, w) is images[k, h, w] with k drawn uniformly from 0..N-1,
    independently for every output image and pixel. Returns an array (n, H, W).
    """
    images = np.asarray(images)
    rows, cols = np.indices(images.shape[1:])
    k = rng.integers(0, images.shape[0] - 1, size=(n, *images.shape[1:]))
    return images[k, rows, cols]
