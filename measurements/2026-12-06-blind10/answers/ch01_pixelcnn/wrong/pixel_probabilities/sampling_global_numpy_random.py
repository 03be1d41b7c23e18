"""PART: pixel_sampling
MISTAKE: Draws with the global np.random.choice instead of the rng passed in, so results are not reproducible from the seed.
Built on correct/pixel_probabilities/loops_and_helpers.py with this one change.
"""

# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    # q(x) >= v exactly when x >= 256 v / L, so q(x) counts the edges at or below x
    edges = 256.0 * np.arange(1, levels) / levels
    return np.digitize(np.asarray(images), edges).astype(np.int32)


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
    counts = np.zeros(images.shape[1:] + (levels,), dtype=np.float64)
    for v in range(levels):
        counts[..., v] = np.count_nonzero(images == v, axis=0)
    smoothed = counts + alpha
    return smoothed / (total + alpha * levels)


# %% part: pixel_sampling
def sample_pixel_model(probs, n, rng):
    """Draw n images from an independent per-pixel model.

    probs: float array (H, W, L), a categorical distribution per pixel.
    n: the number of images.
    rng: a numpy.random.Generator, the only source of randomness.
    Returns an int array (n, H, W) with values in 0..L-1.
    """
    height, width, levels = np.shape(probs)
    samples = np.empty((n, height, width), dtype=np.int32)
    for h in range(height):
        for w in range(width):
            p = np.array(probs[h, w], dtype=np.float64)
            samples[:, h, w] = np.random.choice(levels, size=n, p=p / p.sum())
    return samples


# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    images = np.asarray(images)
    count, height, width = images.shape
    hh, ww = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    picked = np.asarray(probs)[hh[None], ww[None], images]  # (N, H, W)
    nats = -np.log(picked)
    return float(nats.sum() / (count * height * width) / np.log(2.0))


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
