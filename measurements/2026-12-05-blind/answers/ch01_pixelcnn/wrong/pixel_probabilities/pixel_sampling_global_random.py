"""PART: pixel_sampling
MISTAKE: Draws with the global np.random.choice instead of the rng passed in, so the images do not depend on the generator's seed.
Built on correct/pixel_probabilities/numpy_loops_indexing.py; everything else is that correct set unchanged.
"""

# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    x = np.asarray(images, dtype=np.int64)
    return np.floor_divide(x * levels, 256).astype(np.int32)


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
    probs = np.empty(images.shape[1:] + (levels,), dtype=np.float64)
    for level in range(levels):
        count = np.sum(images == level, axis=0)
        probs[:, :, level] = (count + alpha) / (total + alpha * levels)
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
    out = np.zeros((n, height, width), dtype=np.int32)
    for h in range(height):
        for w in range(width):
            p = probs[h, w] / probs[h, w].sum()  # rng.choice wants an exact sum of 1
            out[:, h, w] = np.random.choice(levels, size=n, p=p)
    return out


# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    probs = np.asarray(probs)
    images = np.asarray(images)
    _, height, width = images.shape
    rows = np.arange(height)[None, :, None]
    cols = np.arange(width)[None, None, :]
    p = probs[rows, cols, images]  # (N, H, W)
    bits = -np.log2(p)
    return bits.mean().item()


# %% part: mix_pixels
def mix_pixels(images, n, rng):
    """Make n images whose every pixel is copied from a randomly chosen image.

    images: array (N, H, W); n: the number of images to make; rng: a numpy Generator.
    Each output pixel (h, w) is images[k, h, w] with k drawn uniformly from 0..N-1,
    independently for every output image and pixel. Returns an array (n, H, W).
    """
    images = np.asarray(images)
    total, height, width = images.shape
    k = rng.integers(total, size=(n, height, width))
    h = np.arange(height).reshape(1, height, 1)
    w = np.arange(width).reshape(1, 1, width)
    return images[k, h, w]
