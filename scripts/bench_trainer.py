"""Images per second of the trainer against a bare compiled step of the same model.

    python scripts/bench_trainer.py --recipe pixelcnn --set filters=16 --set residual_blocks=2
    python scripts/bench_trainer.py --recipe dcgan --set filters=16 --batch-size 32

In one run on one machine, each backend in its own process:
  JAX:        a bare jax.jit step (StatelessScope + grad + optimizer.stateless_apply, one batch
              already on the device) against `Trainer` (data pipeline, logging, progress);
  TensorFlow: the bare step eager, as a tf.function, and as a tf.function with XLA
              (jit_compile=True), against `Trainer` with XLA.
The bare steps are timed `--repeats` times, interleaved. The trainer is timed in blocks of
`--block` steps that alternate, inside one training run, with blocks of the bare compiled
step (XLA on TensorFlow), `--rounds` of each: its overhead is the median over the blocks of
1 - trainer / bare (goal: under 10%), so a burst of load on a shared machine hits both
sides of a pair alike. Compiling and warm-up steps are left out everywhere. Prints a table
(medians, then the first measurements in brackets) and writes JSON.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def bare_jax(recipe, batch, warmup):
    """A timer(steps) -> seconds of a bare jitted step, compiled and warmed up."""
    import jax
    import keras

    from igcourse.training.seeds import StepSeed

    models, optimizers = recipe.build_models(), recipe.build_optimizers()
    updates = recipe.updates()
    variables, trained = [], []
    for update in updates:
        vs = [v for name in update.trains for v in models[name].trainable_variables]
        trained.append(vs)
        optimizers[update.optimizer].build(vs)
    for model in models.values():
        variables += [v for v in model.variables if all(v is not w for w in variables)]
    for optimizer in optimizers.values():
        variables += list(optimizer.variables)
    where = {id(v): i for i, v in enumerate(variables)}

    def step(values, batch, seed):
        values = list(values)
        for number, update in enumerate(updates):
            slots = [where[id(v)] for v in trained[number]]

            def loss(weights, values, update=update, number=number, slots=slots):
                values = list(values)
                for i, w in zip(slots, weights, strict=True):
                    values[i] = w
                with keras.StatelessScope(state_mapping=list(zip(variables, values, strict=True))):
                    out = update.loss(models, batch, StepSeed(seed, number))
                return out[update.objective]

            grads = jax.grad(loss)([values[i] for i in slots], values)
            optimizer = optimizers[update.optimizer]
            opt_slots = [where[id(v)] for v in optimizer.variables]
            new, state = optimizer.stateless_apply(
                [values[i] for i in opt_slots], grads, [values[i] for i in slots]
            )
            for i, value in zip(slots + opt_slots, list(new) + list(state), strict=True):
                values[i] = value
        return values

    step = jax.jit(step, donate_argnums=0)
    state = {"values": [v.value for v in variables]}
    batch = tuple(jax.device_put(a) for a in batch)
    seed = jax.numpy.array([0, 0], "int32")

    def timer(steps):
        values = state["values"]
        began = time.perf_counter()
        for _ in range(steps):
            values = step(values, batch, seed)
        jax.block_until_ready(values)
        state["values"] = values
        return time.perf_counter() - began

    timer(warmup)
    return timer


def bare_tensorflow(recipe, batch, warmup, mode):
    """A timer(steps) -> seconds of a bare step run `mode`ly, traced and warmed up."""
    import tensorflow as tf

    from igcourse.training.seeds import StepSeed

    models, optimizers = recipe.build_models(), recipe.build_optimizers()
    updates = recipe.updates()
    trained = [[v for n in u.trains for v in models[n].trainable_variables] for u in updates]

    def step(batch, seed):
        for number, update in enumerate(updates):
            with tf.GradientTape() as tape:
                out = update.loss(models, batch, StepSeed(seed, number))
            grads = tape.gradient(out[update.objective], trained[number])
            optimizers[update.optimizer].apply(grads, trained[number])
        return out[update.objective]

    if mode != "eager":
        step = tf.function(step, jit_compile=mode == "xla")
    batch = tuple(tf.constant(a) for a in batch)
    seed = tf.constant([0, 0], tf.int32)

    def timer(steps):
        began = time.perf_counter()
        for _ in range(steps):
            loss = step(batch, seed)
        float(loss)  # waits for the last step
        return time.perf_counter() - began

    timer(warmup)
    return timer


def paired_trainer_rates(recipe, batch_size, bare_timer, block, rounds, warmup):
    """Images/s of Trainer and of the bare step, in blocks of `block` steps that alternate
    inside one training run, so that the machine's load hits both alike.

    The trainer runs with its default logging and progress bar. After every `block` of its
    steps, a callback waits for the last one, runs `block` bare steps, and restarts the
    trainer's clock; the first `warmup` blocks (compiling, warming up) are left out.
    Returns (trainer rates, bare rates), one pair per block.
    """
    import tempfile

    from igcourse.training import TrainConfig
    from igcourse.training.engine import to_float
    from igcourse.training.loop import Trainer

    trainer_rates, bare_rates, clock = [], [], {}

    def on_step(step, logs):
        if step % block:
            return
        to_float(next(iter(logs.values())))  # waits for the trainer's last step
        if "started" in clock and step > warmup * block:
            trainer_rates.append(batch_size * block / (time.perf_counter() - clock["started"]))
            bare_rates.append(batch_size * block / bare_timer(block))
        clock["started"] = time.perf_counter()

    config = TrainConfig(
        out=tempfile.mkdtemp(prefix="bench_"),
        steps=block * (warmup + rounds),
        batch_size=batch_size,
        sample_every=0,
        eval_every=0,
        checkpoint_every=0,  # the final checkpoint is written after the last block
        progress=True,  # the bar is part of the trainer's overhead
    )
    Trainer(recipe, config, on_step=on_step).run()
    return trainer_rates, bare_rates


def child(args):
    import keras

    from igcourse.training import load_recipe

    recipe = load_recipe(args.recipe, dict(args.settings))
    batch_size = args.batch_size or recipe.config.batch_size
    batch = tuple(a[:batch_size] for a in recipe.train_data())
    keras.utils.set_random_seed(0)
    backend = keras.backend.backend()
    if backend == "jax":
        timers = {"bare jax.jit": (bare_jax(recipe, batch, args.warmup), args.steps)}
        paired_with, trainer_label = "bare jax.jit", "trainer"
    else:
        timers = {}
        for mode, label in (("eager", "eager"), ("graph", "tf.function"), ("xla", "XLA")):
            steps = max(args.steps // 4, 3) if mode == "eager" else args.steps  # eager is slow
            timer = bare_tensorflow(recipe, batch, min(args.warmup, 2), mode)
            timers[f"bare {label}"] = (timer, steps)
        paired_with, trainer_label = "bare XLA", "trainer (XLA)"
    repeats = {label: [] for label in timers}  # every measurement, to judge the noise
    for _ in range(args.repeats):  # interleaved, so a burst of load hits all alike
        for label, (timer, steps) in timers.items():
            repeats[label].append(batch_size * steps / timer(steps))
    trainer, bare = paired_trainer_rates(
        recipe, batch_size, timers[paired_with][0], args.block, args.rounds, warmup=1
    )
    repeats[trainer_label] = trainer
    rates = {label: statistics.median(values) for label, values in repeats.items()}
    overhead = statistics.median(1 - t / b for t, b in zip(trainer, bare, strict=True))
    result = {
        "backend": backend,
        "batch_size": batch_size,
        "rates": rates,
        "repeats": repeats,
        "paired": {"with": paired_with, "block": args.block, "bare": bare, "trainer": trainer},
        "trainer_overhead": overhead,
    }
    print("RESULT " + json.dumps(result))


def main(argv=None):
    from igcourse.i18n import _
    from igcourse.training.cli import add_settings_argument
    from igcourse.training.testing import python_env

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipe", default="pixelcnn", help=_("recipe name"))
    add_settings_argument(parser)
    parser.add_argument("--batch-size", type=int, help=_("global batch size (default: recipe's)"))
    parser.add_argument("--steps", type=int, default=100, help=_("timed steps"))
    parser.add_argument("--warmup", type=int, default=10, help=_("untimed steps first"))
    parser.add_argument("--repeats", type=int, default=5, help=_("measurements; the median counts"))
    parser.add_argument("--backends", default="jax,tensorflow", help=_("comma-separated"))
    parser.add_argument("--block", type=int, default=20, help=_("steps per paired block"))
    parser.add_argument("--rounds", type=int, default=40, help=_("paired blocks of each"))
    parser.add_argument("--json", help=_("write the results to this file"))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args)
    load_before = os.getloadavg()
    results = []
    for backend in args.backends.split(","):
        command = [sys.executable, os.path.abspath(__file__), "--child", "--recipe", args.recipe]
        command += ["--steps", str(args.steps), "--warmup", str(args.warmup)]
        command += ["--repeats", str(args.repeats)]
        command += ["--block", str(args.block), "--rounds", str(args.rounds)]
        command += ["--batch-size", str(args.batch_size)] if args.batch_size else []
        for key, value in args.settings:
            command += ["--set", f"{key}={value}"]
        done = subprocess.run(command, env=python_env(backend), capture_output=True, text=True)
        lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
        if done.returncode != 0 or not lines:
            print(done.stderr[-3000:], file=sys.stderr)
            return 1
        results.append(json.loads(lines[-1].removeprefix("RESULT ")))
    report = {
        "command": " ".join(["python", "scripts/bench_trainer.py", *(argv or sys.argv[1:])]),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "cpu_count": os.cpu_count(),
        "results": results,
    }
    print(f"{_('backend'):<12}{_('step'):<16}{_('images/s'):>12}{_('vs bare'):>10}")
    for result in results:
        for label, rate in result["rates"].items():
            trainer = label.startswith("trainer")
            overhead = f"{result['trainer_overhead'] * 100:+.1f}%" if trainer else ""
            spread = " / ".join(f"{x:,.0f}" for x in result["repeats"][label][:8])
            more = " ..." if len(result["repeats"][label]) > 8 else ""
            row = f"{result['backend']:<12}{label:<16}{rate:>12,.0f}{overhead:>10}"
            print(f"{row}  ({spread}{more})")
        paired = result["paired"]
        print(
            _(
                "{backend}: the trainer's blocks against {bare} blocks of {block} steps "
                "between them, median {rate:,.0f} images/s"
            ).format(
                backend=result["backend"],
                bare=paired["with"],
                block=paired["block"],
                rate=statistics.median(paired["bare"]),
            )
        )
    before, after = (
        " ".join(f"{x:.2f}" for x in report[key])
        for key in ("load_average_before", "load_average_after")
    )
    print(_("load average before: {before}; after: {after}").format(before=before, after=after))
    if args.json:
        with open(args.json, "w") as file:
            json.dump(report, file, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
