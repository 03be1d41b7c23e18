"""The saturating minimax generator loss, mean log(1 - sigmoid(l))."""

import keras

PART = "generator_loss"
MISTAKE = (
    "This is the saturating minimax loss log(1 - sigmoid(l)), whose gradient vanishes when the "
    "discriminator rejects the fakes; minimise -log sigmoid(l) instead."
)


def generator_loss(fake_logits):
    return -keras.ops.mean(
        keras.ops.binary_crossentropy(
            keras.ops.zeros_like(fake_logits), fake_logits, from_logits=True
        )
    )
