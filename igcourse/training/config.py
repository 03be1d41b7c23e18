"""The trainer's settings: one frozen dataclass, filled from the command line or by code."""

from dataclasses import dataclass

PRECISIONS = ("float32", "mixed_bfloat16")
BACKENDS = ("tensorflow", "jax")
TF_COMPILE_MODES = ("xla", "graph", "eager")


@dataclass(frozen=True)
class TrainConfig:
    """How long and how to train; what a recipe trains is the recipe's own Config."""

    out: str = "runs/run"  # folder for metrics, samples, checkpoints and TensorBoard
    steps: int | None = None  # train until this global step (a resumed run counts on)
    seconds: float | None = None  # or for this many seconds of training in this session
    batch_size: int | None = None  # global batch; None takes the recipe's
    precision: str = "float32"  # or "mixed_bfloat16": bfloat16 compute, float32 weights
    seed: int = 0  # weights, batch order and every random draw of the steps follow from it
    resume: bool = False  # continue from out/checkpoints/latest when there is one
    log_every: int = 100  # steps between metrics records (each one waits for the device)
    sample_every: int = 1000  # steps between sample grids; 0: none, not even at the end
    eval_every: int = 1000  # steps between evaluations; 0: none, not even at the end
    checkpoint_every: int = 1000  # steps between checkpoints; 0: only at the end
    keep_checkpoints: int = 2  # older checkpoints are deleted
    devices: int = 1  # data-parallel replicas (GPUs, or virtual CPU devices)
    tf_compile: str = "xla"  # TensorFlow only: "xla" (jit_compile), "graph" (tf.function), "eager"
    progress: bool | None = None  # progress bar; None: only on a terminal
    tensorboard: bool = True  # TensorFlow only: summaries under out/tensorboard

    def __post_init__(self):
        from igcourse.i18n import _

        if self.precision not in PRECISIONS:
            raise ValueError(
                _("precision must be one of {choices}, not {value!r}").format(
                    choices=", ".join(PRECISIONS), value=self.precision
                )
            )
        if self.tf_compile not in TF_COMPILE_MODES:
            raise ValueError(
                _("tf_compile must be one of {choices}, not {value!r}").format(
                    choices=", ".join(TF_COMPILE_MODES), value=self.tf_compile
                )
            )
        if self.devices < 1:
            raise ValueError(_("devices must be at least 1"))
        if self.steps is None and self.seconds is None:
            raise ValueError(_("give a number of steps or of seconds"))
