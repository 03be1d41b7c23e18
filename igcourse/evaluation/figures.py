"""Measure the figures quoted in docs/evaluation.md on this machine, with its load.

    python -m igcourse.evaluation.figures [--json figures.json]

Evaluator test accuracy (from the committed weights), the real-vs-real Frechet floors at
10k vs 10k and 1k vs 1k, and the time evaluate_samples takes on 10,000 samples: cold (the
first call in a process computes the reference features and the copy index) and warm.
"""

import argparse
import json
import os
import resource
import sys
import time

import numpy as np

from igcourse.i18n import _


def _load():
    return [round(x, 2) for x in os.getloadavg()]


def _cpu_seconds():
    # CPU time of all this process's threads: hardly affected by other users' load
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _harder_copies(train_images):
    """Fraction flagged of copies changed more than the tests' light perturbations."""
    from igcourse.evaluation import perturb
    from igcourse.evaluation.copies import check_copies

    originals = train_images[np.random.default_rng(7).choice(len(train_images), 2000)] / 255.0
    harder = {
        "blur sigma 0.5": perturb.gaussian_blur(originals, 0.5),
        "8 grey levels": perturb.quantize(originals, 8),
        "noise std 0.08": perturb.gaussian_noise(originals, 0.08, seed=5),
        "brightness x1.3": perturb.brightness(originals, 1.3),
        "shifted 1 pixel right": np.roll(originals, 1, axis=2),
    }
    return {name: check_copies(images).fraction_flagged for name, images in harder.items()}


def measure():
    """A dict of the figures, each with the 1-minute load average when it was taken."""
    started = time.perf_counter()
    from igcourse.evaluation.classifier import load_evaluator
    from igcourse.evaluation.domains import load_split
    from igcourse.evaluation.evaluate import evaluate_samples
    from igcourse.evaluation.frechet import frechet_distance, real_floor
    from igcourse.evaluation.perturb import gaussian_noise
    from igcourse.evaluation.reference import reference_features, training_features

    figures = {"cpu_count": os.cpu_count(), "load_average_start": _load()}
    load_evaluator()
    figures["seconds_import_and_load_evaluator"] = time.perf_counter() - started

    # the test accuracy from the committed weights, timed on its own
    test_images, test_labels = load_split("fashion_mnist", "test")
    tick = time.perf_counter()
    _features, probabilities = load_evaluator().features_and_probabilities(test_images / 255.0)
    figures["test_accuracy"] = float((probabilities.argmax(axis=1) == test_labels).mean())
    figures["seconds_test_accuracy_10k"] = time.perf_counter() - tick
    figures["load_average_after_test_accuracy"] = _load()

    train_images, _labels = load_split("fashion_mnist", "train")
    rng = np.random.default_rng(123)
    samples = [
        gaussian_noise(train_images[rng.choice(len(train_images), 10_000)] / 255.0, 0.05, seed=k)
        for k in range(2)
    ]  # stand-ins for generated images: what they are does not change the time
    for name, images in (("cold", samples[0]), ("warm", samples[1])):
        cpu = _cpu_seconds()
        result = evaluate_samples(images)
        figures[f"seconds_all_metrics_10k_{name}"] = result["seconds"]
        figures[f"cpu_seconds_all_metrics_10k_{name}"] = _cpu_seconds() - cpu
        figures[f"timings_10k_{name}"] = {k: round(v, 2) for k, v in result["timings"].items()}
        figures[f"load_average_after_{name}"] = _load()

    test_features = reference_features("fashion_mnist")[0]
    train_features = training_features("fashion_mnist", 10_000)
    figures["fd_floor_10k_train_vs_10k_test"] = frechet_distance(train_features, test_features)
    floors = [real_floor(test_features, 1000, seed=seed) for seed in range(10)]
    figures["fd_floor_1k_vs_1k_test_mean_min_max"] = [
        float(np.mean(floors)),
        min(floors),
        max(floors),
    ]
    figures["fd_floor_1k_train_vs_10k_test"] = frechet_distance(
        training_features("fashion_mnist", 1000), test_features
    )
    figures["fd_floor_5k_vs_5k_test"] = real_floor(test_features, 5000)
    figures["copies_flagged_beyond_light_perturbations"] = _harder_copies(train_images)
    figures["seconds_total"] = time.perf_counter() - started
    figures["load_average_end"] = _load()
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=_("Measure the evaluation figures."))
    parser.add_argument("--json", help=_("also write the figures to this JSON file"))
    args = parser.parse_args(argv)
    figures = measure()
    for key, value in figures.items():
        print(f"{key:36s} {value}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
