"""One result per check, saved as JSON by the pytest plugin and scored per part."""

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from igcourse.checks.result import FAILED, PASSED, SKIPPED, CheckResult

__all__ = [
    "FAILED",
    "PASSED",
    "SKIPPED",
    "CheckResult",
    "PartScore",
    "part_scores",
    "read_results",
    "write_results",
]


@dataclass(frozen=True)
class PartScore:
    part: str
    points: float  # scored
    max_points: float
    passed: int
    failed: int
    failures: tuple = field(default_factory=tuple)  # the failed CheckResults


def write_results(path, runs):
    """Save {implementation spec: [CheckResult]} as JSON."""
    data = {"runs": {spec: [asdict(r) for r in results] for spec, results in runs.items()}}
    partial = Path(f"{path}.part")
    partial.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    partial.replace(path)  # atomic: a run killed mid-write leaves the previous results


def read_results(path):
    """Return {implementation spec: [CheckResult]} from a file written by write_results."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {
        spec: [CheckResult(**{**r, "images": tuple(r.get("images", ()))}) for r in results]
        for spec, results in data["runs"].items()
    }


def part_scores(results, points):
    """Score each part of `points` ({part: max points}) from its checks' results.

    A part earns its points in proportion to the behaviour checks it passes. Property checks
    (marked `property`: a shape, a range, "same seed, same result") explain a failure but earn
    nothing, so code that only has the right shape scores zero. Skipped checks do not count,
    and a part with no behaviour check that ran earns nothing.
    """
    scores = {}
    for part, max_points in points.items():
        ran = [r for r in results if r.part == part and r.outcome != SKIPPED]
        earning = [r for r in ran if r.earns]
        passed = sum(r.passed for r in ran)
        failures = tuple(r for r in ran if not r.passed)
        earned = sum(r.passed for r in earning)
        points_earned = round(max_points * earned / len(earning), 2) if earning else 0.0
        scores[part] = PartScore(part, points_earned, max_points, passed, len(failures), failures)
    return scores
