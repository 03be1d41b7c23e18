"""PART: pixel_model
MISTAKE: Allocates the probability table as float32 instead of float64.
Built on correct/pixel_probabilities/numpy_loops_apis.py with this one change."""

# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    x = np.array(images, dtype=np.int32, copy=True)
    np.multiply(x, levels, out=x)
    return np.floor_divide(x, 256).astype(np.int32)


# %% part: pixel_model
def fit_pixel_model(images, levels, alpha=1.0):
    """Estimate an independent categorical distribution for every pixel by counting.

    images: int array (N, H, W) of quantised values in 0..levels-1.
    levels: the number of grey levels L.
    alpha: Laplace pseudo-count added to every level (0 gives raw frequencies).
    Returns a float64 array (H, W, L): (count + alpha) / (N + alpha * L).
    """
    n, height, width = np.shape(images)
    probs = np.empty((height, width, levels), dtype=np.float32)
    for v in range(levels):
        count = np.count_nonzero(images == v, axis=0)
        probs[:, :, v] = (count + alpha) / (n + alpha * levels)
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
    height, width, levels = probs.shape
    flat = probs.reshape(height * width, levels)
    cdf = np.cumsum(flat, axis=1)
    cdf = cdf / cdf[:, -1:]  # guard against rounding: the last entry is exactly 1
    u = rng.uniform(0.0, 1.0, size=(n, height * width))
    out = np.zeros((n, height * width), dtype=np.int32)
    for pixel in range(height * width):
        out[:, pixel] = np.searchsorted(cdf[pixel], u[:, pixel], side="right")
    return np.clip(out, 0, levels - 1).reshape(n, height, width)


# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    images = np.asarray(images, dtype=np.int64)
    table = np.broadcast_to(probs[None], (images.shape[0],) + probs.shape)
    picked = np.take_along_axis(table, images[..., None], axis=-1)[..., 0]
    total_bits = -np.sum(np.log2(picked))
    return float(total_bits / images.size)


# %% part: mix_pixels
def mix_pixels(images, n, rng):
    """Make n images whose every pixel is copied from a randomly chosen image.

    images: array (N, H, W); n: the number of images to make; rng: a numpy Generator.
    Each output pixel (h, w) is images[k, h, w] with k drawn uniformly from 0..N-1,
    independently for every output image and pixel. Returns an array (n, H, W).
    """
    count, height, width = images.shape
    source = rng.integers(count, size=(n, height * width))  # (n, D) image indices
    flat = images.reshape(count, height * width)  # (N, D)
    positions = np.arange(height * width)
    return flat[source, positions].reshape(n, height, width)
