"""Plain loops where a beginner would write them: counts accumulated image by image,
rng.choice per pixel for sampling, per-level sums for the bits, and one output image at a
time for mix_pixels (preallocated output; no loop over single pixels there).
"""


# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    # float64 holds x * L (at most 65280) exactly, and dividing by 256 is exact too
    scaled = np.asarray(images, dtype=np.float64) * levels / 256.0
    return np.asarray(np.floor(scaled), dtype=np.int32)


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
    counts = np.zeros((height, width, levels), dtype=np.float64)
    rows, cols = np.indices((height, width))
    for image in images:
        counts[rows, cols, image] += 1.0  # each (h, w) appears once per image
    probs = counts + alpha
    probs /= n + alpha * levels
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
    samples = np.zeros((n, height, width), dtype=np.int64)
    for h in range(height):
        for w in range(width):
            p = probs[h, w] / probs[h, w].sum()
            samples[:, h, w] = rng.choice(levels, size=n, p=p)
    return samples


# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    probs = np.asarray(probs, dtype=np.float64)
    images = np.asarray(images)
    total = 0.0
    for level in range(probs.shape[-1]):
        count = (images == level).sum(axis=0)  # how often each pixel has this level
        seen = count > 0  # only levels that occur add to the sum (no 0 * log 0)
        total += float(np.sum(count[seen] * -np.log2(probs[..., level][seen])))
    return total / images.size


# %% part: mix_pixels
def mix_pixels(images, n, rng):
    """Make n images whose every pixel is copied from a randomly chosen image.

    images: array (N, H, W); n: the number of images to make; rng: a numpy Generator.
    Each output pixel (h, w) is images[k, h, w] with k drawn uniformly from 0..N-1,
    independently for every output image and pixel. Returns an array (n, H, W).
    """
    images = np.asarray(images)
    count, height, width = images.shape
    rows, cols = np.indices((height, width))
    mixed = np.empty((n, height, width), dtype=images.dtype)
    for i in range(n):
        mixed[i] = images[rng.integers(count, size=(height, width)), rows, cols]
    return mixed
