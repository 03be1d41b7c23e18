"""One call for every sample-quality metric: evaluate_samples(images, labels=None)."""

import json
import time

import numpy as np

from igcourse.evaluation.classifier import load_evaluator, record_file
from igcourse.evaluation.consistency import class_consistency
from igcourse.evaluation.copies import check_copies
from igcourse.evaluation.coverage import class_coverage
from igcourse.evaluation.frechet import fit_gaussian, frechet_distance
from igcourse.evaluation.images import as_images
from igcourse.evaluation.kid import kernel_inception_distance
from igcourse.evaluation.reference import reference_features, training_features


def _no_nan(values):
    # JSON has no NaN: a class no sample asked for gets None
    return [None if value != value else value for value in values]


def evaluator_record(domain="fashion_mnist"):
    """The JSON record written when the domain's evaluator was trained (accuracy, command)."""
    path = record_file(domain)
    return json.loads(path.read_text()) if path.exists() else {}


def evaluate_samples(images, labels=None, reference="fashion_mnist", kid_subsets=100, seed=0):
    """All sample-quality metrics of `images` against the real images of `reference`.

    images: floats in [0, 1], (N, 28, 28) or (N, 28, 28, 1). labels: the classes a
    conditional generator was asked for, (N,), or None. Returns a JSON-ready dict:

    fd, fd_floor: Frechet distance to the reference (the test split) in the evaluator's
        feature space, and what N real training images score against the same reference.
    kid, kid_std: kernel inception distance (unbiased MMD^2), mean and std over subsets.
    classes_covered, classes_covered_at_share, min_share, class_histogram,
        class_entropy_bits, class_entropy_normalised: mode coverage of the predictions.
    class_consistency, class_consistency_per_class: accuracy w.r.t. `labels` (None without;
        None for a class no sample asked for).
    copies_flagged, copies_count, copy_threshold, nn_distance_median: the copy check.
    seconds, timings: the time taken, in all and per stage.
    """
    timings, tick = {}, time.perf_counter()

    def lap(stage):
        nonlocal tick
        now = time.perf_counter()
        timings[stage] = now - tick
        tick = now

    images = as_images(images)
    features, probabilities = load_evaluator(reference).features_and_probabilities(images)
    lap("features")
    real_features, _real_probabilities, _real_labels = reference_features(reference)
    floor_features = training_features(reference, len(images))
    lap("reference_features")  # computed once per process, then cached
    real = fit_gaussian(real_features)
    fd = frechet_distance(fit_gaussian(features), real)
    fd_floor = frechet_distance(fit_gaussian(floor_features), real)
    lap("fd")
    kid = kernel_inception_distance(
        features, real_features, subsets=kid_subsets, subset_size=1000, seed=seed
    )
    lap("kid")
    coverage = class_coverage(probabilities)
    consistency = None if labels is None else class_consistency(probabilities, labels)
    lap("classes")
    copies = check_copies(images, reference)
    lap("copies")  # the first call in a process also builds the training-set index
    record = evaluator_record(reference)
    return {
        "reference": reference,
        "samples": len(images),
        "reference_images": len(real_features),
        "fd": fd,
        "fd_floor": fd_floor,
        "fd_floor_images": len(floor_features),
        "kid": kid.mean,
        "kid_std": kid.std,
        "kid_subsets": kid.subsets,
        "kid_subset_size": kid.subset_size,
        "classes_covered": coverage.covered,
        "classes_covered_at_share": coverage.covered_at_share,
        "min_share": coverage.min_share,
        "class_histogram": list(coverage.histogram),
        "class_entropy_bits": coverage.entropy_bits,
        "class_entropy_normalised": coverage.normalised_entropy,
        "class_consistency": None if consistency is None else consistency.accuracy,
        "class_consistency_per_class": None
        if consistency is None
        else _no_nan(consistency.per_class),
        "copies_flagged": copies.fraction_flagged,
        "copies_count": int(copies.flagged.sum()),
        "copy_threshold": copies.threshold,
        "nn_distance_median": float(np.median(copies.distances)),
        "evaluator_test_accuracy": record.get("test_accuracy"),
        "seconds": sum(timings.values()),
        "timings": timings,
    }
