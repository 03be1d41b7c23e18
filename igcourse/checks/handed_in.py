"""A trained network handed in beside the notebook: its weights file and the settings it was
built with (a JSON object of the build function's arguments), loaded as the notebook saved them.

Shipped with the student package for the public checks; the hidden checks' probes read the same
files with igcourse.grading.handed_in, which says the same in the grader's words.
"""

import json
from pathlib import Path

from igcourse.checks import CheckFailure
from igcourse.i18n import _


def _listed(keys):
    return ", ".join(keys)


def read_handed_in(build, weights, settings, keys):
    """(network, sizes, None): build(*settings[key] for key in keys) with the weights loaded; or
    (None, sizes, problem) where problem is {"missing": True} when a file is not there,
    {"settings_error": error} when the settings are not the JSON the notebook writes (sizes
    None), or {"load_error": error} when the weights do not fit the network the settings build.

    The one reading of the files for the public checks (load_handed_in) and the hidden checks'
    probes (igcourse.grading.handed_in), which each say what went wrong in their own words."""
    if not Path(weights).is_file() or not Path(settings).is_file():
        return None, None, {"missing": True}
    try:
        saved = json.loads(Path(settings).read_text(encoding="utf-8"))
        sizes = tuple(int(saved[key]) for key in keys)
    except (ValueError, KeyError, TypeError) as error:
        return None, None, {"settings_error": error}
    network = build(*sizes)
    try:
        network.load_weights(str(weights))
    except Exception as error:  # noqa: BLE001 (a file of another architecture, say)
        return None, sizes, {"load_error": error}
    return network, sizes, None


def load_handed_in(build, build_name, weights, settings, keys):
    """build(*settings[key] for key in keys) with the weights loaded, and those arguments.

    Fails with what to do when a file is missing, the settings are not the JSON the notebook
    writes, or the weights do not fit the network the settings build."""
    network, sizes, problem = read_handed_in(build, weights, settings, keys)
    if problem is None:
        return network, sizes
    if "missing" in problem:
        name = weights if not Path(weights).is_file() else settings
        raise CheckFailure(
            _(
                "{name} is not in this notebook's folder: run the training cells and the cell "
                "that saves the generator, then submit {weights} and {settings} with the notebook"
            ).format(name=name, weights=weights, settings=settings)
        )
    if "settings_error" in problem:
        raise CheckFailure(
            _(
                "{settings} is not the file the notebook writes (a JSON object with {keys}): "
                "save it again with the cell that saves the generator"
            ).format(settings=settings, keys=_listed(keys))
        )
    raise CheckFailure(
        _(
            "{weights} does not fit the generator that {build}{sizes} builds ({error}): "
            "save both files from the same run"
        ).format(weights=weights, build=build_name, sizes=sizes, error=problem["load_error"])
    )
