"""perceptual_loss sums the layers' mean absolute differences without multiplying them by
layer_weights.
"""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "gaugan_losses"
MISTAKE = (
    "perceptual_loss sums the layers' mean absolute differences without multiplying them by "
    "layer_weights."
)


def perceptual_loss(extractor, real, fake, layer_weights):
    terms = [
        ops.mean(ops.abs(ops.stop_gradient(r) - f))
        for r, f in zip(extractor(real), extractor(fake), strict=False)
    ]
    return ops.sum(ops.stack(terms))
