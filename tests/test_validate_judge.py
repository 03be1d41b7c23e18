"""The validator's verdict on a mutant: caught, named by its own mistake, never by another's."""

from igcourse.checks.result import FAILED, PASSED, CheckResult
from igcourse.grading.validate import Outcome, Target, judge

OWN = Target("divides_by_255", "mutant", "nb", "mutant:a.py", "quantize", "divides by 255.")
OTHER = Target("overflow", "mutant", "nb", "mutant:b.py", "quantize", "multiplies uint8 first.")


def _verdict(*messages):
    results = [CheckResult("test_a", "quantize", FAILED, m) for m in messages]
    results.append(CheckResult("test_b", "quantize", PASSED))
    (verdict,) = judge(Outcome(OWN, results), {"quantize": 2}, zoo=[OWN, OTHER])
    return verdict


def test_a_mutant_named_by_its_own_mistake_is_ok():
    verdict = _verdict("Wrong values.\nThis looks like a known mistake: divides by 255.")
    assert verdict.ok and verdict.caught


def test_a_list_that_also_names_another_mistake_is_misnamed():
    verdict = _verdict(
        "This looks like one of these known mistakes: divides by 255. / multiplies uint8 first."
    )
    assert verdict.caught and not verdict.ok
    assert "misnamed" in verdict.note and "overflow" in verdict.note


def test_another_check_naming_another_mistake_is_misnamed_too():
    verdict = _verdict("A known mistake: divides by 255.", "multiplies uint8 first.")
    assert not verdict.ok
