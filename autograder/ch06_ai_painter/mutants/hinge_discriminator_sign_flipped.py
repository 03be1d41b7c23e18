"""discriminator_hinge_loss takes relu(1 + real) + relu(1 - fake): the signs are swapped, so the
discriminator learns to call real images fake.
"""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "gaugan_losses"
MISTAKE = (
    "discriminator_hinge_loss takes relu(1 + real) + relu(1 - fake): the signs are swapped, "
    "so the discriminator learns to call real images fake."
)


def discriminator_hinge_loss(real_outputs, fake_outputs):
    losses = [
        ops.mean(ops.relu(1.0 + r[-1])) + ops.mean(ops.relu(1.0 - f[-1]))
        for r, f in zip(real_outputs, fake_outputs, strict=False)
    ]
    return ops.mean(ops.stack(losses))
