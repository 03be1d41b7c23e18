"""Probes of ProGAN's hidden checks: each calls the code under test and returns plain data.

They run in the sandbox worker (igcourse.sandbox): no thresholds, verdicts or reference code
here. A probe's first argument is the namespace of the code under test.

The networks' probes measure what holds whatever the order in which a correct answer creates
its layers: sizes per stage, what alpha 0 and 0.5 give against the stage before, which
variables stay from stage to stage, how many parameters take part, the spread of the stored
kernels, and which samples a score depends on.
"""

import keras
import numpy as np
import tensorflow as tf

from igcourse.grading import handed_in
from igcourse.grading.ch07_progan import (  # noqa: F401 (the stand-ins, by name)
    StandInEqualizedConv2D,
    StandInEqualizedDense,
    StandInMinibatchStd,
    StandInPixelNorm,
    StandInProDiscriminator,
    StandInProGenerator,
    stand_in_fade_in,
    stand_in_gradient_penalty,
    stand_in_progan_critic_loss,
    stand_in_progan_generator_loss,
    step_networks,
)
from igcourse.grading.checks import seeded_rng
from igcourse.grading.probing import as_array, output_or_error
from igcourse.grading.public import run_public_checks as public_checks  # noqa: F401

# ---------------------------------------------------------------- stand-ins
# Each part runs with the other parts' code replaced by correct stand-ins, so that a mistake in
# one part costs that part alone.
_LAYERS = {
    "PixelNorm": "StandInPixelNorm",
    "MinibatchStd": "StandInMinibatchStd",
    "EqualizedDense": "StandInEqualizedDense",
    "EqualizedConv2D": "StandInEqualizedConv2D",
}
STAND_INS = {
    "progan_generator": dict(_LAYERS),
    "progan_discriminator": dict(_LAYERS, fade_in="stand_in_fade_in"),
    "progan_step": {  # the public check builds networks: correct ones, whatever the layers
        "ProGenerator": "StandInProGenerator",
        "ProDiscriminator": "StandInProDiscriminator",
        "gradient_penalty": "stand_in_gradient_penalty",
        "progan_critic_loss": "stand_in_progan_critic_loss",
        "progan_generator_loss": "stand_in_progan_generator_loss",
    },
}


def normal(label, shape, scale=1.0):
    return (scale * seeded_rng(label).standard_normal(shape)).astype(np.float32)


def _count(variables):
    return int(sum(np.prod(v.shape) for v in variables))


def _kernels(model):
    """Every stored kernel (rank 2 and up) of a model, as one vector."""
    found = [np.ravel(as_array(v)) for v in model.trainable_variables if len(v.shape) >= 2]
    return np.concatenate(found) if found else np.zeros(0)


def _spread(values):
    return [float(np.std(values)), float(np.mean(values))] if len(values) else [0.0, 0.0]


# ---------------------------------------------------------------- pixel_norm
def pixel_norm_values(ns, x, epsilon):
    """PixelNorm(epsilon) and PixelNorm() on x: the outputs and the layer's weight count."""

    def compute():
        layer = ns.PixelNorm(epsilon=epsilon)
        output = as_array(layer(tf.constant(x)))
        default = as_array(ns.PixelNorm()(tf.constant(x)))
        return {"output": output, "default": default, "weights": len(layer.weights)}

    return output_or_error(compute)


# ---------------------------------------------------------------- minibatch_std
def minibatch_std_values(ns, cases, epsilon):
    """MinibatchStd(group_size, epsilon) on each (x, group_size) of cases: the outputs."""

    def compute():
        outputs = []
        for x, group in cases:
            layer = ns.MinibatchStd(group_size=group, epsilon=epsilon)
            outputs.append(as_array(layer(tf.constant(x))))
        return {"outputs": outputs, "weights": len(layer.weights)}

    return output_or_error(compute)


# ---------------------------------------------------------------- equalized_layers
def _set(variable, label, scale=1.0):
    shape = tuple(variable.shape)
    variable.assign(normal(f"{label} {shape}", shape, scale))


def _equalized(layer, x, label):
    """The layer on x after its kernel (N(0, 1)) and bias are set from seeded draws, then with
    its kernel doubled: whether the scale is applied at run time."""
    layer(tf.constant(x))
    kernel, bias = layer.kernel, layer.bias
    _set(kernel, f"{label} kernel")
    _set(bias, f"{label} bias", 0.3)
    first = as_array(layer(tf.constant(x)))
    kernel.assign(kernel * 2.0)
    return {
        "output": first,
        "doubled": as_array(layer(tf.constant(x))),
        "shapes": [list(kernel.shape), list(bias.shape)],
        "trainable": len(layer.trainable_weights),
    }


def equalized_values(ns, seed, dense_x, conv_x):
    """EqualizedDense and EqualizedConv2D with chosen gains and sizes: outputs from set weights,
    outputs with the kernel doubled, shapes, and the spread of freshly drawn kernels."""

    def compute():
        keras.utils.set_random_seed(seed)
        wide_dense = ns.EqualizedDense(256)
        wide_dense(tf.zeros((1, 128)))
        wide_conv = ns.EqualizedConv2D(64, 3)
        wide_conv(tf.zeros((1, 4, 4, 32)))
        return {
            "dense": _equalized(ns.EqualizedDense(6, gain=1.7), dense_x, "dense"),
            "dense_default": _equalized(ns.EqualizedDense(4), dense_x, "dense default"),
            "conv": _equalized(ns.EqualizedConv2D(4, 3, gain=1.3), conv_x, "conv"),
            "conv_1x1": _equalized(ns.EqualizedConv2D(3, 1), conv_x, "conv 1x1"),
            "conv_default": _equalized(ns.EqualizedConv2D(2), conv_x, "conv default"),
            "spreads": [
                _spread(np.ravel(as_array(wide_dense.kernel))),
                _spread(np.ravel(as_array(wide_conv.kernel))),
            ],
        }

    return output_or_error(compute)


# ---------------------------------------------------------------- the networks
def _set_by_shape(model, label):
    """Every variable of the model from a draw that depends on its shape alone (kernels N(0, 1),
    biases 0.2 N(0, 1)): two correct answers that create their layers in other orders get the
    same network, so their outputs can be compared with the reference's."""
    for v in model.trainable_variables:
        _set(v, label, 0.2 if len(v.shape) == 1 else 1.0)


def _taking_part(model, loss):
    """How many of the model's parameters get a nonzero gradient of loss()."""
    with tf.GradientTape() as tape:
        value = loss()
    variables = model.trainable_variables
    gradients = tape.gradient(value, variables)
    return int(
        sum(
            np.prod(v.shape)
            for v, g in zip(variables, gradients, strict=True)
            if g is not None and np.any(as_array(g) != 0)
        )
    )


def _upsampled(images):
    return np.repeat(np.repeat(images, 2, axis=1), 2, axis=2)


def generator_values(ns, seed, latent_dim, filters, z):
    """ProGenerator(latent_dim, filters) from seeded weights: each stage's images at alpha 1,
    what alpha 0 and 0.5 give against the stage before, whether a stage keeps the variables of
    the stages before, parameter counts, the spread of its kernels, the parameters that take
    part at stage 2 (alpha 0, 0.5, 1); then, its weights set by shape (_set_by_shape): its stage
    2 images for z and 3 z, its images at stages 0, 2 and 3 at alpha 0.5; and its largest
    output with the to-RGB kernels (1 x 1, one output channel) made 100 times larger."""

    def compute():
        keras.utils.set_random_seed(seed)
        generator = ns.ProGenerator(latent_dim=latent_dim, filters=filters)
        images, params, kept, seen = [], [], [], set()
        for stage in range(4):
            images.append(as_array(generator(tf.constant(z), stage=stage, alpha=1.0)))
            now = {id(v) for v in generator.trainable_variables}
            kept.append(seen <= now)
            seen = now
            params.append(_count(generator.trainable_variables))
        zt = tf.constant(z)
        faded = [as_array(generator(zt, stage=s, alpha=0.0)) for s in (1, 2, 3)]
        half = [as_array(generator(zt, stage=s, alpha=0.5)) for s in (1, 2, 3)]
        stage_two = [
            _taking_part(
                generator,
                lambda a=alpha: tf.reduce_sum(generator(zt, stage=2, alpha=a) ** 2),
            )
            for alpha in (0.0, 0.5, 1.0)
        ]
        spread = _spread(_kernels(generator))
        _set_by_shape(generator, "generator")  # biases as after training: z's scale shows
        unscaled = as_array(generator(zt, stage=2))
        scaled = as_array(generator(tf.constant(3.0 * z), stage=2))
        seeded = [as_array(generator(zt, stage=s, alpha=0.5)) for s in (0, 2, 3)]
        for v in generator.trainable_variables:
            if len(v.shape) == 4 and tuple(v.shape[:2]) == (1, 1) and v.shape[-1] == 1:
                v.assign(v * 100.0)
        loud = float(np.max(np.abs(as_array(generator(zt, stage=3)))))
        return {
            "images": images,
            "faded": faded,
            "faded_gap": [
                float(np.max(np.abs(f - _upsampled(i))))
                for f, i in zip(faded, images[:3], strict=True)
            ],
            "half": half,
            "kept": kept,
            "params": params,
            "taking_part": stage_two,
            "spread": spread,
            "scaled_z": [unscaled, scaled],
            "seeded": seeded,
            "loud": loud,
        }

    return output_or_error(compute)


def _pooled(images):
    n, h, w, c = images.shape
    return images.reshape(n, h // 2, 2, w // 2, 2, c).mean(axis=(2, 4))


def _dependence(critic, images, stage):
    """Per sample j, the size of the gradient of sample 0's score with respect to image j."""
    x = tf.constant(images)
    with tf.GradientTape() as tape:
        tape.watch(x)
        first = critic(x, stage=stage, alpha=1.0)[0, 0]
    gradient = as_array(tape.gradient(first, x))
    return [float(np.sqrt(np.sum(g**2))) for g in gradient]


def discriminator_values(ns, seed, filters, images):
    """ProDiscriminator(filters) from seeded weights on `images` (8, 32, 32, 1) average-pooled
    to each stage's size: the scores at alpha 1, alpha 0 at stages 1 to 3 (to compare with the
    stage before), whether a stage keeps the variables before it, parameter counts, the kernels'
    spread, the parameters taking part at stage 2 (alpha 0, 0.5, 1), its scores at stages 0, 2
    and 3 at alpha 0.5 with its weights set by shape (_set_by_shape), and which samples sample
    0's score depends on with group_size 4 (default) and 2."""

    def compute():
        keras.utils.set_random_seed(seed)
        critic = ns.ProDiscriminator(filters=filters)
        pyramid = [np.asarray(images, np.float32)]
        for _ in range(3):
            pyramid.insert(0, _pooled(pyramid[0]))
        scores, params, kept, seen = [], [], [], set()
        for stage in range(4):
            scores.append(as_array(critic(tf.constant(pyramid[stage]), stage=stage, alpha=1.0)))
            now = {id(v) for v in critic.trainable_variables}
            kept.append(seen <= now)
            seen = now
            params.append(_count(critic.trainable_variables))
        faded = [as_array(critic(tf.constant(pyramid[s]), stage=s, alpha=0.0)) for s in (1, 2, 3)]
        stage_two = [
            _taking_part(
                critic,
                lambda a=alpha: tf.reduce_sum(
                    critic(tf.constant(pyramid[2]), stage=2, alpha=a) ** 2
                ),
            )
            for alpha in (0.0, 0.5, 1.0)
        ]
        spread = _spread(_kernels(critic))
        _set_by_shape(critic, "critic")
        seeded = [as_array(critic(tf.constant(pyramid[s]), stage=s, alpha=0.5)) for s in (0, 2, 3)]
        keras.utils.set_random_seed(seed)
        pairs = ns.ProDiscriminator(filters=filters, group_size=2)
        return {
            "scores": scores,
            "faded": faded,
            "kept": kept,
            "params": params,
            "taking_part": stage_two,
            "spread": spread,
            "seeded": seeded,
            "depends": _dependence(critic, pyramid[1], 1),
            "depends_pairs": _dependence(pairs, pyramid[1], 1),
        }

    return output_or_error(compute)


# ---------------------------------------------------------------- progan_losses
def _quadratic_critic(weights, coupling):
    """score_i = sum(w * x_i^2), plus coupling * (the batch's mean of sum(x_j))^2 for every i."""
    w = tf.constant(weights)

    def score_fn(images):
        own = tf.reduce_sum(w * images**2, axis=[1, 2, 3])
        shared = coupling * tf.reduce_mean(tf.reduce_sum(images, axis=[1, 2, 3])) ** 2
        return (own + shared)[:, None]

    return score_fn


def penalty_values(ns, real, fake, epsilon, weights):
    """gradient_penalty with critics whose gradients are known: without and with a term that
    couples the batch's samples (as the minibatch standard deviation does)."""

    def compute():
        values = []
        for coupling in (0.0, 0.7):
            got = ns.gradient_penalty(
                _quadratic_critic(weights, coupling),
                tf.constant(real),
                tf.constant(fake),
                tf.constant(epsilon),
            )
            values.append(float(as_array(got)))
        return {"plain": values[0], "coupled": values[1]}

    return output_or_error(compute)


def loss_values(ns, real_scores, fake_scores, penalty):
    """progan_critic_loss with its defaults and with other weights, progan_generator_loss."""

    def compute():
        real, fake = tf.constant(real_scores), tf.constant(fake_scores)
        return {
            "critic": float(as_array(ns.progan_critic_loss(real, fake, penalty))),
            "weighted": float(as_array(ns.progan_critic_loss(real, fake, penalty, 3.0, 0.25))),
            "generator": float(as_array(ns.progan_generator_loss(fake))),
        }

    return output_or_error(compute)


# ---------------------------------------------------------------- progan_step
def _flat(model):
    return np.concatenate([np.ravel(as_array(v)) for v in model.trainable_variables])


def step_values(ns, seed, stage, real, critic_z, generator_z, epsilon, alpha, rates):
    """make_progan_step on StepGenerator and StepCritic (seeded weights, every stage up to
    `stage` built), SGD with rates (generator, critic): the losses, both networks' weights
    after one step, and the calls the step made (network, stage, training), run eagerly."""

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
        generator, critic = step_networks(seed, critic_z.shape[1], stage)
        g_optimizer = keras.optimizers.SGD(rates[0])
        c_optimizer = keras.optimizers.SGD(rates[1])
        step = ns.make_progan_step(generator, critic, g_optimizer, c_optimizer, stage)
        c_loss, g_loss = step(
            tf.constant(real),
            tf.constant(critic_z),
            tf.constant(generator_z),
            tf.constant(epsilon),
            tf.constant(alpha, tf.float32),
        )
        return {
            "losses": [float(as_array(c_loss)), float(as_array(g_loss))],
            "generator": _flat(generator),
            "critic": _flat(critic),
            "calls": generator.calls + critic.calls,
        }

    return output_or_error(compute)


# ---------------------------------------------------------------- the handed-in generator
SETTINGS_KEYS = ("latent_dim", "filters", "stage")


def handed_in_generator(ns, weights_name, settings_name, count, seed):
    """The handed-in generator, rebuilt with build_trained_generator and loaded: `count` images
    at its final stage from z ~ N(0, I) in batches of 250, and the largest gap between its
    images at alpha 0 and the stage before, upsampled (8 of them); or what stopped it."""
    generator, sizes = handed_in.load(
        ns, "build_trained_generator", weights_name, settings_name, SETTINGS_KEYS, seed
    )
    if generator is None:
        return sizes
    latent_dim, _filters, stage = sizes

    def compute():
        z = normal(f"handed-in z {seed}", (count, latent_dim))
        images = np.concatenate(
            [
                as_array(generator(tf.constant(z[i : i + 250]), stage=stage))
                for i in range(0, count, 250)
            ]
        )
        few = tf.constant(z[:8])
        gap = float(
            np.max(
                np.abs(
                    as_array(generator(few, stage=stage, alpha=0.0))
                    - _upsampled(as_array(generator(few, stage=stage - 1)))
                )
            )
        )
        return {"generated": images.astype(np.float32), "stage": stage, "fade_gap": gap}

    return output_or_error(compute)
