"""PART: quantize
MISTAKE: Widens the uint8 images only to int16, which still overflows: 255 * 256 = 65280 does not fit, so levels=256 (and any product above 32767) wraps to negative bins.
Built on correct/pixel_probabilities/numpy_vectorised.py.
"""

# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    wide = np.asarray(images).astype(np.int16)
    return (wide * int(levels) // 256).astype(np.int32)


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
    # (N, H, W, L) one-hot, summed over the images: counts of every level at every pixel
    counts = (images[..., None] == np.arange(levels)).sum(axis=0, dtype=np.int64)
    return (counts.astype(np.float64) + alpha) / (n + alpha * levels)


# %% part: pixel_sampling
def sample_pixel_model(probs, n, rng):
    """Draw n images from an independent per-pixel model.

    probs: float array (H, W, L), a categorical distribution per pixel.
    n: the number of images.
    rng: a numpy.random.Generator, the only source of randomness.
    probs is left as it is (the notebook samples the same table again).
    Returns an int array (n, H, W) with values in 0..L-1.
    """
    probs = np.asarray(probs, dtype=np.float64)
    height, width, _ = probs.shape
    cdf = np.cumsum(probs, axis=-1)  # a new array: probs itself is not touched
    u = rng.random((n, height, width, 1))
    # the smallest v with u < F(v) is the number of levels whose F(v) <= u (the last excluded,
    # so that rounding in the cumulative sum can never give the level L)
    return (u >= cdf[None, :, :, :-1]).sum(axis=-1).astype(np.int64)


# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    probs = np.asarray(probs, dtype=np.float64)
    images = np.asarray(images).astype(np.int64)
    picked = np.take_along_axis(probs[None], images[..., None], axis=-1)[..., 0]  # (N, H, W)
    return float(np.mean(-np.log2(picked)))


# %% part: mix_pixels
def mix_pixels(images, n, rng):
    """Make n images whose every pixel is copied from a randomly chosen image.

    images: array (N, H, W); n: the number of images to make; rng: a numpy Generator.
    Each output pixel (h, w) is images[k, h, w] with k drawn uniformly from 0..N-1,
    independently for every output image and pixel. Returns an array (n, H, W).
    """
    images = np.asarray(images)
    count, height, width = images.shape
    sources = rng.integers(0, count, size=(n, height, width))
    return np.take_along_axis(images, sources, axis=0)
