"""generator_objective runs the networks in inference mode (training=False)."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "cycle_objective"
MISTAKE = "generator_objective runs the networks in inference mode (training=False)."


def generator_objective(
    g_ab, g_ba, d_a, d_b, real_a, real_b, cycle_weight=10.0, identity_weight=5.0
):
    fake_b = g_ab(real_a, training=False)
    fake_a = g_ba(real_b, training=False)
    adversarial = lsgan_generator_loss(d_b(fake_b, training=False)) + lsgan_generator_loss(
        d_a(fake_a, training=False)
    )
    cycle = keras.ops.mean(keras.ops.abs(real_a - g_ba(fake_b, training=False))) + keras.ops.mean(
        keras.ops.abs(real_b - g_ab(fake_a, training=False))
    )
    identity = keras.ops.mean(
        keras.ops.abs(real_b - g_ab(real_b, training=False))
    ) + keras.ops.mean(keras.ops.abs(real_a - g_ba(real_a, training=False)))
    total = adversarial + cycle_weight * cycle + identity_weight * identity
    return total, fake_a, fake_b
