"""PART: pixel_sampling
MISTAKE: Computes the cumulative sums in place into probs (out=probs), so the caller's probability table is overwritten.
Built on correct/pixel_probabilities/level_loops.py, with this one change.
"""

# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    values = np.asarray(images, dtype=np.float64)
    return np.floor(values * levels / 256.0).astype(np.int32)


# %% part: pixel_model
def fit_pixel_model(images, levels, alpha=1.0):
    """Estimate an independent categorical distribution for every pixel by counting.

    images: int array (N, H, W) of quantised values in 0..levels-1.
    levels: the number of grey levels L.
    alpha: Laplace pseudo-count added to every level (0 gives raw frequencies).
    Returns a float64 array (H, W, L): (count + alpha) / (N + alpha * L).
    """
    images = np.asarray(images)
    total = images.shape[0]
    counts = [np.count_nonzero(images == level, axis=0) for level in range(levels)]
    counts = np.stack(counts, axis=-1).astype(np.float64)  # (H, W, L)
    smoothed = counts + alpha
    return smoothed / (total + alpha * levels)


# %% part: pixel_sampling
def sample_pixel_model(probs, n, rng):
    """Draw n images from an independent per-pixel model.

    probs: float array (H, W, L), a categorical distribution per pixel.
    n: the number of images.
    rng: a numpy.random.Generator, the only source of randomness.
    probs is left as it is (the notebook samples the same table again).
    Returns an int array (n, H, W) with values in 0..L-1.
    """
    cumulative = np.cumsum(probs, axis=2, out=probs)
    cumulative[..., -1] = 1.0  # on the copy made by cumsum; F(L-1) is 1 in exact arithmetic
    height, width = cumulative.shape[:2]
    uniforms = rng.uniform(0.0, 1.0, size=(n, height, width, 1))
    above = uniforms < cumulative[np.newaxis]  # (n, H, W, L), True from the sampled level on
    return np.argmax(above, axis=3).astype(np.int64)


# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    probs = np.asarray(probs, dtype=np.float64)
    images = np.asarray(images)
    with np.errstate(divide="ignore"):
        surprise = -np.log2(probs)  # (H, W, L), inf where a probability is 0
    total = 0.0
    for level in range(probs.shape[-1]):
        seen = np.count_nonzero(images == level, axis=0)  # (H, W)
        where = seen > 0
        total += float(np.sum(seen[where] * surprise[..., level][where]))
    return total / images.size


# %% part: mix_pixels
def mix_pixels(images, n, rng):
    """Make n images whose every pixel is copied from a randomly chosen image.

    images: array (N, H, W); n: the number of images to make; rng: a numpy Generator.
    Each output pixel (h, w) is images[k, h, w] with k drawn uniformly from 0..N-1,
    independently for every output image and pixel. Returns an array (n, H, W).
    """
    images = np.asarray(images)
    choice = rng.integers(len(images), size=(n,) + images.shape[1:])
    return np.take_along_axis(images, choice, axis=0)
