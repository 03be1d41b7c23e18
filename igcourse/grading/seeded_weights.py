"""Seeded weights for the probes: two networks of the same layers, however their code was
written, then compute the same function, so a check can compare a submission's network with the
reference's output for output."""

import numpy as np

from igcourse.grading.checks import seeded_rng


def set_seeded_weights(model, label):
    """Every kernel and bias from a seeded draw (by its place in the list and its shape), the
    normalisations' scales 1 and offsets 0."""
    for index, variable in enumerate(model.trainable_variables):
        shape = tuple(variable.shape)
        name = variable.path.split("/")[-1]
        draw = seeded_rng(f"{label} {index} {shape}").standard_normal(shape)
        if name == "gamma":
            value = np.ones(shape)
        elif name == "beta":
            value = np.zeros(shape)
        elif len(shape) == 1:  # a bias
            value = 0.1 * draw
        else:  # a kernel, scaled by its fan-in
            value = draw / np.sqrt(np.prod(shape[:-1]))
        variable.assign(value.astype(np.float32))
