"""The generator minimises the cross-entropy with label 0, helping the discriminator."""

import keras

PART = "generator_loss"
MISTAKE = (
    "The generator's loss uses label 0 for its images, so it learns to look fake; the "
    "generator wants D to answer 1 (real)."
)


def generator_loss(fake_logits):
    return keras.ops.mean(
        keras.ops.binary_crossentropy(
            keras.ops.zeros_like(fake_logits), fake_logits, from_logits=True
        )
    )
