"""What a recipe is: the data, models, losses, optimisers and updates of one model family.

A recipe file, solutions/recipes/<name>.py, defines a Recipe subclass and names it
`RECIPE = MyRecipe`. Its loss functions use keras.ops only, so the trainer runs the same
code on TensorFlow and on JAX. Models and losses are imported from the reference modules
(`reference("ch01_pixelcnn", "pixelcnn")`), never copied. docs/training.md has the interface.
"""

import dataclasses
import importlib.util
import sys
import typing
from dataclasses import dataclass
from pathlib import Path

from igcourse.i18n import _
from igcourse.paths import repo_root


@dataclass(frozen=True)
class Update:
    """One optimiser update inside a training step.

    loss(models, batch, seed) returns a dict of scalar tensors; `objective` names the one
    minimised over the trainable weights of the models named in `trains`, by the optimiser
    named `optimizer`. A step runs a recipe's updates in order, each seeing the weights the
    previous one left (a GAN's discriminator update, then its generator update).
    """

    loss: typing.Callable  # loss(models, batch, seed) -> {name: scalar tensor}
    objective: str  # the key of loss()'s result to minimise
    trains: tuple  # names of the models whose trainable weights this update changes
    optimizer: str  # the key of build_optimizers()'s result that applies the gradients


class Recipe:
    """Base class of recipes: override what your model family needs.

    Config is a frozen dataclass of the recipe's settings, with a `batch_size` field;
    `igcourse train NAME --set field=value` overrides one.
    """

    name = ""
    Config = None
    # (metric, value): gpu_check reports when an evaluation first reaches it, the metric at most
    # value; (metric, value, "at_least") for a metric where higher is better.
    target = None
    smoke = {}  # settings that make the CPU smoke tests and gpu_check's dry run quick
    # How `igcourse train` compiles the step on TensorFlow unless --tf-compile says otherwise:
    # "xla" (jit_compile) is the fastest for most recipes; a recipe whose networks XLA compiles
    # badly on the CPU names "graph" (a plain tf.function).
    tf_compile = "xla"

    def __init__(self, config=None):
        self.config = config if config is not None else self.Config()

    def train_data(self):
        """A tuple of NumPy arrays of equal length N: the training set, one item per row."""
        raise NotImplementedError

    def test_data(self):
        """Held-out arrays like train_data's, for test_metrics; None when there are none."""
        return None

    def build_models(self):
        """{name: keras.Model}, built (the trainer reads their weights at once)."""
        raise NotImplementedError

    def build_optimizers(self):
        """{name: keras.optimizers.Optimizer}."""
        raise NotImplementedError

    def updates(self):
        """The Updates of one training step, in order."""
        raise NotImplementedError

    def test_metrics(self, models, batch, seed):
        """{name: scalar} on one held-out batch, without training; averaged over batches."""
        return {}

    def sample(self, models, n, seed):
        """n images (n, H, W, C) in [0, 1], in keras.ops; None when the family has no sampler."""
        return None

    def sample_labels(self, n):
        """The classes sample(models, n, seed) asks for, (n,) integers, so that evaluations
        measure class consistency; None for a sampler that takes no labels."""
        return None


def _convert(text, kind):
    """A --set value as the type of the Config field it sets."""
    if kind is bool or kind == "bool":
        if text.lower() in ("1", "true", "yes"):
            return True
        if text.lower() in ("0", "false", "no"):
            return False
        raise ValueError(text)
    if kind in (int, "int"):
        return int(text)
    if kind in (float, "float"):
        return float(text)
    if kind in (tuple, "tuple") or typing.get_origin(kind) is tuple:
        return tuple(int(part) for part in text.split(","))
    return text


def configure(recipe_class, overrides=None):
    """The recipe's Config with `overrides` ({field: text or value}) applied."""
    config = recipe_class.Config()
    if not overrides:
        return config
    fields = {f.name: f for f in dataclasses.fields(config)}
    hints = typing.get_type_hints(type(config))
    values = {}
    for key, value in overrides.items():
        if key not in fields:
            raise ValueError(
                _("{recipe} has no setting {key!r}; its settings: {names}").format(
                    recipe=recipe_class.name, key=key, names=", ".join(fields)
                )
            )
        if isinstance(value, str):
            try:
                value = _convert(value, hints.get(key, str))
            except ValueError:
                raise ValueError(
                    _("setting {key}: {value!r} is not a valid {kind}").format(
                        key=key, value=value, kind=getattr(hints.get(key), "__name__", "value")
                    )
                ) from None
        values[key] = value
    return dataclasses.replace(config, **values)


def _import_file(name, path):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def reference(chapter, notebook, root=None):
    """The reference module solutions/<chapter>/<notebook>.py, imported once per process."""
    root = Path(root) if root else repo_root()
    path = root / "solutions" / chapter / f"{notebook}.py"
    if not path.exists():
        raise FileNotFoundError(
            _("No reference module {path}: run `igcourse build` first").format(path=path)
        )
    return _import_file(f"igcourse_reference.{chapter}.{notebook}", path)


def recipes_dir(root=None):
    return (Path(root) if root else repo_root()) / "solutions" / "recipes"


def list_recipes(root=None):
    """Names of the recipes in solutions/recipes/, sorted."""
    folder = recipes_dir(root)
    return sorted(p.stem for p in folder.glob("*.py") if not p.stem.startswith("_"))


def load_recipe(name, overrides=None, root=None):
    """An instance of recipe `name`, its Config overridden by `overrides`."""
    path = recipes_dir(root) / f"{name}.py"
    if not path.exists():
        raise ValueError(
            _("No recipe {name!r}; recipes: {names}").format(
                name=name, names=", ".join(list_recipes(root)) or "-"
            )
        )
    module = _import_file(f"igcourse_recipes.{name}", path)
    recipe_class = module.RECIPE
    return recipe_class(configure(recipe_class, overrides))
