"""The training loop: steps, time budget, logs, samples, evaluations, checkpoints."""

import json
import math
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import keras
import numpy as np
from tqdm.auto import tqdm

from igcourse.i18n import _
from igcourse.training import checkpoint
from igcourse.training.data import StepBatches
from igcourse.training.engine import to_float
from igcourse.training.reporting import MetricsLog, TensorBoard, grid, save_png

SAMPLE_STREAM = 2**30  # the seed pair of sample grids: (run seed, this), the same at every grid
EVAL_STREAM = 2**30 + 1


def make_engine(config):
    """The engine of the backend Keras runs on."""
    backend = keras.backend.backend()
    if backend == "jax":
        from igcourse.training.engine_jax import JaxEngine

        return JaxEngine(devices=config.devices, seed=config.seed)
    if backend == "tensorflow":
        from igcourse.training.engine_tensorflow import TensorFlowEngine

        return TensorFlowEngine(
            devices=config.devices, seed=config.seed, compile_mode=config.tf_compile
        )
    raise RuntimeError(
        _("Keras runs on {backend}; the trainer runs on tensorflow or jax").format(backend=backend)
    )


@dataclass
class TrainResult:
    """What a run did: where it wrote, how far it went, how fast, and its last numbers."""

    out: str
    backend: str
    step: int  # the global step reached
    steps_run: int  # steps run in this session
    batch_size: int
    train_seconds: float  # this session's training time (samples, evaluations, saving excluded)
    first_step_seconds: float  # the first step of the session: tracing, compiling, running
    images_per_sec: float  # after the first step
    last: dict = field(default_factory=dict)  # the last training record's losses
    evaluations: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    interrupted: bool = False


class Trainer:
    """Runs a Recipe as a TrainConfig says; `on_step(step, logs)` is called after each step."""

    def __init__(self, recipe, config, on_step=None):
        self.recipe, self.config, self.on_step = recipe, config, on_step
        self.out = Path(config.out)
        self.batch_size = config.batch_size or recipe.config.batch_size
        self.notes = []
        self.models = self.optimizers = self.engine = None
        self._evaluator_failed = False

    # Building and restoring -------------------------------------------------------------

    def _build(self):
        keras.utils.set_random_seed(self.config.seed)
        self.engine = make_engine(self.config)
        with self.engine.scope():
            self.models = self.recipe.build_models()
            self.optimizers = self.recipe.build_optimizers()
            self.engine.compile(self.models, self.optimizers, self.recipe.updates())

    def _restore(self):
        folder = checkpoint.latest(self.out) if self.config.resume else None
        if folder is None:
            return 0, False
        state = checkpoint.restore(folder, self.models, self.optimizers)
        self.engine.push()
        for key, now in (("batch_size", self.batch_size), ("seed", self.config.seed)):
            if state[key] != now:
                raise ValueError(
                    _(
                        "checkpoint {folder} was made with {key}={saved}, this run has {now}; "
                        "resume with the same {key}"
                    ).format(folder=folder, key=key, saved=state[key], now=now)
                )
        return state["step"], True

    def _save(self, step):
        self.engine.pull()
        state = {
            "step": step,
            "seed": self.config.seed,
            "batch_size": self.batch_size,
            "recipe": self.recipe.name,
            "backend": self.engine.name,
            "precision": self.config.precision,
        }
        checkpoint.save(
            self.out, self.models, self.optimizers, state, keep=self.config.keep_checkpoints
        )

    # Side work at intervals ---------------------------------------------------------------

    def _note(self, message):
        self.notes.append(message)
        tqdm.write(message, file=sys.stderr)

    def _samples(self, n, stream):
        images = self.engine.sample(self.recipe.sample, n, [self.config.seed, stream])
        return None if images is None else keras.ops.convert_to_numpy(images).astype(np.float32)

    def _sample_grid(self, step):
        n = getattr(self.recipe.config, "samples", 64)
        images = self._samples(n, SAMPLE_STREAM)
        if images is None:
            return None
        picture = grid(images)
        path = save_png(picture, self.out / "samples" / f"step_{step:08d}.png")
        if self.tensorboard:
            self.tensorboard.image(step, "samples", picture)
        return self.log.write("sample", step, {"path": str(path.relative_to(self.out))})

    def _test_metrics(self):
        arrays = self.recipe.test_data()
        if arrays is None:
            return {}
        size = self.batch_size
        count = min(getattr(self.recipe.config, "eval_batches", 10), len(arrays[0]) // size)
        totals = {}
        for index in range(count):
            batch = tuple(a[index * size : (index + 1) * size] for a in arrays)
            out = self.engine.evaluate(self.recipe.test_metrics, batch, [self.config.seed, index])
            for name, value in out.items():
                totals[name] = totals.get(name, 0.0) + to_float(value) / count
        return totals

    def _evaluator_metrics(self):
        n = getattr(self.recipe.config, "eval_samples", 0)
        if n <= 0 or self._evaluator_failed:
            return {}
        try:
            from igcourse.evaluation import evaluate_samples
        except ImportError as error:
            self._evaluator_failed = True
            self._note(
                _("evaluator metrics skipped: the evaluator is not available ({error})").format(
                    error=error
                )
            )
            return {}
        images = self._samples(n, EVAL_STREAM)
        if images is None:
            return {}
        try:
            results = evaluate_samples(images, labels=self.recipe.sample_labels(n))
        except Exception as error:  # an evaluation problem should not end a long training run
            self._evaluator_failed = True
            self._note(
                _("evaluator metrics skipped from now on: {kind}: {error}").format(
                    kind=type(error).__name__, error=error
                )
            )
            return {}
        return {k: float(v) for k, v in results.items() if isinstance(v, (int, float, np.number))}

    def _evaluate(self, step, seconds):
        metrics = {**self._test_metrics(), **self._evaluator_metrics()}
        if not metrics:
            return None
        record = self.log.write("eval", step, {"seconds": round(seconds, 4), **metrics})
        if self.tensorboard:
            self.tensorboard.scalars(step, {f"eval/{k}": v for k, v in metrics.items()})
        self.evaluations.append(record)
        return record

    # The loop -----------------------------------------------------------------------------

    def run(self):
        config = self.config
        previous_policy = keras.config.dtype_policy()
        keras.config.set_dtype_policy(config.precision)
        try:
            self._build()
            return self._loop()
        finally:
            keras.config.set_dtype_policy(previous_policy)

    def _loop(self):
        config = self.config
        start, resumed = self._restore()
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / "config.json").write_text(
            json.dumps(
                {
                    "recipe": self.recipe.name,
                    "recipe_config": asdict(self.recipe.config),
                    "train_config": asdict(config),
                    "backend": self.engine.name,
                    "keras": keras.__version__,
                },
                indent=1,
            )
        )
        self.log = MetricsLog(self.out / "metrics.jsonl", resume_step=start if resumed else None)
        self.tensorboard = None
        if self.engine.name == "tensorflow" and config.tensorboard:
            self.tensorboard = TensorBoard(self.out / "tensorboard")
        self.evaluations = []
        data = StepBatches(self.recipe.train_data(), self.batch_size, config.seed, start)
        batches = self.engine.batches(data)
        bar = tqdm(
            total=config.steps,
            initial=start,
            unit=_("step"),
            disable=(not config.progress) if config.progress is not None else None,
            dynamic_ncols=True,
            file=sys.stderr,
        )
        step, logs, last = start, None, {}
        side = 0.0  # seconds spent on samples, evaluations and checkpoints
        began = time.perf_counter()
        first_step_seconds = None
        mark_step, mark_time = start, began  # the last training record
        interrupted = False

        def every(interval):
            return interval > 0 and step % interval == 0

        def training_seconds():
            return time.perf_counter() - began - side

        def interval_rate():
            """Images/s since the last record (right after the first step: of that step)."""
            nonlocal mark_step, mark_time
            now = time.perf_counter() - side
            if step > mark_step:
                rate = (step - mark_step) * self.batch_size / max(now - mark_time, 1e-9)
            else:  # its time includes tracing and compiling
                rate = self.batch_size / max(first_step_seconds, 1e-9)
            mark_step, mark_time = step, now
            return rate

        try:
            while True:
                if config.steps is not None and step >= config.steps:
                    break
                if config.seconds is not None and training_seconds() >= config.seconds:
                    break
                logs = self.engine.step(next(batches), step)
                step += 1
                if first_step_seconds is None:
                    last = {k: to_float(v) for k, v in logs.items()}
                    first_step_seconds = training_seconds()
                    mark_step, mark_time = step, time.perf_counter() - side
                bar.update(1)
                if self.on_step is not None:
                    self.on_step(step, logs)
                if every(config.log_every):
                    last = {k: to_float(v) for k, v in logs.items()}  # waits for the device
                    self._record(step, last, interval_rate(), training_seconds(), bar)
                side_work = (config.sample_every, config.eval_every, config.checkpoint_every)
                if any(every(interval) for interval in side_work):
                    # Wait for the device, so that the side work is not timed as training.
                    last = {k: to_float(v) for k, v in logs.items()}
                tick = time.perf_counter()
                if every(config.sample_every):
                    self._sample_grid(step)
                if every(config.eval_every):
                    self._evaluate(step, tick - began - side)
                if every(config.checkpoint_every):
                    self._save(step)
                side += time.perf_counter() - tick
        except KeyboardInterrupt:
            interrupted = True
            self._note(_("interrupted at step {step}; saving a checkpoint").format(step=step))
        finally:
            bar.close()
            if hasattr(batches, "close"):
                batches.close()
        steps_run = step - start
        if logs is not None:
            last = {k: to_float(v) for k, v in logs.items()}
        seconds = training_seconds()
        steady = seconds - (first_step_seconds or 0.0)
        rate = (steps_run - 1) * self.batch_size / steady if steps_run > 1 and steady > 0 else 0.0
        if steps_run and not every(config.log_every):
            self._record(step, last, interval_rate(), seconds, None)
        if steps_run and not interrupted:
            if config.sample_every > 0 and not every(config.sample_every):
                self._sample_grid(step)
            if config.eval_every > 0 and not every(config.eval_every):
                self._evaluate(step, seconds)
        if steps_run and (interrupted or not every(config.checkpoint_every)):
            self._save(step)
        self.engine.pull()
        result = TrainResult(
            out=str(self.out),
            backend=self.engine.name,
            step=step,
            steps_run=steps_run,
            batch_size=self.batch_size,
            train_seconds=round(seconds, 4),
            first_step_seconds=round(first_step_seconds or 0.0, 4),
            images_per_sec=round(rate, 2),
            last=last,
            evaluations=self.evaluations,
            notes=self.notes,
            interrupted=interrupted,
        )
        (self.out / "result.json").write_text(json.dumps(asdict(result), indent=1))
        self.log.close()
        if self.tensorboard:
            self.tensorboard.close()
        return result

    def _record(self, step, losses, rate, seconds, bar):
        values = {"seconds": round(seconds, 4), "images_per_sec": round(rate, 2), **losses}
        self.log.write("train", step, values)
        if self.tensorboard:
            self.tensorboard.scalars(step, {**losses, "images_per_sec": rate})
        if bar is not None:
            shown = {k: f"{v:.4g}" for k, v in losses.items() if math.isfinite(v)}
            bar.set_postfix(**shown, **{_("img/s"): f"{rate:,.0f}"}, refresh=False)
