"""discriminator_hinge_loss drops the relu: mean(1 - real) + mean(1 + fake) is a linear loss with
no margin.
"""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "gaugan_losses"
MISTAKE = (
    "discriminator_hinge_loss drops the relu: mean(1 - real) + mean(1 + fake) is a linear "
    "loss with no margin."
)


def discriminator_hinge_loss(real_outputs, fake_outputs):
    losses = [
        ops.mean(1.0 - r[-1]) + ops.mean(1.0 + f[-1])
        for r, f in zip(real_outputs, fake_outputs, strict=False)
    ]
    return ops.mean(ops.stack(losses))
