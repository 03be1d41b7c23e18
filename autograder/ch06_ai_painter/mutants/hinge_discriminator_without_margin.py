"""discriminator_hinge_loss takes mean(-real) + mean(fake), the Wasserstein critic's loss, without
the hinge's relu(1 - ...) margins.
"""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "gaugan_losses"
MISTAKE = (
    "discriminator_hinge_loss takes mean(-real) + mean(fake), the Wasserstein critic's loss, "
    "without the hinge's relu(1 - ...) margins."
)


def discriminator_hinge_loss(real_outputs, fake_outputs):
    losses = [
        ops.mean(-r[-1]) + ops.mean(f[-1]) for r, f in zip(real_outputs, fake_outputs, strict=False)
    ]
    return ops.mean(ops.stack(losses))
