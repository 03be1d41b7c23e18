"""PART: mix_pixels
MISTAKE: Passes N - 1 as rng.integers' exclusive upper bound, so the last image is never chosen.
Built on correct/pixel_probabilities/numpy_vectorised.py; everything else is that correct set unchanged.
"""

# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    wide = np.asarray(images).astype(np.int32)
    return (wide * int(levels)) // 256


# %% part: pixel_model
def fit_pixel_model(images, levels, alpha=1.0):
    """Estimate an independent categorical distribution for every pixel by counting.

    images: int array (N, H, W) of quantised values in 0..levels-1.
    levels: the number of grey levels L.
    alpha: Laplace pseudo-count added to every level (0 gives raw frequencies).
    Returns a float64 array (H, W, L): (count + alpha) / (N + alpha * L).
    """
    images = np.asarray(images)
    n, height, width = images.shape
    pixel = np.arange(height * width).reshape(height, width)  # index of each position
    keys = (pixel[None, :, :] * levels + images).ravel()
    counts = np.bincount(keys, minlength=height * width * levels)
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
    probs = np.asarray(probs, dtype=np.float64)
    levels = probs.shape[-1]
    pixels = probs.shape[0] * probs.shape[1]
    # Inverse transform for all pixels at once: shift the cumulative probabilities of
    # pixel p by p, so that one sorted array holds every pixel's F(v), then look up p + u.
    offset = np.arange(pixels, dtype=np.float64)
    cdf = np.cumsum(probs, axis=-1).reshape(pixels, levels)
    cdf = cdf / cdf[:, -1:]  # the last F(v) is then exactly 1, so the keys stay sorted
    keys = (cdf + offset[:, None]).ravel()
    u = rng.random((n, pixels))
    found = np.searchsorted(keys, u + offset, side="right")  # first key > p + u
    samples = np.minimum(found - offset.astype(np.int64) * levels, levels - 1)
    return samples.reshape((n,) + probs.shape[:-1])


# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    probs = np.asarray(probs, dtype=np.float64)
    images = np.asarray(images).astype(np.int64)
    table = np.broadcast_to(probs[None], images.shape + probs.shape[-1:])
    chosen = np.take_along_axis(table, images[..., None], axis=-1)[..., 0]
    return float(np.mean(-np.log2(chosen)))


# %% part: mix_pixels
def mix_pixels(images, n, rng):
    """Make n images whose every pixel is copied from a randomly chosen image.

    images: array (N, H, W); n: the number of images to make; rng: a numpy Generator.
    Each output pixel (h, w) is images[k, h, w] with k drawn uniformly from 0..N-1,
    independently for every output image and pixel. Returns an array (n, H, W).
    """
    images = np.asarray(images)
    count, height, width = images.shape
    sources = rng.integers(0, count - 1, size=(n, height, width))
    return np.take_along_axis(images, sources, axis=0)
