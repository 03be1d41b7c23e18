"""feature_matching_loss lets gradients reach the real features (no stop_gradient), so the
discriminator's features of real images move to match the fakes.
"""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "gaugan_losses"
MISTAKE = (
    "feature_matching_loss lets gradients reach the real features (no stop_gradient), so the "
    "discriminator's features of real images move to match the fakes."
)


def feature_matching_loss(real_outputs, fake_outputs):
    per_scale = []
    for real, fake in zip(real_outputs, fake_outputs, strict=False):
        layers = [ops.mean(ops.abs(r - f)) for r, f in zip(real[:-1], fake[:-1], strict=False)]
        per_scale.append(ops.mean(ops.stack(layers)))
    return ops.mean(ops.stack(per_scale))
