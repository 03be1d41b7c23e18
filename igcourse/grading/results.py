"""One result per check, saved as JSON by the pytest plugin and scored per part."""

import json
from dataclasses import dataclass, field, fields
from pathlib import Path

from igcourse.checks.result import (
    BEHAVIOUR,
    DEFINING,
    FAILED,
    PASSED,
    PROPERTY,
    PUBLIC,
    SKIPPED,
    CheckResult,
)

__all__ = [
    "BEHAVIOUR",
    "DEFINING",
    "PROPERTY",
    "PUBLIC",
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
    """Save {implementation spec: [CheckResult]} as JSON (the plugin saves after every check,
    so each result's fields are taken as they are: no deep copy)."""
    data = {"runs": {spec: [_fields(r) for r in results] for spec, results in runs.items()}}
    partial = Path(f"{path}.part")
    partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    partial.replace(path)  # atomic: a run killed mid-write leaves the previous results


def _fields(result):
    return {f.name: getattr(result, f.name) for f in fields(result)}


def read_results(path):
    """Return {implementation spec: [CheckResult]} from a file written by write_results."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {
        spec: [CheckResult(**{**r, "images": tuple(r.get("images", ()))}) for r in results]
        for spec, results in data["runs"].items()
    }


def part_scores(results, points):
    """Score each part of `points` ({part: max points}) from its checks' results.

    Points mean solved. A part earns its points in proportion to the behaviour checks and the
    public checks it passes, but only once a behaviour check passes: the public checks (run
    again in grading, so that failing one costs points) never earn on their own, and property
    checks (a shape, a range, "same seed, same result") explain a failure and earn nothing.
    So code that only has the right shape scores zero. A defining check is a behaviour check
    without which the part is not solved (a training step that moves a network the wrong
    way): failing one, the part earns nothing. Skipped checks do not count.
    """
    scores = {}
    for part, max_points in points.items():
        ran = [r for r in results if r.part == part and r.outcome != SKIPPED]
        behaviour = [r for r in ran if r.kind in (BEHAVIOUR, DEFINING)]
        public = [r for r in ran if r.kind == PUBLIC]
        passed = sum(r.passed for r in ran)
        failures = tuple(r for r in ran if not r.passed)
        earned = 0.0
        defined = all(r.passed for r in behaviour if r.kind == DEFINING)
        if defined and any(r.passed for r in behaviour):
            counted = behaviour + public
            earned = round(max_points * sum(r.passed for r in counted) / len(counted), 2)
        scores[part] = PartScore(part, earned, max_points, passed, len(failures), failures)
    return scores
