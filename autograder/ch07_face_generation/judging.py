"""How StyleGAN's hidden checks judge a probe's value and name its mistake (chapter 6's
judging.py, the same helpers).

Imported by test_stylegan.py in the check process, never by a probe: probes run in the sandbox
worker, where the judging cannot be reached. Kept in the chapter's folder rather than shared in
igcourse/grading/: a module there named after no chapter is read by every chapter's recorded
proofs (igcourse/grading/proofs.py), so sharing it is for the next time every proof runs anyway.
"""

from functools import partial

from igcourse.grading.checks import fail
from igcourse.grading.mutants import same_values
from igcourse.grading.probing import raised
from igcourse.i18n import _


def close(rtol=1e-4, atol=1e-5):
    """same= for the zoo: equal within tolerance, lists of arrays of any shapes element-wise."""
    return partial(same_values, rtol=rtol, atol=atol)


def fail_if_raised(value, call, explain=None):
    """Fail, saying what `call` raised, when a probe's value is the record of an error."""
    if raised(value):
        fail(_("{call} raised {error}.").format(call=call, error=value["error"]), explain)


def explain(mistakes, part, probe, value, key=None, same=None):
    """The zoo's names for what `probe(ns)` (or its [key]) gave, for a failed check."""

    def observe(ns):
        result = probe(ns)
        return result if key is None or raised(result) else result[key]

    observed = value if key is None or raised(value) else value[key]
    return partial(mistakes.explain, part, observe, observed, same or close())
