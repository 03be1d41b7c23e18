"""The TensorFlow engine: the step is a tf.function compiled by XLA (jit_compile=True).

On one device the whole step (forward, backward, optimiser updates) is one XLA program. With
several devices, tf.distribute.MirroredStrategy runs the step on each replica; there each
update's forward and backward pass is one XLA program placed on the replica's device, and
the optimiser update stays outside it, because the all-reduce of the gradients is a
synchronisation point that XLA-compiled functions cannot hold (TensorFlow refuses a merge
call inside a nested tf.function). On one device, batches of in-memory arrays are gathered
inside the step; other sources, and several devices, take the tf.data adapter.
"""

import contextlib

import tensorflow as tf

from igcourse.data.tfdata import as_tf_dataset
from igcourse.i18n import _
from igcourse.training.engine import Engine
from igcourse.training.seeds import StepSeed


def _replica_devices(devices):
    """Names of `devices` devices: GPUs when there are enough, else virtual CPUs."""
    gpus = tf.config.list_logical_devices("GPU")
    if len(gpus) >= devices:
        return [d.name for d in gpus[:devices]]
    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * devices
        )
    except RuntimeError:  # TensorFlow has started: keep what it has
        pass
    cpus = tf.config.list_logical_devices("CPU")
    if len(cpus) < devices:
        raise RuntimeError(
            _(
                "{devices} devices asked for, TensorFlow has {found} and has already started; "
                "run the training in a new process (`igcourse train --devices`)"
            ).format(devices=devices, found=len(cpus))
        )
    return [d.name for d in cpus[:devices]]


def _index_tensors(step_batches, chunk=1024):
    """The item indices of each step, as tensors made `chunk` at a time: the first eager
    op after a compiled step costs about 0.2 ms on a CPU, so none is made between steps."""
    for rows in step_batches.index_rows():
        for first in range(0, len(rows), chunk):
            yield from tf.unstack(tf.constant(rows[first : first + chunk]))


GATHER_LIMIT_BYTES = 2**30  # larger training arrays stay in host memory, batched by tf.data

_STRATEGIES = {}


def _mirrored_strategy(devices):
    """One MirroredStrategy per set of devices and process: a second one over the same
    devices can reuse the first one's collective keys and mix up their all-reduces."""
    if devices not in _STRATEGIES:
        _STRATEGIES[devices] = tf.distribute.MirroredStrategy(list(devices))
    return _STRATEGIES[devices]


class TensorFlowEngine(Engine):
    name = "tensorflow"

    def __init__(self, devices=1, seed=0, compile_mode="xla"):
        self.replicas = devices
        self.seed = seed
        self.compile_mode = compile_mode
        self.strategy = None
        if devices > 1:
            self.strategy = _mirrored_strategy(tuple(_replica_devices(devices)))
        self._samplers, self._evaluators = {}, {}
        self._columns = None  # the training arrays on the device, when steps gather batches

    def scope(self):
        return self.strategy.scope() if self.strategy else contextlib.nullcontext()

    def _compiled(self, function):
        if self.compile_mode == "eager":
            return function
        return tf.function(function, jit_compile=self.compile_mode == "xla")

    def _gradients(self, number, batch, seed, stream):
        update = self.updates[number]
        variables = self.trainables[number]
        with tf.GradientTape() as tape:
            out = update.loss(self.models, batch, StepSeed(seed, stream))
            # Replicas' gradients are summed: each averages over its share of the batch.
            objective = out[update.objective] / self.replicas
        grads = tape.gradient(objective, variables)
        return grads, {k: tf.cast(v, tf.float32) for k, v in out.items()}

    def compile(self, models, optimizers, updates):
        super().compile(models, optimizers, updates)
        if self.strategy is None:
            # The step number lives on the device, so a step needs no new tensor for its seed.
            self._counter = tf.Variable(0, dtype=tf.int32, trainable=False, name="step_counter")
            self._next_step = None
            self._step = self._compiled(self._counted_step)
            self._gathering_step = self._compiled(self._gather_then_step)
            return
        self._replica_gradients = [
            self._compiled(lambda b, s, r, n=n: self._gradients(n, b, s, r))
            for n in range(len(self.updates))
        ]
        self._step = tf.function(self._distributed_step)

    def _single_step(self, batch, seed):
        logs = {}
        for number, update in enumerate(self.updates):
            grads, out = self._gradients(number, batch, seed, number)
            self.optimizers[update.optimizer].apply(grads, self.trainables[number])
            logs.update(out)
        return logs

    def _counted_step(self, batch):
        seed = tf.stack([tf.constant(self.seed, tf.int32), self._counter.read_value()])
        logs = self._single_step(batch, seed)
        self._counter.assign_add(1)
        return logs

    def _gather_then_step(self, items):
        return self._counted_step(tuple(tf.gather(c, items) for c in self._columns))

    def _replica_step(self, batch, seed):
        replica = tf.get_static_value(tf.distribute.get_replica_context().replica_id_in_sync_group)
        device = self.strategy.extended.worker_devices[replica]
        logs = {}
        for number, update in enumerate(self.updates):
            stream = number + len(self.updates) * replica  # each replica draws its own numbers
            with tf.device(device):
                grads, out = self._replica_gradients[number](batch, seed, stream)
            self.optimizers[update.optimizer].apply(grads, self.trainables[number])
            logs.update(out)
        return logs

    def _distributed_step(self, batch, seed):
        logs = self.strategy.run(self._replica_step, args=(batch, seed))
        return {k: self.strategy.reduce("MEAN", v, axis=None) for k, v in logs.items()}

    def batches(self, step_batches):
        if step_batches.batch_size % self.replicas:
            raise ValueError(
                _("batch size {batch_size} does not split over {devices} devices").format(
                    batch_size=step_batches.batch_size, devices=self.replicas
                )
            )
        arrays = step_batches.arrays()
        fits = arrays is not None and sum(a.nbytes for a in arrays) <= GATHER_LIMIT_BYTES
        if self.strategy is None and fits:
            # The arrays go to the device once, and each step gathers its batch inside the
            # compiled step from the indices of its items: no input pipeline runs beside
            # the step, taking cores from it or the interpreter lock from the loop.
            self._columns = tuple(tf.constant(a) for a in arrays)
            return _index_tensors(step_batches)
        dataset = as_tf_dataset(step_batches)
        if self.strategy is not None:
            dataset = self.strategy.experimental_distribute_dataset(dataset)
        return iter(dataset)

    def step(self, batch, step):
        if self.strategy is not None:
            return self._step(batch, tf.constant([self.seed, step], tf.int32))
        if step != self._next_step:  # the run's first step, or a jump
            self._counter.assign(step)
        self._next_step = step + 1
        if self._columns is not None:  # `batch` holds the indices of the step's items
            return self._gathering_step(batch)
        return self._step(batch)

    def sample(self, function, n, seed):
        if (function, n) not in self._samplers:
            self._samplers[function, n] = self._compiled(
                lambda seed: function(self.models, n, StepSeed(seed))
            )
        return self._samplers[function, n](tf.constant(seed, tf.int32))

    def evaluate(self, function, batch, seed):
        if function not in self._evaluators:
            self._evaluators[function] = self._compiled(
                lambda batch, seed: function(self.models, batch, StepSeed(seed))
            )
        batch = tuple(tf.convert_to_tensor(a) for a in batch)
        return self._evaluators[function](batch, tf.constant(seed, tf.int32))
