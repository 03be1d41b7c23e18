"""Checkpoints: every model's weights, every optimiser's state, the step and the run's seed.

out/checkpoints/step_00001000/ holds <model>.weights.h5 per model, optimizers.npz and
state.json; out/checkpoints/latest names the newest complete one. It is written last,
through a rename, so a run killed while saving resumes from the one before.
"""

import json
import os
import shutil
from pathlib import Path

import keras
import numpy as np

from igcourse.i18n import _


def checkpoints_dir(out):
    return Path(out) / "checkpoints"


def latest(out):
    """The folder of the newest complete checkpoint under `out`, or None."""
    pointer = checkpoints_dir(out) / "latest"
    if not pointer.exists():
        return None
    folder = checkpoints_dir(out) / pointer.read_text().strip()
    return folder if (folder / "state.json").exists() else None


def save(out, models, optimizers, state, keep=2):
    """Write a checkpoint of the Keras variables' current values; `state` is a JSON dict."""
    root = checkpoints_dir(out)
    name = f"step_{state['step']:08d}"
    folder = root / name
    partial = root / f".{name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for model_name, model in models.items():
        model.save_weights(partial / f"{model_name}.weights.h5")
    arrays = {
        f"{opt_name}/{i:04d}": keras.ops.convert_to_numpy(v.value)
        for opt_name, optimizer in optimizers.items()
        for i, v in enumerate(optimizer.variables)
    }
    np.savez(partial / "optimizers.npz", **arrays)
    (partial / "state.json").write_text(json.dumps(state, indent=1))
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(partial, folder)
    pointer = root / ".latest.partial"
    pointer.write_text(name)
    os.replace(pointer, root / "latest")
    for old in sorted(root.glob("step_*"))[:-keep] if keep > 0 else []:
        shutil.rmtree(old, ignore_errors=True)
    return folder


def restore(folder, models, optimizers):
    """Load a checkpoint into the (built) models and optimisers; returns its state dict."""
    folder = Path(folder)
    for model_name, model in models.items():
        model.load_weights(folder / f"{model_name}.weights.h5")
    with np.load(folder / "optimizers.npz") as arrays:
        for opt_name, optimizer in optimizers.items():
            keys = sorted(k for k in arrays.files if k.startswith(f"{opt_name}/"))
            if len(keys) != len(optimizer.variables):
                raise ValueError(
                    _(
                        "checkpoint {folder}: optimiser {name} has {saved} variables saved, "
                        "{expected} now; was the recipe changed?"
                    ).format(
                        folder=folder,
                        name=opt_name,
                        saved=len(keys),
                        expected=len(optimizer.variables),
                    )
                )
            for key, variable in zip(keys, optimizer.variables, strict=True):
                variable.assign(arrays[key])
    return json.loads((folder / "state.json").read_text())
