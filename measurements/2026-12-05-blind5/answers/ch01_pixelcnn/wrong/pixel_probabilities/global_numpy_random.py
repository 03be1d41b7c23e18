"""PART: pixel_sampling
MISTAKE: Draws the uniforms from the global np.random instead of the rng argument, so the result ignores the seed.
Built on correct/pixel_probabilities/bincount_and_loops.py; everything else is unchanged.
"""

# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    scaled = np.multiply(np.asarray(images, dtype=np.int32), levels)
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
    pixel = np.arange(height * width).reshape(height, width)
    flat = (pixel[None] * levels + images).ravel()
    counts = np.bincount(flat, minlength=height * width * levels)
    counts = counts.reshape(height, width, levels).astype(np.float64)
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
    uniforms = np.random.random((n, height, width))
    samples = np.zeros((n, height, width), dtype=np.int32)
    for h in range(height):
        for w in range(width):
            cdf = np.cumsum(probs[h][w])
            # side="right": the first index whose cumulative probability exceeds u
            picked = np.searchsorted(cdf, uniforms[:, h, w], side="right")
            samples[:, h, w] = np.clip(picked, 0, levels - 1)
    return samples


# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    images = np.asarray(images, dtype=np.int64)
    table = np.broadcast_to(np.asarray(probs)[None], (len(images),) + np.shape(probs))
    picked = np.take_along_axis(table, images[..., None], axis=-1)[..., 0]
    nats = -np.log(picked)
    return float(nats.mean() / np.log(2.0))


# %% part: mix_pixels
def mix_pixels(images, n, rng):
    """Make n images whose every pixel is copied from a randomly chosen image.

    images: array (N, H, W); n: the number of images to make; rng: a numpy Generator.
    Each output pixel (h, w) is images[k, h, w] with k drawn uniformly from 0..N-1,
    independently for every output image and pixel. Returns an array (n, H, W).
    """
    images = np.asarray(images)
    count, height, width = images.shape
    flat = images.reshape(count, height * width)
    which = rng.integers(count, size=(n, height * width))
    mixed = flat[which, np.arange(height * width)]
    return mixed.reshape(n, height, width)
