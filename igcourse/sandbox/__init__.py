"""Run untrusted submission code in a separate, limited process that returns only data.

The grader (trusted) starts a worker per submission, sends it the submission's code and the
probe functions of the checks, and asks it to run probes. Only plain data comes back (numbers,
strings, lists, dicts and numeric NumPy arrays, decoded without pickle), so verdicts,
thresholds and scores are computed where the submission cannot reach them.
"""

from igcourse.sandbox.session import (
    FenceUnavailable,
    ProbeFailed,
    Sandbox,
    SandboxCrashed,
    SandboxError,
    SandboxTimeout,
)

__all__ = [
    "FenceUnavailable",
    "ProbeFailed",
    "Sandbox",
    "SandboxCrashed",
    "SandboxError",
    "SandboxTimeout",
]
