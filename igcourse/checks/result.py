"""One check's outcome, public or hidden: what reports, feedback and the validator show."""

from dataclasses import dataclass

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"
# What a check proves, and so what it earns (igcourse.grading.results.part_scores):
BEHAVIOUR = "behaviour"  # the behaviour that defines the part: earns its share
DEFINING = "defining"  # a behaviour without which the part is not solved: failing it, no points
PROPERTY = "property"  # a shape, a range, "same seed, same result": explains, earns nothing
PUBLIC = "public"  # the part's public checks, run again in grading: a share, never alone


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check.

    Public checks (shipped to students) name it by its translated description; hidden
    checks by the test's name, and add timing and pictures for the feedback page.
    """

    check: str  # a public check's description, or a test's name ("test_masks_match_...")
    part: str  # the grade id it scores
    outcome: str  # passed, failed or skipped
    message: str = ""  # what to fix, for a failed check; why, for a skipped one
    duration_s: float = 0.0
    images: tuple = ()  # [{"caption", "png" (base64)}] for the feedback page
    kind: str = BEHAVIOUR  # BEHAVIOUR, DEFINING, PROPERTY or PUBLIC

    @property
    def passed(self):
        return self.outcome == PASSED
