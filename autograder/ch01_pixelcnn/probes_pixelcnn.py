"""Probes of pixelcnn: they build small layers and models with the code under test, run them,
and return plain data only (arrays, numbers, strings, bools, None, lists and dicts of them).

Each probe runs where the code under test runs (a sandbox worker when a submission is graded)
and holds no thresholds, verdicts or reference values: test_pixelcnn.py judges. Probes return
lists, never tuples, so that a result reads the same in the worker and in this process.
Gradients are measured with igcourse.grading.gradients (measurement only, no verdicts).
"""

import json

import keras
import numpy as np
import tensorflow as tf

from igcourse.grading.checks import seeded_rng
from igcourse.grading.gradients import gradient_check, measure_dependencies
from igcourse.grading.public import run_public_checks as public_checks  # noqa: F401

CHECK_SEED = 20240101  # the seed every check starts from (conftest.py seeds this process too)


def _seeded(seed=CHECK_SEED):
    keras.utils.set_random_seed(seed)


def _numpy(value):
    return value.numpy() if hasattr(value, "numpy") else np.asarray(value)


# ---------------------------------------------------------------- causal_mask
def causal_mask(ns, *args):
    return ns.causal_mask(*args)


def errors_raised(ns, invalid):
    """For each invalid argument list: the name of the error causal_mask raises, or None."""
    raised = []
    for args in invalid:
        try:
            ns.causal_mask(*args)
            raised.append(None)
        except NotImplementedError:
            raise
        except Exception as error:  # noqa: BLE001 (which error is the question)
            raised.append(type(error).__name__)
    return raised


# ---------------------------------------------------------------- masked_conv
def _kernel_and_bias(layer, size, in_channels, filters):
    """The layer's trainable kernel (k, k, in, filters) and bias (filters,), found by shape."""
    kernel = bias = None
    for weight in layer.trainable_weights:
        shape = tuple(weight.shape)
        if shape == (size, size, in_channels, filters) and kernel is None:
            kernel = weight
        elif shape == (filters,) and bias is None:
            bias = weight
    return kernel, bias


def _shapes(layer):
    return [list(tuple(w.shape)) for w in layer.trainable_weights]


def _set_random_weights(layer, x, size, filters, label):
    """Build the layer on x, then give it a full random kernel and bias (masked parts too).

    Returns (kernel, bias) as set, or None when the layer has no kernel of the right shape.
    """
    layer(x)
    kernel, bias = _kernel_and_bias(layer, size, x.shape[-1], filters)
    if kernel is None:
        return None
    rng = seeded_rng(label)
    kernel_value = rng.normal(size=tuple(kernel.shape)).astype(np.float32)
    kernel.assign(kernel_value)
    bias_value = np.zeros(filters, np.float32)
    if bias is not None:
        bias_value = rng.normal(size=(filters,)).astype(np.float32)
        bias.assign(bias_value)
    return kernel_value, bias_value


def masked_conv_output(ns, filters, size, mask_type, x, label):
    """{"shapes", "found", "kernel", "bias", "out"}: MaskedConv2D, random full kernel, on x."""
    _seeded()
    x = np.asarray(x, np.float32)
    layer = ns.MaskedConv2D(filters, size, mask_type)
    weights = _set_random_weights(layer, x, size, filters, label)
    if weights is None:
        return {"shapes": _shapes(layer), "found": False}
    return {
        "shapes": _shapes(layer),
        "found": True,
        "kernel": weights[0],
        "bias": weights[1],
        "out": layer(x),
    }


def masked_kernel_gradient(ns, x, label):
    """{"shapes", "found", "gradient"}: the gradient of a weighted sum of a type A layer's
    output with respect to its kernel variable (None when no gradient reaches it)."""
    _seeded()
    x = np.asarray(x, np.float32)
    layer = ns.MaskedConv2D(3, 5, "A")
    if _set_random_weights(layer, x, 5, 3, label) is None:
        return {"shapes": _shapes(layer), "found": False, "gradient": None}
    kernel, _bias = _kernel_and_bias(layer, 5, x.shape[-1], 3)
    weights = tf.constant(seeded_rng(label + " weights").normal(size=(1, 6, 6, 3)), tf.float32)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x) * weights)
    gradient = tape.gradient(loss, kernel)
    return {"shapes": _shapes(layer), "found": True, "gradient": gradient}


def weights_after_calls(ns, x):
    """{"shapes", "found", "before", "after"}: [kernel, bias] as set, and after two more calls."""
    _seeded()
    x = np.asarray(x, np.float32)
    layer = ns.MaskedConv2D(3, 3, "A")
    before = _set_random_weights(layer, x, 3, 3, "masked conv weights")
    if before is None:
        return {"shapes": _shapes(layer), "found": False}
    layer(x)
    layer(x)
    kernel, bias = _kernel_and_bias(layer, 3, x.shape[-1], 3)
    after = [_numpy(kernel), _numpy(bias) if bias is not None else before[1]]
    return {"shapes": _shapes(layer), "found": True, "before": list(before), "after": after}


def conv_dependencies(ns, size, mask_type, x):
    """{"shapes", "found", "deps"}: which input pixels each output pixel of the layer sees."""
    _seeded()
    x = np.asarray(x, np.float32)
    layer = ns.MaskedConv2D(3, size, mask_type)
    if _set_random_weights(layer, x, size, 3, f"masked conv causality {size}{mask_type}") is None:
        return {"shapes": _shapes(layer), "found": False, "deps": None}
    return {"shapes": _shapes(layer), "found": True, "deps": measure_dependencies(layer, x)}


# ---------------------------------------------------------------- residual_block
def _positive_weights(layer, label, scale=0.2):
    """Random positive weights: with positive inputs every ReLU passes, so the Jacobian shows
    every path the architecture has, not only those that happen to be active."""
    rng = seeded_rng(label)
    for weight in layer.trainable_weights:
        weight.assign(scale * np.abs(rng.normal(size=tuple(weight.shape))).astype(np.float32))


def residual_output(ns, filters, x):
    _seeded()
    return ns.MaskedResidualBlock(filters)(np.asarray(x, np.float32))


def zero_weight_output(ns, x):
    _seeded()
    x = np.asarray(x, np.float32)
    block = ns.MaskedResidualBlock(4)
    block(x)
    for weight in block.trainable_weights:
        weight.assign(np.zeros(tuple(weight.shape), np.float32))
    return block(x)


def branch_dependencies(ns, x):
    """[what block(x) sees, what block(x) - x sees] (None where no gradient flows)."""
    _seeded()
    x = np.asarray(x, np.float32)
    block = ns.MaskedResidualBlock(4)
    block(x)
    _positive_weights(block, "residual causality weights")
    full = measure_dependencies(block, x)
    branch = measure_dependencies(lambda v: block(v) - v, x)
    return [full, branch]


# ---------------------------------------------------------------- pixelcnn_model
def model_output(ns, image_shape, x, levels, filters=4, residual_blocks=1):
    """{"is_model", "kind", "out"}: what build_pixelcnn returns, and its output on x."""
    _seeded()
    model = ns.build_pixelcnn(
        tuple(image_shape), filters=filters, residual_blocks=residual_blocks, levels=levels
    )
    is_model = isinstance(model, keras.Model)
    return {
        "is_model": is_model,
        "kind": type(model).__name__,
        "out": model(np.asarray(x, np.float32)) if is_model else None,
    }


def model_dependencies(ns, levels):
    _seeded(7)
    model = ns.build_pixelcnn((7, 7, 1), filters=8, residual_blocks=2, levels=levels)
    _positive_weights(model, "model causality weights", scale=0.1)
    x = seeded_rng("model causality").uniform(0.1, 1.0, size=(1, 7, 7, 1)).astype(np.float32)
    return measure_dependencies(model, x)


def model_logits(ns, levels):
    _seeded(11)
    model = ns.build_pixelcnn((7, 7, 1), filters=8, residual_blocks=1, levels=levels)
    x = seeded_rng("model logits").integers(0, levels, size=(8, 7, 7, 1)) / (levels - 1)
    return model(x.astype(np.float32))


# ---------------------------------------------------------------- bits_per_dim
def bits_per_dim(ns, images, logits):
    return ns.bits_per_dim(tf.constant(images), tf.constant(logits))


def bits_gradient_gap(ns, images, logits):
    """Largest gap between the loss's autodiff gradient and float64 finite differences."""
    images = np.asarray(images)
    # Float64 finite differences around float32 code: the loss gets float32 logits, as in training.
    return gradient_check(
        lambda v: tf.cast(
            ns.bits_per_dim(tf.constant(images[:1, :2]), tf.cast(v, tf.float32)), tf.float64
        ),
        [np.asarray(logits)[:1, :2]],
    )


def bits_gradient(ns, images, logits):
    """The gradient of bits_per_dim with respect to the logits (None if none flows)."""
    variable = tf.Variable(logits)
    with tf.GradientTape() as tape:
        loss = ns.bits_per_dim(tf.constant(images), variable)
    return tape.gradient(loss, variable)


# ---------------------------------------------------------------- sampling
class _FixedLogits(keras.layers.Layer):
    """Logits that ignore the input: every pixel has its own fixed distribution."""

    def __init__(self, logits, **kwargs):
        super().__init__(**kwargs)
        self.logits = np.asarray(logits, np.float32)  # (H, W, C)

    def call(self, inputs):
        return keras.ops.zeros_like(inputs[..., :1]) + self.logits


class _PreviousPixel(keras.layers.Layer):
    """logit(i, j) = strength * (2 * previous pixel in raster order - 1); 0 for the first pixel."""

    def __init__(self, height, width, strength, **kwargs):
        super().__init__(**kwargs)
        self.height, self.width, self.strength = height, width, strength

    def call(self, inputs):
        flat = keras.ops.reshape(inputs, (-1, self.height * self.width))
        previous = keras.ops.concatenate([flat[:, :1] * 0 + 0.5, flat[:, :-1]], axis=1)
        logits = self.strength * (2 * previous - 1)
        return keras.ops.reshape(logits, (-1, self.height, self.width, 1))


def _model_of(layer, height, width):
    inputs = keras.Input((height, width, 1))
    return keras.Model(inputs, layer(inputs))


def sample_fixed(ns, logits, n, seed, levels):
    """sample_pixelcnn on a model whose logits (H, W, C) ignore the input."""
    _seeded()
    logits = np.asarray(logits, np.float32)
    model = _model_of(_FixedLogits(logits), *logits.shape[:2])
    return ns.sample_pixelcnn(model, n, seed=seed, levels=levels)


def samples_for_seeds(ns, logits, n, seeds, levels):
    """One sample_pixelcnn call per seed on one fixed-logits model, in order."""
    _seeded()
    logits = np.asarray(logits, np.float32)
    model = _model_of(_FixedLogits(logits), *logits.shape[:2])
    return [ns.sample_pixelcnn(model, n, seed=seed, levels=levels) for seed in seeds]


def sample_previous_pixel(ns, height, width, strength, n, seed):
    """sample_pixelcnn on a model where each pixel's logit follows the pixel before it."""
    _seeded()
    model = _model_of(_PreviousPixel(height, width, strength), height, width)
    return ns.sample_pixelcnn(model, n, seed=seed, levels=2)


# ---------------------------------------------------------------- train_step
def one_step(ns, images):
    """One step of make_train_step on a tiny model (build_pixelcnn and bits_per_dim of ns).

    {"returned", "before", "after", "unchanged", "names"}: the loss the step returns, the loss
    before and after it, the indices of variables with a nonzero gradient that did not change,
    and every trainable variable's path.
    """
    _seeded(5)
    model = ns.build_pixelcnn((6, 6, 1), filters=4, residual_blocks=1, levels=2)
    images = np.asarray(images, np.int32)
    inputs = images.astype(np.float32)
    before = float(_numpy(ns.bits_per_dim(images, model(inputs))))
    with tf.GradientTape() as tape:
        loss = ns.bits_per_dim(images, model(inputs))
    gradients = tape.gradient(loss, model.trainable_variables)
    old = [_numpy(v).copy() for v in model.trainable_variables]
    step = ns.make_train_step(model, keras.optimizers.Adam(1e-3), levels=2)
    returned = float(_numpy(step(tf.constant(images))))
    after = float(_numpy(ns.bits_per_dim(images, model(inputs))))
    unchanged = [
        i
        for i, (v, o, g) in enumerate(zip(model.trainable_variables, old, gradients, strict=True))
        if g is not None and np.any(_numpy(g) != 0) and np.array_equal(_numpy(v), o)
    ]
    names = [v.path for v in model.trainable_variables]
    return {
        "returned": returned,
        "before": before,
        "after": after,
        "unchanged": unchanged,
        "names": names,
    }


def _logits_in_chunks(model, images, chunks=4):
    return np.concatenate(
        [_numpy(model(chunk.astype(np.float32))) for chunk in np.split(images, chunks)]
    )


def train_setup(ns, image_shape, filters, residual_blocks, learning_rate, seed):
    """What train_and_predict does before its first step: build the model and the train step
    (so that code that cannot do even that fails before the grader prepares the data)."""
    _seeded(seed)
    model = ns.build_pixelcnn(
        tuple(image_shape), filters=filters, residual_blocks=residual_blocks, levels=2
    )
    ns.make_train_step(model, keras.optimizers.Adam(learning_rate), 2)
    return True


def train_and_predict(ns, batches, test, filters, residual_blocks, learning_rate, seed):
    """Build a PixelCNN with ns, train it with ns's train step on `batches` (steps, B, H, W, 1),
    and return its logits on `test` (N, H, W, 1)."""
    _seeded(seed)
    batches = np.asarray(batches, np.int32)
    model = ns.build_pixelcnn(
        tuple(batches.shape[2:]), filters=filters, residual_blocks=residual_blocks, levels=2
    )
    step = ns.make_train_step(model, keras.optimizers.Adam(learning_rate), 2)
    for batch in batches:
        step(tf.constant(batch, tf.int32))
    return _logits_in_chunks(model, np.asarray(test))


def handed_in_logits(ns, weights_name, settings_name, test):
    """The handed-in model's logits on `test`: {"missing": True} when its files are not there,
    {"load_error": type} when the weights do not fit the model that the settings build."""
    folder = ns.folder
    weights = folder / weights_name if folder else None
    settings = folder / settings_name if folder else None
    if weights is None or not weights.is_file() or not settings.is_file():
        return {"missing": True}
    _seeded()
    build = json.loads(settings.read_text(encoding="utf-8"))
    model = ns.build_pixelcnn(
        (28, 28, 1),
        filters=int(build["filters"]),
        residual_blocks=int(build["residual_blocks"]),
        levels=2,
    )
    try:
        model.load_weights(str(weights))
    except Exception as error:  # noqa: BLE001 (a file from another architecture, say)
        return {"load_error": type(error).__name__}
    return {"logits": _logits_in_chunks(model, np.asarray(test, np.int32))}
