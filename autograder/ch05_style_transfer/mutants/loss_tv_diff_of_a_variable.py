"""total_variation takes keras.ops.diff of its argument, which fails on the step's tf.Variable
inside a tf.function (it passes on arrays and tensors)."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "nst_losses"
MISTAKE = (
    "total_variation takes keras.ops.diff of its argument, which fails on the step's "
    "tf.Variable inside a tf.function."
)
NAMED_BY = "Some keras.ops functions (keras.ops.diff, say) do not take a variable there"


def total_variation(images):
    down = keras.ops.abs(keras.ops.diff(images, axis=1))
    across = keras.ops.abs(keras.ops.diff(images, axis=2))
    return keras.ops.mean(down) + keras.ops.mean(across)
