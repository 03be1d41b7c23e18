"""PART: quantize
MISTAKE: divides by 255 (the largest pixel value) instead of 256, so floor(x * L / 255) maps 255 to the non-existent level L and shifts other bin edges.
Built on correct/pixel_probabilities/loops_and_helpers.py.
"""

# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    product = np.multiply(images, levels, dtype=np.int64)
    return np.floor_divide(product, 255).astype(np.int32)

# %% part: pixel_model
def fit_pixel_model(images, levels, alpha=1.0):
    """Estimate an independent categorical distribution for every pixel by counting.

    images: int array (N, H, W) of quantised values in 0..levels-1.
    levels: the number of grey levels L.
    alpha: Laplace pseudo-count added to every level (0 gives raw frequencies).
    Returns a float64 array (H, W, L): (count + alpha) / (N + alpha * L).
    """
    total = len(images)
    tables = []
    for value in range(levels):
        count = np.count_nonzero(images == value, axis=0)  # (H, W)
        tables.append((count + alpha) / (total + alpha * levels))
    return np.stack(tables, axis=-1).astype(np.float64)

# %% part: pixel_sampling
def sample_pixel_model(probs, n, rng):
    """Draw n images from an independent per-pixel model.

    probs: float array (H, W, L), a categorical distribution per pixel.
    n: the number of images.
    rng: a numpy.random.Generator, the only source of randomness.
    Returns an int array (n, H, W) with values in 0..L-1.
    """
    height, width, levels = probs.shape
    out = np.empty((n, height, width), dtype=np.int32)
    for h in range(height):
        for w in range(width):
            p = np.asarray(probs[h, w], dtype=np.float64)
            out[:, h, w] = rng.choice(levels, size=n, p=p / p.sum())
    return out

# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    images = np.asarray(images, dtype=np.intp)
    table = np.broadcast_to(probs, (len(images),) + np.shape(probs))  # (N, H, W, L)
    picked = np.take_along_axis(table, images[..., None], axis=-1)[..., 0]
    bits = -np.log2(picked)
    return float(bits.sum() / bits.size)

# %% part: mix_pixels
def mix_pixels(images, n, rng):
    """Make n images whose every pixel is copied from a randomly chosen image.

    images: array (N, H, W); n: the number of images to make; rng: a numpy Generator.
    Each output pixel (h, w) is images[k, h, w] with k drawn uniformly from 0..N-1,
    independently for every output image and pixel. Returns an array (n, H, W).
    """
    count, height, width = images.shape
    pixels = height * width
    flat = images.reshape(count, pixels)
    picks = rng.integers(count, size=(n, pixels))
    mixed = flat[picks, np.arange(pixels)]
    return mixed.reshape(n, height, width)
