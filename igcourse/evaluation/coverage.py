"""Which classes a set of samples covers, according to the evaluator's predictions.

A generator that collapses onto a few modes draws most samples from a few classes: the
fraction of classes it covers drops and so does the entropy of its predicted class
histogram. For a balanced real set (Fashion-MNIST's test split) coverage is 1 and the
entropy close to log2(10) = 3.32 bits.
"""

from dataclasses import dataclass

import numpy as np

from igcourse.i18n import _


@dataclass(frozen=True)
class Coverage:
    """Class histogram of predictions and what it says about mode coverage."""

    histogram: tuple  # fraction of samples predicted as each class
    covered: float  # fraction of classes predicted for at least one sample
    covered_at_share: float  # fraction of classes predicted for at least `min_share` of samples
    min_share: float  # e.g. 0.02: a class counts if it gets >= 2% of the samples
    entropy_bits: float  # entropy of the histogram, in bits
    normalised_entropy: float  # entropy / log2(classes): 1 for a uniform histogram


def class_histogram(probabilities):
    """Fraction of samples whose most likely class is each class; probabilities (N, K)."""
    probabilities = np.asarray(probabilities)
    if probabilities.ndim != 2 or len(probabilities) == 0:
        raise ValueError(
            _("probabilities must be (N, classes), got {shape}").format(shape=probabilities.shape)
        )
    counts = np.bincount(probabilities.argmax(axis=1), minlength=probabilities.shape[1])
    return counts / counts.sum()


def class_coverage(probabilities, min_share=0.02):
    """Coverage and entropy of the predicted classes of samples (probabilities (N, K)).

    `min_share` is the k% in "classes predicted for at least k% of the samples"; the
    default 2% is a fifth of the 10% a balanced 10-class set gives each class.
    """
    histogram = class_histogram(probabilities)
    classes = len(histogram)
    nonzero = histogram[histogram > 0]
    entropy = float(-(nonzero * np.log2(nonzero)).sum()) + 0.0  # + 0.0: no "-0.0" bits
    return Coverage(
        histogram=tuple(float(h) for h in histogram),
        covered=float((histogram > 0).mean()),
        covered_at_share=float((histogram >= min_share).mean()),
        min_share=min_share,
        entropy_bits=entropy,
        normalised_entropy=entropy / float(np.log2(classes)),
    )
