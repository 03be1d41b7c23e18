"""Public checks of chapter 7's StyleGAN notebook (stylegan.ipynb).

Light checks on tiny inputs that say what to fix. They run on the student's own classes and
functions; the expected values are written here as plain NumPy from the task text.
"""

import math

import numpy as np

from igcourse.checks import N_, describe, expect, require, rounded
from igcourse.checks.ch07_tensors import applied, array, close, frameworks, normal, tensor
from igcourse.checks.handed_in import load_handed_in
from igcourse.i18n import _

NUM_STYLES = 8


def _weights_by_rank(model, rank):
    return [v for v in model.weights if len(v.shape) == rank]


def _leaky(x):
    return np.where(x > 0, x, 0.2 * x)


# ------------------------------------------------------------------ mapping_network


@describe(N_("MappingNetwork normalises z, then applies equalised layers with the multiplier"))
def mapping_values(ns):
    _tf, keras = frameworks()
    keras.utils.set_random_seed(100)
    mapping = require(ns, "MappingNetwork")(latent_dim=8, depth=3, lr_multiplier=0.01)
    z = normal(101, (5, 8))
    got = array(applied(mapping, tensor(z)))
    kernels, biases = _weights_by_rank(mapping, 2), _weights_by_rank(mapping, 1)
    expect(
        len(kernels) == 3 and len(biases) == 3,
        _(
            "MappingNetwork(depth=3) has {kernels} kernels and {biases} biases; expected 3 of "
            "each, one per dense layer"
        ).format(kernels=len(kernels), biases=len(biases)),
    )
    stored = np.concatenate([np.ravel(array(k)) for k in kernels])
    expect(
        30.0 < float(np.std(stored)) < 300.0,
        _(
            "the stored kernels have a standard deviation of {got}; with lr_multiplier 0.01 they "
            "are drawn from N(0, 1 / 0.01^2) (standard deviation 100) and scaled at every call"
        ).format(got=rounded(float(np.std(stored)), 3)),
    )
    for index, bias in enumerate(biases):
        bias.assign(normal(102 + index, (8,)) * 20.0)
    x = np.asarray(z, np.float64)
    x = x / np.sqrt(np.mean(x**2, axis=1, keepdims=True) + 1e-8)
    for kernel, bias in zip(kernels, biases, strict=True):
        x = _leaky(x @ (array(kernel) * 0.01 * math.sqrt(2.0 / 8)) + 0.01 * array(bias))
    close(
        array(applied(mapping, tensor(z))),
        x,
        _(
            "MappingNetwork gave {got} where normalising z and y = x (W * 0.01 * sqrt(2 / 8)) "
            "+ 0.01 b, then LeakyReLU(0.2), per layer gives {expected}"
        ),
    )
    expect(
        got.shape == (5, 8),
        _("MappingNetwork returned {shape}; expected (5, 8)").format(shape=got.shape),
    )
    close(
        array(applied(mapping, tensor(3.0 * z))),
        x,
        _("MappingNetwork(3 z) gave {got} where MappingNetwork(z) gives {expected}: normalise z"),
    )


# ------------------------------------------------------------------ adain_modulation


def _instance_normalized(x):
    x = np.asarray(x, np.float64)
    mean, variance = x.mean(axis=(1, 2), keepdims=True), x.var(axis=(1, 2), keepdims=True)
    return (x - mean) / np.sqrt(variance + 1e-8)


def _scale_and_bias(out, normalized):
    """Per sample and channel, (a, b, worst residual) of out = a * normalized + b."""
    centred = out - out.mean(axis=(1, 2), keepdims=True)
    scale = (centred * normalized).sum(axis=(1, 2)) / (normalized**2).sum(axis=(1, 2))
    bias = out.mean(axis=(1, 2))
    residual = np.abs(out - scale[:, None, None] * normalized - bias[:, None, None]).max()
    return scale, bias, float(residual)


@describe(N_("AdaIN normalises each channel over its pixels and applies the style's scale"))
def adain_values(ns):
    _tf, keras = frameworks()
    keras.utils.set_random_seed(110)
    layer = require(ns, "AdaIN")(3)
    x = normal(111, (2, 4, 4, 3)) * 3.0 + 2.0
    normalized = _instance_normalized(x)
    close(
        array(applied(layer, tensor(x), tensor(np.zeros((2, 5))))),
        normalized,
        _(
            "AdaIN(x, w = 0) gave {got} where the features normalised per sample and channel "
            "over H and W (scale 1, bias 0 at w = 0) give {expected}"
        ),
    )
    w1, w2 = normal(112, (2, 5)), normal(113, (2, 5))
    scales, biases = [], []
    for w in (w1, w2, w1 + w2):
        out = array(applied(layer, tensor(x), tensor(w)))
        scale, bias, residual = _scale_and_bias(out, normalized)
        expect(
            residual < 1e-3,
            _(
                "AdaIN(x, w) is not y_s * normalised(x) + y_b, one scale and bias per sample and "
                "channel (off by {got})"
            ).format(got=rounded(residual, 4)),
        )
        scales.append(scale)
        biases.append(bias)
    expect(
        float(np.abs(scales[0] - 1.0).max()) > 1e-3 and float(np.abs(biases[0]).max()) > 1e-3,
        _("AdaIN's scale and bias do not depend on w: compute them from w with dense layers"),
    )
    close(
        scales[2] - 1.0,
        (scales[0] - 1.0) + (scales[1] - 1.0),
        _("AdaIN's scale y_s - 1 is {got} for w1 + w2, not the sum {expected}: y_s = A_s w + 1"),
        tolerance=1e-3,
    )
    close(
        biases[2],
        biases[0] + biases[1],
        _("AdaIN's bias y_b is {got} for w1 + w2, not the sum {expected}: y_b = A_b w"),
        tolerance=1e-3,
    )


# ------------------------------------------------------------------ noise_injection


def _strength(layer):
    found = [v for v in layer.trainable_weights if tuple(v.shape) == (4,)]
    expect(
        len(found) == 1,
        _(
            "NoiseInjection on 4 channels has trainable weights of shapes {shapes}; expected one "
            "strength of shape (4,)"
        ).format(shapes=[tuple(v.shape) for v in layer.trainable_weights]),
    )
    return found[0]


@describe(N_("NoiseInjection adds one noise map scaled by per-channel strengths from zero"))
def noise_values(ns):
    layer = require(ns, "NoiseInjection")()
    x, noise = normal(120, (2, 3, 3, 4)), normal(121, (2, 3, 3, 1))
    close(
        array(applied(layer, tensor(x), tensor(noise))),
        x,
        _("a new NoiseInjection changed the features ({got} for {expected}): strengths start at 0"),
    )
    strength = _strength(layer)
    scales = np.array([1.0, -2.0, 0.5, 3.0], np.float32)
    strength.assign(scales)
    close(
        array(applied(layer, tensor(x), tensor(noise))),
        x + scales * noise,
        _("NoiseInjection gave {got} where x + strength * noise gives {expected}"),
    )
    drawn = [array(applied(layer, tensor(x))) - x for _ in range(2)]
    per_channel = drawn[0] / scales
    expect(
        bool(np.allclose(per_channel, per_channel[..., :1], atol=1e-4)),
        _(
            "the noise NoiseInjection draws differs between channels: draw one map (B, H, W, 1) "
            "and scale it per channel"
        ),
    )
    expect(
        not np.allclose(drawn[0], drawn[1]),
        _("NoiseInjection drew the same noise twice: draw a new map at every call"),
    )


# ------------------------------------------------------------------ style_generator


@describe(N_("StyleGenerator starts from a learned constant and gives each layer its own style"))
def generator_styles(ns):
    tf, keras = frameworks()
    keras.utils.set_random_seed(130)
    generator = require(ns, "StyleGenerator")(latent_dim=6, filters=4)
    ws = tensor(normal(131, (2, NUM_STYLES, 6)))
    with tf.GradientTape() as tape:
        tape.watch(ws)
        images = applied(generator, ws)
        total = tf.reduce_sum(images * tensor(normal(132, (2, 32, 32, 1))))
    got = array(images)
    expect(
        got.shape == (2, 32, 32, 1),
        _("StyleGenerator gave images of shape {shape}; expected (2, 32, 32, 1)").format(
            shape=got.shape
        ),
    )
    reach = np.abs(array(tape.gradient(total, ws))).sum(axis=(0, 2))
    unused = [i for i in range(NUM_STYLES) if reach[i] == 0.0]
    expect(
        not unused,
        _(
            "the images do not depend on the styles ws[:, i] of layers {layers}: layer i uses "
            "ws[:, i]"
        ).format(layers=unused),
    )
    constants = [v for v in generator.trainable_variables if tuple(v.shape) == (1, 4, 4, 4)]
    expect(
        len(constants) == 1 and bool(np.allclose(array(constants[0]), 1.0)),
        _(
            "StyleGenerator(filters=4) should hold one trainable constant of shape (1, 4, 4, 4), "
            "all ones at first"
        ),
    )
    noise = [
        np.zeros((2, 4 * 2 ** (i // 2), 4 * 2 ** (i // 2), 1), np.float32)
        for i in range(NUM_STYLES)
    ]
    close(
        array(applied(generator, ws, noise=[tensor(n) for n in noise])),
        got,
        _("with zero noise maps and zero strengths StyleGenerator gave {got}, not {expected}"),
    )


# ------------------------------------------------------------------ style_mixing


@describe(N_("mix_styles takes w1 before the crossover layer and w2 from it on"))
def mixing_values(ns):
    mix = require(ns, "mix_styles")
    w1, w2 = normal(140, (2, 3)), normal(141, (2, 3))
    for crossover in (0, 3, NUM_STYLES):
        expected = np.stack([w1 if i < crossover else w2 for i in range(NUM_STYLES)], axis=1)
        close(
            array(mix(tensor(w1), tensor(w2), crossover)),
            expected,
            _(
                "mix_styles(w1, w2, {crossover}) gave {{got}} where {{expected}} was expected"
            ).format(crossover=crossover),
        )


# ------------------------------------------------------------------ truncation


@describe(N_("truncate pulls w toward w_avg by psi, and track_w_avg is a moving average"))
def truncation_values(ns):
    truncate, track = require(ns, "truncate"), require(ns, "track_w_avg")
    w, w_avg = normal(150, (3, 4)), normal(151, (4,))
    for psi in (0.0, 0.3, 1.0):
        close(
            array(truncate(tensor(w), tensor(w_avg), psi)),
            w_avg + psi * (w - w_avg),
            _(
                "truncate(w, w_avg, psi={psi}) gave {{got}}; w_avg + psi (w - w_avg) is "
                "{{expected}}"
            ).format(psi=psi),
        )
    close(
        array(track(tensor(w_avg), tensor(w), 0.9)),
        0.9 * w_avg + 0.1 * w.mean(axis=0),
        _("track_w_avg(w_avg, w, 0.9) gave {got}; 0.9 w_avg + 0.1 mean(w) is {expected}"),
    )


# ------------------------------------------------------------------ stylegan_step


def _values(variables):
    return [np.array(array(v)) for v in variables]


def _changed(before, variables):
    return any(not np.array_equal(b, array(v)) for b, v in zip(before, variables, strict=True))


def _softplus(x):
    return np.logaddexp(0.0, x)


def _critic_slopes(critic, images):
    """Each image's gradient of the check's critic, flatten -> dense(tanh) -> dense, worked out
    by hand: W1 (w2 * (1 - tanh(W1 x + b1)^2)), one row per image."""
    (kernel_1, bias_1), (kernel_2, _bias_2) = [
        (array(layer.kernel), array(layer.bias)) for layer in critic.layers[1:]
    ]
    flat = np.asarray(images, np.float64).reshape(len(images), -1)
    hidden = np.tanh(flat @ kernel_1 + bias_1)
    return ((1.0 - hidden**2) * kernel_2[:, 0]) @ kernel_1.T


@describe(N_("make_stylegan_step's losses follow the formulas and update the right networks"))
def stylegan_step_updates(ns):
    tf, keras = frameworks()
    keras.utils.set_random_seed(160)
    mapping = require(ns, "MappingNetwork")(latent_dim=6, depth=2)
    generator = require(ns, "StyleGenerator")(latent_dim=6, filters=2)
    critic = keras.Sequential(
        [
            keras.Input((32, 32, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(3, "tanh"),
            keras.layers.Dense(1),
        ]
    )
    make_step = require(ns, "make_stylegan_step")
    real = normal(161, (4, 32, 32, 1))
    z_critic, z_generator = normal(162, (4, 6)), normal(163, (4, 6))

    def images_from(codes):
        styles = applied(mapping, tensor(codes))
        return applied(generator, tf.repeat(styles[:, None], NUM_STYLES, axis=1))

    real_t = tensor(real)
    real_scores = critic(real_t)
    r1 = float(np.mean(np.sum(_critic_slopes(critic, real) ** 2, axis=1)))
    expected_c = (
        _softplus(array(critic(images_from(z_critic)))).mean()
        + _softplus(-array(real_scores)).mean()
        + 0.5 * 2.0 * r1
    )
    m_before, g_before = (
        _values(mapping.trainable_variables),
        _values(generator.trainable_variables),
    )
    c_before = _values(critic.trainable_variables)
    step = make_step(
        mapping, generator, critic, keras.optimizers.SGD(0.0), keras.optimizers.SGD(0.01), 2.0
    )
    c_loss, g_loss = step(real_t, tensor(z_critic), tensor(z_generator))
    close(
        float(array(c_loss)),
        expected_c,
        _(
            "the step's critic loss is {got}; mean softplus(D(fake)) + mean softplus(-D(real)) "
            "+ r1_gamma / 2 * mean |grad D(real)|^2 is {expected}"
        ),
        tolerance=1e-3,
    )
    expect(
        _changed(c_before, critic.trainable_variables),
        _("the critic's weights did not change in a step: apply c_optimizer to its gradients"),
    )
    expect(
        not _changed(
            m_before + g_before, mapping.trainable_variables + generator.trainable_variables
        ),
        _(
            "with g_optimizer's rate at 0 the mapping or synthesis network still changed: the "
            "critic's update must leave them alone"
        ),
    )
    close(
        float(array(g_loss)),
        _softplus(-array(critic(images_from(z_generator)))).mean(),
        _("the step's generator loss is {got}; mean softplus(-D(fake)) is {expected}"),
        tolerance=1e-3,
    )
    c_after = _values(critic.trainable_variables)
    step = make_step(
        mapping, generator, critic, keras.optimizers.SGD(0.01), keras.optimizers.SGD(0.0), 2.0
    )
    step(real_t, tensor(z_critic), tensor(z_generator))
    expect(
        _changed(m_before, mapping.trainable_variables),
        _(
            "the mapping network's weights did not change in the generator's update: train its "
            "variables together with the synthesis network's"
        ),
    )
    expect(
        _changed(g_before, generator.trainable_variables),
        _("the synthesis network's weights did not change in a step: apply g_optimizer to them"),
    )
    expect(
        not _changed(c_after, critic.trainable_variables),
        _(
            "with c_optimizer's rate at 0 the critic still changed: the generator's update must "
            "leave the critic alone"
        ),
    )


# ------------------------------------------------------------------ trained_stylegan

TRAINED_WEIGHTS = "stylegan.weights.h5"
TRAINED_SETTINGS = "stylegan.json"
SETTINGS_KEYS = ("latent_dim", "filters", "mapping_layers")


@describe(N_("the trained networks' two files are next to the notebook and load"))
def trained_stylegan_files(ns):
    build = require(ns, "build_trained_stylegan")
    model, (latent_dim, _filters, _layers) = load_handed_in(
        build, "build_trained_stylegan", TRAINED_WEIGHTS, TRAINED_SETTINGS, SETTINGS_KEYS
    )
    images = array(model(tensor(normal(170, (8, latent_dim)))))
    expect(
        images.shape == (8, 32, 32, 1) and bool(np.all(np.isfinite(images))),
        _(
            "the networks loaded from {weights} give {shape}; expected finite images {expected}"
        ).format(weights=TRAINED_WEIGHTS, shape=images.shape, expected=(8, 32, 32, 1)),
    )


PUBLIC_CHECKS = {
    "mapping_network": [mapping_values],
    "adain_modulation": [adain_values],
    "noise_injection": [noise_values],
    "style_generator": [generator_styles],
    "style_mixing": [mixing_values],
    "truncation": [truncation_values],
    "stylegan_step": [stylegan_step_updates],
    "trained_stylegan": [trained_stylegan_files],
}
