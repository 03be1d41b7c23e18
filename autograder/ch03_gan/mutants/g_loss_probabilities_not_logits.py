"""The cross-entropy without from_logits=True: logits read as probabilities."""

import keras

PART = "generator_loss"
MISTAKE = (
    "binary_crossentropy is called without from_logits=True, so its input is read as a "
    "probability and clipped to [eps, 1 - eps] (the logits themselves, or a sigmoid whose "
    "tiny values the clip cuts off, losing the gradient); pass the logits with "
    "from_logits=True."
)


def generator_loss(fake_logits):
    fake_logits = keras.ops.convert_to_tensor(fake_logits, "float32")
    ones = keras.ops.ones_like(fake_logits)
    return keras.ops.mean(keras.ops.binary_crossentropy(ones, fake_logits))
