"""Style: straightforward per-pixel code, as a beginner writes it.

quantize uses np.floor_divide on an int64 copy; fit_pixel_model loops over the pixels and
uses np.bincount for each one; sampling loops over the pixels and calls rng.choice with the
pixel's probabilities; bits per dimension uses advanced indexing probs[h, w, x] with
broadcast row and column indices; mix_pixels flattens the pixels and indexes the images
with a random row per (image, pixel) (no loop there, as the task asks).
"""

# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    scaled = np.multiply(np.array(images, dtype=np.int64), levels)
    return np.floor_divide(scaled, 256).astype("int32")


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
    probs = np.zeros((height, width, levels), dtype=np.float64)
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
    probs = np.asarray(probs, dtype=np.float64)
    height, width, levels = probs.shape
    samples = np.empty((n, height, width), dtype=np.int64)
    for h in range(height):
        for w in range(width):
            p = probs[h, w] / probs[h, w].sum()  # a new array, exact enough for rng.choice
            samples[:, h, w] = rng.choice(levels, size=n, p=p)
    return samples


# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    probs = np.asarray(probs)
    images = np.asarray(images)
    height, width = probs.shape[:2]
    rows = np.arange(height)[None, :, None]
    cols = np.arange(width)[None, None, :]
    p = probs[rows, cols, images]  # (N, H, W)
    bits = -np.log2(p)
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
    picks = rng.integers(low=0, high=count, size=(n, height * width))
    mixed = flat[picks, np.arange(height * width)]
    return mixed.reshape(n, height, width)
