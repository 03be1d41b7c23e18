"""PART: pixel_bits_per_dim
MISTAKE: Sums over the pixels of each image and averages over images only (bits per image, not per dimension).
Built on correct/pixel_probabilities/loops_over_levels.py with exactly this one change.
"""

# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    # float64 is exact here: x * L <= 255 * 256 and dividing by 256 is a power of two
    scaled = np.asarray(images, dtype=np.float64) * levels / 256.0
    return np.floor(scaled).astype(np.int32)


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
    counts = np.zeros((height, width, levels), dtype=np.float64)
    rows = np.broadcast_to(np.arange(height)[None, :, None], images.shape)
    cols = np.broadcast_to(np.arange(width)[None, None, :], images.shape)
    np.add.at(counts, (rows, cols, images), 1.0)
    total = n + alpha * levels
    return (counts + alpha) / total


# %% part: pixel_sampling
def sample_pixel_model(probs, n, rng):
    """Draw n images from an independent per-pixel model.

    probs: float array (H, W, L), a categorical distribution per pixel.
    n: the number of images.
    rng: a numpy.random.Generator, the only source of randomness.
    Returns an int array (n, H, W) with values in 0..L-1.
    """
    height, width, levels = np.shape(probs)
    u = rng.uniform(0.0, 1.0, size=(n, height, width))
    samples = np.zeros((n, height, width), dtype=np.int32)
    running = np.zeros((height, width))
    for v in range(levels - 1):  # the last level takes whatever is left
        running = running + probs[:, :, v]
        samples += (u >= running).astype(np.int32)
    return samples


# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    table = np.asarray(probs, dtype=np.float64)[None]  # (1, H, W, L)
    index = np.asarray(images, dtype=np.int64)[..., None]  # (N, H, W, 1)
    picked = np.take_along_axis(table, index, axis=-1)[..., 0]
    nll = -np.log(picked) / np.log(2.0)
    return float(nll.sum() / len(nll))


# %% part: mix_pixels
def mix_pixels(images, n, rng):
    """Make n images whose every pixel is copied from a randomly chosen image.

    images: array (N, H, W); n: the number of images to make; rng: a numpy Generator.
    Each output pixel (h, w) is images[k, h, w] with k drawn uniformly from 0..N-1,
    independently for every output image and pixel. Returns an array (n, H, W).
    """
    images = np.asarray(images)
    picks = rng.integers(len(images), size=(n,) + images.shape[1:])
    return np.take_along_axis(images, picks, axis=0)
