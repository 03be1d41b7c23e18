"""PART: pixel_model
MISTAKE: Loops only over the levels that actually occur in the images (np.unique), so a level never seen anywhere keeps probability 0 instead of alpha / (N + alpha * L) and the probabilities no longer sum to 1.

Base: correct/pixel_probabilities/loops.py with this one change.
The public example contains every level somewhere, so it passes; a dataset in which the top level never occurs exposes it.
PUBLIC: not caught: every public check passes.
"""

# %% part: quantize
def quantize(images, levels):
    """Map uint8 pixel values (0..255) to `levels` equal bins.

    images: integer array of any shape with values in 0..255 (usually uint8).
    levels: the number of grey levels L, from 2 to 256.
    Returns an int32 array of the same shape with values floor(images * L / 256).
    """
    pixels = np.array(images, dtype=np.uint16)  # 255 * 256 still fits in uint16
    binned = np.floor_divide(pixels * np.uint16(levels), 256)
    return binned.astype(np.int32)


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
    probs = np.zeros(images.shape[1:] + (levels,), dtype=np.float64)
    for level in np.unique(images):
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
    images = np.zeros((n, height, width), dtype=np.int32)
    for h in range(height):
        for w in range(width):
            p = probs[h, w] / probs[h, w].sum()
            images[:, h, w] = rng.choice(levels, size=n, p=p)
    return images


# %% part: pixel_bits_per_dim
def pixel_model_bits_per_dim(probs, images):
    """Mean negative log2-likelihood per pixel of images under an independent pixel model.

    probs: float array (H, W, L); images: int array (N, H, W) with values in 0..L-1.
    Returns a float: the mean over images and pixels of -log2 probs[h, w, images[n, h, w]].
    """
    probs = np.asarray(probs, dtype=np.float64)
    images = np.asarray(images).astype(np.int64)
    table = np.broadcast_to(probs, images.shape + probs.shape[-1:])  # (N, H, W, L)
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
    images = np.asarray(images)
    _, height, width = images.shape
    source = rng.integers(len(images), size=(n, height, width))
    rows = np.arange(height)[None, :, None]
    cols = np.arange(width)[None, None, :]
    return images[source, rows, cols]
