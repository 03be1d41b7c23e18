"""generator_hinge_loss takes mean(relu(1 - fake logits)), the discriminator's hinge, instead of
-mean(fake logits).
"""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "gaugan_losses"
MISTAKE = (
    "generator_hinge_loss takes mean(relu(1 - fake logits)), the discriminator's hinge, "
    "instead of -mean(fake logits)."
)


def generator_hinge_loss(fake_outputs):
    return ops.mean(ops.stack([ops.mean(ops.relu(1.0 - f[-1])) for f in fake_outputs]))
