"""Twice one mean over the real and fake terms together: right only for batches of one size."""

import keras

PART = "discriminator_loss"
MISTAKE = (
    "the loss is twice one mean over the real and the fake terms together, which equals the sum "
    "of the two means only when both batches have the same size; otherwise the larger batch "
    "weighs more: add the mean over the real logits and the mean over the fake ones."
)


def discriminator_loss(real_logits, fake_logits):
    ops = keras.ops
    logits = ops.concatenate([ops.reshape(real_logits, (-1,)), ops.reshape(fake_logits, (-1,))])
    labels = ops.concatenate(
        [
            ops.ones_like(ops.reshape(real_logits, (-1,))),
            ops.zeros_like(ops.reshape(fake_logits, (-1,))),
        ]
    )
    terms = ops.binary_crossentropy(labels[:, None], logits[:, None], from_logits=True)
    return 2.0 * ops.mean(terms)
