"""Public checks of chapter 5's AdaIN notebook (adain.ipynb).

Light checks on tiny inputs that say what to fix, against NumPy. They run with the student's
own functions (a mistake in adain shows in the step's check too, after adain's own); in grading
the hidden checks give each part correct stand-ins for the others (igcourse.grading.ch05_adain,
never shipped to students: a correct stand-in is an answer). The step is checked on a tiny
encoder and a tiny decoder; inference on a tiny encoder and a tiny nonlinear decoder (with a
linear one, blending images would pass for blending features).
"""

import numpy as np

from igcourse.checks import N_, describe, expect, expect_unchanged, require, rounded
from igcourse.checks.ch03_gan import _frameworks
from igcourse.checks.ch04_cyclegan import _tensor
from igcourse.checks.handed_in import load_handed_in
from igcourse.i18n import _

EPS = 1e-5


def _array(value):
    return np.asarray(value.numpy() if hasattr(value, "numpy") else value, np.float64)


def _values(seed, shape, low=-1.0, high=1.0):
    return np.random.default_rng(seed).uniform(low, high, shape).astype(np.float32)


def _moments(x, epsilon=EPS):
    x = np.asarray(x, np.float64)
    mean = x.mean(axis=(1, 2), keepdims=True)
    return mean, np.sqrt(x.var(axis=(1, 2), keepdims=True) + epsilon)


def _adain(content, style, epsilon=EPS):
    (mu_c, sigma_c), (mu_s, sigma_s) = _moments(content, epsilon), _moments(style, epsilon)
    return (content - mu_c) / sigma_c * sigma_s + mu_s


# ------------------------------------------------------------------ adain


@describe(N_("per-sample, per-channel moments over height and width, epsilon inside the root"))
def moments_values(ns):
    moments = require(ns, "channel_moments")
    x = _values(70, (2, 3, 4, 5))
    x[1, :, :, 2] = 0.0  # a channel that is zero everywhere: its std is sqrt(epsilon)
    given = x.copy()
    got = moments(x, 0.01)
    expect_unchanged(x, given, "channel_moments", "x")
    expect(
        isinstance(got, (tuple, list)) and len(got) == 2,
        _("channel_moments must return two tensors, (mean, std)"),
    )
    mean, std = (_array(value) for value in got)
    expected_mean, expected_std = _moments(x, 0.01)
    expect(
        not (
            mean.shape == (1, 1, 1, 5)
            and np.allclose(mean, x.mean(axis=(0, 1, 2), keepdims=True), atol=1e-5)
        ),
        _(
            "the means mix the samples of the batch: take them over height and width only "
            "(axis=(1, 2))"
        ),
    )
    expect(
        mean.shape == (2, 1, 1, 5) and std.shape == (2, 1, 1, 5),
        _(
            "channel_moments gave shapes {got} for x of shape (2, 3, 4, 5), expected (2, 1, 1, 5) "
            "twice"
        ).format(got=[mean.shape, std.shape]),
    )
    expect(
        np.allclose(mean, expected_mean, atol=1e-5),
        _("channel_moments' means are wrong: the mean over H and W of each sample and channel"),
    )
    expect(
        not np.allclose(std, np.sqrt(x.var(axis=(1, 2), keepdims=True)) + 0.01, atol=1e-5),
        _("epsilon was added after the square root: put it inside, sqrt(variance + epsilon)"),
    )
    flat_ok = np.isclose(std[1, 0, 0, 2], expected_std[1, 0, 0, 2], atol=1e-5)
    expect(
        flat_ok,
        _(
            "channel_moments gave std {got} for a channel that is zero everywhere with epsilon "
            "0.01, expected {expected} (sqrt(variance + epsilon))"
        ).format(got=rounded(std[1, 0, 0, 2], 4), expected=rounded(expected_std[1, 0, 0, 2], 4)),
    )
    worst = np.unravel_index(np.argmax(np.abs(std - expected_std)), std.shape)
    expect(
        np.allclose(std, expected_std, atol=1e-5),
        _(
            "channel_moments gave std {got} for sample {sample}, channel {channel}, expected "
            "{expected} (sqrt(variance + epsilon), the variance the mean of the squared "
            "deviations over H and W: divided by H * W)"
        ).format(
            got=rounded(std[worst], 4),
            expected=rounded(expected_std[worst], 4),
            sample=worst[0],
            channel=worst[3],
        ),
    )


@describe(N_("AdaIN: the content normalised, then given the style's means and deviations"))
def adain_values(ns):
    function = require(ns, "adain")
    content = _values(71, (2, 4, 4, 3))
    content[1, :, :, 0] = 0.7  # a flat channel: its sigma is sqrt(epsilon)
    style = _values(72, (2, 6, 5, 3), 0.0, 3.0)
    got = _array(function(content, style, 0.5))
    expect(
        got.shape == content.shape,
        _("adain gave shape {got}, expected the content's shape {expected}").format(
            got=got.shape, expected=content.shape
        ),
    )
    expect(
        bool(np.all(np.isfinite(got))),
        _(
            "adain gave values that are not finite for a content channel that is the same "
            "everywhere: its sigma must be sqrt(0 + epsilon)"
        ),
    )
    expect(
        not np.allclose(got, _adain(style[:, :4, :4], content, 0.5), atol=1e-3),
        _("adain gives the content's statistics to the style: the first argument is the content"),
    )
    expect(
        not np.allclose(got, _adain(content[::-1], style, 0.5)[::-1], atol=1e-4),
        _(
            "the samples of the batch were mixed up: sample i of the output takes the statistics "
            "of sample i of the style"
        ),
    )
    expect(
        not np.allclose(got, _adain(content, style), atol=1e-4),
        _("adain(content, style, 0.5) used epsilon 1e-5: pass its epsilon on to channel_moments"),
    )
    expected = _adain(content, style, 0.5)
    expect(
        np.allclose(got, expected, atol=1e-3),
        _(
            "adain gave {got} at one position, expected {expected}: sigma_style * (x - mu_x) / "
            "sigma_x + mu_style"
        ).format(got=rounded(got[0, 0, 0], 4), expected=rounded(expected[0, 0, 0], 4)),
    )
    got_mean, _got_std = _moments(got)
    style_mean, _style_std = _moments(style)
    expect(
        np.allclose(got_mean, style_mean, atol=1e-3),
        _("adain's output does not have the style's channel means"),
    )


# ------------------------------------------------------------------ reflect_conv


@describe(N_("a 3 x 3 convolution on a reflect-padded input keeps the size and reflects the edges"))
def reflect_conv_values(ns):
    tf, keras = _frameworks()
    conv = require(ns, "reflect_conv")
    inputs = keras.Input((None, None, 2))
    model = keras.Model(inputs, conv(inputs, 4, activation=None))
    convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    expect(
        len(convs) == 1,
        _("reflect_conv made {count} Conv2D layers, expected one").format(count=len(convs)),
    )
    layer = convs[0]
    expect(
        tuple(layer.kernel_size) == (3, 3),
        _("the convolution's kernel is {got}, expected 3 x 3").format(got=tuple(layer.kernel_size)),
    )
    x = _values(73, (1, 5, 6, 2))
    got = _array(model(_tensor(x)))
    expect(
        got.shape == (1, 5, 6, 4),
        _(
            "reflect_conv gave shape {got} for (1, 5, 6, 2) and 4 filters, expected (1, 5, 6, 4)"
        ).format(got=got.shape),
    )
    padded = np.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="reflect")
    expected = _array(tf.nn.conv2d(padded, layer.kernel, 1, "VALID") + layer.bias)
    zeros = _array(tf.nn.conv2d(x, layer.kernel, 1, "SAME") + layer.bias)
    symmetric = np.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="symmetric")
    expect(
        not np.allclose(got, zeros, atol=1e-4),
        _(
            'the edges were padded with zeros: pad with mode="reflect", then convolve with '
            'padding="valid"'
        ),
    )
    expect(
        not np.allclose(
            got, _array(tf.nn.conv2d(symmetric, layer.kernel, 1, "VALID") + layer.bias), atol=1e-4
        ),
        _(
            "the padding repeats the edge pixel (symmetric): reflect leaves it out, [a, b, c] -> "
            "[b, a, b, c, b]"
        ),
    )
    expect(
        np.allclose(got, expected, atol=1e-4),
        _("reflect_conv's output differs from a 3 x 3 convolution of the reflect-padded input"),
    )
    relu_model = keras.Model(inputs, conv(inputs, 3))
    expect(
        float(_array(relu_model(_tensor(x))).min()) >= 0.0,
        _("reflect_conv's default activation should be a ReLU"),
    )


# ------------------------------------------------------------------ adain_decoder

PLAN = [
    ("conv", 256, "relu"),
    ("up",),
    ("conv", 256, "relu"),
    ("conv", 256, "relu"),
    ("conv", 256, "relu"),
    ("conv", 128, "relu"),
    ("up",),
    ("conv", 128, "relu"),
    ("conv", 64, "relu"),
    ("up",),
    ("conv", 64, "relu"),
    ("conv", 3, "linear"),
]


@describe(
    N_(
        "nine reflect-padded convolutions and three nearest upsamplings, the last linear, 3 "
        "channels"
    )
)
def decoder_plan(ns):
    _tf, keras = _frameworks()
    build = require(ns, "build_adain_decoder")
    keras.utils.set_random_seed(74)
    decoder = build(8)
    got = []
    for layer in decoder.layers:
        if isinstance(layer, keras.layers.Conv2D):
            expect(
                layer.padding == "valid",
                _(
                    'the decoder has a convolution with padding="{padding}": build every one with '
                    "your reflect_conv, which pads by reflection and convolves without padding"
                ).format(padding=layer.padding),
            )
            activation = getattr(layer.activation, "__name__", str(layer.activation))
            got.append(("conv", layer.filters, activation))
            expect(
                tuple(layer.kernel_size) == (3, 3),
                _("the decoder has a {size} convolution: all are 3 x 3").format(
                    size=tuple(layer.kernel_size)
                ),
            )
        elif isinstance(layer, keras.layers.UpSampling2D):
            got.append(("up",))
            expect(
                layer.interpolation == "nearest",
                _("the decoder upsamples with {how}: use nearest").format(how=layer.interpolation),
            )
    expect(
        got == PLAN,
        _("the decoder's layers are {got}, expected {expected}").format(got=got, expected=PLAN),
    )
    x = _values(75, (2, 3, 4, 8))
    out = _array(decoder(_tensor(x)))
    expect(
        out.shape == (2, 24, 32, 3),
        _("the decoder gave shape {got} for features (2, 3, 4, 8), expected (2, 24, 32, 3)").format(
            got=out.shape
        ),
    )


# ------------------------------------------------------------------ adain_losses


@describe(
    N_(
        "content loss: mean squared error against t; style loss: summed over layers, moments' "
        "squared errors"
    )
)
def losses_values(ns):
    content_loss = require(ns, "adain_content_loss")
    style_loss = require(ns, "adain_style_loss")
    f, t = _values(76, (2, 3, 3, 4)), _values(77, (2, 3, 3, 4))
    got = float(_array(content_loss(_tensor(f), _tensor(t))))
    expected = float(np.mean((f.astype(np.float64) - t) ** 2))
    expect(
        abs(got - expected) < 1e-4 * max(1, expected),
        _(
            "adain_content_loss gave {got}, expected {expected}, the mean of the squared "
            "differences"
        ).format(got=rounded(got, 5), expected=rounded(expected, 5)),
    )
    shapes = [(2, 8, 8, 3), (2, 4, 4, 5), (2, 2, 2, 6)]
    styled = [_values(78 + i, s) for i, s in enumerate(shapes)]
    styles = [
        _values(81 + i, (2, s[1] + 2, s[2] + 1, s[3]), 0.0, 2.0) for i, s in enumerate(shapes)
    ]
    got = float(_array(style_loss([_tensor(a) for a in styled], [_tensor(b) for b in styles], EPS)))
    per_layer = []
    for a, b in zip(styled, styles, strict=True):
        (ma, sa), (mb, sb) = _moments(a), _moments(b)
        per_layer.append(np.mean((ma - mb) ** 2) + np.mean((sa - sb) ** 2))
    expected = float(np.sum(per_layer))
    expect(
        abs(got - float(np.mean(per_layer))) > 1e-4 * expected,
        _("adain_style_loss averages over the layers: sum them"),
    )
    expect(
        abs(got - expected) < 1e-3 * max(1, expected),
        _(
            "adain_style_loss gave {got}, expected {expected}: the sum over the layers of "
            "mean((mu - mu_s) ** 2) + mean((sigma - sigma_s) ** 2)"
        ).format(got=rounded(got, 5), expected=rounded(expected, 5)),
    )


# ------------------------------------------------------------------ adain_step


def tiny_encoder():
    """images (B, 8, 8, 3) -> two activations, a frozen 3 x 3 convolution and a pooled one."""
    _tf, keras = _frameworks()
    keras.utils.set_random_seed(84)
    images = keras.Input((None, None, 3))
    first = keras.layers.Conv2D(3, 3, padding="same", activation="relu")(images)
    second = keras.layers.Conv2D(4, 3, padding="same", activation="relu")(
        keras.layers.MaxPooling2D(2)(first)
    )
    encoder = keras.Model(images, [first, second])
    encoder.trainable = False
    return encoder


def tiny_decoder(channels=4):
    _tf, keras = _frameworks()
    keras.utils.set_random_seed(85)
    inputs = keras.Input((None, None, channels))
    x = keras.layers.UpSampling2D(2)(inputs)
    return keras.Model(inputs, keras.layers.Conv2D(3, 3, padding="same")(x))


@describe(N_("one step updates the decoder only and returns the losses before the update"))
def step_updates_the_decoder(ns):
    tf, keras = _frameworks()
    make = require(ns, "make_adain_step")
    encoder, decoder = tiny_encoder(), tiny_decoder()
    encoder.trainable = True  # so that a step that updates it shows
    encoder_before = [_array(v) for v in encoder.weights]
    decoder_before = [_array(v) for v in decoder.weights]
    step = make(encoder, decoder, keras.optimizers.SGD(0.01), 2.0)
    content, style = _values(86, (2, 8, 8, 3), 0, 1), _values(87, (2, 8, 8, 3), 0, 1)
    # the expected losses, computed here before the step
    style_features = [_array(f) for f in encoder(_tensor(style))]
    target = _adain(_array(encoder(_tensor(content))[-1]), style_features[-1])
    features = [_array(f) for f in encoder(decoder(_tensor(target)))]
    content_expected = float(np.mean((features[-1] - target) ** 2))
    style_expected = 0.0
    for a, b in zip(features, style_features, strict=True):
        (ma, sa), (mb, sb) = _moments(a), _moments(b)
        style_expected += np.mean((ma - mb) ** 2) + np.mean((sa - sb) ** 2)
    losses = step(_tensor(content), _tensor(style))
    expect(
        isinstance(losses, (tuple, list)) and len(losses) == 3,
        _("the step must return (total, content, style)"),
    )
    total, got_content, got_style = (float(_array(v)) for v in losses)
    expect(
        np.allclose(
            [got_content, got_style], [content_expected, style_expected], rtol=1e-3, atol=1e-6
        ),
        _(
            "the step returned content {got_c} and style {got_s}, expected {exp_c} and {exp_s} "
            "(the losses of decoder(t) before the update, t = adain(encoder(content)[-1], "
            "encoder(style)[-1]))"
        ).format(
            got_c=rounded(got_content, 5),
            got_s=rounded(got_style, 5),
            exp_c=rounded(content_expected, 5),
            exp_s=rounded(style_expected, 5),
        ),
    )
    expect(
        abs(total - (got_content + 2.0 * got_style)) < 1e-3 * max(1, abs(total)),
        _("total should be content + style_weight * style"),
    )
    expect(
        all(
            np.array_equal(a, _array(b))
            for a, b in zip(encoder_before, encoder.weights, strict=True)
        ),
        _("the step changed the encoder: apply the gradients to decoder.trainable_variables only"),
    )
    expect(
        any(
            not np.array_equal(a, _array(b))
            for a, b in zip(decoder_before, decoder.weights, strict=True)
        ),
        _(
            "the step did not change the decoder: apply the gradients to "
            "decoder.trainable_variables"
        ),
    )


# ------------------------------------------------------------------ adain_inference


@describe(
    N_("alpha blends t with the content features; weights mix the AdaIN targets of several styles")
)
def inference_values(ns):
    _tf, keras = _frameworks()
    stylize = require(ns, "stylize")
    interpolate = require(ns, "interpolate_styles")
    encoder = tiny_encoder()
    keras.utils.set_random_seed(89)
    features = keras.Input((None, None, 4))
    # A nonlinear decoder, so that decoding blended features and blending decoded images differ.
    decoder = keras.Model(features, keras.layers.Conv2D(3, 1, activation="tanh")(features))
    content, style, other = (_values(88 + i, (1, 8, 8, 3), 0, 1) for i in range(3))
    c = _array(encoder(_tensor(content))[-1])
    s = _array(encoder(_tensor(style))[-1])
    o = _array(encoder(_tensor(other))[-1])
    t = _adain(c, s)

    def decoded(blend):
        return _array(decoder(_tensor(blend)))

    got = _array(stylize(encoder, decoder, content, style, 0.3))
    expect(
        not np.allclose(got, decoded(0.7 * t + 0.3 * c), atol=1e-3),
        _("alpha weighs the content features: alpha * t + (1 - alpha) * content features"),
    )
    expect(
        not np.allclose(got, 0.3 * decoded(t) + 0.7 * decoded(c), atol=1e-4),
        _(
            "stylize blends the decoded images: blend the features, alpha * t + (1 - alpha) * "
            "c, and decode them once"
        ),
    )
    expect(
        np.allclose(got, decoded(0.3 * t + 0.7 * c), atol=1e-3),
        _("stylize with alpha 0.3 should decode 0.3 * t + 0.7 * encoder(content)[-1]"),
    )
    got = _array(interpolate(encoder, decoder, content, [style, other], [0.25, 0.75]))
    expect(
        not np.allclose(got, 0.25 * decoded(t) + 0.75 * decoded(_adain(c, o)), atol=1e-4),
        _(
            "interpolate_styles mixes the decoded images: mix the AdaIN targets, then decode "
            "them once"
        ),
    )
    expect(
        np.allclose(got, decoded(0.25 * t + 0.75 * _adain(c, o)), atol=1e-3),
        _(
            "interpolate_styles with weights 0.25 and 0.75 should decode 0.25 * adain(c, s1) + "
            "0.75 * adain(c, s2)"
        ),
    )


# ------------------------------------------------------------------ trained_adain

TRAINED_WEIGHTS = "adain_decoder.weights.h5"
TRAINED_SETTINGS = "adain_decoder.json"
SETTINGS_KEYS = ("channels",)


@describe(N_("the trained decoder's two files are next to the notebook and load"))
def trained_adain_files(ns):
    build = require(ns, "build_adain_decoder")
    decoder, (channels,) = load_handed_in(
        build, "build_adain_decoder", TRAINED_WEIGHTS, TRAINED_SETTINGS, SETTINGS_KEYS
    )
    features = np.abs(_values(90, (1, 2, 3, channels)))
    images = _array(decoder(_tensor(features)))
    expect(
        images.shape == (1, 16, 24, 3) and bool(np.all(np.isfinite(images))),
        _(
            "the decoder loaded from {weights} gives shape {shape} for features (1, 2, 3, "
            "{channels}), expected finite images (1, 16, 24, 3)"
        ).format(weights=TRAINED_WEIGHTS, shape=images.shape, channels=channels),
    )


PUBLIC_CHECKS = {
    "adain": [moments_values, adain_values],
    "reflect_conv": [reflect_conv_values],
    "adain_decoder": [decoder_plan],
    "adain_losses": [losses_values],
    "adain_step": [step_updates_the_decoder],
    "adain_inference": [inference_values],
    "trained_adain": [trained_adain_files],
}
