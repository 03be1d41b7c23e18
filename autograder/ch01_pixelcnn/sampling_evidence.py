"""What a sampler's level frequencies show, in words, for chapter 1's sampling checks.

A check that finds frequencies far from the model's probabilities says what it saw; these
functions add a cause only where the frequencies single it out: every sample taking the most
likely level, the two outcomes of a binary pixel swapped, the probabilities put through a
softmax (or sigmoid) once more, or each pixel following the probabilities of another position
(pixels drawn in another order than their positions).
"""

import numpy as np

from igcourse.i18n import _


def _fits(freq, probs, tolerance):
    return bool(np.all(np.abs(freq - probs) <= tolerance))


def _softmax(values):
    exp = np.exp(values - values.max(-1, keepdims=True))
    return exp / exp.sum(-1, keepdims=True)


def _squashed_twice(probs, binary):
    """What the frequencies are when the probabilities are given to a sampler that takes
    logits: the softmax of the probabilities, and for a single logit the sigmoid of p(1)."""
    squashed = [_softmax(probs)]
    if binary:
        one = 1 / (1 + np.exp(-probs[..., 1]))
        squashed.append(np.stack([1 - one, one], -1))
    return squashed


def frequency_hint(freq, probs, tolerance, binary=False, from_logits=False):
    """A sentence (with a leading space) naming what the frequencies single out, or "".

    freq, probs, tolerance: (H, W, L) level frequencies of the samples, the model's
    probabilities and the tolerance of each. binary: L = 2 with level 1 the outcome of the
    model's single logit. from_logits: the sampler was given logits (so a softmax of its own
    is a possible mistake).
    """
    freq, probs, tolerance = (np.asarray(a, np.float64) for a in (freq, probs, tolerance))
    if np.all(np.isin(freq, (0.0, 1.0))) and np.array_equal(
        np.argmax(freq, -1), np.argmax(probs, -1)
    ):
        return _(" Every pixel of yours is its most likely level, never another one.")
    if binary and _fits(freq[..., ::-1], probs, tolerance):
        return _(
            " Your pixels are 1 as often as the model says 0: the two outcomes are swapped (a "
            "binary model's single logit is the log-odds of a 1)."
        )
    if from_logits and any(_fits(freq, p, tolerance) for p in _squashed_twice(probs, binary)):
        return _(
            " Your frequencies are those of a softmax (or sigmoid) applied to the model's "
            "probabilities: the logits were turned into probabilities before a sampler that "
            "takes logits (tf.random.categorical, say), which applies the softmax itself."
        )
    height, width, levels = probs.shape
    flat_freq, flat_probs = freq.reshape(-1, levels), probs.reshape(-1, levels)
    flat_tolerance = tolerance.reshape(-1, levels)
    followed = []
    for pixel in flat_freq:
        matches = [
            j
            for j, (p, t) in enumerate(zip(flat_probs, flat_tolerance, strict=True))
            if _fits(pixel, p, t)
        ]
        if len(matches) != 1:
            return ""  # not one position singled out: no cause to name
        followed.append(matches[0])
    moved = [(i, j) for i, j in enumerate(followed) if i != j]
    if not moved:
        return ""
    (h, w), (h2, w2) = (divmod(index, width) for index in moved[0])
    return _(
        " Pixel ({h}, {w}) of your samples follows the model's probabilities for pixel ({h2}, "
        "{w2}): your pixels are drawn from other positions' probabilities than their own."
    ).format(h=h, w=w, h2=h2, w2=w2)


def shown_share(value):
    """A share as a percentage, or "n/a" where it could not be measured (no pairs)."""
    return f"{value:.0%}" if np.isfinite(value) else "n/a"
