"""pixel_model_bits_per_dim sums a one-hot times the log of every level's probability."""

import numpy as np

PART = "pixel_bits_per_dim"
MISTAKE = (
    "pixel_model_bits_per_dim multiplies a one-hot of the levels by log2 of every level's "
    "probability, so a level of probability 0 that the pixel does not have gives 0 * -inf = nan; "
    "take -log2 of the probability of each pixel's own level only."
)


def pixel_model_bits_per_dim(probs, images):
    probs = np.asarray(probs, dtype=np.float64)
    levels = probs.shape[-1]
    picked = np.asarray(images)[..., None] == np.arange(levels)  # (N, H, W, L)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-np.mean(np.sum(picked * np.log2(probs), axis=-1)))
