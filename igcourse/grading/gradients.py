"""Gradient helpers for checks: finite-difference checks and which inputs an output sees.

TensorFlow is imported inside the functions, so loading this module stays cheap.
"""

import numpy as np

from igcourse.grading.checks import fail
from igcourse.i18n import _


def constant_part_note(value, expected_value, rtol=1e-4, atol=1e-6):
    """The sentence for a function whose value is right while its gradient is wrong (to add
    after a failed gradient comparison), or "" when the value is wrong too or unknown."""
    try:
        right = value is not None and np.allclose(
            np.asarray(value, np.float64), np.asarray(expected_value, np.float64), rtol, atol
        )
    except (TypeError, ValueError):
        right = False
    if not right:
        return ""
    return _(
        "Its value is right but its gradient is not: the tape sees part of the computation as "
        "a constant (a NumPy function such as np.exp applied to a tensor, a value taken out "
        "with .numpy() or float(), a tf.stop_gradient), and no gradient flows through that part."
    )


def gradient_check(fn, inputs, delta=1e-3):
    """Largest gap between fn's autodiff Jacobian and finite differences, in float64, relative
    to the scale of the function and its Jacobian where that is above 1.

    fn takes the inputs as float64 tensors; a large gap means a gradient is wrong or missing
    (an op outside TensorFlow, a stop_gradient, a rounding step). Relative, because the round-off
    of float32 code in the differences grows with the function's value: a loss summed where a
    mean is asked is larger, not wrongly differentiated.
    """
    import tensorflow as tf

    inputs = [tf.constant(np.asarray(x, dtype=np.float64)) for x in inputs]
    theoretical, numerical = tf.test.compute_gradient(fn, inputs, delta=delta)
    value = float(np.max(np.abs(np.asarray(fn(*inputs))), initial=0.0))
    return max(
        float(np.max(np.abs(t - n), initial=0.0))
        / max(
            1.0, value, float(np.max(np.abs(t), initial=0.0)), float(np.max(np.abs(n), initial=0.0))
        )
        for t, n in zip(theoretical, numerical, strict=False)
    )


def input_dependencies(fn, x, what):
    """Which input pixels each output pixel depends on, from the Jacobian of fn at x.

    x: one image (1, H, W, C). Returns a bool array (H_out, W_out, H, W): entry [i, j, k, l]
    is True when some channel of output pixel (i, j) has a nonzero gradient with respect to
    some channel of input pixel (k, l). fn must treat the images of a batch independently:
    the Jacobian comes from one backward pass over a batch with one copy of x per output.
    """
    return require_dependencies(measure_dependencies(fn, x), what)


def require_dependencies(deps, what):
    """deps, or a failed check when no gradient flowed (measure_dependencies gave None)."""
    if deps is None:
        fail(
            _(
                "No gradient flows from the output of {what} back to its input: keep every "
                "step in TensorFlow or Keras operations (no NumPy, no .numpy())."
            ).format(what=what)
        )
    return deps


def measure_dependencies(fn, x):
    """input_dependencies without a verdict: None when no gradient flows (for probes)."""
    import tensorflow as tf

    x = np.asarray(x, dtype=np.float32)
    out_shape = tuple(tf.convert_to_tensor(fn(tf.constant(x))).shape[1:])  # (H_out, W_out, C_out)
    count = int(np.prod(out_shape))
    copies = tf.constant(np.repeat(x, count, axis=0))  # (count, H, W, C)
    select = tf.constant(np.eye(count, dtype=np.float32).reshape((count, *out_shape)))
    with tf.GradientTape() as tape:
        tape.watch(copies)
        y = tf.cast(tf.convert_to_tensor(fn(copies)), tf.float32)
        picked = tf.reduce_sum(y * select)  # copy b holds output element b
    gradient = tape.gradient(picked, copies)
    if gradient is None:
        return None
    seen = np.abs(gradient.numpy()).sum(axis=-1) > 0  # (count, H, W)
    seen = seen.reshape((*out_shape, *x.shape[1:3]))  # (H_out, W_out, C_out, H, W)
    return seen.any(axis=2)


def raster_order(height, width):
    return np.arange(height * width).reshape(height, width)


def future_dependencies(deps, include_centre):
    """Pairs (output pixel, input pixel) where an output sees what it may not see.

    In raster order an output pixel may see only earlier input pixels, and itself when
    include_centre is True (a type B mask); this lists every other dependency.
    """
    order = raster_order(*deps.shape[2:])
    out_order = order[: deps.shape[0], : deps.shape[1], None, None]
    in_order = order[None, None]
    forbidden = in_order > out_order if include_centre else in_order >= out_order
    return [((i, j), (k, l)) for i, j, k, l in np.argwhere(deps & forbidden)]


def dependency_picture(deps, position):
    """Text picture of what output pixel `position` sees: O itself, X a dependency, . none."""
    row, col = position
    lines = []
    for k in range(deps.shape[2]):
        cells = []
        for l in range(deps.shape[3]):
            seen = deps[row, col, k, l]
            if (k, l) == (row, col):
                cells.append("@" if seen else "O")
            else:
                cells.append("X" if seen else ".")
        lines.append(" ".join(cells))
    return "\n".join(lines)


def describe_future_dependency(deps, pairs, include_centre):
    """A message about the first bad pair, with the picture of what that output sees."""
    (row, col), (k, l) = pairs[0]
    if include_centre:
        rule = _(
            "may depend only on input pixels before it in raster order (row by row, "
            "left to right) and on itself"
        )
    else:
        rule = _(
            "may depend only on input pixels strictly before it in raster order (row by "
            "row, left to right), not on itself"
        )
    return _(
        "Output pixel (row {row}, column {col}) depends on input pixel (row {k}, column {l}), "
        "but it {rule}. {count} such dependencies in all. What output pixel (row {row}, "
        "column {col}) sees (O: the pixel itself, @: itself and seen, X: seen):\n{picture}"
    ).format(
        row=row,
        col=col,
        k=k,
        l=l,
        rule=rule,
        count=len(pairs),
        picture=dependency_picture(deps, (row, col)),
    )
