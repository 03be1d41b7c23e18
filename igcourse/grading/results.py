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
    Path(path).write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")


def read_results(path):
    """Return {implementation spec: [CheckResult]} from a file written by write_results."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {
        spec: [CheckResult(**{**r, "images": tuple(r.get("images", ()))}) for r in results]
        for spec, results in data["runs"].items()
    }


def part_scores(results, points):
    """Score each part of `points` ({part: max points}) from its checks' results.

    A part earns its points in proportion to the checks it passes; skipped checks do not
    count, and a part with no check that ran earns nothing.
    """
    scores = {}
    for part, max_points in points.items():
        ran = [r for r in results if r.part == part and r.outcome != SKIPPED]
        passed = sum(r.passed for r in ran)
        failures = tuple(r for r in ran if not r.passed)
        earned = round(max_points * passed / len(ran), 2) if ran else 0.0
        scores[part] = PartScore(part, earned, max_points, passed, len(failures), failures)
    return scores
