"""PART: mix_pixels
MISTAKE: Treats the upper bound of rng.integers as inclusive and passes N - 1, so the last image is never a source.
Built on correct/pixel_probabilities/loops_per_level.py, with only this change."""

# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    # 255 * 256 = 65280 still fits in uint16, and dividing by 256 is a shift by 8 bits
    product = np.asarray(images, dtype=np.uint16) * np.uint16(levels)
    return np.right_shift(product, 8).astype(np.int32)

# %% part: pixel_model
def fit_pixel_model(images, levels, alpha=1.0):
    """Estimate an independent categorical distribution for every pixel by counting.

    images: int array (N, H, W) of quantised values in 0..levels-1.
    levels: the number of grey levels L.
    alpha: Laplace pseudo-count added to every level (0 gives raw frequencies).
    Returns a float64 array (H, W, L): (count + alpha) / (N + alpha * L).
    """
    n, height, width = np.shape(images)
    probs = np.empty((height, width, levels), dtype=np.float64)
    for level in range(levels):
        count = np.count_nonzero(images == level, axis=0)
        probs[:, :, level] = (count + alpha) / (n + alpha * levels)
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
    u = rng.random(size=(n, height, width))
    samples = np.zeros((n, height, width), dtype=np.int32)
    running = np.zeros((height, width), dtype=np.float64)  # F(v), built level by level
    for level in range(levels - 1):  # the last level is what is left: F(L-1) = 1
        running = running + probs[:, :, level]
        samples += (u >= running).astype(np.int32)
    return samples

# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    height, width, levels = np.shape(probs)
    table = np.reshape(probs, (height * width, levels))
    values = np.reshape(images, (-1, height * width))  # (N, D)
    pixel = np.arange(height * width)
    picked = table[pixel, values]  # broadcasts (D,) with (N, D)
    bits = -np.log2(picked)
    return float(bits.sum() / bits.size)

# %% part: mix_pixels
def mix_pixels(images, n, rng):
    """Make n images whose every pixel is copied from a randomly chosen image.

    images: array (N, H, W); n: the number of images to make; rng: a numpy Generator.
    Each output pixel (h, w) is images[k, h, w] with k drawn uniformly from 0..N-1,
    independently for every output image and pixel. Returns an array (n, H, W).
    """
    total = len(images)
    picks = rng.integers(total - 1, size=(n,) + tuple(np.shape(images)[1:]))
    return np.take_along_axis(np.asarray(images), picks, axis=0)
