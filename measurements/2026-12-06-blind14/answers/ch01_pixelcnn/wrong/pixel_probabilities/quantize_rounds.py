"""PART: quantize
MISTAKE: Rounds x * L / 256 to the nearest integer instead of taking the floor.
Built on correct/pixel_probabilities/loops_and_floats.py with that one change.
"""

# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    values = np.asarray(images, dtype=np.float64)
    bins = np.round(values * levels / 256.0)
    return bins.astype(np.int32)


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
    height, width = images.shape[1:]
    probs = np.empty((height, width, levels), dtype=np.float64)
    for level in range(levels):
        count = np.count_nonzero(images == level, axis=0)
        probs[:, :, level] = (count + alpha) / (total + alpha * levels)
    return probs


# %% part: pixel_sampling
def sample_pixel_model(probs, n, rng):
    """Draw n images from an independent per-pixel model.

    probs: float array (H, W, L), a categorical distribution per pixel.
    n: the number of images.
    rng: a numpy.random.Generator, the only source of randomness.
    probs is left as it is (the notebook samples the same table again).
    Returns an int array (n, H, W) with values in 0..L-1.
    """
    height, width, levels = np.shape(probs)
    samples = np.zeros((n, height, width), dtype=np.int32)
    for h in range(height):
        for w in range(width):
            p = np.array(probs[h, w], dtype=np.float64)  # a copy
            p = p / p.sum()
            samples[:, h, w] = rng.choice(levels, size=n, p=p)
    return samples


# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    images = np.asarray(images)
    _, height, width = images.shape
    rows, cols = np.ogrid[:height, :width]
    picked = np.asarray(probs)[rows, cols, images]  # (N, H, W)
    bits = -np.log2(picked)
    return float(bits.sum() / bits.size)


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
    positions = np.arange(height * width)
    out = np.empty((n, height * width), dtype=images.dtype)
    for i in range(n):
        chosen = rng.integers(count, size=height * width)
        out[i] = flat[chosen, positions]
    return out.reshape(n, height, width)
