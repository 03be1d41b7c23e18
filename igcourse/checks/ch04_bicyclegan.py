"""Public checks of chapter 4's BicycleGAN notebook (bicyclegan.ipynb).

Light checks on tiny inputs that say what to fix; the hidden checks in
autograder/ch04_image_translation/ test the same code more thoroughly. The steps are checked on
toy networks with other losses in place of the task's, so that a step is judged on calling the
losses it is given.
"""

import math

import numpy as np

from igcourse.checks import N_, describe, expect, require
from igcourse.checks.ch03_gan import _changed, _frameworks, _replaced, _values
from igcourse.checks.ch04_cyclegan import _images, _tensor
from igcourse.checks.handed_in import load_handed_in
from igcourse.i18n import _

NAMES = ("generator", "encoder", "d_vae", "d_lr")

# ------------------------------------------------------------------ latent_encoder


def encoder_count(z_dim, filters, channels):
    """The parameters of the table's encoder: the first convolution with bias, the next two
    without but each with an instance norm's scale and offset, two Dense heads."""
    f = filters
    count = 16 * channels * f + f
    count += 16 * f * 2 * f + 2 * 2 * f + 16 * 2 * f * 4 * f + 2 * 4 * f
    return count + 2 * (4 * f * z_dim + z_dim)


@describe(N_("build_latent_encoder returns [mu, log_var] of the table's sizes"))
def encoder_shapes(ns):
    build = require(ns, "build_latent_encoder")
    for z_dim, filters, channels in ((3, 4, 1), (5, 2, 3)):
        encoder = build(z_dim, filters, channels)
        outputs = encoder(_tensor(_images(30, (2, 32, 32, channels))), training=False)
        expect(
            isinstance(outputs, (tuple, list)) and len(outputs) == 2,
            _("build_latent_encoder's model must return two outputs, [mu, log_var]"),
        )
        shapes = [tuple(np.asarray(output).shape) for output in outputs]
        expect(
            shapes == [(2, z_dim), (2, z_dim)],
            _(
                "build_latent_encoder({z_dim}, {filters}, {channels}) maps 2 shoes to shapes "
                "{shapes}, expected two of (2, {z_dim})"
            ).format(z_dim=z_dim, filters=filters, channels=channels, shapes=shapes),
        )
        expected = encoder_count(z_dim, filters, channels)
        expect(
            encoder.count_params() == expected,
            _(
                "build_latent_encoder({z_dim}, {filters}, {channels}) has {got:,} parameters, "
                "expected {expected:,}: three 4 x 4 stride-2 convolutions of F, 2F and 4F "
                "filters (bias in the first only, instance norms after the other two), global "
                "average pooling, two Dense layers of z_dim units"
            ).format(
                z_dim=z_dim,
                filters=filters,
                channels=channels,
                got=encoder.count_params(),
                expected=expected,
            ),
        )
        mu, log_var = (np.asarray(output) for output in outputs)
        expect(
            not np.allclose(mu, log_var),
            _("mu and log_var are the same: they come from two Dense layers of their own"),
        )


@describe(N_("sample_latent is mu + exp(log_var / 2) * noise"))
def sample_values(ns):
    sample = require(ns, "sample_latent")
    rng = np.random.default_rng(31)
    mu, log_var, noise = (rng.normal(size=(3, 4)).astype(np.float32) for _ in range(3))
    got = np.asarray(sample(_tensor(mu), _tensor(log_var), _tensor(noise)))
    expected = mu + np.exp(0.5 * log_var) * noise
    expect(
        got.shape == expected.shape and np.allclose(got, expected, atol=1e-5),
        _(
            "sample_latent(mu, log_var, noise) must be mu + exp(log_var / 2) * noise, the "
            "standard deviation being exp(log_var / 2); for mu[0, 0] = {mu:.3f}, log_var[0, 0] = "
            "{log_var:.3f}, noise[0, 0] = {noise:.3f} it gave {got}, expected {expected:.4f}"
        ).format(
            mu=mu[0, 0],
            log_var=log_var[0, 0],
            noise=noise[0, 0],
            got=np.round(got.reshape(-1)[0], 4) if got.size else got,
            expected=expected[0, 0],
        ),
    )


# ------------------------------------------------------------------ latent_injection


@describe(N_("tile_latent copies the code to every pixel; join_latent puts it after the image"))
def tile_and_join(ns):
    tile = require(ns, "tile_latent")
    join = require(ns, "join_latent")
    z = np.random.default_rng(32).normal(size=(2, 3)).astype(np.float32)
    tiled = np.asarray(tile(_tensor(z), 4, 5))
    expect(
        tiled.shape != (2, 5, 4, 3),
        _(
            "tile_latent(z of shape (2, 3), 4, 5) gave shape (2, 5, 4, 3), expected (2, 4, 5, 3): "
            "height and width are swapped; the height (4) comes first, as in (B, H, W, C)"
        ),
    )
    expect(
        tiled.shape == (2, 4, 5, 3),
        _(
            "tile_latent(z of shape (2, 3), 4, 5) gave shape {shape}, expected (2, 4, 5, 3), "
            "(B, height, width, z_dim): the code repeated over height and width"
        ).format(shape=tiled.shape),
    )
    expect(
        np.allclose(tiled, np.broadcast_to(z[:, None, None, :], (2, 4, 5, 3))),
        _("tile_latent: every pixel (i, j) of sample b must hold the whole code z[b]"),
    )
    images = _images(33, (2, 4, 5, 2))
    joined = np.asarray(join(_tensor(images), _tensor(z)))
    expect(
        joined.shape == (2, 4, 5, 5),
        _(
            "join_latent(images (2, 4, 5, 2), z (2, 3)) gave shape {shape}, expected (2, 4, 5, 5)"
        ).format(shape=joined.shape),
    )
    expect(
        np.allclose(joined[..., :2], images) and np.allclose(joined[..., 2:], tiled),
        _("join_latent must put the image's channels first, then the tiled code"),
    )


# ------------------------------------------------------------------ bicycle_losses


@describe(N_("kl_divergence and latent_regression_loss have the formulas' values"))
def loss_values(ns):
    kl = require(ns, "kl_divergence")
    regression = require(ns, "latent_regression_loss")
    rng = np.random.default_rng(36)
    mu, log_var = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    expected = np.mean(0.5 * np.sum(np.exp(log_var) + mu**2 - 1 - log_var, axis=1))
    got = float(np.asarray(kl(_tensor(mu), _tensor(log_var))))
    expect(
        math.isclose(got, expected, rel_tol=1e-4),
        _(
            "kl_divergence gave {got:.5f} for a batch of 3 codes of 4 numbers, expected "
            "{expected:.5f}: 0.5 * sum over the code of (exp(log_var) + mu^2 - 1 - log_var), "
            "then the mean over the batch"
        ).format(got=got, expected=expected),
    )
    zero = float(np.asarray(kl(_tensor(np.zeros((2, 4))), _tensor(np.zeros((2, 4))))))
    expect(
        abs(zero) < 1e-6,
        _("kl_divergence of N(0, I) itself (mu 0, log_var 0) must be 0, not {got:.5f}").format(
            got=zero
        ),
    )
    z, mu_back = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    expected = np.mean(np.abs(z - mu_back))
    got = float(np.asarray(regression(_tensor(z), _tensor(mu_back))))
    expect(
        math.isclose(got, expected, rel_tol=1e-4),
        _("latent_regression_loss gave {got:.5f}, expected mean |z - mu| = {expected:.5f}").format(
            got=got, expected=expected
        ),
    )


# ------------------------------------------------------------------ bicycle_steps


def toy_networks(z_dim=2):
    """A tiny generator ([edges, z] -> tanh of a 1 x 1 convolution of the edges plus a map read
    from z), encoder (a 4 x 4 patch convolution, two Dense heads) and two discriminators."""
    _tf, keras = _frameworks()
    layers = keras.layers
    keras.utils.set_random_seed(37)
    edges, z = keras.Input((32, 32, 1)), keras.Input((z_dim,))
    from_z = layers.Reshape((32, 32, 1))(layers.Dense(32 * 32)(z))
    drawn = layers.Activation("tanh")(layers.Add()([layers.Conv2D(1, 1)(edges), from_z]))
    generator = keras.Model([edges, z], drawn)
    shoes = keras.Input((32, 32, 1))
    features = layers.Flatten()(layers.Conv2D(2, 4, strides=4)(shoes))
    encoder = keras.Model(shoes, [layers.Dense(z_dim)(features), layers.Dense(z_dim)(features)])
    critics = []
    for _critic in range(2):
        images = keras.Input((32, 32, 1))
        critics.append(keras.Model(images, layers.Conv2D(1, 4, strides=4)(images)))
    return [generator, encoder, *critics]


def _other_generator_loss(fake_scores):
    """Not the task's loss (mean |scores - 0.5|)."""
    tf, _keras = _frameworks()
    return tf.reduce_mean(tf.abs(fake_scores - 0.5))


def _silent_generator_loss(fake_scores):
    """A loss of 0 with no gradient: only the latent regression moves the networks."""
    tf, _keras = _frameworks()
    return 0.0 * tf.reduce_mean(fake_scores)


def _other_discriminator_loss(real_scores, fake_scores):
    tf, _keras = _frameworks()
    return tf.reduce_mean(tf.abs(real_scores - 1.0)) + tf.reduce_mean(tf.abs(fake_scores))


def _step_inputs(z_dim=2):
    rng = np.random.default_rng(38)
    edges, shoes = _images(39, (2, 32, 32, 1)), _images(40, (2, 32, 32, 1))
    noise, random_z = (rng.normal(size=(2, z_dim)).astype(np.float32) for _ in range(2))
    return [_tensor(value) for value in (edges, shoes, noise, random_z)]


def _changed_names(before, networks):
    changed = [_changed(values, net) for values, net in zip(before, networks, strict=True)]
    return [name for name, c in zip(NAMES, changed, strict=True) if c]


@describe(N_("each step changes only its own networks; the latent regression trains G only"))
def steps_update_own_networks(ns):
    tf, keras = _frameworks()
    make = require(ns, "make_bicycle_steps")
    with _replaced(
        ns,
        lsgan_generator_loss=_other_generator_loss,
        lsgan_discriminator_loss=_other_discriminator_loss,
    ):
        networks = toy_networks()
        sgd = keras.optimizers.SGD
        steps = make(*networks, sgd(0.05), sgd(0.1), 10.0, 0.01, 0.5)
        expect(
            isinstance(steps, (tuple, list)) and len(steps) == 2,
            _("make_bicycle_steps must return (generator_step, discriminator_step)"),
        )
        for step in steps:
            expect(
                isinstance(step, tf.types.experimental.PolymorphicFunction),
                _("both steps must be functions decorated with @tf.function, not {kind}").format(
                    kind=type(step).__name__
                ),
            )
        inputs = _step_inputs()
        before = [_values(network) for network in networks]
        returned = steps[0](*inputs)
        changed = _changed_names(before, networks)
        expect(
            changed == ["generator", "encoder"],
            _(
                "generator_step changed {changed}; it must change the generator and the encoder "
                "only (with g_optimizer)"
            ).format(changed=", ".join(changed) or "-"),
        )
        expect(
            isinstance(returned, (tuple, list)) and len(returned) == 4,
            _("generator_step must return (total, latent, fake_vae, fake_lr)"),
        )
        fake_vae, fake_lr = returned[2], returned[3]
        before = [_values(network) for network in networks]
        losses = steps[1](inputs[1], fake_vae, fake_lr)
        changed = _changed_names(before, networks)
        expect(
            changed == ["d_vae", "d_lr"],
            _(
                "discriminator_step changed {changed}; it must change d_vae and d_lr only (with "
                "d_optimizer)"
            ).format(changed=", ".join(changed) or "-"),
        )
        expect(
            isinstance(losses, (tuple, list)) and len(losses) == 2,
            _("discriminator_step must return (loss_vae, loss_lr)"),
        )
    # The latent regression alone: no adversarial, image or KL term.
    with _replaced(ns, lsgan_generator_loss=_silent_generator_loss):
        networks = toy_networks()
        sgd = keras.optimizers.SGD
        steps = make(*networks, sgd(0.05), sgd(0.1), 0.0, 0.0, 0.5)
        before = [_values(network) for network in networks]
        steps[0](*_step_inputs())
        changed = _changed_names(before, networks)
        expect(
            changed == ["generator"],
            _(
                "with every term but the latent regression at 0, generator_step changed "
                "{changed}; the latent regression must update the generator only, never the "
                "encoder"
            ).format(changed=", ".join(changed) or "-"),
        )


# ------------------------------------------------------------------ trained_bicyclegan

TRAINED_WEIGHTS = "bicyclegan_generator.weights.h5"
TRAINED_SETTINGS = "bicyclegan_generator.json"
SETTINGS_KEYS = ("z_dim", "filters", "channels")


@describe(N_("the trained generator's two files are next to the notebook and load"))
def trained_bicyclegan_files(ns):
    build = require(ns, "build_bicycle_generator")
    generator, sizes = load_handed_in(
        build, "build_bicycle_generator", TRAINED_WEIGHTS, TRAINED_SETTINGS, SETTINGS_KEYS
    )
    z_dim, channels = sizes[0], sizes[2]
    codes = _tensor(np.random.default_rng(41).normal(size=(2, z_dim)))
    images = np.asarray(generator([_tensor(_images(42, (2, 32, 32, channels))), codes]))
    expect(
        images.shape == (2, 32, 32, channels) and np.all(np.abs(images) <= 1.0 + 1e-6),
        _(
            "the generator loaded from {weights} draws shape {shape} ranging from {low:.3f} to "
            "{high:.3f}, expected (2, 32, 32, {channels}) in [-1, 1]"
        ).format(
            weights=TRAINED_WEIGHTS,
            shape=images.shape,
            low=images.min(),
            high=images.max(),
            channels=channels,
        ),
    )


PUBLIC_CHECKS = {
    "latent_encoder": [encoder_shapes, sample_values],
    "latent_injection": [tile_and_join],
    "bicycle_losses": [loss_values],
    "bicycle_steps": [steps_update_own_networks],
    "trained_bicyclegan": [trained_bicyclegan_files],
}
