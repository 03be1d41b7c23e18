"""Class consistency of a conditional generator: does a sample show the class it was asked for?

It is the evaluator's accuracy on the samples against the labels they were generated
from. A real test set scores the evaluator's own test accuracy (the ceiling); a generator
that ignores its label scores about 1 / classes.
"""

from dataclasses import dataclass

import numpy as np

from igcourse.i18n import _


@dataclass(frozen=True)
class Consistency:
    """Overall and per-class agreement between the intended and the predicted classes."""

    accuracy: float  # fraction of samples predicted as their intended class
    per_class: tuple  # accuracy for each intended class (NaN where no sample asked for it)


def class_consistency(probabilities, labels):
    """Accuracy of the evaluator on samples w.r.t. their intended `labels` (N,)."""
    probabilities = np.asarray(probabilities)
    labels = np.asarray(labels).reshape(-1)
    if len(labels) != len(probabilities):
        raise ValueError(
            _("{labels} labels for {samples} samples").format(
                labels=len(labels), samples=len(probabilities)
            )
        )
    classes = probabilities.shape[1]
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        raise ValueError(_("labels must be class indices in [0, {top}]").format(top=classes - 1))
    correct = probabilities.argmax(axis=1) == labels
    per_class = tuple(
        float(correct[labels == k].mean()) if (labels == k).any() else float("nan")
        for k in range(classes)
    )
    return Consistency(float(correct.mean()), per_class)
