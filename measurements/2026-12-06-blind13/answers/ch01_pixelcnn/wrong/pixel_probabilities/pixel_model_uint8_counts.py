"""PART: pixel_model
MISTAKE: Keeps the count table in uint8 to save memory, so every count wraps around modulo 256 once more than 255 images are counted (60,000 training images).
Built on correct/pixel_probabilities/tricks.py.
"""

# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    images = np.asarray(images, dtype=np.int32)  # 255 * 256 fits easily in int32
    shift = 8 - (int(levels).bit_length() - 1)
    if 1 << (8 - shift) == levels:  # a power of two: floor(x * 2^k / 2^8) = x >> (8 - k)
        return np.right_shift(images, shift).astype(np.int32)
    return np.floor_divide(images * int(levels), 256).astype(np.int32)


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
    counts = np.zeros((height, width, levels), dtype=np.uint8)  # counts are small integers
    rows, cols = np.broadcast_arrays(np.arange(height)[:, None], np.arange(width)[None, :])
    rows = np.broadcast_to(rows, images.shape)
    cols = np.broadcast_to(cols, images.shape)
    np.add.at(counts, (rows, cols, images.astype(np.intp)), 1)
    total = n + alpha * levels
    return (counts + alpha) / total


# %% part: pixel_sampling
def sample_pixel_model(probs, n, rng):
    """Draw n images from an independent per-pixel model.

    probs: float array (H, W, L), a categorical distribution per pixel.
    n: the number of images.
    rng: a numpy.random.Generator, the only source of randomness.
    probs is left as it is (the notebook samples the same table again).
    Returns an int array (n, H, W) with values in 0..L-1.
    """
    probs = np.asarray(probs, dtype=np.float64)
    with np.errstate(divide="ignore"):
        log_p = np.log(probs)  # -inf for impossible levels: they never win the argmax
    gumbel = rng.gumbel(size=(n, *probs.shape))
    return np.argmax(log_p[None] + gumbel, axis=-1)


# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    probs = np.asarray(probs, dtype=np.float64)
    images = np.asarray(images)
    height, width, levels = probs.shape
    pixel = np.arange(height * width).reshape(height, width)  # broadcasts over the images
    flat_index = np.ravel_multi_index((pixel[None], images.astype(np.intp)), (height * width, levels))
    picked = probs.ravel()[flat_index]
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
    rows, cols = np.ogrid[:height, :width]
    chosen = rng.integers(low=0, high=count, size=(n, height, width))
    return images[chosen, rows, cols]
