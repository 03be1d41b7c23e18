"""PART: pixel_bits_per_dim
MISTAKE: Picks p[..., 1] for a pixel equal to 1 and p[..., 0] otherwise, which is only right for binary images (levels 2 and up all get p[..., 0]).
Built on correct/pixel_probabilities/loops_and_gumbel.py.
"""

# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    # x * L is an exact integer in float64 and dividing by 256 is exact too.
    scaled = np.asarray(images, dtype=np.float64) * levels / 256.0
    return np.floor(scaled).astype(np.int32)

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
    probs = np.empty(images.shape[1:] + (levels,), dtype=np.float64)
    for level in range(levels):
        count = np.count_nonzero(images == level, axis=0)
        probs[..., level] = (count + alpha) / (total + alpha * levels)
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
    with np.errstate(divide="ignore"):
        log_probs = np.log(probs)  # -inf for impossible levels: never the argmax
    height, width, levels = probs.shape
    # argmax over levels of log p + Gumbel noise, kept as a running maximum per level
    best = np.full((n, height, width), -np.inf)
    samples = np.zeros((n, height, width), dtype=np.int32)
    for level in range(levels):
        score = log_probs[:, :, level] + rng.gumbel(size=(n, height, width))
        better = score > best
        samples[better] = level
        best = np.where(better, score, best)
    return samples

# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    images = np.asarray(images, dtype=np.int64)
    table = np.broadcast_to(np.asarray(probs), images.shape + (np.shape(probs)[-1],))
    picked = np.where(images == 1, table[..., 1], table[..., 0])
    nll_bits = -np.log(picked) / np.log(2.0)
    return float(nll_bits.sum() / nll_bits.size)

# %% part: mix_pixels
def mix_pixels(images, n, rng):
    """Make n images whose every pixel is copied from a randomly chosen image.

    images: array (N, H, W); n: the number of images to make; rng: a numpy Generator.
    Each output pixel (h, w) is images[k, h, w] with k drawn uniformly from 0..N-1,
    independently for every output image and pixel. Returns an array (n, H, W).
    """
    images = np.asarray(images)
    count, height, width = images.shape
    flat = images.reshape(count, height * width)  # (N, D)
    picks = rng.integers(count, size=(n, height * width))  # image index per output pixel
    positions = np.arange(height * width)[None, :]
    return flat[picks, positions].reshape(n, height, width)
