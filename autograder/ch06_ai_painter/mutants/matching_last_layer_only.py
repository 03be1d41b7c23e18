"""feature_matching_loss compares each scale's last feature map alone (the logits) instead of every
feature map but the logits.
"""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "gaugan_losses"
MISTAKE = (
    "feature_matching_loss compares each scale's last feature map alone (the logits) instead "
    "of every feature map but the logits."
)


def feature_matching_loss(real_outputs, fake_outputs):
    per_scale = [
        ops.mean(ops.abs(ops.stop_gradient(r[-1]) - f[-1]))
        for r, f in zip(real_outputs, fake_outputs, strict=False)
    ]
    return ops.mean(ops.stack(per_scale))
