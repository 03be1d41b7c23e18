"""Random draws inside compiled steps that depend on (run seed, step) alone."""

import keras
from keras import ops

_STREAM = 1_000_003  # spreads the streams of a step (updates, replicas) apart
_DRAW = 7_919  # spreads the draws of a stream apart


class StepSeed(keras.random.SeedGenerator):
    """Seeds for keras.random functions, from a seed tensor and no state variable.

    The trainer makes one per update of a step from the pair (run seed, step), so a step
    draws the same numbers whenever it runs (a resumed run matches an uninterrupted one)
    and nothing needs saving. Each draw gives a new seed: `keras.random.normal(shape,
    seed=seed)` twice gives two different tensors. `fold_in(value)` makes an independent
    StepSeed, for draws inside a loop.
    """

    def __init__(self, seed, stream=0):  # no super().__init__: it would make a variable
        self.name = "step_seed"
        self._seed = ops.cast(ops.convert_to_tensor(seed), "int32")  # (2,)
        self._stream = stream
        self._draws = 0

    def next(self, ordered=True):
        self._draws += 1
        first = self._seed[0] + ops.cast(self._stream, "int32") * _STREAM + self._draws * _DRAW
        pair = ops.stack([first, self._seed[1]])
        # JAX takes a raw key as uint32; TensorFlow's stateless ops take int32 under XLA.
        return ops.cast(pair, "uint32" if keras.backend.backend() == "jax" else "int32")

    def fold_in(self, value):
        """An independent StepSeed for `value` (an integer or a scalar tensor)."""
        self._draws += 1
        second = self._seed[1] * 65_599 + ops.cast(value, "int32") + self._draws
        return StepSeed(ops.stack([self._seed[0], second]), self._stream)
