"""PART: pixel_bits_per_dim
MISTAKE: Divides the total by the number of images instead of the number of images times pixels, giving bits per image rather than bits per dimension.
Built on correct/pixel_probabilities/loops_and_bincount.py.
"""

# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    values = np.asarray(images, dtype=np.float64)
    # x * L / 256 is exact in float64 for x < 256 and L <= 256, so floor is exact too
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
    n, height, width = images.shape
    probs = np.empty((height, width, levels), dtype=np.float64)
    for h in range(height):
        for w in range(width):
            counts = np.bincount(images[:, h, w].astype(np.int64), minlength=levels)
            probs[h, w] = (counts + alpha) / (n + alpha * levels)
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
    samples = np.zeros((n, height, width), dtype=np.int64)
    for h in range(height):
        for w in range(width):
            p = np.asarray(probs[h, w], dtype=np.float64)
            samples[:, h, w] = rng.choice(levels, size=n, p=p / p.sum())
    return samples


# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    probs = np.asarray(probs)
    images = np.asarray(images)
    _, rows, cols = np.indices(images.shape)
    picked = probs[rows, cols, images]  # (N, H, W)
    total = -np.log2(picked).sum()
    return float(total / len(images))


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
    pixel = np.arange(height * width)
    return flat[which, pixel].reshape(n, height, width)
