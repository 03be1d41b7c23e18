"""Reference training: one trainer for the TensorFlow and JAX backends, driven by recipes.

A recipe (solutions/recipes/<name>.py) supplies a model family's data, models, losses,
optimisers and the order of its updates, in keras.ops; the trainer compiles the step for the
backend Keras runs on. Importing this package does not import Keras, so a command can still
choose the backend (docs/training.md).
"""

from igcourse.training.config import TrainConfig
from igcourse.training.recipe import Recipe, Update, list_recipes, load_recipe, reference


def train(recipe, config):
    """Train `recipe` (a Recipe) as `config` (a TrainConfig) says; returns a TrainResult."""
    from igcourse.training.loop import Trainer

    return Trainer(recipe, config).run()


__all__ = [
    "Recipe",
    "TrainConfig",
    "Update",
    "list_recipes",
    "load_recipe",
    "reference",
    "train",
]
