"""feature_matching_loss takes the mean squared difference instead of the mean absolute difference
(L1).
"""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "gaugan_losses"
MISTAKE = (
    "feature_matching_loss takes the mean squared difference instead of the mean absolute "
    "difference (L1)."
)


def feature_matching_loss(real_outputs, fake_outputs):
    per_scale = []
    for real, fake in zip(real_outputs, fake_outputs, strict=False):
        layers = [
            ops.mean(ops.square(ops.stop_gradient(r) - f))
            for r, f in zip(real[:-1], fake[:-1], strict=False)
        ]
        per_scale.append(ops.mean(ops.stack(layers)))
    return ops.mean(ops.stack(per_scale))
