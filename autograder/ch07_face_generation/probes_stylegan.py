"""Probes of StyleGAN's hidden checks: each calls the code under test and returns plain data.

They run in the sandbox worker (igcourse.sandbox): no thresholds, verdicts or reference code
here. A probe's first argument is the namespace of the code under test.

What is measured holds whatever the order in which a correct answer creates its weights: the
mapping network's kernels and biases are taken by rank in the order of `weights`; the synthesis
network is built on stand-in AdaIN and noise layers that note which style and which feature size
each call got.
"""

import keras
import numpy as np
import tensorflow as tf

from igcourse.grading import handed_in
from igcourse.grading.ch07_stylegan import (  # noqa: F401 (the stand-ins, by name)
    StandInAdaIN,
    StandInMappingNetwork,
    StandInNoiseInjection,
    StandInStyleGenerator,
    step_networks,
)
from igcourse.grading.checks import seeded_rng
from igcourse.grading.probing import as_array, output_or_error
from igcourse.grading.public import run_public_checks as public_checks  # noqa: F401

NUM_STYLES = 8

# ---------------------------------------------------------------- stand-ins
# Each part runs with the other parts' code replaced by correct stand-ins, so that a mistake in
# one part costs that part alone.
STAND_INS = {
    "style_generator": {"AdaIN": "StandInAdaIN", "NoiseInjection": "StandInNoiseInjection"},
    "stylegan_step": {  # the public check builds the networks: correct ones
        "MappingNetwork": "StandInMappingNetwork",
        "StyleGenerator": "StandInStyleGenerator",
    },
}


def normal(label, shape, scale=1.0):
    return (scale * seeded_rng(label).standard_normal(shape)).astype(np.float32)


def _trainable_shapes(layer):
    return [list(v.shape) for v in layer.trainable_weights]


# ---------------------------------------------------------------- mapping_network
def mapping_values(ns, seed, latent_dim, depth, lr_multiplier, z):
    """MappingNetwork(latent_dim, depth, lr_multiplier): the spread of its stored kernels and
    biases as drawn, then its outputs for z and 3 z with kernels and biases set from seeded
    draws (by rank, in the order of `weights`), and the shapes of its trainable weights."""

    def compute():
        keras.utils.set_random_seed(seed)
        mapping = ns.MappingNetwork(latent_dim=latent_dim, depth=depth, lr_multiplier=lr_multiplier)
        mapping(tf.constant(z))
        kernels = [v for v in mapping.weights if len(v.shape) == 2]
        biases = [v for v in mapping.weights if len(v.shape) == 1]
        drawn = [np.ravel(as_array(v)) for v in kernels]
        drawn_bias = [np.ravel(as_array(v)) for v in biases]
        for index, kernel in enumerate(kernels):
            kernel.assign(normal(f"mapping kernel {index}", kernel.shape, 1.0 / lr_multiplier))
        for index, bias in enumerate(biases):
            bias.assign(normal(f"mapping bias {index}", bias.shape, 3.0 / lr_multiplier))
        return {
            "kernel_std": float(np.std(np.concatenate(drawn))) if drawn else 0.0,
            "bias_max": float(np.max(np.abs(np.concatenate(drawn_bias)))) if drawn_bias else 0.0,
            "output": as_array(mapping(tf.constant(z))),
            "scaled": as_array(mapping(tf.constant(3.0 * z))),
            "trainable": _trainable_shapes(mapping),
            "weights": len(mapping.weights),
        }

    return output_or_error(compute)


# ---------------------------------------------------------------- adain_modulation
def adain_values(ns, seed, x, ws):
    """AdaIN(C) on features x with each style of ws (w = 0 first): the outputs, the shapes of its
    trainable weights and how many of them get a gradient from the output."""

    def compute():
        keras.utils.set_random_seed(seed)
        layer = ns.AdaIN(x.shape[-1])
        outputs = [as_array(layer(tf.constant(x), tf.constant(w))) for w in ws]
        with tf.GradientTape() as tape:
            out = layer(tf.constant(x), tf.constant(ws[-1]))
            total = tf.reduce_sum(out * tf.constant(normal("adain weights", x.shape)))
        gradients = tape.gradient(total, layer.trainable_weights)
        reached = sum(1 for g in gradients if g is not None and np.any(as_array(g) != 0))
        return {"outputs": outputs, "trainable": _trainable_shapes(layer), "reached": reached}

    return output_or_error(compute)


# ---------------------------------------------------------------- noise_injection
def noise_values(ns, x, noise, strengths):
    """NoiseInjection on x: new with the noise given; the trainable weights' shapes; with its one
    (C,) weight set to strengths: with the noise given, twice drawn eagerly, twice drawn in a
    tf.function, and a large draw's mean and spread."""

    def compute():
        layer = ns.NoiseInjection()
        fresh = as_array(layer(tf.constant(x), tf.constant(noise)))
        shapes = _trainable_shapes(layer)
        found = [v for v in layer.trainable_weights if list(v.shape) == [x.shape[-1]]]
        result = {"fresh": fresh, "trainable": shapes}
        if len(found) != 1:
            return result
        found[0].assign(strengths)
        traced = tf.function(lambda features: layer(features))
        large = np.ones((4, 16, 16, x.shape[-1]), np.float32)
        big = (as_array(layer(tf.constant(large))) - large) / strengths
        result.update(
            {
                "given": as_array(layer(tf.constant(x), tf.constant(noise))),
                "drawn": [as_array(layer(tf.constant(x))) for _ in range(2)],
                "traced": [as_array(traced(tf.constant(x))) for _ in range(2)],
                "large": [float(np.mean(big)), float(np.std(big))],
            }
        )
        return result

    return output_or_error(compute)


# ---------------------------------------------------------------- style_generator
def _slot(w, ws):
    """Which style slot of ws the batch of styles w is (None: none of them)."""
    for index in range(ws.shape[1]):
        if w.shape == ws[:, index].shape and np.allclose(w, ws[:, index], atol=1e-6):
            return index
    return None


def generator_values(ns, seed, latent_dim, filters, ws):
    """StyleGenerator(latent_dim, filters) on the stand-in AdaIN and noise layers, called on ws:
    the images; (feature side, style slot) of every AdaIN call and the side of every noise call;
    the gradient reach of each style slot and of each given noise map (strengths set to 1);
    whether fresh calls with noise drawn agree (strengths 0) and differ (strengths 1); the
    trainable constants of shape (1, 4, 4, filters) and their gradient; the images with every
    trainable weight set from a draw that depends on its shape alone (so that answers that
    create their layers in other orders compute the same network) and the noise maps given; the
    number of trainable parameters."""

    def compute():
        keras.utils.set_random_seed(seed)
        generator = ns.StyleGenerator(latent_dim=latent_dim, filters=filters)
        styles = tf.constant(ws)
        generator(styles)
        StandInAdaIN.log.clear()
        StandInNoiseInjection.log.clear()
        images = as_array(generator(styles))
        adain_calls = [[side, _slot(w, ws)] for side, w in StandInAdaIN.log]
        noise_calls = [int(side) for side in StandInNoiseInjection.log]
        quiet = [as_array(generator(styles)) for _ in range(2)]
        constants = [
            v for v in generator.trainable_variables if list(v.shape) == [1, 4, 4, filters]
        ]
        constant_values = [as_array(v) for v in constants]
        for layer in generator._flatten_layers():
            if isinstance(layer, StandInNoiseInjection):
                layer.strength.assign(tf.ones_like(layer.strength))
        noisy = [as_array(generator(styles)) for _ in range(2)]
        sides = [4 * 2 ** (i // 2) for i in range(NUM_STYLES)]
        maps = [tf.constant(normal(f"noise {i}", (len(ws), s, s, 1))) for i, s in enumerate(sides)]
        weights = tf.constant(normal("generator weights", images.shape))
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(styles)
            for noise_map in maps:
                tape.watch(noise_map)
            total = tf.reduce_sum(generator(styles, noise=maps) * weights)
        style_reach = np.abs(as_array(tape.gradient(total, styles))).sum(axis=(0, 2))
        noise_reach = []
        for noise_map in maps:
            gradient = tape.gradient(total, noise_map)
            noise_reach.append(0.0 if gradient is None else float(np.abs(as_array(gradient)).sum()))
        constant_reach = [
            0.0 if g is None else float(np.abs(as_array(g)).sum())
            for g in tape.gradient(total, constants)
        ]
        for variable in generator.trainable_variables:
            shape = tuple(variable.shape)
            variable.assign(normal(f"generator weight {shape}", shape, 0.3))
        set_output = as_array(generator(styles, noise=maps))
        return {
            "shape": list(images.shape),
            "adain_calls": adain_calls,
            "noise_calls": noise_calls,
            "style_reach": [float(r) for r in style_reach],
            "noise_reach": noise_reach,
            "quiet_same": bool(np.array_equal(quiet[0], quiet[1])),
            "noisy_differ": bool(not np.allclose(noisy[0], noisy[1])),
            "constants": constant_values,
            "constant_reach": constant_reach,
            "set_output": set_output,
            "parameters": int(sum(np.prod(v.shape) for v in generator.trainable_variables)),
        }

    return output_or_error(compute)


# ---------------------------------------------------------------- style_mixing
def mixing_values(ns, w1, w2, crossovers):
    """mix_styles(w1, w2, crossover) for each crossover, and with num_styles=5 at crossover 2."""

    def compute():
        outputs = [as_array(ns.mix_styles(tf.constant(w1), tf.constant(w2), c)) for c in crossovers]
        five = as_array(ns.mix_styles(tf.constant(w1), tf.constant(w2), 2, num_styles=5))
        return {"outputs": outputs, "five": five}

    return output_or_error(compute)


# ---------------------------------------------------------------- truncation
def truncation_values(ns, w, w_avg, psis, decays):
    """truncate(w, w_avg, psi) for each psi; track_w_avg(w_avg, w, decay) for each decay, and
    with the default decay."""

    def compute():
        truncated = [as_array(ns.truncate(tf.constant(w), tf.constant(w_avg), p)) for p in psis]
        tracked = [as_array(ns.track_w_avg(tf.constant(w_avg), tf.constant(w), d)) for d in decays]
        default = as_array(ns.track_w_avg(tf.constant(w_avg), tf.constant(w)))
        return {"truncated": truncated, "tracked": tracked, "default": default}

    return output_or_error(compute)


# ---------------------------------------------------------------- stylegan_step
def _flat(model):
    return np.concatenate([np.ravel(as_array(v)) for v in model.trainable_variables])


def step_values(ns, seed, real, critic_z, generator_z, rates, r1_gamma):
    """make_stylegan_step on StepMapping, StepSynthesis and StepCritic (seeded weights), SGD with
    rates (generator, critic): the losses, the three networks' weights after one step, and the
    calls the step made (network, training), run eagerly."""

    def compute():
        # Eagerly, in program order: traced, a read of the critic's weights for the
        # generator's loss may come after an update that the same step applies to them.
        eager = tf.config.functions_run_eagerly()
        tf.config.run_functions_eagerly(True)
        try:
            return run()
        finally:
            tf.config.run_functions_eagerly(eager)

    def run():
        mapping, synthesis, critic = step_networks(seed, critic_z.shape[1])
        step = ns.make_stylegan_step(
            mapping,
            synthesis,
            critic,
            keras.optimizers.SGD(rates[0]),
            keras.optimizers.SGD(rates[1]),
            r1_gamma,
        )
        c_loss, g_loss = step(tf.constant(real), tf.constant(critic_z), tf.constant(generator_z))
        return {
            "losses": [float(as_array(c_loss)), float(as_array(g_loss))],
            "mapping": _flat(mapping),
            "generator": _flat(synthesis),
            "critic": _flat(critic),
            "calls": mapping.calls + synthesis.calls + critic.calls,
        }

    return output_or_error(compute)


# ---------------------------------------------------------------- the handed-in networks
SETTINGS_KEYS = ("latent_dim", "filters", "mapping_layers")


def handed_in_stylegan(ns, weights_name, settings_name, count, seed):
    """The handed-in StyleGAN, rebuilt with build_trained_stylegan and loaded: `count` images from
    z ~ N(0, I), untruncated, in batches of 250; the gradient reach of each style slot of its
    synthesis network; or what stopped it."""
    model, sizes = handed_in.load(
        ns, "build_trained_stylegan", weights_name, settings_name, SETTINGS_KEYS, seed
    )
    if model is None:
        return sizes
    latent_dim = sizes[0]

    def compute():
        z = normal(f"handed-in z {seed}", (count, latent_dim))
        images = np.concatenate(
            [as_array(model(tf.constant(z[i : i + 250]))) for i in range(0, count, 250)]
        )
        styles = tf.constant(normal(f"handed-in styles {seed}", (4, NUM_STYLES, latent_dim)))
        zero_noise = [
            tf.zeros((4, 4 * 2 ** (i // 2), 4 * 2 ** (i // 2), 1)) for i in range(NUM_STYLES)
        ]
        with tf.GradientTape() as tape:
            tape.watch(styles)
            total = tf.reduce_sum(model.generator(styles, noise=zero_noise) ** 2)
        reach = np.abs(as_array(tape.gradient(total, styles))).sum(axis=(0, 2))
        return {"generated": images.astype(np.float32), "style_reach": [float(r) for r in reach]}

    return output_or_error(compute)
