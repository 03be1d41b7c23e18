"""PART: pixel_sampling
MISTAKE: Seeds the global np.random from rng and draws the uniforms with np.random.random, breaking the rule never to call the global np.random functions (it reseeds global state).

Built on the correct set bincount_searchsorted.py with this one change.
"""

# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    scaled = np.multiply(images, levels, dtype=np.int64)
    return np.floor_divide(scaled, 256).astype(np.int32)

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
    pixel = np.arange(height * width, dtype=np.int64)
    flat = pixel[None, :] * levels + images.reshape(n, -1).astype(np.int64)
    counts = np.bincount(flat.ravel(), minlength=height * width * levels)
    counts = counts.reshape(height, width, levels).astype(np.float64)
    return (counts + alpha) / (n + alpha * levels)

# %% part: pixel_sampling
def sample_pixel_model(probs, n, rng):
    """Draw n images from an independent per-pixel model.

    probs: float array (H, W, L), a categorical distribution per pixel.
    n: the number of images.
    rng: a numpy.random.Generator, the only source of randomness.
    Returns an int array (n, H, W) with values in 0..L-1.
    """
    height, width, levels = np.shape(probs)
    np.random.seed(int(rng.integers(2**32)))
    uniforms = np.random.random(size=(n, height, width))
    samples = np.empty((n, height, width), dtype=np.int32)
    for h in range(height):
        for w in range(width):
            cumulative = np.cumsum(probs[h, w])
            found = np.searchsorted(cumulative, uniforms[:, h, w], side="right")
            samples[:, h, w] = np.clip(found, 0, levels - 1)
    return samples

# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    log_probs = np.log2(np.asarray(probs, dtype=np.float64))[None]  # (1, H, W, L)
    index = np.asarray(images)[..., None].astype(np.intp)  # (N, H, W, 1)
    picked = np.take_along_axis(log_probs, index, axis=-1)
    return -picked.mean().item()

# %% part: mix_pixels
def mix_pixels(images, n, rng):
    """Make n images whose every pixel is copied from a randomly chosen image.

    images: array (N, H, W); n: the number of images to make; rng: a numpy Generator.
    Each output pixel (h, w) is images[k, h, w] with k drawn uniformly from 0..N-1,
    independently for every output image and pixel. Returns an array (n, H, W).
    """
    images = np.asarray(images)
    sources = rng.choice(len(images), size=(n,) + images.shape[1:])
    return np.take_along_axis(images, sources, axis=0)
