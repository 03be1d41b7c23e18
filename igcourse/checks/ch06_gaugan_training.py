"""Public checks of chapter 6's GauGAN notebook (gaugan.ipynb): the losses, the training step
and the handed-in generator (its layers and networks are in ch06_gaugan.py).

The training step is checked on tiny networks of the check's own (not the task's), whose encoder
gives log-variances of -60 so that z is the mean and the losses can be recomputed before and
after the update.
"""

import numpy as np

from igcourse.checks import N_, describe, expect, require, rounded
from igcourse.checks.ch03_gan import _changed, _frameworks
from igcourse.checks.ch04_cyclegan import _tensor
from igcourse.checks.ch06_gaugan import _array, _close, _differ, _maps, _uniform
from igcourse.checks.handed_in import load_handed_in
from igcourse.i18n import _

# ------------------------------------------------------------------ gaugan_losses


def _outputs(seed):
    """A two-scale discriminator's outputs: per scale two features and the logits."""
    rng = np.random.default_rng(seed)
    shapes = ((2, 4, 4, 3), (2, 2, 2, 5), (2, 2, 2, 1))
    return [[rng.uniform(-2.5, 2.5, s).astype(np.float32) for s in shapes] for _scale in range(2)]


def _tensors(outputs):
    return [[_tensor(t) for t in scale] for scale in outputs]


def _hinge(real, fake):
    margins = [
        np.maximum(1 - r[-1], 0).mean() + np.maximum(1 + f[-1], 0).mean()
        for r, f in zip(real, fake, strict=True)
    ]
    return float(np.mean(margins)), float(np.sum(margins))


def _matching(real, fake, last=-1):
    return float(
        np.mean(
            [
                np.mean([np.abs(r - f).mean() for r, f in zip(rs[:last], fs[:last], strict=True)])
                for rs, fs in zip(real, fake, strict=True)
            ]
        )
    )


@describe(N_("hinge losses: the mean over scales; the generator's is -mean(fake logits)"))
def hinge_values(ns):
    d_loss = require(ns, "discriminator_hinge_loss")
    g_loss = require(ns, "generator_hinge_loss")
    real, fake = _outputs(84), _outputs(85)
    expected, summed = _hinge(real, fake)
    got = float(_array(d_loss(_tensors(real), _tensors(fake))))
    _differ(got, summed, _("discriminator_hinge_loss sums the scales: take their mean"))
    _close(
        got,
        expected,
        _(
            "discriminator_hinge_loss gave {got}, expected {expected}: the mean over scales of "
            "mean(relu(1 - real logits)) + mean(relu(1 + fake logits)), the logits last"
        ),
    )
    _close(
        float(_array(g_loss(_tensors(fake)))),
        -np.mean([f[-1].mean() for f in fake]),
        _(
            "generator_hinge_loss gave {got}, expected {expected}: -mean over scales of "
            "mean(logits)"
        ),
    )


@describe(N_("feature matching: mean |real - fake| of the features, real held constant"))
def feature_matching_values(ns):
    tf, _keras = _frameworks()
    loss = require(ns, "feature_matching_loss")
    real, fake = _outputs(86), _outputs(87)
    real_vars = [[tf.Variable(t) for t in scale] for scale in real]
    fake_vars = [[tf.Variable(t) for t in scale] for scale in fake]
    with tf.GradientTape(persistent=True) as tape:
        value = loss(real_vars, fake_vars)
    got = float(_array(value))
    _differ(
        got,
        _matching(real, fake, None),
        _("feature_matching_loss includes the logits: leave them out"),
    )
    _close(
        got,
        _matching(real, fake),
        _(
            "feature_matching_loss gave {got}, expected {expected}: the mean over scales of the "
            "mean over features (not the logits) of mean |real - fake|"
        ),
    )
    real_grad = tape.gradient(value, real_vars[0][0])
    expect(
        real_grad is None or not np.any(_array(real_grad)),
        _(
            "feature_matching_loss has a gradient for the real features: use "
            "keras.ops.stop_gradient"
        ),
    )


@describe(N_("the KL divergence is summed over the code and averaged over the batch"))
def kl_values(ns):
    kl = require(ns, "kl_divergence")
    mean, log_var = _uniform(88, (4, 3), -2, 2), _uniform(89, (4, 3), -2, 1)
    terms = -0.5 * (1 + log_var - mean.astype(np.float64) ** 2 - np.exp(log_var))
    got = float(_array(kl(_tensor(mean), _tensor(log_var))))
    _differ(got, terms.mean(), _("kl_divergence averages over the code too: sum over it"))
    _close(got, terms.sum(axis=1).mean(), _("kl_divergence gave {got}, expected {expected}"))


@describe(N_("perceptual loss: the weighted mean |f(real) - f(fake)|, real held constant"))
def perceptual_values(ns):
    tf, _keras = _frameworks()
    loss = require(ns, "perceptual_loss")
    seen = []

    def extractor(images):
        seen.append(tuple(images.shape))
        return [tf.tanh(images / 100.0), tf.nn.avg_pool2d(images, 2, 2, "VALID") / 50.0]

    def features(x):
        x = np.asarray(x, np.float64)
        return [np.tanh(x / 100.0), x.reshape(2, 4, 2, 4, 2, 3).mean(axis=(2, 4)) / 50.0]

    real, fake = _uniform(90, (2, 8, 8, 3), -120, 150), _uniform(91, (2, 8, 8, 3), -120, 150)
    real_var, fake_var = tf.Variable(real), tf.Variable(fake)
    with tf.GradientTape(persistent=True) as tape:
        value = loss(extractor, real_var, fake_var, (0.5, 2.0))
    expect(
        seen == [(2, 8, 8, 3)] * 2,
        _("the extractor got shapes {got}: give it real and fake as they are, once each").format(
            got=seen
        ),
    )
    pairs = zip((0.5, 2.0), features(real), features(fake), strict=True)
    _close(
        float(_array(value)),
        sum(w * np.abs(a - b).mean() for w, a, b in pairs),
        _(
            "perceptual_loss gave {got}, expected {expected}: the sum over i of layer_weights[i] "
            "* mean |f_i(real) - f_i(fake)|, f_i the extractor's i-th feature map"
        ),
        1e-3,
    )
    real_grad = tape.gradient(value, real_var)
    expect(
        real_grad is None or not np.any(_array(real_grad)),
        _("perceptual_loss has a gradient for the real images: hold their features constant"),
    )


# ------------------------------------------------------------------ gaugan_step


def _tiny_networks():
    """A generator, an encoder (log-variances -60: z is the mean) and a two-scale discriminator of
    one feature and the logits per scale, on 8 x 8 images and 3 labels."""
    _tf, keras = _frameworks()
    layers = keras.layers
    keras.utils.set_random_seed(92)
    z, maps = keras.Input((3,)), keras.Input((8, 8, 3))
    grid = layers.Reshape((8, 8, 1))(layers.Dense(64)(z))
    painted = layers.Conv2D(1, 3, padding="same", activation="tanh")(
        layers.Concatenate()([grid, maps])
    )
    pictures = keras.Input((8, 8, 1))
    flat = layers.Flatten()(pictures)
    spread = layers.Dense(
        3, kernel_initializer="zeros", bias_initializer=keras.initializers.Constant(-60.0)
    )(flat)
    label_in, image_in = keras.Input((None, None, 3)), keras.Input((None, None, 1))
    scales, pair = [], layers.Concatenate()([label_in, image_in])
    for k in range(2):
        pair = layers.AveragePooling2D(2)(pair) if k else pair
        feature = layers.LeakyReLU(negative_slope=0.3)(
            layers.Conv2D(2, 3, strides=2, padding="same")(pair)
        )
        scales.append([feature, layers.Conv2D(1, 3, padding="same")(feature)])
    return (
        keras.Model([z, maps], painted),
        keras.Model(pictures, [layers.Dense(3)(flat), spread]),
        keras.Model([label_in, image_in], scales),
    )


def _g_terms(generator, encoder, discriminator, images, maps):
    """[hinge, feature matching, KL, mean squared error] of the generator's losses, and D's loss."""
    mean, log_var = (_array(t) for t in encoder(_tensor(images)))
    fake = _array(generator([_tensor(mean), _tensor(maps)]))
    real_out = [[_array(t) for t in s] for s in discriminator([_tensor(maps), _tensor(images)])]
    fake_out = [[_array(t) for t in s] for s in discriminator([_tensor(maps), _tensor(fake)])]
    kl = np.mean(-0.5 * np.sum(1 + log_var - mean**2 - np.exp(log_var), axis=1))
    hinge = -np.mean([s[-1].mean() for s in fake_out])
    terms = [hinge, _matching(real_out, fake_out), kl, np.mean((images - fake) ** 2)]
    return terms, _hinge(real_out, fake_out)[0]


@describe(N_("one step updates D, then G and the encoder, and returns the five losses"))
def step_updates(ns):
    _tf, keras = _frameworks()
    make = require(ns, "make_gaugan_step")
    networks = _tiny_networks()
    images, maps = _uniform(93, (4, 8, 8, 1)), _maps(94, (4, 8, 8), 3)
    before = [net.get_weights() for net in networks]
    start = [[_array(v) for v in net.trainable_variables] for net in networks]
    _terms, d_expected = _g_terms(*networks, images, maps)

    def squared(real, fake):
        return keras.ops.mean(keras.ops.square(real - fake))

    sgd = keras.optimizers.SGD
    step = make(
        *networks[:3],
        sgd(0.05),
        sgd(0.05),
        feature_weight=2.0,
        kl_weight=0.01,
        perceptual=squared,
        perceptual_weight=3.0,
        seed=keras.random.SeedGenerator(1),
    )
    losses = step(_tensor(images), _tensor(maps))
    keys = ["d_loss", "feature_loss", "g_loss", "kl_loss", "perceptual_loss"]
    expect(
        isinstance(losses, dict) and sorted(losses) == keys,
        _("the step must return a dict with the keys {keys}").format(keys=keys),
    )
    got = {key: float(_array(value)) for key, value in losses.items()}
    for net, values, name in zip(
        networks, start, ("generator", "encoder", "discriminator"), strict=True
    ):
        expect(_changed(values, net), _("the step did not change the {name}").format(name=name))
    _close(
        got["d_loss"],
        d_expected,
        _(
            "d_loss is {got}, expected {expected}: the hinge loss of discriminator([label_maps, "
            "images]) and discriminator([label_maps, fake]) before any update"
        ),
        1e-3,
    )
    after = [net.get_weights() for net in networks]
    for net, weights in zip(networks[:2], before[:2], strict=True):
        net.set_weights(weights)
    terms, _d = _g_terms(*networks, images, maps)  # G and E before, D after their updates
    networks[2].set_weights(before[2])
    stale, _d = _g_terms(*networks, images, maps)  # all three before
    for net, weights in zip(networks, after, strict=True):
        net.set_weights(weights)
    weights = np.array([1.0, 2.0, 0.01, 3.0])
    total, stale_total = float(np.dot(weights, terms)), float(np.dot(weights, stale))
    if abs(total - stale_total) > 1e-3:
        _differ(
            got["g_loss"],
            stale_total,
            _("g_loss used D before its update: update D first, then the generator on a new tape"),
            1e-4,
        )
    for key, value in zip(keys[1:], (terms[1], total, terms[2], terms[3]), strict=True):
        expect(
            abs(got[key] - value) < 2e-3 * max(1.0, abs(value)),
            _(
                "{key} is {got}, expected {expected} (feature_weight 2, kl_weight 0.01, "
                "perceptual_weight 3; the terms unweighted, g_loss the hinge loss plus their "
                "weighted sum)"
            ).format(key=key, got=rounded(got[key], 5), expected=rounded(value, 5)),
        )
    plain = make(*networks[:3], sgd(0.01), sgd(0.01))
    without = float(_array(plain(_tensor(images), _tensor(maps))["perceptual_loss"]))
    expect(
        without == 0.0,
        _("without perceptual, perceptual_loss should be 0.0, not {got}").format(got=without),
    )


# ------------------------------------------------------------------ trained_gaugan

TRAINED_WEIGHTS = "gaugan_generator.weights.h5"
TRAINED_SETTINGS = "gaugan_generator.json"
SETTINGS_KEYS = ("num_labels", "z_dim", "filters", "image_size", "channels", "hidden")


@describe(N_("the trained generator's two files are next to the notebook and load"))
def trained_gaugan_files(ns):
    build = require(ns, "build_gaugan_generator")
    generator, (labels, z_dim, _filters, size, channels, _hidden) = load_handed_in(
        build, "build_gaugan_generator", TRAINED_WEIGHTS, TRAINED_SETTINGS, SETTINGS_KEYS
    )
    maps = np.zeros((8, size, size), np.int64)
    for i in range(8):  # a square item of class i % (labels - 1) in the middle
        maps[i, size // 4 : 3 * size // 4, size // 4 : 3 * size // 4] = 1 + i % (labels - 1)
    z = np.random.default_rng(95).standard_normal((8, z_dim)).astype(np.float32)
    images = _array(generator([_tensor(z), _tensor(np.eye(labels, dtype=np.float32)[maps])]))
    expect(
        images.shape == (8, size, size, channels) and bool(np.all(np.abs(images) <= 1.0 + 1e-5)),
        _(
            "the generator loaded from {weights} gives shape {shape}, values {low:.2f} .. "
            "{high:.2f}; expected images {expected} in [-1, 1]"
        ).format(
            weights=TRAINED_WEIGHTS,
            shape=images.shape,
            low=float(np.nanmin(images)),
            high=float(np.nanmax(images)),
            expected=(8, size, size, channels),
        ),
    )


PUBLIC_CHECKS = {
    "gaugan_losses": [hinge_values, feature_matching_values, kl_values, perceptual_values],
    "gaugan_step": [step_updates],
    "trained_gaugan": [trained_gaugan_files],
}
