"""Measurements of a student's network that public and hidden checks share.

Shipped with the student package (public checks use it); the hidden probes import it too, so
that one piece of code says what "the output activation shows" and "labels act as categories"
mean on both sides.
"""

import numpy as np


def scale_kernels(model, factor):
    """Every kernel of the model times `factor`, nested and subclassed models' too: whatever
    comes before the output activation is then large, so the activation shows (batch
    normalisation in training mode cancels the factor of the layers it follows, not the last)."""
    for variable in model.trainable_variables:
        if str(getattr(variable, "path", variable.name)).endswith("kernel"):
            variable.assign(variable * factor)


def scaled_output(model, inputs, factor=50.0):
    """The model's output in training mode once every kernel is `factor` times larger."""
    scale_kernels(model, factor)
    return np.asarray(model(inputs, training=True))


def midpoint_ratios(outputs):
    """For every three consecutive labels a, a + 1, a + 2: |out(a + 1) - (out(a) + out(a + 2)) / 2|
    over |out(a + 2) - out(a)|; outputs: [array] indexed by label.

    A label read as a number moves the output along one smooth curve (ratios near 0); embedded
    or one-hot labels move it in unrelated directions."""
    ratios = []
    for a in range(len(outputs) - 2):
        low, mid, high = (np.asarray(outputs[a + i], np.float64) for i in range(3))
        span = np.linalg.norm(high - low)
        ratios.append(float(np.linalg.norm(mid - (low + high) / 2) / span) if span > 0 else 0.0)
    return ratios


def gradient_window(model, inputs, cell):
    """Where one output cell looks: for each input of the model (a list of arrays), the rows and
    columns of its first image whose pixels have a non-zero gradient of output[0, row, col, 0],
    as [first row, last row, first column, last column], or None where none has.

    cell: (row, col). Training mode, as the network is trained."""
    import tensorflow as tf

    variables = [tf.Variable(np.asarray(x, np.float32)) for x in inputs]
    with tf.GradientTape() as tape:
        output = model(list(variables), training=True)
        value = output[0, cell[0], cell[1], 0]
    windows = []
    for gradient in tape.gradient(value, variables):
        if gradient is None:
            windows.append(None)
            continue
        seen = np.abs(np.asarray(gradient)[0]).max(axis=-1) > 0
        if not seen.any():
            windows.append(None)
            continue
        rows, cols = np.flatnonzero(seen.any(axis=1)), np.flatnonzero(seen.any(axis=0))
        windows.append([int(rows[0]), int(rows[-1]), int(cols[0]), int(cols[-1])])
    return windows
