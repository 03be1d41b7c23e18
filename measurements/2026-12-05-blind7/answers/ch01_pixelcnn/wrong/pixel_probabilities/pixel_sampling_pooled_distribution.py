"""PART: pixel_sampling
MISTAKE: Samples every pixel from the distribution averaged over all pixels instead of from the pixel's own categorical distribution.
Built on correct/pixel_probabilities/loops_and_take.py."""


# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    product = np.multiply(images, levels, dtype=np.int32)
    return np.floor_divide(product, 256).astype(np.int32)


# %% part: pixel_model
def fit_pixel_model(images, levels, alpha=1.0):
    """Estimate an independent categorical distribution for every pixel by counting.

    images: int array (N, H, W) of quantised values in 0..levels-1.
    levels: the number of grey levels L.
    alpha: Laplace pseudo-count added to every level (0 gives raw frequencies).
    Returns a float64 array (H, W, L): (count + alpha) / (N + alpha * L).
    """
    images = np.asarray(images)
    total, height, width = images.shape
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
    Returns an int array (n, H, W) with values in 0..L-1.
    """
    probs = np.asarray(probs, dtype=np.float64)
    height, width, levels = probs.shape
    samples = np.zeros((n, height, width), dtype=np.int32)
    pooled = probs.reshape(-1, levels).mean(axis=0)
    samples[:] = rng.choice(levels, size=(n, height, width), p=pooled / pooled.sum())
    return samples


# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    images = np.asarray(images)
    table = np.broadcast_to(np.asarray(probs), (images.shape[0], *np.shape(probs)))
    picked = np.take_along_axis(table, images[..., None].astype(np.intp), axis=-1)[..., 0]
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
    picks = rng.integers(count, size=(n, height * width))
    mixed = flat[picks, np.arange(height * width)]
    return mixed.reshape(n, height, width)
