"""Images per second of the trainer against a bare compiled step of the same model.

    python scripts/bench_trainer.py --recipe pixelcnn --set filters=16 --set residual_blocks=2
    python scripts/bench_trainer.py --recipe dcgan --set filters=16 --batch-size 32

In one run on one machine, each backend in its own process:
  JAX:        a bare jax.jit step (StatelessScope + grad + optimizer.stateless_apply, one batch
              already on the device) against `Trainer` (data pipeline, logging, progress);
  TensorFlow: the bare step eager, as a tf.function, and as a tf.function with XLA
              (jit_compile=True), against `Trainer` with XLA.
The trainer's overhead is 1 - trainer / bare (goal: under 10%). Prints a table (the best of
the repeats, then each repeat in brackets) and writes JSON.
"""

import argparse
import json
import os
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


def trainer_rate(recipe, batch_size, steps, warmup):
    """Images/s of Trainer, with its default logging, over all steps but the first."""
    import tempfile

    from igcourse.training import TrainConfig
    from igcourse.training.loop import Trainer

    config = TrainConfig(
        out=tempfile.mkdtemp(prefix="bench_"),
        steps=warmup + steps,
        batch_size=batch_size,
        sample_every=0,
        eval_every=0,
        checkpoint_every=0,  # the final checkpoint is written after the clock stops
        progress=True,  # the bar is part of the trainer's overhead
    )
    return Trainer(recipe, config).run().images_per_sec


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
        trainer_label = "trainer"
    else:
        timers = {}
        for mode, label in (("eager", "eager"), ("graph", "tf.function"), ("xla", "XLA")):
            steps = max(args.steps // 4, 3) if mode == "eager" else args.steps  # eager is slow
            timer = bare_tensorflow(recipe, batch, min(args.warmup, 2), mode)
            timers[f"bare {label}"] = (timer, steps)
        trainer_label = "trainer (XLA)"
    rates = {label: [] for label in [*timers, trainer_label]}
    for _ in range(args.repeats):  # interleaved, so a burst of load hits all alike
        for label, (timer, steps) in timers.items():
            rates[label].append(batch_size * steps / timer(steps))
        rates[trainer_label].append(trainer_rate(recipe, batch_size, args.steps, args.warmup))
    repeats = rates  # every measurement, to judge the machine's noise
    rates = {label: max(values) for label, values in rates.items()}  # best of the repeats
    result = {"backend": backend, "batch_size": batch_size, "rates": rates, "repeats": repeats}
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
    parser.add_argument("--repeats", type=int, default=3, help=_("measurements; the best counts"))
    parser.add_argument("--backends", default="jax,tensorflow", help=_("comma-separated"))
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
        rates = result["rates"]
        bare = rates.get("bare jax.jit") or rates.get("bare XLA")
        for label, rate in rates.items():
            overhead = f"{(1 - rate / bare) * 100:+.1f}%" if label.startswith("trainer") else ""
            spread = " / ".join(f"{x:,.0f}" for x in result["repeats"][label])
            print(f"{result['backend']:<12}{label:<16}{rate:>12,.0f}{overhead:>10}  ({spread})")
        trainer = next(v for k, v in rates.items() if k.startswith("trainer"))
        result["trainer_overhead"] = 1 - trainer / bare
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
