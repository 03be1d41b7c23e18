"""The JAX engine: the whole step is one jitted, stateless function of the weights.

Keras variables are read and written only at the edges (checkpoints): in between, the
weights live as a list of arrays that each step takes and returns (donated, so updated in
place). Inside the step, keras.StatelessScope maps every variable to its traced value, so
the recipe calls its models as usual; that is how Model.stateless_call works, here spread
over all the models of a recipe. Data parallelism is keras.distribution.DataParallel:
weights replicated, batches split along their first axis, XLA adds the all-reduce.
"""

import contextlib
import warnings

import jax
import keras
import numpy as np

from igcourse.i18n import _
from igcourse.training.data import Prefetch
from igcourse.training.engine import Engine
from igcourse.training.seeds import StepSeed


class JaxEngine(Engine):
    name = "jax"

    def __init__(self, devices=1, seed=0):
        self.replicas = devices
        self.seed = seed
        self.distribution = None
        if devices > 1:
            available = jax.devices()
            if len(available) < devices:
                raise RuntimeError(
                    _(
                        "{devices} devices asked for, JAX sees {found}; on the CPU set "
                        "XLA_FLAGS=--xla_force_host_platform_device_count={devices} before JAX "
                        "starts (`igcourse train --devices` does this)"
                    ).format(devices=devices, found=len(available))
                )
            self.distribution = keras.distribution.DataParallel(devices=available[:devices])
        self._samplers, self._evaluators = {}, {}

    def scope(self):
        return self.distribution.scope() if self.distribution else contextlib.nullcontext()

    def compile(self, models, optimizers, updates):
        super().compile(models, optimizers, updates)
        index = {id(v): i for i, v in enumerate(self.variables)}
        self._train_index = [[index[id(v)] for v in vs] for vs in self.trainables]
        self._optimizer_index = {
            name: [index[id(v)] for v in optimizer.variables]
            for name, optimizer in optimizers.items()
        }
        self.push()
        self._step = jax.jit(self._step_function, donate_argnums=0)

    def _run(self, values, function, *args):
        """function(*args) with every variable reading `values`; returns (result, new values)."""
        mapping = list(zip(self.variables, values, strict=True))
        with keras.StatelessScope(state_mapping=mapping) as scope:
            result = function(*args)
        changed = [scope.get_current_value(v) for v in self.variables]
        values = [old if new is None else new for old, new in zip(values, changed, strict=True)]
        return result, values

    def _step_function(self, values, batch, seed):
        values, logs = list(values), {}
        for number, update in enumerate(self.updates):
            positions = self._train_index[number]

            def objective(trained, values, update=update, number=number, positions=positions):
                values = list(values)
                for i, value in zip(positions, trained, strict=True):
                    values[i] = value
                out, values = self._run(
                    values, update.loss, self.models, batch, StepSeed(seed, number)
                )
                return out[update.objective], (out, values)

            trained = [values[i] for i in positions]
            grads, (out, values) = jax.grad(objective, has_aux=True)(trained, values)
            slots = self._optimizer_index[update.optimizer]
            optimizer = self.optimizers[update.optimizer]
            trained, state = optimizer.stateless_apply([values[i] for i in slots], grads, trained)
            for i, value in zip(positions, trained, strict=True):
                values[i] = value
            for i, value in zip(slots, state, strict=True):
                values[i] = value
            logs.update({k: v.astype("float32") for k, v in out.items()})
        return values, logs

    def _put(self, batch):
        if self.distribution is None:
            return tuple(jax.device_put(array) for array in batch)
        return tuple(
            keras.distribution.distribute_tensor(
                array, self.distribution.get_data_layout(array.shape)
            )
            for array in batch
        )

    def batches(self, step_batches):
        if step_batches.batch_size % self.replicas:
            raise ValueError(
                _("batch size {batch_size} does not split over {devices} devices").format(
                    batch_size=step_batches.batch_size, devices=self.replicas
                )
            )
        return Prefetch(step_batches, self._put)

    def step(self, batch, step):
        with warnings.catch_warnings():
            # The CPU ignores donation; it warns once per compilation.
            warnings.filterwarnings("ignore", message="Some donated buffers were not usable")
            self.values, logs = self._step(self.values, batch, np.array([self.seed, step], "int32"))
        return logs

    def sample(self, function, n, seed):
        if (function, n) not in self._samplers:

            def run(values, seed):
                return self._run(values, function, self.models, n, StepSeed(seed))[0]

            self._samplers[function, n] = jax.jit(run)
        return self._samplers[function, n](self.values, np.asarray(seed, "int32"))

    def evaluate(self, function, batch, seed):
        if function not in self._evaluators:

            def run(values, batch, seed):
                return self._run(values, function, self.models, batch, StepSeed(seed))[0]

            self._evaluators[function] = jax.jit(run)
        return self._evaluators[function](self.values, self._put(batch), np.asarray(seed, "int32"))

    def pull(self):
        for variable, value in zip(self.variables, self.values, strict=True):
            variable.assign(value)

    def push(self):
        self.values = [v.value for v in self.variables]
