"""What probes share: the value a call returned, or what it raised as evidence.

Probes run in the sandbox worker and answer with plain data; a submission that raises is still
graded as far as it goes, so a probe records the error instead of dying of it.
"""

import numpy as np


def as_array(value):
    """A tensor, a number or a nested list of them as a float64 NumPy array."""
    return np.asarray(value, np.float64)


def output_or_error(compute):
    """compute(), or {"error": "<type>: <message>"} when it raises.

    The release's bare `raise NotImplementedError()` (a part not answered yet) is raised again,
    so that the part reads as not done; a NotImplementedError with a message comes from the
    code's libraries (TensorFlow raises one for NumPy calls on symbolic tensors) and is evidence
    like any other error."""
    try:
        return compute()
    except Exception as error:  # noqa: BLE001 (what it raised is the evidence)
        raise_if_unanswered(error)
        return {"error": f"{type(error).__name__}: {error}"[:400]}


def raise_if_unanswered(error):
    """Raise `error` again when it is the release's bare NotImplementedError (the part is not
    answered yet); any other error, a library's messaged NotImplementedError too, is evidence
    for the probe to report."""
    if isinstance(error, NotImplementedError) and not str(error):
        raise error


def raised(value):
    """Whether a probe's value is output_or_error's record of an error."""
    return isinstance(value, dict) and "error" in value
