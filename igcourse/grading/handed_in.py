"""A trained network handed in beside the notebook, for the hidden checks: the probe half loads
it in the sandbox worker (`load`), the check half says what to do when it could not (`fail_
unless_loaded`). The files are those the notebook saves: a weights file and a JSON object of
the build function's arguments, read by igcourse.checks.handed_in as the public checks do.
"""

import keras

from igcourse.checks.handed_in import read_handed_in
from igcourse.grading.checks import fail
from igcourse.i18n import _


def load(ns, build_name, weights_name, settings_name, keys, seed):
    """(network, sizes) built with the submission's `build_name` from the settings' `keys`, its
    weights loaded; or (None, {"missing": True}) when a file is not next to the notebook,
    (None, {"settings_error": type}) when the settings are not the JSON the notebook writes,
    (None, {"load_error": type}) when the weights do not fit the network they build."""
    folder = ns.folder
    if folder is None:
        return None, {"missing": True}
    keras.utils.set_random_seed(seed)

    def build(*sizes):  # the submission's function, looked up once the files are there
        return getattr(ns, build_name)(*sizes)

    network, sizes, problem = read_handed_in(
        build, folder / weights_name, folder / settings_name, keys
    )
    if problem is None:
        return network, sizes
    return None, {
        key: True if value is True else type(value).__name__ for key, value in problem.items()
    }


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
