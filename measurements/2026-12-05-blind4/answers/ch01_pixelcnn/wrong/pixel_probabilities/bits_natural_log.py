"""PART: pixel_bits_per_dim
MISTAKE: Uses the natural log instead of log2, so the result is in nats per dimension rather than bits.
Built on correct/pixel_probabilities/addat_argmax.py.
"""

# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    scaled = np.asarray(images, dtype=np.uint32) * np.uint32(levels)
    return np.right_shift(scaled, 8).astype(np.int32)  # // 256 for non-negative ints

# %% part: pixel_model
def fit_pixel_model(images, levels, alpha=1.0):
    """Estimate an independent categorical distribution for every pixel by counting.

    images: int array (N, H, W) of quantised values in 0..levels-1.
    levels: the number of grey levels L.
    alpha: Laplace pseudo-count added to every level (0 gives raw frequencies).
    Returns a float64 array (H, W, L): (count + alpha) / (N + alpha * L).
    """
    images = np.asarray(images, dtype=np.intp)
    n, height, width = images.shape
    counts = np.zeros((height, width, levels), dtype=np.float64)
    h, w = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    h = np.broadcast_to(h, images.shape)
    w = np.broadcast_to(w, images.shape)
    np.add.at(counts, (h, w, images), 1.0)
    counts += alpha
    counts /= n + alpha * levels
    return counts

# %% part: pixel_sampling
def sample_pixel_model(probs, n, rng):
    """Draw n images from an independent per-pixel model.

    probs: float array (H, W, L), a categorical distribution per pixel.
    n: the number of images.
    rng: a numpy.random.Generator, the only source of randomness.
    Returns an int array (n, H, W) with values in 0..L-1.
    """
    probs = np.asarray(probs, dtype=np.float64)
    cumulative = probs.cumsum(axis=2)
    cumulative[..., -1] = np.inf  # guard against rounding: the last level always catches u
    u = rng.uniform(0.0, 1.0, size=(n,) + probs.shape[:2] + (1,))
    return np.argmax(u < cumulative, axis=-1).astype(np.int32)

# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    images = np.asarray(images)
    n = images.shape[0]
    table = np.broadcast_to(np.asarray(probs), (n,) + np.shape(probs))  # (N, H, W, L)
    picked = np.take_along_axis(table, images[..., None].astype(np.intp), axis=-1)[..., 0]
    return float(-np.log(picked).mean())

# %% part: mix_pixels
def mix_pixels(images, n, rng):
    """Make n images whose every pixel is copied from a randomly chosen image.

    images: array (N, H, W); n: the number of images to make; rng: a numpy Generator.
    Each output pixel (h, w) is images[k, h, w] with k drawn uniformly from 0..N-1,
    independently for every output image and pixel. Returns an array (n, H, W).
    """
    images = np.asarray(images)
    height, width = images.shape[1:]
    k = rng.integers(low=0, high=images.shape[0], size=(n, height, width))
    h = np.arange(height)[None, :, None]
    w = np.arange(width)[None, None, :]
    return images[k, h, w]
