"""PART: pixel_bits_per_dim
MISTAKE: Indexes probs[:, :, images] instead of probs[h, w, images], which pairs every pixel's table with every image pixel (shape (H, W, N, H, W)) before averaging.
Built on correct/pixel_probabilities/loops_searchsorted.py (loops over levels / searchsorted style); everything else is as there.
"""

# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    values = np.array(images, dtype=np.int32)  # a copy, wide enough for 255 * 256
    np.multiply(values, levels, out=values)
    np.floor_divide(values, 256, out=values)
    return values


# %% part: pixel_model
def fit_pixel_model(images, levels, alpha=1.0):
    """Estimate an independent categorical distribution for every pixel by counting.

    images: int array (N, H, W) of quantised values in 0..levels-1.
    levels: the number of grey levels L.
    alpha: Laplace pseudo-count added to every level (0 gives raw frequencies).
    Returns a float64 array (H, W, L): (count + alpha) / (N + alpha * L).
    """
    images = np.asarray(images)
    total = len(images)
    probs = np.empty(images.shape[1:] + (levels,), dtype=np.float64)
    for level in range(levels):
        count = np.count_nonzero(images == level, axis=0)
        probs[..., level] = (count + alpha) / (total + alpha * levels)
    return probs


# %% part: pixel_sampling
def sample_pixel_model(probs, n, rng):
    """Draw n images from an independent per-pixel model.

    probs: float array (H, W, L), a categorical distribution per pixel.
    n: the number of images.
    rng: a numpy.random.Generator, the only source of randomness.
    Returns an int array (n, H, W) with values in 0..L-1.
    """
    probs = np.asarray(probs, dtype=np.float64)
    height, width, levels = probs.shape
    table = probs.reshape(-1, levels)  # (P, L)
    cdf = np.cumsum(table, axis=1)
    cdf = cdf / cdf[:, -1:]
    pixels = table.shape[0]
    # offset pixel p's cumulative probabilities by p, so that one sorted search handles all
    flat_cdf = (cdf + np.arange(pixels)[:, None]).ravel()
    u = rng.random((n, pixels)) + np.arange(pixels)[None, :]
    position = np.searchsorted(flat_cdf, u, side="right")  # first index with u < value
    level = position - np.arange(pixels)[None, :] * levels
    level = np.clip(level, 0, levels - 1)
    return level.reshape(n, height, width)


# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    probs = np.asarray(probs)
    images = np.asarray(images)
    _, height, width = images.shape
    h = np.arange(height)[None, :, None]
    w = np.arange(width)[None, None, :]
    likelihoods = probs[:, :, images]
    return -float(np.log2(likelihoods).sum()) / likelihoods.size


# %% part: mix_pixels
def mix_pixels(images, n, rng):
    """Make n images whose every pixel is copied from a randomly chosen image.

    images: array (N, H, W); n: the number of images to make; rng: a numpy Generator.
    Each output pixel (h, w) is images[k, h, w] with k drawn uniformly from 0..N-1,
    independently for every output image and pixel. Returns an array (n, H, W).
    """
    images = np.asarray(images)
    count = images.shape[0]
    flat = images.reshape(count, -1)  # (N, P)
    pixels = flat.shape[1]
    source = rng.integers(count, size=(n, pixels))
    mixed = flat[source, np.arange(pixels)[None, :]]  # (n, P)
    return mixed.reshape((n,) + images.shape[1:])
