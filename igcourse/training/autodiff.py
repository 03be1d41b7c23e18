"""Gradients inside a loss, on either backend: what a gradient penalty needs.

keras.ops has no gradient operation, so a recipe whose loss differentiates (WGAN-GP's
penalty on the critic's input gradients) calls input_gradients, which uses the backend's
own autodiff: a nested tf.GradientTape on TensorFlow, jax.vjp on JAX. Both can themselves be
differentiated by the trainer's outer gradient.
"""

import keras


def input_gradients(function, inputs):
    """The gradient of sum(function(inputs)) with respect to `inputs`, shaped like them.

    When each output depends on its own sample only (a critic's score per image), row i of
    the result is the gradient of output i with respect to sample i.
    """
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            tape.watch(inputs)
            outputs = function(inputs)
        return tape.gradient(outputs, inputs)
    if backend == "jax":
        return _jax_input_gradients(function, inputs)
    raise NotImplementedError(backend)


def _jax_input_gradients(function, inputs):
    import jax
    import jax.numpy as jnp
    from keras.src.backend.common.stateless_scope import get_stateless_scope

    scope = get_stateless_scope()  # the trainer's, mapping each variable to its traced value
    if scope is None:
        outputs, pullback = jax.vjp(function, inputs)
        return pullback(jnp.ones_like(outputs))[0]

    def with_updates(x):
        # Updates made inside (batch-norm statistics) are values of the vjp's trace: they leave
        # it as auxiliary outputs and go back into the scope outside, or JAX reports a leak.
        before = dict(scope.state_mapping)
        outputs = function(x)
        updates = {k: v for k, v in scope.state_mapping.items() if before.get(k) is not v}
        scope.state_mapping.clear()
        scope.state_mapping.update(before)
        return outputs, updates

    outputs, pullback, updates = jax.vjp(with_updates, inputs, has_aux=True)
    scope.state_mapping.update(updates)
    return pullback(jnp.ones_like(outputs))[0]
