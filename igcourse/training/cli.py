"""`igcourse train RECIPE ...` and `python -m igcourse.training RECIPE ...`.

Keras picks its backend when it is first imported, so this module imports neither Keras
nor TensorFlow at the top: the command sets KERAS_BACKEND first, or, when Keras already
runs on another backend in this process, runs the training in a new process.
"""

import argparse
import json
import os
import subprocess
import sys

from igcourse.i18n import _
from igcourse.training.backend import default_backend, prepare_backend
from igcourse.training.config import BACKENDS, PRECISIONS, TF_COMPILE_MODES, TrainConfig


def add_settings_argument(parser):
    """--set KEY=VALUE, repeatable: overrides of a recipe's Config (the scripts use it too)."""
    parser.add_argument(
        "--set",
        dest="settings",
        type=parse_setting,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=_("override a setting of the recipe's Config (repeatable)"),
    )


def parse_setting(text):
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(_("expected KEY=VALUE, got {text!r}").format(text=text))
    return key.strip(), value.strip()


def add_train_arguments(parser):
    parser.add_argument("recipe", help=_("recipe name: a file of solutions/recipes/"))
    parser.add_argument(
        "--backend", choices=BACKENDS, help=_("Keras backend (default: KERAS_BACKEND, else TF)")
    )
    budget = parser.add_mutually_exclusive_group()
    budget.add_argument("--steps", type=int, help=_("train until this global step"))
    budget.add_argument("--seconds", type=float, help=_("train for this many seconds"))
    parser.add_argument("--batch-size", type=int, help=_("global batch size (default: recipe's)"))
    parser.add_argument(
        "--precision", choices=PRECISIONS, default="float32", help=_("compute precision")
    )
    parser.add_argument("--seed", type=int, default=0, help=_("seed of weights, data and noise"))
    parser.add_argument("--out", help=_("output folder (default: runs/RECIPE-BACKEND)"))
    parser.add_argument(
        "--resume", action="store_true", help=_("continue from the output folder's last checkpoint")
    )
    parser.add_argument("--log-every", type=int, default=100, help=_("steps between log records"))
    parser.add_argument(
        "--sample-every", type=int, default=1000, help=_("steps between sample grids (0: none)")
    )
    parser.add_argument(
        "--eval-every", type=int, default=1000, help=_("steps between evaluations (0: none)")
    )
    parser.add_argument(
        "--checkpoint-every",
        type=int,
        default=1000,
        help=_("steps between checkpoints (0: at the end only)"),
    )
    parser.add_argument(
        "--devices", type=int, default=1, help=_("data-parallel devices (GPUs or virtual CPUs)")
    )
    parser.add_argument(
        "--tf-compile",
        choices=TF_COMPILE_MODES,
        default=None,
        help=_("TensorFlow only: how the step is compiled (default: the recipe's, else xla)"),
    )
    add_settings_argument(parser)
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=_("progress bar (default: on a terminal)"),
    )
    return parser


def add_train_parser(subparsers):
    """Add the `train` command to the igcourse console script's subparsers."""
    parser = subparsers.add_parser(
        "train", help=_("train a reference model from a recipe, on TensorFlow or JAX")
    )
    add_train_arguments(parser)
    parser.set_defaults(func=cmd_train)
    return parser


def to_argv(args):
    """The arguments of `python -m igcourse.training` that repeat `args`."""
    argv = [args.recipe, "--backend", args.backend]
    for name in ("steps", "seconds", "batch_size", "out"):
        if getattr(args, name) is not None:
            argv += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    for name in ("precision", "seed", "log_every", "sample_every", "eval_every"):
        argv += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    argv += ["--checkpoint-every", str(args.checkpoint_every), "--devices", str(args.devices)]
    argv += ["--tf-compile", args.tf_compile] if args.tf_compile else []
    argv += ["--resume"] if args.resume else []
    if args.progress is not None:
        argv += ["--progress" if args.progress else "--no-progress"]
    for key, value in args.settings:
        argv += ["--set", f"{key}={value}"]
    return argv


def cmd_train(args):
    args.backend = args.backend or default_backend()
    args.out = args.out or os.path.join("runs", f"{args.recipe}-{args.backend}")
    root = getattr(args, "root", None)
    if not prepare_backend(args.backend, args.devices):
        env = dict(os.environ, KERAS_BACKEND=args.backend)
        if root:
            env["IGCOURSE_ROOT"] = str(root)
        command = [sys.executable, "-m", "igcourse.training", *to_argv(args)]
        return subprocess.call(command, env=env)
    if args.steps is None and args.seconds is None:
        print(_("give --steps or --seconds"), file=sys.stderr)
        return 2
    from igcourse.training import load_recipe, train

    try:
        recipe = load_recipe(args.recipe, dict(args.settings), root=root)
        tf_compile = args.tf_compile or recipe.tf_compile
        config = TrainConfig(
            out=args.out,
            steps=args.steps,
            seconds=args.seconds,
            batch_size=args.batch_size,
            precision=args.precision,
            seed=args.seed,
            resume=args.resume,
            log_every=args.log_every,
            sample_every=args.sample_every,
            eval_every=args.eval_every,
            checkpoint_every=args.checkpoint_every,
            devices=args.devices,
            tf_compile=tf_compile,
            progress=args.progress,
        )
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    result = train(recipe, config)
    summary = {k: getattr(result, k) for k in ("step", "images_per_sec", "last", "out")}
    print(json.dumps(summary))
    return 130 if result.interrupted else 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m igcourse.training",
        description=_("Train a reference model from a recipe, on TensorFlow or JAX."),
    )
    add_train_arguments(parser)
    parser.add_argument("--root", help=_("course folder (default: found from here upwards)"))
    return cmd_train(parser.parse_args(argv))
