"""PART: quantize
MISTAKE: Multiplies in the input's own dtype before widening, so uint8 arithmetic wraps around (or overflows for L = 256).
Built on correct/pixel_probabilities/gumbel_bincount.py with exactly this one change.
"""

# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    values = np.asarray(images) * levels // 256
    return values.astype(np.int32)


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
    return (counts + float(alpha)) / (n + float(alpha) * levels)


# %% part: pixel_sampling
def sample_pixel_model(probs, n, rng):
    """Draw n images from an independent per-pixel model.

    probs: float array (H, W, L), a categorical distribution per pixel.
    n: the number of images.
    rng: a numpy.random.Generator, the only source of randomness.
    Returns an int array (n, H, W) with values in 0..L-1.
    """
    probs = np.asarray(probs, dtype=np.float64)
    with np.errstate(divide="ignore"):
        log_p = np.log(probs)  # -inf for impossible levels: never chosen
    gumbel = rng.gumbel(size=(n,) + probs.shape)
    return np.argmax(log_p[None] + gumbel, axis=-1)


# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    probs = np.asarray(probs, dtype=np.float64)
    height, width, levels = probs.shape
    images = np.asarray(images, dtype=np.int64).reshape(-1, height * width)
    flat_probs = probs.reshape(height * width, levels)
    picked = flat_probs[np.arange(height * width)[None, :], images]
    return float(-np.log2(picked).mean())


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
    chosen = rng.integers(0, count, size=(n, height * width))
    out = flat[chosen, np.arange(height * width)[None, :]]
    return out.reshape(n, height, width)
