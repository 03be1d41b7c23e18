"""The cycle term runs one way only: A -> B -> A, never B -> A -> B."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "cycle_objective"
MISTAKE = "The cycle term runs one way only: A -> B -> A, never B -> A -> B."


def generator_objective(
    g_ab, g_ba, d_a, d_b, real_a, real_b, cycle_weight=10.0, identity_weight=5.0
):
    fake_b = g_ab(real_a, training=True)
    fake_a = g_ba(real_b, training=True)
    adversarial = lsgan_generator_loss(d_b(fake_b, training=True)) + lsgan_generator_loss(
        d_a(fake_a, training=True)
    )
    cycle = keras.ops.mean(keras.ops.abs(real_a - g_ba(fake_b, training=True)))
    identity = keras.ops.mean(keras.ops.abs(real_b - g_ab(real_b, training=True))) + keras.ops.mean(
        keras.ops.abs(real_a - g_ba(real_a, training=True))
    )
    total = adversarial + cycle_weight * cycle + identity_weight * identity
    return total, fake_a, fake_b
