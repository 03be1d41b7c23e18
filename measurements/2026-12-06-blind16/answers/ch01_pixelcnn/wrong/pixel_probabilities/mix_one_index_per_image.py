"""PART: mix_pixels
MISTAKE: Draws one source index per output image, so every output is a copy of a single training image.
Built on correct/pixel_probabilities/numpy_vectorised.py with this one change."""

# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    wide = np.asarray(images).astype(np.int64)
    return (wide * levels // 256).astype(np.int32)


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
    one_hot = images[..., None] == np.arange(levels)  # (N, H, W, L)
    counts = one_hot.sum(axis=0).astype(np.float64)  # (H, W, L)
    return (counts + alpha) / (n + alpha * levels)


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
    height, width, levels = probs.shape
    cumulative = np.cumsum(probs, axis=-1)  # (H, W, L)
    u = rng.random((n, height, width, 1))
    # smallest v with u < F(v): count the levels whose F(v) <= u
    samples = (u >= cumulative[None]).sum(axis=-1)
    return np.minimum(samples, levels - 1).astype(np.int64)


# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    probs = np.asarray(probs)
    images = np.asarray(images)
    _, height, width = images.shape
    rows, cols = np.indices((height, width))
    chosen = probs[rows[None], cols[None], images]  # (N, H, W)
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
    index = rng.integers(0, count, size=(n, 1, 1))
    rows, cols = np.indices((height, width))
    return images[index, rows[None], cols[None]]
