"""Probes of iGAN's hidden checks: each calls the code under test and returns plain data.

They run in the sandbox worker (igcourse.sandbox): no thresholds, verdicts or reference code
here. A probe's first argument is the namespace of the code under test. The generators and
encoders are tiny ones built here with seeded weights; the generator has a batch normalisation,
so that running it in training mode shows (its moving statistics change).
"""

import keras
import numpy as np
import tensorflow as tf

from igcourse.grading import gansteps
from igcourse.grading.ch06_igan import (  # noqa: F401 (the stand-ins, by name)
    stand_in_make_projection_step,
    stand_in_masked_colour_loss,
    stand_in_prior_loss,
)
from igcourse.grading.checks import seeded_rng
from igcourse.grading.probing import as_array, output_or_error
from igcourse.grading.public import run_public_checks as public_checks  # noqa: F401
from igcourse.grading.seeded_weights import set_seeded_weights

STAND_INS = {
    "projection_step": {
        "masked_colour_loss": "stand_in_masked_colour_loss",
        "prior_loss": "stand_in_prior_loss",
    },
    "projection": {
        "masked_colour_loss": "stand_in_masked_colour_loss",
        "prior_loss": "stand_in_prior_loss",
        "make_projection_step": "stand_in_make_projection_step",
    },
}

SIZE = 28


def normal(label, shape, scale=1.0):
    return (scale * seeded_rng(label).standard_normal(shape)).astype(np.float32)


def strokes(label, count, size=SIZE, share=0.2):
    """Masks (count, height, width, 1) of 0 and 1 (size an int or (height, width)), about
    `share` of the pixels drawn."""
    height, width = (size, size) if isinstance(size, int) else size
    shape = (count, height, width, 1)
    return (seeded_rng(label).uniform(0, 1, shape) < share).astype(np.float32)


def tiny_generator(seed, z_dim):
    """z -> Dense -> 7 x 7 x 4 -> BatchNormalization -> upsampled to 28 x 28 -> tanh."""
    z = keras.Input((z_dim,))
    x = keras.layers.Reshape((7, 7, 4))(keras.layers.Dense(7 * 7 * 4)(z))
    x = keras.layers.ReLU()(keras.layers.BatchNormalization()(x))
    x = keras.layers.UpSampling2D(4)(x)
    images = keras.layers.Conv2D(1, 3, padding="same", activation="tanh")(x)
    generator = keras.Model(z, images, name="generator")
    set_seeded_weights(generator, f"igan generator {seed}")
    norm = generator.layers[3]
    norm.moving_mean.assign(normal(f"moving mean {seed}", (4,), 0.1))
    norm.moving_variance.assign(1.0 + np.abs(normal(f"moving variance {seed}", (4,), 0.2)))
    return generator


def tiny_encoder(seed, z_dim):
    images = keras.Input((SIZE, SIZE, 1))
    x = keras.layers.Conv2D(2, 3, strides=4, padding="same", activation="relu")(images)
    encoder = keras.Model(images, keras.layers.Dense(z_dim)(keras.layers.Flatten()(x)))
    set_seeded_weights(encoder, f"igan encoder {seed}")
    return encoder


def _flat(variables):
    """The variables' current values, in one vector."""
    return np.concatenate([np.ravel(v) for v in gansteps.values(variables)])


def _weights(network):
    """The network's trainable weights and its moving statistics, each in one vector."""
    return _flat(network.trainable_weights), _flat(network.non_trainable_weights)


def _kept(network, trainable, statistics):
    """Whether the network's trainable weights and its moving statistics are as they were."""
    now_trainable, now_statistics = _weights(network)
    return [
        bool(np.array_equal(trainable, now_trainable)),
        bool(np.array_equal(statistics, now_statistics)),
    ]


# ---------------------------------------------------------------- constraint_losses
def constraint_values(ns, seed):
    """masked_colour_loss on images, targets and masks (the last mask empty), the same with the
    targets changed where nothing was drawn, its gradient to the images, and prior_loss."""
    images = normal(f"images {seed}", (4, 6, 5, 1)).clip(-1, 1)
    targets = normal(f"targets {seed}", (4, 6, 5, 1)).clip(-1, 1)
    masks = strokes(f"masks {seed}", 4, (6, 5))
    masks[0, 0, :, 0] = 1.0  # every image but the last has a stroke
    masks[3] = 0.0
    elsewhere = np.where(masks > 0, targets, targets + normal(f"elsewhere {seed}", targets.shape))
    z = normal(f"prior z {seed}", (3, 7), 1.5)

    def gradient():
        x = tf.constant(images)
        with tf.GradientTape() as tape:
            tape.watch(x)
            loss = ns.masked_colour_loss(x, tf.constant(targets), tf.constant(masks))
        return as_array(tape.gradient(loss, x))

    return {
        "loss": output_or_error(lambda: as_array(ns.masked_colour_loss(images, targets, masks))),
        "elsewhere": output_or_error(
            lambda: as_array(ns.masked_colour_loss(images, elsewhere, masks))
        ),
        "empty": output_or_error(
            lambda: as_array(ns.masked_colour_loss(images[3:], targets[3:], masks[3:]))
        ),
        "gradient": output_or_error(gradient),
        "masks": masks,
        "prior": output_or_error(lambda: as_array(ns.prior_loss(z))),
    }


# ---------------------------------------------------------------- projection_step
def projection_step_effects(ns, seed, prior_weight, steps):
    """make_projection_step(tiny generator, SGD 0.1, prior_weight): z after one step and what it
    returned, the losses of `steps` more steps, whether the generator's weights (its moving
    statistics too) stayed, and whether the step is a tf.function."""
    z_dim = 6
    generator = tiny_generator(seed, z_dim)
    before = _weights(generator)
    targets = normal(f"projection targets {seed}", (2, SIZE, SIZE, 1)).clip(-1, 1)
    masks = strokes(f"projection masks {seed}", 2)
    z = tf.Variable(normal(f"projection z {seed}", (2, z_dim)))
    step = ns.make_projection_step(generator, keras.optimizers.SGD(0.1), prior_weight)
    returned = output_or_error(lambda: float(step(z, tf.constant(targets), tf.constant(masks))))
    out = {"returned": returned, "z": as_array(z)}
    if not isinstance(returned, dict):
        out["losses"] = output_or_error(
            lambda: [float(step(z, tf.constant(targets), tf.constant(masks))) for _ in range(steps)]
        )
    out["generator_kept"] = _kept(generator, *before)
    out["is_function"] = isinstance(step, tf.types.experimental.PolymorphicFunction)
    return out


# ---------------------------------------------------------------- inverse_encoder
def encoder_values(ns, seed, z_dim, filters):
    """build_inverse_encoder(z_dim, filters) with seeded weights, on seeded images."""

    def compute():
        keras.utils.set_random_seed(seed)
        encoder = ns.build_inverse_encoder(z_dim, filters)
        set_seeded_weights(encoder, f"inverse encoder {seed}")
        return as_array(encoder(normal(f"inverse encoder images {seed}", (3, SIZE, SIZE, 1))))

    return output_or_error(compute)


def encoder_training(ns, seed, steps):
    """make_encoder_step(tiny encoder, tiny generator, Adam 0.01, 16): its losses over `steps`
    steps, whether the encoder changed and the generator (moving statistics too) did not, and
    the loss the encoder has after training, measured here on fresh codes."""
    z_dim = 4
    generator, encoder = tiny_generator(seed, z_dim), tiny_encoder(seed, z_dim)
    kept = _weights(generator)
    start = _flat(encoder.weights)
    z = normal(f"encoder check z {seed}", (256, z_dim))

    def error():
        return float(np.mean((np.asarray(encoder(generator(z, training=False))) - z) ** 2))

    error_before = error()
    step = ns.make_encoder_step(encoder, generator, keras.optimizers.Adam(0.01), 16)
    losses = output_or_error(lambda: [float(step()) for _ in range(steps)])
    return {
        "losses": losses,
        "encoder_changed": not np.array_equal(start, _flat(encoder.weights)),
        "generator_kept": _kept(generator, *kept),
        "error_before": error_before,
        "error": error(),
        "is_function": isinstance(step, tf.types.experimental.PolymorphicFunction),
    }


# ---------------------------------------------------------------- projection
def projection_values(ns, seed, steps, rate, prior_weight):
    """project(tiny generator, tiny encoder, targets, masks, steps, rate, prior_weight): z and
    the losses, and the loss of the encoder's guess (where the projection starts)."""
    z_dim = 6
    generator, encoder = tiny_generator(seed, z_dim), tiny_encoder(seed, z_dim)
    targets = normal(f"project targets {seed}", (3, SIZE, SIZE, 1)).clip(-1, 1)
    masks = strokes(f"project masks {seed}", 3, share=0.3)

    def compute():
        z, losses = ns.project(generator, encoder, targets, masks, steps, rate, prior_weight)
        return {"z": as_array(z), "losses": [float(v) for v in np.ravel(as_array(losses))]}

    guess = encoder(targets)
    start = stand_in_masked_colour_loss(generator(guess, training=False), targets, masks)
    out = output_or_error(compute)
    if isinstance(out, dict) and "error" not in out:
        out["start"] = float(start + prior_weight * stand_in_prior_loss(guess))
    return out


# ---------------------------------------------------------------- manifold_interpolation
def slerp_values(ns, z_a, z_b, ts):
    """slerp(z_a, z_b, t) for each t, as arrays."""
    return [output_or_error(lambda t=t: as_array(ns.slerp(z_a, z_b, t))) for t in ts]


def interpolation_values(ns, seed, steps):
    """interpolate_on_manifold(tiny generator, z_a, z_b, steps) for codes of equal norms, the
    generator's images of z_a and z_b, and slerp's codes for the same t (which tell a slerp
    mistake from an interpolation that does not call slerp)."""
    z_dim = 6
    generator = tiny_generator(seed, z_dim)
    z_a, z_b = normal(f"interpolate a {seed}", (z_dim,)), normal(f"interpolate b {seed}", (z_dim,))
    z_b *= np.linalg.norm(z_a) / np.linalg.norm(z_b)  # equal norms: every slerp agrees
    ends = as_array(generator(np.stack([z_a, z_b]), training=False))
    images = output_or_error(
        lambda: as_array(ns.interpolate_on_manifold(generator, z_a, z_b, steps))
    )
    ts = np.linspace(0.0, 1.0, steps)
    # (1, Z) rows, as the task's slerp takes them (a (Z,) vector is outside its contract).
    codes = output_or_error(lambda: [as_array(ns.slerp(z_a[None], z_b[None], t))[0] for t in ts])
    return {"images": images, "ends": ends, "codes": codes}
