"""What the two backends' engines share: the variables of a run, in one fixed order."""

import keras


class Engine:
    """Compiles and runs a recipe's training step on one backend.

    Subclasses: engine_tensorflow.TensorFlowEngine, engine_jax.JaxEngine. The trainer calls
    scope() while the recipe builds models and optimisers, then compile(), then step() once
    per batch; sample() and evaluate() run a recipe's functions with the current
    weights; before and after reading or writing the Keras variables (checkpoints) it calls
    pull() and push().
    """

    name = ""
    replicas = 1

    def scope(self):
        raise NotImplementedError

    def compile(self, models, optimizers, updates):
        """Build the optimisers on the weights their updates train and trace nothing yet."""
        self.models, self.optimizers, self.updates = models, optimizers, tuple(updates)
        self.trainables = []  # per update: the trainable variables it changes
        for update in self.updates:
            variables = [v for name in update.trains for v in models[name].trainable_variables]
            self.trainables.append(variables)
            optimizer = optimizers[update.optimizer]
            if not optimizer.built:
                optimizer.build(variables)
        seen, self.variables = set(), []
        for model in models.values():
            for v in model.variables:
                if id(v) not in seen:
                    seen.add(id(v))
                    self.variables.append(v)
        for optimizer in optimizers.values():
            for v in optimizer.variables:
                if id(v) not in seen:
                    seen.add(id(v))
                    self.variables.append(v)

    def batches(self, step_batches):
        """An iterator of batches ready for step(), from an igcourse StepBatches."""
        raise NotImplementedError

    def step(self, batch, step):
        """One training step on `batch`; returns {name: scalar} (backend tensors)."""
        raise NotImplementedError

    def sample(self, function, n, seed):
        """function(models, n, StepSeed) compiled for this backend (once per n), run once."""
        raise NotImplementedError

    def evaluate(self, function, batch, seed):
        """function(models, batch, StepSeed) compiled for this backend, run on one batch."""
        raise NotImplementedError

    def pull(self):
        """Make the Keras variables hold the current weights (before reading them)."""

    def push(self):
        """Take the Keras variables' values as the current weights (after writing them)."""


def to_float(value):
    return float(keras.ops.convert_to_numpy(value))
