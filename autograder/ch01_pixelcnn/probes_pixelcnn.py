"""Probes of pixelcnn: they build small layers and models with the code under test, run them,
and return plain data only (arrays, numbers, strings, bools, None, lists and dicts of them).

Each probe runs where the code under test runs (a sandbox worker when a submission is graded)
and holds no thresholds, verdicts or reference values: test_pixelcnn.py judges. Probes return
lists, never tuples, so that a result reads the same in the worker and in this process.
Gradients are measured with igcourse.grading.gradients (measurement only, no verdicts).

Parts are graded apart (STAND_INS): a part built on another runs with stand-ins, never with
an answer of that other part, so that one mistake costs one part:
- causal_mask, for the layers and models: `_stand_in_mask`, a lookup of the masks that the
  check computed with the reference and passed as data (`masks`: [[size, type, mask]]); it
  knows no mask it was not given, so it answers nothing of causal_mask;
- MaskedConv2D, for the residual block and the model: `StandInConv`, twice the masked
  convolution with those masks, its weights drawn from its shape, so that the student's block
  and the reference's compute the same thing with the same weights;
- MaskedResidualBlock, for the model: `StandInBlock`, h + conv3x3(relu(h)) (one type-B
  stand-in convolution, not the block of the task);
- bits_per_dim, for the train step: `_stand_in_loss`, a differentiable loss that is not the
  task's (a mean squared error), so the step is judged on calling the loss it is given.
"""

import json

import keras
import numpy as np
import tensorflow as tf

from igcourse.grading import architecture
from igcourse.grading.checks import seeded_rng
from igcourse.grading.gradients import gradient_check, measure_dependencies
from igcourse.grading.probing import raise_if_unanswered
from igcourse.grading.public import run_public_checks

CHECK_SEED = 20240101  # the seed every check starts from (conftest.py seeds this process too)


def _seeded(seed=CHECK_SEED):
    keras.utils.set_random_seed(seed)


def _numpy(value):
    return value.numpy() if hasattr(value, "numpy") else np.asarray(value)


# ---------------------------------------------------------------- stand-ins
_MASKS = {}  # (kernel size, mask type) -> (k, k) float32: the masks a check passed as data


def _use_masks(masks):
    """Give the stand-ins the masks of `masks` ([[size, type, (k, k) mask]]) and no other."""
    _MASKS.clear()
    for size, mask_type, mask in masks or ():
        _MASKS[int(size), str(mask_type)] = np.asarray(mask, np.float32)


def _check_mask_arguments(kernel_size, mask_type):
    # As documented for causal_mask and MaskedConv2D: ValueError for what has no mask.
    if int(kernel_size) != kernel_size or kernel_size % 2 != 1 or kernel_size < 1:
        raise ValueError(f"kernel_size must be odd, not {kernel_size}")
    if mask_type not in ("A", "B"):
        raise ValueError(f'mask_type must be "A" or "B", not {mask_type!r}')


def _stand_in_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    """Stand-in for causal_mask: the mask the check passed for this size and type."""
    _check_mask_arguments(kernel_size, mask_type)
    plane = _MASKS.get((int(kernel_size), mask_type))
    if plane is None:
        raise ValueError(f"the grader has no {kernel_size}x{kernel_size} mask for this check")
    return np.tile(plane[:, :, None, None], (1, 1, int(in_channels), int(out_channels)))


def _drawn(label, shape, scale):
    values = scale * seeded_rng(label).normal(size=shape)
    return lambda shape, dtype=None: keras.ops.convert_to_tensor(values, dtype or "float32")


class StandInConv(keras.layers.Layer):
    """Stand-in for MaskedConv2D: 2 * (conv(x, kernel * mask) + bias), the masks given as
    data; kernel and bias are drawn from the layer's shape, the same in every implementation."""

    def __init__(self, filters, kernel_size, mask_type, **kwargs):
        super().__init__(**kwargs)
        _check_mask_arguments(kernel_size, mask_type)
        self.filters, self.kernel_size, self.mask_type = int(filters), int(kernel_size), mask_type

    def build(self, input_shape):
        k, channels, filters = self.kernel_size, int(input_shape[-1]), self.filters
        label = f"stand-in conv {k}{self.mask_type} {channels} {filters}"
        scale = 1.0 / np.sqrt(k * k * channels)
        shape = (k, k, channels, filters)
        self.kernel = self.add_weight(shape=shape, initializer=_drawn(label, shape, scale))
        self.bias = self.add_weight(
            shape=(filters,), initializer=_drawn(label + " bias", (filters,), 0.1)
        )
        self.mask = _stand_in_mask(k, self.mask_type, channels, filters)

    def call(self, inputs):
        kernel = self.kernel * keras.ops.cast(self.mask, self.compute_dtype)
        return 2.0 * (keras.ops.conv(inputs, kernel, strides=1, padding="same") + self.bias)

    def get_config(self):
        config = super().get_config()
        config.update(filters=self.filters, kernel_size=self.kernel_size, mask_type=self.mask_type)
        return config


class StandInBlock(keras.layers.Layer):
    """Stand-in for MaskedResidualBlock: h + conv3x3_B(relu(h)), one stand-in convolution."""

    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.filters = int(filters)
        self.conv = StandInConv(2 * self.filters, 3, "B")

    def call(self, inputs):
        return inputs + self.conv(keras.ops.relu(inputs))

    def get_config(self):
        config = super().get_config()
        config.update(filters=self.filters)
        return config


def _stand_in_loss(images, logits):
    """Stand-in for bits_per_dim: the mean squared gap between the logits and the images."""
    images = keras.ops.cast(keras.ops.convert_to_tensor(images), "float32")
    return keras.ops.mean(keras.ops.square(keras.ops.convert_to_tensor(logits) - images))


STAND_INS = {
    "masked_conv": {"causal_mask": "_stand_in_mask"},
    "residual_block": {"causal_mask": "_stand_in_mask", "MaskedConv2D": "StandInConv"},
    "pixelcnn_model": {
        "causal_mask": "_stand_in_mask",
        "MaskedConv2D": "StandInConv",
        "MaskedResidualBlock": "StandInBlock",
    },
    "train_step": {"bits_per_dim": "_stand_in_loss"},
}


def public_checks(ns, chapter, part, masks=None):
    """[[description, outcome, message]] of the part's public checks, the stand-ins given
    `masks` (igcourse.grading.public.run_public_checks)."""
    _use_masks(masks)
    return run_public_checks(ns, chapter, part)


# ---------------------------------------------------------------- causal_mask
def causal_mask(ns, *args):
    return ns.causal_mask(*args)


def _raised(call, *args):
    """[error name, message] when call(*args) raises, else None (a stub's NotImplementedError
    propagates: not implemented is not an answer)."""
    try:
        call(*args)
    except Exception as error:  # noqa: BLE001 (which error is the question)
        raise_if_unanswered(error)
        return [type(error).__name__, str(error)[:200]]
    return None


def _error_names(make, invalid):
    """For each argument list of `invalid`: the name of the error make(*args) raises, or None."""
    return [(_raised(make, *args) or [None])[0] for args in invalid]


def errors_raised(ns, invalid):
    """For each invalid argument list: the name of the error causal_mask raises, or None."""
    return _error_names(ns.causal_mask, invalid)


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


def layer_contract(ns, invalid, valid, masks):
    """What the task promises of MaskedConv2D before any build: for each argument list of
    `invalid`, the name of the error its construction raises (None when none); and for `valid`,
    the arguments its get_config() gives ("given") and those a layer rebuilt with
    from_config(get_config()) reports, or its error."""
    _use_masks(masks)
    raised = _error_names(ns.MaskedConv2D, invalid)
    given = None
    try:
        layer = ns.MaskedConv2D(*valid)
        given = _layer_arguments(layer.get_config())
        rebuilt = _layer_arguments(type(layer).from_config(layer.get_config()).get_config())
        error = None
    except Exception as failure:  # noqa: BLE001 (reported as data for the check to explain)
        raise_if_unanswered(failure)
        rebuilt, error = None, [type(failure).__name__, str(failure)[:300]]
    return {"raised": raised, "given": given, "rebuilt": rebuilt, "error": error}


def _layer_arguments(config):
    values = [config.get(key) for key in ("filters", "kernel_size", "mask_type")]
    return [list(v) if isinstance(v, tuple) else v for v in values]


class _Outer(keras.layers.Layer):
    """A layer holding another, as a residual block holds its convolutions: Keras builds the
    inner layer while it traces the outer one's call, without state."""

    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, inputs):
        return self.inner(inputs)


def masked_conv_output(
    ns, filters, size, mask_type, x, label, masks, functional=False, nested=False
):
    """{"shapes", "found", "kernel", "bias", "out"}: MaskedConv2D, random full kernel, on x;
    functional: the layer inside a keras.Input model, called through the model; nested: the
    layer inside another layer, built and called through it."""
    _use_masks(masks)
    _seeded()
    x = np.asarray(x, np.float32)
    layer = ns.MaskedConv2D(filters, size, mask_type)
    model = None
    if nested:
        model = _Outer(layer)
        model(x)  # builds the inner layer as a block's first call does
    if functional:
        inputs = keras.Input(x.shape[1:])
        try:
            model = keras.Model(inputs, layer(inputs))
        except Exception as error:  # noqa: BLE001 (code that runs on arrays only: reported as data)
            raise_if_unanswered(error)
            return {
                "shapes": [],
                "found": False,
                "functional_error": [type(error).__name__, str(error)[:300]],
                "works_on_arrays": _works_on_arrays(ns, filters, size, mask_type, x),
            }
    weights = _set_random_weights(layer, x, size, filters, label)
    if weights is None:
        return {"shapes": _shapes(layer), "found": False}
    return {
        "shapes": _shapes(layer),
        "found": True,
        "kernel": weights[0],
        "bias": weights[1],
        "out": model(x) if functional or nested else layer(x),
    }


def _works_on_arrays(ns, filters, size, mask_type, x):
    """Whether a fresh layer runs on the array x (a failure inside a functional model means
    something else when the layer fails on arrays too)."""
    try:
        ns.MaskedConv2D(filters, size, mask_type)(x)
    except Exception as error:  # noqa: BLE001 (the answer is the data)
        raise_if_unanswered(error)
        return False
    return True


def initial_weights(ns, x, filters, size, masks):
    """{"shapes", "found", "kernel", "bias"}: a fresh MaskedConv2D's weights as it built them."""
    _use_masks(masks)
    _seeded()
    x = np.asarray(x, np.float32)
    layer = ns.MaskedConv2D(filters, size, "A")
    layer.build(x.shape)  # not called: only what build() made
    kernel, bias = _kernel_and_bias(layer, size, x.shape[-1], filters)
    return {
        "shapes": _shapes(layer),
        "found": kernel is not None,
        "kernel": None if kernel is None else kernel,
        "bias": None if bias is None else bias,
    }


def masked_kernel_gradient(ns, x, label, masks):
    """{"shapes", "found", "gradient"}: the gradient of a weighted sum of a type A layer's
    output with respect to its kernel variable (None when no gradient reaches it)."""
    _use_masks(masks)
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


def weights_after_calls(ns, x, masks):
    """{"shapes", "found", "before", "after"}: [kernel, bias] as set, and after two more calls."""
    _use_masks(masks)
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


def conv_dependencies(ns, size, mask_type, x, masks, trained=False):
    """{"shapes", "found", "deps"}: which input pixels each output pixel of the layer sees;
    trained: after one large gradient step on every trainable weight of the layer."""
    _use_masks(masks)
    _seeded()
    x = np.asarray(x, np.float32)
    layer = ns.MaskedConv2D(3, size, mask_type)
    label = f"masked conv causality {size}{mask_type}"
    if _set_random_weights(layer, x, size, 3, label) is None:
        return {"shapes": _shapes(layer), "found": False, "deps": None}
    if trained:
        target = tf.constant(seeded_rng(label + " target").normal(size=(1, *x.shape[1:3], 3)))
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.cast(layer(x), tf.float64) * target)
        variables = layer.trainable_weights
        for variable, gradient in zip(variables, tape.gradient(loss, variables), strict=True):
            if gradient is not None:
                variable.assign(variable - 0.5 * tf.cast(gradient, variable.dtype))
    return {"shapes": _shapes(layer), "found": True, "deps": measure_dependencies(layer, x)}


# ---------------------------------------------------------------- residual_block
def _positive_weights(layer, label, scale=0.2):
    """Random positive weights: with positive inputs every ReLU passes, so the Jacobian shows
    every path the architecture has, not only those that happen to be active."""
    rng = seeded_rng(label)
    for weight in layer.trainable_weights:
        weight.assign(scale * np.abs(rng.normal(size=tuple(weight.shape))).astype(np.float32))


def residual_output(ns, filters, x, masks):
    _use_masks(masks)
    _seeded()
    return ns.MaskedResidualBlock(filters)(np.asarray(x, np.float32))


def zero_weight_output(ns, x, masks):
    _use_masks(masks)
    _seeded()
    x = np.asarray(x, np.float32)
    block = ns.MaskedResidualBlock(4)
    block(x)
    for weight in block.trainable_weights:
        weight.assign(np.zeros(tuple(weight.shape), np.float32))
    return block(x)


def zero_kernel_outputs(ns, x, masks):
    """[the block's output on x with every weight zero, and with zero kernels and every bias
    -1]. The second tells a ReLU after the sum (never negative) from a skip that adds relu(x)
    (relu(x) - 1), which give the same relu(x) with zero weights."""
    _use_masks(masks)
    _seeded()
    x = np.asarray(x, np.float32)
    block = ns.MaskedResidualBlock(4)
    block(x)
    outputs = []
    for bias in (0.0, -1.0):
        for weight in block.trainable_weights:
            value = bias if len(weight.shape) == 1 else 0.0
            weight.assign(np.full(tuple(weight.shape), value, np.float32))
        outputs.append(block(x))
    return outputs


def residual_formula(ns, filters, x, masks):
    """{"out", "direct", "weights"}: the block (stand-in convolutions, weights drawn from their
    shapes) inside a keras.Input model on x, called directly on x, and its trainable shapes."""
    _use_masks(masks)
    _seeded()
    x = np.asarray(x, np.float32)
    block = ns.MaskedResidualBlock(filters)
    inputs = keras.Input(x.shape[1:])
    model = keras.Model(inputs, block(inputs))
    return {"out": model(x), "direct": block(x), "weights": _shapes(block)}


def branch_dependencies(ns, x, masks):
    """[what block(x) sees, what block(x) - x sees] (None where no gradient flows)."""
    _use_masks(masks)
    _seeded()
    x = np.asarray(x, np.float32)
    block = ns.MaskedResidualBlock(4)
    block(x)
    _positive_weights(block, "residual causality weights")
    full = measure_dependencies(block, x)
    branch = measure_dependencies(lambda v: block(v) - v, x)
    return [full, branch]


# ---------------------------------------------------------------- pixelcnn_model
def model_output(ns, image_shape, x, levels, masks, filters=4, residual_blocks=1):
    """{"is_model", "kind", "out"}: what build_pixelcnn returns, and its output on x."""
    _use_masks(masks)
    _seeded()
    model = ns.build_pixelcnn(
        tuple(image_shape), filters=filters, residual_blocks=residual_blocks, levels=levels
    )
    is_model = isinstance(model, keras.Model)
    return {
        "is_model": is_model,
        "kind": type(model).__name__,
        "input_shape": _declared_input_shape(model),
        "out": model(np.asarray(x, np.float32)) if is_model else None,
    }


def declared_input_shape(ns, image_shape, levels, masks):
    """The input shape that build_pixelcnn's model declares (see _declared_input_shape)."""
    _use_masks(masks)
    _seeded()
    model = ns.build_pixelcnn(tuple(image_shape), filters=4, residual_blocks=1, levels=levels)
    return _declared_input_shape(model)


def _declared_input_shape(model):
    """The shape (without the batch) of a functional or Sequential model's keras.Input, or
    None where the model declares none (a subclassed model)."""
    try:
        return [None if d is None else int(d) for d in model.inputs[0].shape[1:]]
    except Exception:  # noqa: BLE001 (no declared input is an answer too)
        return None


def model_table_output(ns, image_shape, x, levels, filters, residual_blocks, masks):
    """The output on x of build_pixelcnn's model, built of the stand-ins (whose weights are
    drawn from their shapes), the shapes of its trainable weights and its layers as steps."""
    _use_masks(masks)
    _seeded()
    model = ns.build_pixelcnn(
        tuple(image_shape), filters=filters, residual_blocks=residual_blocks, levels=levels
    )
    return {
        "out": model(np.asarray(x, np.float32)),
        "weights": _shapes(model),
        "plan": architecture.layer_plan(model),
    }


def model_dependencies(ns, levels, masks):
    _use_masks(masks)
    _seeded(7)
    model = ns.build_pixelcnn((7, 7, 1), filters=8, residual_blocks=2, levels=levels)
    _positive_weights(model, "model causality weights", scale=0.1)
    x = seeded_rng("model causality").uniform(0.1, 1.0, size=(1, 7, 7, 1)).astype(np.float32)
    return measure_dependencies(model, x)


def model_logits(ns, levels, masks):
    _use_masks(masks)
    _seeded(11)
    model = ns.build_pixelcnn((7, 7, 1), filters=8, residual_blocks=1, levels=levels)
    x = seeded_rng("model logits").integers(0, levels, size=(8, 7, 7, 1)) / (levels - 1)
    return model(x.astype(np.float32))


# ---------------------------------------------------------------- bits_per_dim
def bits_per_dim(ns, images, logits):
    return ns.bits_per_dim(tf.constant(images), tf.constant(logits))


def error_of_bits_per_dim(ns, images, logits):
    """[error name, message] when bits_per_dim raises on these inputs, else None."""
    return _raised(bits_per_dim, ns, images, logits)


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
    """Each pixel's logits favour the level of the pixel before it in raster order, read from
    the input scaled to [0, 1] (level / (levels - 1)); the first pixel is uniform. Binary:
    logit(i, j) = strength * (2 * previous - 1)."""

    def __init__(self, height, width, strength, levels=2, **kwargs):
        super().__init__(**kwargs)
        self.height, self.width, self.strength, self.levels = height, width, strength, levels

    def call(self, inputs):
        flat = keras.ops.reshape(inputs, (-1, self.height * self.width))
        previous = keras.ops.concatenate([flat[:, :1] * 0 + 0.5, flat[:, :-1]], axis=1)
        if self.levels == 2:
            logits = self.strength * (2 * previous - 1)
            return keras.ops.reshape(logits, (-1, self.height, self.width, 1))
        level = previous * (self.levels - 1)  # (B, D)
        choices = keras.ops.arange(self.levels, dtype="float32")
        logits = -self.strength * keras.ops.abs(level[..., None] - choices)  # (B, D, L)
        first = keras.ops.reshape(keras.ops.arange(self.height * self.width) > 0, (1, -1, 1))
        logits = logits * keras.ops.cast(first, "float32")
        return keras.ops.reshape(logits, (-1, self.height, self.width, self.levels))


def _model_of(layer, height, width):
    inputs = keras.Input((height, width, 1))
    return keras.Model(inputs, layer(inputs))


def sample_fixed(ns, logits, n, seed, levels):
    """sample_pixelcnn on a model whose logits (H, W, C) ignore the input."""
    _seeded()
    logits = np.asarray(logits, np.float32)
    model = _model_of(_FixedLogits(logits), *logits.shape[:2])
    return ns.sample_pixelcnn(model, n, seed=seed, levels=levels)


class _TraceCounter(keras.layers.Layer):
    """The identity, counting the runs of its call(): all of them, and those in a graph being
    traced (a tf.function traces its Python code once per new signature)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.calls = self.traces = 0

    def call(self, inputs):
        self.calls += 1
        if not tf.executing_eagerly():
            self.traces += 1
        return inputs


def sampling_traces(ns, logits, n, seed, levels):
    """{"calls", "traces"}: how many times sample_pixelcnn ran the model's Python code, and
    how many of those traced it into a graph, on a model whose logits (H, W, C) ignore the
    input: a graph once or twice when the position reaches its tf.function as a tensor, once
    per pixel when it comes as a Python number."""
    _seeded()
    logits = np.asarray(logits, np.float32)
    counter = _TraceCounter()
    inputs = keras.Input((*logits.shape[:2], 1))
    model = keras.Model(inputs, _FixedLogits(logits)(counter(inputs)))
    counter.calls = counter.traces = 0  # building the model traced it once
    ns.sample_pixelcnn(model, n, seed=seed, levels=levels)
    return {"calls": counter.calls, "traces": counter.traces}


def samples_for_seeds(ns, logits, n, seeds, levels):
    """One sample_pixelcnn call per seed on one fixed-logits model, in order."""
    _seeded()
    logits = np.asarray(logits, np.float32)
    model = _model_of(_FixedLogits(logits), *logits.shape[:2])
    return [ns.sample_pixelcnn(model, n, seed=seed, levels=levels) for seed in seeds]


def sample_previous_pixel(ns, height, width, strength, n, seed, levels=2):
    """sample_pixelcnn on a model where each pixel's level follows the pixel before it."""
    _seeded()
    model = _model_of(_PreviousPixel(height, width, strength, levels), height, width)
    return ns.sample_pixelcnn(model, n, seed=seed, levels=levels)


# ---------------------------------------------------------------- train_step
def _step_model(channels):
    """A small model (not a PixelCNN) with batch normalisation, whose moving statistics move
    only when it is called with training=True."""
    inputs = keras.Input((6, 6, 1))
    x = keras.layers.Conv2D(4, 3, padding="same")(inputs)
    x = keras.layers.BatchNormalization(momentum=0.5)(x)
    outputs = keras.layers.Conv2D(channels, 1)(keras.layers.ReLU()(x))
    return keras.Model(inputs, outputs)


def one_step(ns, images, levels):
    """One step of make_train_step on a small model with batch normalisation; the loss is the
    stand-in the part's namespace has for bits_per_dim.

    {"returned", "before", "after", "after_inference", "unchanged", "names", "moved", "raised"}:
    the loss the step returns; the loss (training=True) on the batch before and after it, and
    after it in inference mode; the indices of
    trainable variables with a nonzero gradient that did not change; their paths; whether the
    moving statistics moved; and [error type, message] when the step raised.
    """
    _seeded(5)
    images = np.asarray(images, np.int32)
    model = _step_model(1 if levels == 2 else levels)
    inputs = images.astype(np.float32) / (levels - 1)
    statistics = [v for v in model.non_trainable_variables if "moving" in v.path]
    saved = [_numpy(v).copy() for v in statistics]
    with tf.GradientTape() as tape:
        loss = ns.bits_per_dim(images, model(inputs, training=True))
    before = float(_numpy(loss))
    gradients = tape.gradient(loss, model.trainable_variables)
    for variable, value in zip(statistics, saved, strict=True):
        variable.assign(value)  # as they were: only the step may move them
    old = [_numpy(v).copy() for v in model.trainable_variables]
    step = ns.make_train_step(model, keras.optimizers.Adam(1e-2), levels=levels)
    try:
        returned = _numpy(step(tf.constant(images)))
    except Exception as error:  # noqa: BLE001 (reported as data: the check explains it)
        raise_if_unanswered(error)
        # The last line of a tf.function's error is the error itself (the rest: its trace).
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        return {"raised": [type(error).__name__, (lines[-1] if lines else "")[:300]]}
    moved = any(not np.array_equal(_numpy(v), s) for v, s in zip(statistics, saved, strict=True))
    # In inference mode first: a training-mode call moves the statistics it would read.
    after_inference = float(_numpy(ns.bits_per_dim(images, model(inputs, training=False))))
    after = float(_numpy(ns.bits_per_dim(images, model(inputs, training=True))))
    unchanged = [
        i
        for i, (v, o, g) in enumerate(zip(model.trainable_variables, old, gradients, strict=True))
        if g is not None and np.any(_numpy(g) != 0) and np.array_equal(_numpy(v), o)
    ]
    return {
        "returned": returned,
        "before": before,
        "after": after,
        "after_inference": after_inference,
        "unchanged": unchanged,
        "names": [v.path for v in model.trainable_variables],
        "moved": moved,
        "raised": None,
    }


def _logits_in_chunks(model, images, size=128):
    images = np.asarray(images)
    chunks = [images[i : i + size] for i in range(0, len(images), size)]
    return np.concatenate([_numpy(model(chunk.astype(np.float32))) for chunk in chunks])


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


# ---------------------------------------------------------------- trained_model
def handed_in_model(ns, weights_name, settings_name, images):
    """The handed-in model, built once with the submission's build_pixelcnn and its settings,
    its weights loaded: {"logits": its logits on `images`} (one batch of test images and
    test images with part of another pasted in, in an order only the check knows);
    {"missing": True} when a file is not there; {"load_error": type} when the weights do not fit
    the model that the settings build."""
    folder = ns.folder
    weights = folder / weights_name if folder else None
    settings = folder / settings_name if folder else None
    if weights is None or not weights.is_file() or not settings.is_file():
        return {"missing": True}
    _seeded()
    try:
        build = json.loads(settings.read_text(encoding="utf-8"))
        model = ns.build_pixelcnn(
            (28, 28, 1),
            filters=int(build["filters"]),
            residual_blocks=int(build["residual_blocks"]),
            levels=2,
        )
        model.load_weights(str(weights))
    except Exception as error:  # noqa: BLE001 (a file from another architecture, say)
        raise_if_unanswered(error)
        return {"load_error": type(error).__name__}
    return {"logits": _logits_in_chunks(model, np.asarray(images, np.int32))}
