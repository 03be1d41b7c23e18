"""Public checks of chapter 7's ProGAN notebook (progan.ipynb).

Light checks on tiny inputs that say what to fix. They run on the student's own classes and
functions; the expected values are written here as plain NumPy (or TensorFlow's convolution with
the student's own kernel), in other words than the notebook's solutions.
"""

import math

import numpy as np

from igcourse.checks import N_, describe, expect, require, rounded
from igcourse.checks.ch07_tensors import applied as _applied
from igcourse.checks.ch07_tensors import array as _array
from igcourse.checks.ch07_tensors import close as _close
from igcourse.checks.ch07_tensors import frameworks as _frameworks
from igcourse.checks.ch07_tensors import normal as _normal
from igcourse.checks.ch07_tensors import tensor as _tensor
from igcourse.checks.handed_in import load_handed_in
from igcourse.i18n import _


def _upsampled(images):
    return np.repeat(np.repeat(images, 2, axis=1), 2, axis=2)


def _pooled(images):
    n, h, w, c = images.shape
    return images.reshape(n, h // 2, 2, w // 2, 2, c).mean(axis=(2, 4))


def _ids(variables):
    return {id(v) for v in variables}


# ------------------------------------------------------------------ pixel_norm


@describe(N_("PixelNorm divides each pixel's features by their root mean square"))
def pixel_norm_values(ns):
    layer = require(ns, "PixelNorm")()
    x = _normal(70, (2, 3, 3, 5)) * np.array([1.0, 3.0, 0.5, 2.0, 1.0], np.float32)
    got = _array(_applied(layer, _tensor(x)))
    root_mean_square = np.sqrt(np.mean(np.asarray(x, np.float64) ** 2, axis=3, keepdims=True))
    _close(
        got,
        x / np.sqrt(root_mean_square**2 + 1e-8),
        _("PixelNorm gave {got} where each pixel's own normalisation gives {expected}"),
    )
    per_pixel = np.mean(got**2, axis=-1)
    expect(
        np.allclose(per_pixel, 1.0, atol=1e-3),
        _(
            "after PixelNorm each pixel's mean square over the channels should be 1, not {got}"
        ).format(got=rounded(per_pixel.ravel()[:3], 4)),
    )
    expect(
        len(layer.weights) == 0,
        _("PixelNorm has {count} weights; it should have none").format(count=len(layer.weights)),
    )


# ------------------------------------------------------------------ minibatch_std


def _group_feature(x, group):
    """The appended channel's value for each sample, as the task text defines it."""
    x = np.asarray(x, np.float64)
    values = np.empty(len(x))
    for start in range(0, len(x), group):
        members = x[start : start + group]
        spread = np.sqrt(((members - members.mean(axis=0)) ** 2).mean(axis=0) + 1e-8)
        values[start : start + group] = spread.mean()
    return values


@describe(N_("MinibatchStd appends each group's average standard deviation as one channel"))
def minibatch_std_values(ns):
    layer_class = require(ns, "MinibatchStd")
    x = _normal(71, (8, 2, 3, 3)) * np.array([1.0, 1.0, 1.0, 1.0, 3.0, 3.0, 3.0, 3.0]).reshape(
        8, 1, 1, 1
    ).astype(np.float32)
    got = _array(_applied(layer_class(group_size=4), _tensor(x)))
    expect(
        got.shape == (8, 2, 3, 4),
        _("MinibatchStd turned features (8, 2, 3, 3) into {got}; expected (8, 2, 3, 4)").format(
            got=got.shape
        ),
    )
    _close(got[..., :3], x, _("MinibatchStd changed the input channels: {got} for {expected}"))
    appended = got[..., 3]
    expect(
        np.allclose(appended, appended[:, :1, :1], atol=1e-6),
        _("the appended channel should be the same at every pixel of a sample"),
    )
    _close(
        appended[:, 0, 0],
        _group_feature(x, 4),
        _(
            "the appended channel is {got} where the standard deviation over each group of 4 "
            "consecutive samples (divisor 4), averaged over pixels and channels, is {expected}"
        ),
    )
    small = _normal(72, (2, 2, 2, 3))
    got_small = _array(layer_class(group_size=4)(_tensor(small)))
    _close(
        got_small[:, 0, 0, 3],
        _group_feature(small, 2),
        _(
            "with a batch of 2 and group_size 4 the whole batch is one group: {got}, expected "
            "{expected}"
        ),
    )


# ------------------------------------------------------------------ equalized_layers


def _kernel_and_bias(layer, owner):
    kernel, bias = getattr(layer, "kernel", None), getattr(layer, "bias", None)
    expect(
        kernel is not None and bias is not None,
        _(
            "{owner} has no kernel and bias attributes after its first call: create them in build"
        ).format(owner=owner),
    )
    return kernel, bias


def _drawn_from_unit_normal(kernel, owner):
    values = _array(kernel).ravel()
    spread = float(values.std())
    expect(
        0.85 < spread < 1.15 and abs(float(values.mean())) < 0.15,
        _(
            "{owner}'s kernel has standard deviation {spread:.3f}: draw it from N(0, 1) and "
            "apply gain / sqrt(fan_in) in call, not in the initial weights"
        ).format(owner=owner, spread=spread),
    )


@describe(N_("EqualizedDense stores N(0, 1) weights and scales them in every call"))
def equalized_dense_values(ns):
    layer_class = require(ns, "EqualizedDense")
    wide = layer_class(256)
    wide(_tensor(np.zeros((1, 64))))
    _drawn_from_unit_normal(_kernel_and_bias(wide, "EqualizedDense")[0], "EqualizedDense")
    layer = layer_class(5, gain=1.5)
    x = _normal(73, (4, 7))
    layer(_tensor(x))
    kernel, bias = _kernel_and_bias(layer, "EqualizedDense")
    expect(
        tuple(kernel.shape) == (7, 5) and tuple(bias.shape) == (5,),
        _(
            "EqualizedDense(5) on 7 inputs has kernel {kernel} and bias {bias}; expected (7, 5) "
            "and (5,)"
        ).format(kernel=tuple(kernel.shape), bias=tuple(bias.shape)),
    )
    bias.assign(_normal(74, (5,)))
    expected = x @ (_array(kernel) * 1.5 / math.sqrt(7)) + _array(bias)
    _close(
        _array(layer(_tensor(x))),
        expected,
        _(
            "EqualizedDense(5, gain=1.5) gave {got} where x @ (kernel * 1.5 / sqrt(7)) + bias is "
            "{expected}"
        ),
    )
    kernel.assign(_array(kernel) * 2.0)
    _close(
        _array(layer(_tensor(x))),
        x @ (_array(kernel) * 1.5 / math.sqrt(7)) + _array(bias),
        _(
            "after its kernel was doubled EqualizedDense gave {got}, expected {expected}: apply "
            "the scale to the current kernel in call"
        ),
    )


@describe(N_("EqualizedConv2D stores N(0, 1) weights and scales them in every call"))
def equalized_conv_values(ns):
    tf, _keras = _frameworks()
    layer_class = require(ns, "EqualizedConv2D")
    wide = layer_class(64, 3)
    wide(_tensor(np.zeros((1, 4, 4, 16))))
    _drawn_from_unit_normal(_kernel_and_bias(wide, "EqualizedConv2D")[0], "EqualizedConv2D")
    layer = layer_class(4, 3)
    x = _normal(75, (2, 5, 5, 3))
    got_first = _array(layer(_tensor(x)))
    kernel, bias = _kernel_and_bias(layer, "EqualizedConv2D")
    expect(
        tuple(kernel.shape) == (3, 3, 3, 4) and got_first.shape == (2, 5, 5, 4),
        _(
            "EqualizedConv2D(4, 3) on (2, 5, 5, 3) has kernel {kernel} and output {output}; "
            "expected (3, 3, 3, 4) and (2, 5, 5, 4)"
        ).format(kernel=tuple(kernel.shape), output=got_first.shape),
    )
    bias.assign(_normal(76, (4,)))
    scale = math.sqrt(2.0) / math.sqrt(3 * 3 * 3)
    expected = _array(tf.nn.conv2d(_tensor(x), kernel * scale, 1, "SAME")) + _array(bias)
    _close(
        _array(layer(_tensor(x))),
        expected,
        _(
            "EqualizedConv2D(4, 3) gave {got} where the same-padded convolution with kernel * "
            "sqrt(2) / sqrt(3 * 3 * 3), plus bias, gives {expected}"
        ),
    )


# ------------------------------------------------------------------ progan_generator


@describe(N_("fade_in blends old and new by alpha"))
def fade_in_values(ns):
    fade_in = require(ns, "fade_in")
    old, new = _normal(77, (2, 4, 4, 1)), _normal(78, (2, 4, 4, 1))
    _close(
        _array(fade_in(0.25, _tensor(old), _tensor(new))),
        0.75 * old + 0.25 * new,
        _("fade_in(0.25, old, new) gave {got}; 0.75 * old + 0.25 * new is {expected}"),
    )


def _generator(ns, latent_dim=8, filters=2):
    _tf, keras = _frameworks()
    keras.utils.set_random_seed(79)
    return require(ns, "ProGenerator")(latent_dim=latent_dim, filters=filters)


@describe(N_("ProGenerator makes each stage's size and fades a stage in from the last one"))
def generator_stages(ns):
    generator = _generator(ns)
    z = _normal(80, (2, 8))
    outputs, seen = [], set()
    for stage in range(4):
        images = _array(generator(_tensor(z), stage=stage, alpha=1.0))
        size = 4 * 2**stage
        expect(
            images.shape == (2, size, size, 1),
            _("at stage {stage} the generator made {got}; expected (2, {size}, {size}, 1)").format(
                stage=stage, got=images.shape, size=size
            ),
        )
        outputs.append(images)
        now = _ids(generator.trainable_variables)
        expect(
            seen <= now,
            _(
                "at stage {stage} the generator lost trainable variables of the stages before it: "
                "create every stage's layers once, in __init__, and reuse them"
            ).format(stage=stage),
        )
        seen = now
    for stage in (1, 3):
        faded = _array(generator(_tensor(z), stage=stage, alpha=0.0))
        _close(
            faded,
            _upsampled(outputs[stage - 1]),
            _(
                "at stage {stage} with alpha 0 the generator gave {got} where stage {before}'s "
                "images, upsampled, are {expected}: alpha 0 is the old path"
            ).format(stage=stage, before=stage - 1, got="{got}", expected="{expected}"),
        )
        half = _array(generator(_tensor(z), stage=stage, alpha=0.5))
        _close(
            half,
            0.5 * faded + 0.5 * outputs[stage],
            _(
                "at stage {stage} alpha 0.5 gave {got}, not halfway between alpha 0 and 1 "
                "({expected})"
            ).format(stage=stage, got="{got}", expected="{expected}"),
        )
    _close(
        _array(generator(_tensor(3.0 * z), stage=2)),
        outputs[2],
        _(
            "the generator's images changed when z was multiplied by 3 ({got} for {expected}): "
            "normalise z with PixelNorm first"
        ),
    )


# ------------------------------------------------------------------ progan_discriminator


@describe(N_("ProDiscriminator scores each stage's images and fades a stage in"))
def discriminator_stages(ns):
    _tf, keras = _frameworks()
    keras.utils.set_random_seed(81)
    critic = require(ns, "ProDiscriminator")(filters=2)
    images = _normal(82, (4, 32, 32, 1))
    pyramid = [images]
    for _stage in range(3):
        pyramid.insert(0, _pooled(pyramid[0]))
    scores, seen = [], set()
    for stage in range(4):
        got = _array(critic(_tensor(pyramid[stage]), stage=stage, alpha=1.0))
        expect(
            got.shape == (4, 1),
            _(
                "at stage {stage} the discriminator scored (4, {size}, {size}, 1) images as {got}; "
                "expected (4, 1)"
            ).format(stage=stage, size=4 * 2**stage, got=got.shape),
        )
        scores.append(got)
        now = _ids(critic.trainable_variables)
        expect(
            seen <= now,
            _(
                "at stage {stage} the discriminator lost trainable variables of the stages before "
                "it: create every stage's layers once, in __init__, and reuse them"
            ).format(stage=stage),
        )
        seen = now
    for stage in (1, 3):
        _close(
            _array(critic(_tensor(pyramid[stage]), stage=stage, alpha=0.0)),
            scores[stage - 1],
            _(
                "at stage {stage} with alpha 0 the discriminator gave {got} where stage {before} "
                "scores the average-pooled images {expected}: alpha 0 is the old path"
            ).format(stage=stage, before=stage - 1, got="{got}", expected="{expected}"),
        )


# ------------------------------------------------------------------ progan_losses


@describe(N_("gradient_penalty takes each sample's own gradient norm"))
def gradient_penalty_values(ns):
    tf, _keras = _frameworks()
    penalty = require(ns, "gradient_penalty")
    real, fake = _normal(83, (4, 3, 3, 2)), _normal(84, (4, 3, 3, 2))
    epsilon = np.random.default_rng(85).uniform(size=(4, 1, 1, 1)).astype(np.float32)
    weights = np.linspace(0.2, 1.0, 18, dtype=np.float32).reshape(3, 3, 2)

    def score_fn(images):  # each image's score: sum of w * x^2; its gradient is 2 w x
        return tf.reduce_sum(_tensor(weights) * images**2, axis=[1, 2, 3])[:, None]

    got = float(_array(penalty(score_fn, _tensor(real), _tensor(fake), _tensor(epsilon))))
    mixed = epsilon * real + (1 - epsilon) * fake
    norms = np.sqrt(((2 * weights * mixed) ** 2).sum(axis=(1, 2, 3)))
    expected = float(np.mean((norms - 1.0) ** 2))
    whole_batch = float((np.sqrt(((2 * weights * mixed) ** 2).sum()) - 1.0) ** 2)
    expect(
        abs(got - whole_batch) > 1e-3 * abs(whole_batch),
        _(
            "gradient_penalty gave {got:.4f}, the penalty of one norm over the whole batch: take "
            "each sample's norm over its own pixels and channels"
        ).format(got=got),
    )
    _close(
        got,
        expected,
        _("gradient_penalty gave {got} for a critic whose gradient is known; expected {expected}"),
    )


@describe(N_("progan_critic_loss and progan_generator_loss follow the formulas"))
def progan_loss_values(ns):
    critic_loss = require(ns, "progan_critic_loss")
    generator_loss = require(ns, "progan_generator_loss")
    real_scores, fake_scores = _normal(86, (6, 1)) + 2.0, _normal(87, (6, 1)) - 1.0
    wasserstein = fake_scores.mean() - real_scores.mean()
    drift = (np.asarray(real_scores, np.float64) ** 2).mean()
    _close(
        float(_array(critic_loss(_tensor(real_scores), _tensor(fake_scores), 0.3))),
        wasserstein + 10.0 * 0.3 + 0.001 * drift,
        _(
            "progan_critic_loss(real, fake, penalty=0.3) gave {got}; mean(fake) - mean(real) + "
            "10 * 0.3 + 0.001 * mean(real^2) is {expected}"
        ),
    )
    _close(
        float(_array(critic_loss(_tensor(real_scores), _tensor(fake_scores), 0.3, 2.0, 0.5))),
        wasserstein + 2.0 * 0.3 + 0.5 * drift,
        _(
            "with gp_weight 2 and drift_weight 0.5, progan_critic_loss gave {got}; expected "
            "{expected}"
        ),
    )
    _close(
        float(_array(generator_loss(_tensor(fake_scores)))),
        -fake_scores.mean(),
        _("progan_generator_loss gave {got}; -mean(fake_scores) is {expected}"),
    )


# ------------------------------------------------------------------ progan_step


def _values(variables):
    return [np.array(_array(v)) for v in variables]


def _changed(before, variables):
    return any(not np.array_equal(b, _array(v)) for b, v in zip(before, variables, strict=True))


@describe(N_("make_progan_step updates the critic, then the generator, each its own"))
def progan_step_updates(ns):
    _tf, keras = _frameworks()
    keras.utils.set_random_seed(88)
    generator = require(ns, "ProGenerator")(latent_dim=8, filters=2)
    critic = require(ns, "ProDiscriminator")(filters=2)
    make_step = require(ns, "make_progan_step")
    real = _normal(89, (4, 8, 8, 1))
    z_critic, z_generator = _normal(90, (4, 8)), _normal(91, (4, 8))
    epsilon = np.random.default_rng(92).uniform(size=(4, 1, 1, 1)).astype(np.float32)
    generator(_tensor(z_critic), stage=1)
    critic(_tensor(real), stage=1)
    g_before, c_before = _values(generator.trainable_variables), _values(critic.trainable_variables)
    frozen_generator = keras.optimizers.SGD(0.0)
    step = make_step(generator, critic, frozen_generator, keras.optimizers.SGD(0.01), 1)
    c_loss, g_loss = step(
        _tensor(real), _tensor(z_critic), _tensor(z_generator), _tensor(epsilon), 0.5
    )
    expect(
        np.isfinite(float(_array(c_loss))) and np.isfinite(float(_array(g_loss))),
        _("the step returned losses {c} and {g}; expected two finite numbers").format(
            c=_array(c_loss), g=_array(g_loss)
        ),
    )
    expect(
        _changed(c_before, critic.trainable_variables),
        _("the critic's weights did not change in a step: apply c_optimizer to its gradients"),
    )
    expect(
        not _changed(g_before, generator.trainable_variables),
        _(
            "with g_optimizer's rate at 0 the generator still changed: the critic's update must "
            "leave the generator alone"
        ),
    )
    c_after = _values(critic.trainable_variables)
    step = make_step(generator, critic, keras.optimizers.SGD(0.01), keras.optimizers.SGD(0.0), 1)
    step(_tensor(real), _tensor(z_critic), _tensor(z_generator), _tensor(epsilon), 0.5)
    expect(
        _changed(g_before, generator.trainable_variables),
        _("the generator's weights did not change in a step: apply g_optimizer to its gradients"),
    )
    expect(
        not _changed(c_after, critic.trainable_variables),
        _(
            "with c_optimizer's rate at 0 the critic still changed: the generator's update must "
            "leave the critic alone"
        ),
    )


# ------------------------------------------------------------------ trained_progan

TRAINED_WEIGHTS = "progan_generator.weights.h5"
TRAINED_SETTINGS = "progan_generator.json"
SETTINGS_KEYS = ("latent_dim", "filters", "stage")


@describe(N_("the trained generator's two files are next to the notebook and load"))
def trained_progan_files(ns):
    build = require(ns, "build_trained_generator")
    generator, (latent_dim, _filters, stage) = load_handed_in(
        build, "build_trained_generator", TRAINED_WEIGHTS, TRAINED_SETTINGS, SETTINGS_KEYS
    )
    z = _normal(93, (8, latent_dim))
    images = _array(generator(_tensor(z), stage=stage))
    size = 4 * 2**stage
    expect(
        images.shape == (8, size, size, 1) and bool(np.all(np.isfinite(images))),
        _(
            "the generator loaded from {weights} gives {shape}; expected finite images {expected}"
        ).format(weights=TRAINED_WEIGHTS, shape=images.shape, expected=(8, size, size, 1)),
    )


PUBLIC_CHECKS = {
    "pixel_norm": [pixel_norm_values],
    "minibatch_std": [minibatch_std_values],
    "equalized_layers": [equalized_dense_values, equalized_conv_values],
    "progan_generator": [fade_in_values, generator_stages],
    "progan_discriminator": [discriminator_stages],
    "progan_losses": [gradient_penalty_values, progan_loss_values],
    "progan_step": [progan_step_updates],
    "trained_progan": [trained_progan_files],
}
