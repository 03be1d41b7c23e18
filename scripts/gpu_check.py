"""Train every recipe for a fixed time on the JAX backend and record what it reached.

    python scripts/gpu_check.py --seconds 60 --out "$OUT"

For each recipe and precision: images per second, the losses, the evaluations over time
(and when the recipe's target was first reached), in one JSON file with the hardware it ran
on; and one sample grid per recipe, as PNG. docs/training.md has the device command line
that runs it on the lent GPU machine, whose results are committed under solutions/.
At most 8 files come back from that machine, so the runs' own folders go to --work.
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ["KERAS_BACKEND"] = "jax"  # before Keras is imported; the GPU machine has no TF

NEVER = 10**12  # an interval no run reaches
# The device machine returns at most 8 files: the JSON, the log beside it and 6 grids. The grids
# of further recipes stay in --work (the report names them); split the recipes over two calls
# (docs/training.md) to get every grid back.
MAX_GRIDS = 6


def hardware():
    """What the numbers were measured on."""
    import jax
    import keras

    info = {
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "jax": jax.__version__,
        "keras": keras.__version__,
        "cpu_count": os.cpu_count(),
        "load_average": os.getloadavg(),
        "jax_backend": jax.default_backend(),
        "devices": [str(d) for d in jax.devices()],
        "device_kinds": sorted({d.device_kind for d in jax.devices()}),
    }
    if shutil.which("nvidia-smi"):
        query = "name,memory.total,driver_version,clocks.max.sm,power.limit"
        for key, args in (
            ("nvidia_smi_gpus", ["-L"]),
            ("nvidia_smi", [f"--query-gpu={query}", "--format=csv"]),
        ):
            done = subprocess.run(["nvidia-smi", *args], capture_output=True, text=True)
            info[key] = done.stdout.strip() or done.stderr.strip()
    return info


def time_to_target(evaluations, target):
    """Training seconds and step of the first evaluation that reached `target`, or None."""
    if not target:
        return None
    metric, value, *direction = target
    at_least = direction == ["at_least"]  # higher is better (class consistency, say)
    for record in evaluations:
        if metric in record and (record[metric] >= value if at_least else record[metric] <= value):
            return {"metric": metric, "value": value, **{k: record[k] for k in ("step", "seconds")}}
    return None


def run_one(name, precision, args, work):
    """Train one recipe at one precision for args.seconds; returns (summary, last grid)."""
    from igcourse.training import TrainConfig, load_recipe
    from igcourse.training.loop import Trainer

    settings = dict(load_recipe(name).smoke) if args.smoke else {}
    settings.update(dict(args.settings))
    recipe = load_recipe(name, settings)
    out = work / f"{name}-{precision}"
    shutil.rmtree(out, ignore_errors=True)
    config = TrainConfig(
        out=str(out),
        seconds=args.seconds,
        batch_size=args.batch_size,
        precision=precision,
        seed=args.seed,
        log_every=args.log_every,
        sample_every=NEVER,  # so one grid, at the end
        eval_every=args.eval_every,
        checkpoint_every=0,
        devices=args.devices,
        progress=False,
    )
    began = time.perf_counter()
    result = Trainer(recipe, config).run()
    grids = sorted((out / "samples").glob("*.png"))
    summary = {
        "recipe": name,
        "precision": precision,
        "settings": settings,
        "batch_size": result.batch_size,
        "steps": result.step,
        "train_seconds": result.train_seconds,
        "first_step_seconds": result.first_step_seconds,
        "images_per_sec": result.images_per_sec,
        "wall_seconds": round(time.perf_counter() - began, 2),
        "last": result.last,
        "evaluations": result.evaluations,
        "target": time_to_target(result.evaluations, args.target or recipe.target),
        "notes": result.notes,
    }
    return summary, (grids[-1] if grids else None)


def main(argv=None):
    from igcourse.i18n import _
    from igcourse.training import list_recipes
    from igcourse.training.cli import add_settings_argument, parse_setting

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", default=os.environ.get("OUT") or "gpu_check", help=_("output folder ($OUT)")
    )
    parser.add_argument("--work", help=_("folder for the runs (default: a temporary one)"))
    parser.add_argument("--seconds", type=float, default=60.0, help=_("training time per run"))
    parser.add_argument("--recipes", help=_("comma-separated (default: every recipe)"))
    parser.add_argument("--precisions", default="float32,mixed_bfloat16", help=_("comma-separated"))
    parser.add_argument("--batch-size", type=int, help=_("global batch size (default: recipe's)"))
    parser.add_argument("--seed", type=int, default=0, help=_("seed of weights, data and noise"))
    parser.add_argument(
        "--devices", type=int, default=1, help=_("data-parallel devices (GPUs or virtual CPUs)")
    )
    parser.add_argument("--log-every", type=int, default=200, help=_("steps between log records"))
    parser.add_argument(
        "--eval-every", type=int, default=500, help=_("steps between evaluations (0: none)")
    )
    add_settings_argument(parser)
    parser.add_argument(
        "--target",
        type=parse_setting,
        metavar="METRIC=VALUE",
        help=_("report when an evaluation first reaches this (default: the recipe's target)"),
    )
    parser.add_argument(
        "--smoke", action="store_true", help=_("the recipes' tiny settings, for a CPU dry run")
    )
    args = parser.parse_args(argv)
    args.precisions = args.precisions.split(",")
    if args.target:
        args.target = (args.target[0], float(args.target[1]))
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(args.work or tempfile.mkdtemp(prefix="gpu_check_"))
    names = args.recipes.split(",") if args.recipes else list_recipes()
    command = sys.argv[1:] if argv is None else argv
    report = {
        "command": " ".join(["python", "scripts/gpu_check.py", *command]),
        "hardware": hardware(),
        "runs": [],
        "samples": {},
        "kept_in_work": {},  # grids beyond MAX_GRIDS: not returned by the device machine
    }
    for name in names:
        for precision in args.precisions:
            summary, picture = run_one(name, precision, args, work)
            report["runs"].append(summary)
            shown = ("recipe", "precision", "steps", "images_per_sec", "last", "target")
            print(json.dumps({k: summary[k] for k in shown}), flush=True)
            if picture is None or name in report["samples"] or name in report["kept_in_work"]:
                continue
            if len(report["samples"]) < MAX_GRIDS:
                report["samples"][name] = f"{name}.png"  # of the first precision's run
                shutil.copyfile(picture, out_dir / f"{name}.png")
            else:
                report["kept_in_work"][name] = str(picture)
    report["hardware"]["load_average_after"] = os.getloadavg()
    (out_dir / "gpu_check.json").write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
