"""feature_matching_loss also compares the logits, the last feature map of each scale."""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "gaugan_losses"
MISTAKE = "feature_matching_loss also compares the logits, the last feature map of each scale."


def feature_matching_loss(real_outputs, fake_outputs):
    per_scale = []
    for real, fake in zip(real_outputs, fake_outputs, strict=False):
        layers = [
            ops.mean(ops.abs(ops.stop_gradient(r) - f)) for r, f in zip(real, fake, strict=False)
        ]
        per_scale.append(ops.mean(ops.stack(layers)))
    return ops.mean(ops.stack(per_scale))
