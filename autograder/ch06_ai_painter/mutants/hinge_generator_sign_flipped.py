"""generator_hinge_loss returns mean(fake logits) instead of -mean(fake logits), so the generator
learns to look fake.
"""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "gaugan_losses"
MISTAKE = (
    "generator_hinge_loss returns mean(fake logits) instead of -mean(fake logits), so the "
    "generator learns to look fake."
)


def generator_hinge_loss(fake_outputs):
    return ops.mean(ops.stack([ops.mean(f[-1]) for f in fake_outputs]))
