"""Sample quality: an evaluator classifier per domain and the metrics computed with it.

    from igcourse.evaluation import evaluate_samples, summarize
    result = evaluate_samples(samples, labels)   # samples: floats in [0, 1], (N, 28, 28)
    print(summarize(result))

Each metric has its own module and works on features or predictions alone, so it can be
used and tested without the evaluator: frechet, kid, coverage, consistency, bits_per_dim,
copies. See docs/evaluation.md for what each means and the figures measured.
"""

from igcourse.evaluation.bits_per_dim import bits_per_dim
from igcourse.evaluation.classifier import Evaluator, build_classifier, load_evaluator
from igcourse.evaluation.consistency import class_consistency
from igcourse.evaluation.copies import check_copies
from igcourse.evaluation.coverage import class_coverage
from igcourse.evaluation.evaluate import evaluate_samples
from igcourse.evaluation.frechet import fit_gaussian, frechet_distance, real_floor
from igcourse.evaluation.kid import kernel_inception_distance
from igcourse.evaluation.summary import summarize

__all__ = [
    "Evaluator",
    "bits_per_dim",
    "build_classifier",
    "check_copies",
    "class_consistency",
    "class_coverage",
    "evaluate_samples",
    "fit_gaussian",
    "frechet_distance",
    "kernel_inception_distance",
    "load_evaluator",
    "real_floor",
    "summarize",
]
