"""A trained network handed in beside the notebook, for the hidden checks: the probe half loads
it in the sandbox worker (`load`), the check half says what to do when it could not (`fail_
unless_loaded`). The files are those the notebook saves: a weights file and a JSON object of
the build function's arguments. The public checks' half is igcourse.checks.handed_in.
"""

import json

import keras

from igcourse.grading.checks import fail
from igcourse.i18n import _


def load(ns, build_name, weights_name, settings_name, keys, seed):
    """(network, sizes) built with the submission's `build_name` from the settings' `keys`, its
    weights loaded; or (None, {"missing": True}) when a file is not next to the notebook,
    (None, {"settings_error": type}) when the settings are not the JSON the notebook writes,
    (None, {"load_error": type}) when the weights do not fit the network they build."""
    folder = ns.folder
    weights = folder / weights_name if folder else None
    settings = folder / settings_name if folder else None
    if weights is None or not weights.is_file() or not settings.is_file():
        return None, {"missing": True}
    try:
        saved = json.loads(settings.read_text(encoding="utf-8"))
        sizes = tuple(int(saved[key]) for key in keys)
    except (ValueError, KeyError, TypeError) as error:
        return None, {"settings_error": type(error).__name__}
    keras.utils.set_random_seed(seed)
    network = getattr(ns, build_name)(*sizes)
    try:
        network.load_weights(str(weights))
    except Exception as error:  # noqa: BLE001 (a file from another architecture, say)
        return None, {"load_error": type(error).__name__}
    return network, sizes


def fail_unless_loaded(result, build_name, weights, settings, keys):
    """Fail with what to do when the handed-in probe's `result` says the files did not load."""
    if result.get("missing"):
        fail(
            _(
                "No trained generator was handed in: run the training cells of the notebook to "
                "the end (they save {weights} and {settings} next to it) and submit both files "
                "with the notebook."
            ).format(weights=weights, settings=settings)
        )
    if "settings_error" in result:
        fail(
            _(
                "{settings} is not the file the notebook writes (a JSON object with {keys}): "
                "save it again with the cell that saves the generator."
            ).format(settings=settings, keys=", ".join(keys))
        )
    if "load_error" in result:
        fail(
            _(
                "{weights} does not fit the generator that {build} builds with the settings in "
                "{settings} ({error}). Save both from the same run, with the cell that saves "
                "them."
            ).format(
                weights=weights, build=build_name, settings=settings, error=result["load_error"]
            )
        )
