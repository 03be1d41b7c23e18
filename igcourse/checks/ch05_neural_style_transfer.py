"""Public checks of chapter 5's neural style transfer notebook (neural_style_transfer.ipynb).

Light checks on tiny inputs that say what to fix. The feature extractor is checked on a tiny
network with VGG19's layer names and with another preprocessing in place of the student's;
the step on a tiny extractor with another loss in place of theirs: each part is judged alone.
"""

import math

import numpy as np

from igcourse.checks import (
    N_,
    CheckFailure,
    describe,
    error_words,
    expect,
    expect_unchanged,
    require,
    rounded,
)
from igcourse.checks.ch03_gan import (
    _changed,
    _counted,
    _expect_called,
    _frameworks,
    _replaced,
    _scalar,
    _values,
)
from igcourse.checks.ch04_cyclegan import _tensor
from igcourse.i18n import _

MEANS_BGR = np.array([103.939, 116.779, 123.68])
# A network with VGG19's layer names up to block5_conv2, a few filters each ("name:filters").
TINY_LAYERS = """block1_conv1:3 block1_conv2:3 block1_pool block2_conv1:4 block2_pool block3_conv1:4
block3_pool block4_conv1:5 block4_conv2:5 block4_pool block5_conv1:5 block5_conv2:5""".split()


def _array(value):
    return np.asarray(value.numpy() if hasattr(value, "numpy") else value, np.float64)


def _pixels(seed, shape):
    return np.random.default_rng(seed).uniform(0, 1, shape).astype(np.float32)


def _expect_calls(calls, caller, name):
    expect(
        calls.get(name),
        _(
            "{caller} never called {name}: call it (this check replaces it by another function)"
        ).format(caller=caller, name=name),
    )


# ------------------------------------------------------------------ vgg_preprocess


@describe(N_("known pixels: x 255, RGB to BGR, the ImageNet means subtracted, once"))
def preprocess_values(ns):
    preprocess = require(ns, "vgg_preprocess")
    images = np.array([[[[10, 20, 30], [255, 0, 128]]], [[[0, 0, 0], [51, 102, 204]]]]) / 255.0
    images = images.astype(np.float32)  # (2, 1, 2, 3)
    given = images.copy()
    got = _array(preprocess(images))
    expect_unchanged(images, given, "vgg_preprocess", "images")
    expect(
        got.shape == images.shape,
        _(
            "vgg_preprocess gave shape {got} for images of shape (2, 1, 2, 3): keep the shape"
        ).format(got=got.shape),
    )
    pixels = images.astype(np.float64) * 255.0
    expected = pixels[..., ::-1] - MEANS_BGR
    wrong = {
        _(
            "the channels are still in RGB order, VGG19 reads BGR: reverse them once "
            "(preprocess_input reverses them itself, so reversing them before calling it undoes "
            "its reversal)"
        ): pixels - MEANS_BGR,
        _(
            "the channels come out in BGR order but the means were subtracted in RGB order: "
            "subtract (103.939, 116.779, 123.68) from the B, G and R channels"
        ): pixels[..., ::-1] - MEANS_BGR[::-1],
        _("the pixels were not multiplied by 255: VGG19 reads pixel values from 0 to 255"): (
            images[..., ::-1] - MEANS_BGR
        ),
    }
    pixel = images[0, 0, 0] * 255.0
    for message, values in wrong.items():
        expect(not np.allclose(got, values, atol=1e-3), message)
    expect(
        np.allclose(got, expected, atol=1e-3),
        _(
            "vgg_preprocess turned the pixel RGB {pixel} / 255 into {got}, expected {expected} "
            "(its B, G and R values times 255, minus 103.939, 116.779 and 123.68)"
        ).format(
            pixel=rounded(pixel, 1),
            got=rounded(got[0, 0, 0], 3),
            expected=rounded(expected[0, 0, 0], 3),
        ),
    )
    tf, _keras = _frameworks()
    try:  # the extractor calls it on the tensors of a model
        traced = _array(tf.function(preprocess)(_tensor(images)))
    except Exception as error:  # tf.function's message ends with the error's own line
        lines = [line for line in str(error).splitlines() if line.strip()] or [repr(error)]
        raise CheckFailure(
            _(
                "vgg_preprocess works on NumPy arrays but not on tensors in a tf.function or a "
                "model ({error}): write it with keras.ops or tf"
            ).format(error=error_words(lines[-1], 160))
        ) from None
    expect(
        np.allclose(traced, expected, atol=1e-3),
        _("vgg_preprocess gives other values on a tensor in a tf.function than on a NumPy array"),
    )


# ------------------------------------------------------------------ feature_extractor


def tiny_vgg():
    """A network with VGG19's layer names up to block5_conv2, 3 to 5 filters a layer."""
    _tf, keras = _frameworks()
    layers = keras.layers
    keras.utils.set_random_seed(50)
    inputs = keras.Input((None, None, 3))
    x = inputs
    for spec in TINY_LAYERS:
        name, _colon, filters = spec.partition(":")
        if filters:
            x = layers.Conv2D(int(filters), 3, padding="same", activation="relu", name=name)(x)
        else:
            x = layers.MaxPooling2D(2, name=name)(x)
    return keras.Model(inputs, x, name="tiny_vgg")


def _other_preprocess(images):
    """Not the task's preprocessing: a map whose use (once, twice, not at all) shows."""
    return images * 4.0 - 1.0


def _expected_features(vgg, layers, inputs):
    _tf, keras = _frameworks()
    model = keras.Model(vgg.inputs, [vgg.get_layer(name).output for name in layers])
    outputs = model(_tensor(inputs))
    return [_array(output) for output in (outputs if len(layers) > 1 else [outputs])]


def _features_dict(features, content_count, style_count):
    expect(
        isinstance(features, dict) and set(features) == {"content", "style"},
        _(
            'the extractor must return a dict with the keys "content" and "style", not {kind}'
        ).format(kind=sorted(features) if isinstance(features, dict) else type(features).__name__),
    )
    counts = [len(features["content"]), len(features["style"])]
    expect(
        counts == [content_count, style_count],
        _(
            "the extractor returned {got} content and style activations, expected {expected}: a "
            'list under "content" with one per content layer, and under "style" one per style '
            "layer, in the order given"
        ).format(got=counts, expected=[content_count, style_count]),
    )
    return [_array(f) for f in features["content"]], [_array(f) for f in features["style"]]


@describe(N_("a keras.Model: images in [0, 1] -> the chosen layers' activations, in order"))
def extractor_layers(ns):
    _tf, keras = _frameworks()
    build = require(ns, "build_feature_extractor")
    vgg = tiny_vgg()
    images = _pixels(51, (2, 32, 24, 3))
    with _replaced(ns, vgg_preprocess=_other_preprocess):
        extractor = build(vgg, ("block4_conv2",), ("block1_conv1", "block3_conv1"))
        expect(
            isinstance(extractor, keras.Model),
            _("build_feature_extractor must return a keras.Model, not {kind}").format(
                kind=type(extractor).__name__
            ),
        )
        content, style = _features_dict(extractor(_tensor(images)), 1, 2)
        names = ("block4_conv2", "block1_conv1", "block3_conv1")
        expected = _expected_features(vgg, names, _other_preprocess(images))
        got_shapes = [f.shape for f in content + style]
        expected_shapes = [f.shape for f in expected]
        expect(
            got_shapes == expected_shapes,
            _(
                "with content layer block4_conv2 and style layers block1_conv1 and block3_conv1, "
                "2 images of 32 x 24 gave activations of shapes {got}, expected {expected}: each "
                "layer's output, for the whole batch"
            ).format(got=got_shapes, expected=expected_shapes),
        )
        for name, got, want in zip(names, content + style, expected, strict=True):
            if not np.allclose(got, want, rtol=1e-4, atol=1e-4):
                _explain_extractor_inputs(vgg, name, got, images)
        layers = (*require(ns, "CONTENT_LAYERS"), *require(ns, "STYLE_LAYERS"))
        content, style = _features_dict(build(vgg)(_tensor(images)), 1, 5)
    expected = _expected_features(vgg, layers, _other_preprocess(images))
    expect(
        all(
            np.allclose(got, want, rtol=1e-4, atol=1e-4)
            for got, want in zip(content + style, expected, strict=True)
        ),
        _(
            "build_feature_extractor(vgg), without layer names, must use CONTENT_LAYERS and "
            "STYLE_LAYERS: its activations are not those layers' outputs"
        ),
    )


def _explain_extractor_inputs(vgg, name, got, images):
    """Fail, naming what the network was given when it was something recognisable."""
    _tf, keras = _frameworks()
    candidates = {
        _(
            "the network reads the images as they are: call vgg_preprocess on the model's input "
            "inside the model (this check replaces vgg_preprocess by another function)"
        ): images,
        _("vgg_preprocess is applied twice: apply it once, inside the model"): _other_preprocess(
            _other_preprocess(images)
        ),
        _(
            "the model preprocesses its input with something other than vgg_preprocess: call your "
            "vgg_preprocess (this check replaces it by another function, and your model did not "
            "use it)"
        ): keras.applications.vgg19.preprocess_input(images * 255.0),
    }
    for message, inputs in candidates.items():
        (candidate,) = _expected_features(vgg, (name,), np.asarray(inputs))
        expect(not np.allclose(got, candidate, rtol=1e-4, atol=1e-4), message)
    expect(
        False,
        _(
            "the activations differ from those of the network's own layers on "
            "vgg_preprocess(images): read each layer's output from the vgg model given "
            "(vgg.get_layer(name).output), with its weights as they are"
        ),
    )


# ------------------------------------------------------------------ gram_matrix


@describe(N_("(B, H, W, C) -> (B, C, C): F^T F / (H W) per sample"))
def gram_values(ns):
    gram_matrix = require(ns, "gram_matrix")
    features = np.random.default_rng(52).normal(size=(2, 3, 4, 5)).astype(np.float32)
    flat = features.astype(np.float64).reshape(2, 12, 5)
    expected = np.einsum("bpc,bpd->bcd", flat, flat) / 12.0
    got = _array(gram_matrix(_tensor(features)))
    expect(
        got.shape == (2, 5, 5),
        _(
            "gram_matrix of features of shape (2, 3, 4, 5) gave shape {got}, expected (2, 5, 5): "
            "one C x C matrix per sample"
        ).format(got=got.shape),
    )
    wrong = {
        _("the Gram matrices were not divided by the number of positions H * W = 12"): (
            expected * 12.0
        ),
        _("the Gram matrices were divided by H * W * C = 60: divide by H * W = 12 only"): (
            expected / 5.0
        ),
        _(
            "both samples got the same Gram matrix, that of the whole batch: compute one per "
            "sample, never summing over the batch"
        ): np.broadcast_to(expected.mean(axis=0), expected.shape),
    }
    for message, values in wrong.items():
        expect(not np.allclose(got, values, rtol=1e-4, atol=1e-5), message)
    expect(
        np.allclose(got, expected, rtol=1e-4, atol=1e-5),
        _(
            "gram_matrix gave G[0, 0, 1] = {got:.5f}, expected {expected:.5f}: the sum over the "
            "H * W positions of F[b, h, w, c] * F[b, h, w, d], divided by H * W"
        ).format(got=got[0, 0, 1], expected=expected[0, 0, 1]),
    )
    single = _array(gram_matrix(_tensor(features[1:, :2])))  # batch of one, 2 x 4 positions
    part = features[1:, :2].astype(np.float64).reshape(1, 8, 5)
    expect(
        single.shape == (1, 5, 5)
        and np.allclose(single, np.einsum("bpc,bpd->bcd", part, part) / 8.0, rtol=1e-4),
        _("gram_matrix must work for any batch size and size: a batch of one 2 x 4 map failed"),
    )


# ------------------------------------------------------------------ nst_losses


def _other_gram(features):
    """Not the task's Gram matrix: the outer product of the channels' spatial means."""
    _tf, keras = _frameworks()
    means = keras.ops.mean(features, axis=(1, 2))
    return means[:, :, None] * means[:, None, :]


@describe(N_("content and style losses: per-layer mean squared errors, averaged over layers"))
def content_and_style_values(ns):
    content_loss = require(ns, "content_loss")
    style_loss = require(ns, "style_loss")
    rng = np.random.default_rng(53)
    shapes = ((2, 4, 4, 3), (2, 2, 2, 6))
    features = [rng.normal(size=shape).astype(np.float32) for shape in shapes]
    targets = [rng.normal(size=shape).astype(np.float32) for shape in shapes]
    layer_errors = [
        np.mean((f - t) ** 2, dtype=np.float64) for f, t in zip(features, targets, strict=True)
    ]
    got = _scalar(content_loss([_tensor(f) for f in features], [_tensor(t) for t in targets]))
    expect(
        not math.isclose(got, sum(layer_errors), rel_tol=1e-4),
        _("content_loss sums the layers' errors: average them over the layers"),
    )
    expect(
        math.isclose(got, np.mean(layer_errors), rel_tol=1e-4),
        _(
            "content_loss of two layers gave {got:.5f}, expected {expected:.5f}: for each layer "
            "the mean over every number of (F - P)^2, then the mean over the layers"
        ).format(got=got, expected=np.mean(layer_errors)),
    )
    calls = {}
    with _replaced(ns, gram_matrix=_counted(_other_gram, calls, "gram_matrix")):
        grams = [_array(_other_gram(_tensor(t)))[:1] for t in targets]  # the style's, (1, C, C)
        got = _scalar(style_loss([_tensor(f) for f in features], [_tensor(g) for g in grams]))
        zero = _scalar(
            style_loss(
                [_tensor(t) for t in targets],
                [_tensor(_array(_other_gram(_tensor(t)))) for t in targets],
            )
        )
    _expect_calls(calls, "style_loss", "gram_matrix")
    expected = np.mean(
        [
            np.mean((_array(_other_gram(_tensor(f))) - g) ** 2)
            for f, g in zip(features, grams, strict=True)
        ]
    )
    expect(
        abs(zero) < 1e-6,
        _(
            "the style loss of features against their own Gram matrices must be 0, not {got:.5f}"
        ).format(got=zero),
    )
    expect(
        math.isclose(got, expected, rel_tol=1e-4),
        _(
            "with gram_matrix replaced by another function, style_loss gave {got:.5f}, expected "
            "{expected:.5f}: for each layer the mean of (gram_matrix(F) - A)^2 over the batch and "
            "both channel axes (A, of shape (1, C, C), serves every sample), then the mean over "
            "the layers"
        ).format(got=got, expected=expected),
    )


@describe(N_("total_variation: mean |vertical step| + mean |horizontal step|"))
def total_variation_values(ns):
    total_variation = require(ns, "total_variation")
    images = _pixels(54, (2, 3, 4, 3))
    down = np.abs(np.diff(images.astype(np.float64), axis=1))
    across = np.abs(np.diff(images.astype(np.float64), axis=2))
    expected = down.mean() + across.mean()
    got = _scalar(total_variation(_tensor(images)))
    wrong = {
        _("total_variation squares the differences: take their absolute values"): (
            (down**2).mean() + (across**2).mean()
        ),
        _("total_variation sums the differences: take the mean of each direction's"): (
            down.sum() + across.sum()
        ),
    }
    for message, value in wrong.items():
        expect(not math.isclose(got, value, rel_tol=1e-4), message)
    expect(
        math.isclose(got, expected, rel_tol=1e-4),
        _(
            "total_variation of 2 images of 3 x 4 pixels gave {got:.5f}, expected {expected:.5f}: "
            "the mean of |x[:, i + 1, j] - x[:, i, j]| plus the mean of |x[:, i, j + 1] - x[:, i, "
            "j]|, each over the batch, the positions and the channels"
        ).format(got=got, expected=expected),
    )


@describe(N_("transfer_loss returns (total, content, style, tv) with the weights applied"))
def transfer_loss_values(ns):
    transfer_loss = require(ns, "transfer_loss")
    calls = {}

    def mean(values):
        return float(np.mean(_array(values[0])))

    # content 2 + 1 + 0.25, style 3 - 1 + 0.5: each from its own features and targets
    stand_ins = {
        "content_loss": lambda f, t: np.float32(2.0 + mean(f) + mean(t)),
        "style_loss": lambda f, t: np.float32(3.0 + mean(f) + mean(t)),
        "total_variation": lambda images: np.float32(5.0),
    }
    features = {
        "content": [_tensor(np.ones((1, 2, 2, 3)))],
        "style": [_tensor(-np.ones((1, 2, 2, 3)))],
    }
    content_targets = [np.full((1, 2, 2, 3), 0.25, np.float32)]
    style_targets = [np.full((1, 3, 3), 0.5, np.float32)]
    with _replaced(ns, **{name: _counted(f, calls, name) for name, f in stand_ins.items()}):
        returned = transfer_loss(
            features, _pixels(56, (1, 2, 2, 3)), content_targets, style_targets, 7.0, 11.0, 13.0
        )
    for name in stand_ins:
        _expect_calls(calls, "transfer_loss", name)
    expect(
        isinstance(returned, (tuple, list)) and len(returned) == 4,
        _("transfer_loss must return four values, (total, content, style, tv)"),
    )
    got = [_scalar(value) for value in returned]
    expected = [7.0 * 3.25 + 11.0 * 2.5 + 13.0 * 5.0, 3.25, 2.5, 5.0]
    expect(
        np.allclose(got, expected, rtol=1e-5),
        _(
            "with the three losses replaced by others that give content 3.25 for "
            '(features["content"], content_targets), style 2.5 for (features["style"], '
            "style_targets) and tv 5, and weights 7, 11 and 13, transfer_loss returned {got}, "
            "expected {expected}"
        ).format(got=rounded(got, 4), expected=expected),
    )


# ------------------------------------------------------------------ transfer_step


def tiny_extractor():
    """images (B, 8, 8, 3) -> {"content": [a 3 x 3 convolution], "style": [a 1 x 1 one]}."""
    _tf, keras = _frameworks()
    layers = keras.layers
    keras.utils.set_random_seed(57)
    images = keras.Input((8, 8, 3))
    content = layers.Conv2D(2, 3, padding="same")(images)
    style = layers.Conv2D(2, 1)(images)
    return keras.Model(images, {"content": [content], "style": [style]})


def _other_transfer_loss(features, images, content_targets, style_targets, cw, sw, tw):
    """Not the task's loss: squared errors against the targets, no Gram matrix."""
    _tf, keras = _frameworks()
    ops = keras.ops
    content = ops.mean(ops.square(features["content"][0] - content_targets[0]))
    style = ops.mean(ops.square(ops.mean(features["style"][0], axis=(1, 2)) - style_targets[0]))
    tv = ops.mean(ops.square(images - 0.5))
    return cw * content + sw * style + tw * tv, content, style, tv


@describe(N_("one SGD step on the image alone, clipped to [0, 1]; the network unchanged"))
def step_updates_the_image(ns):
    tf, keras = _frameworks()
    make = require(ns, "make_transfer_step")
    extractor = tiny_extractor()
    start = _pixels(58, (1, 8, 8, 3))
    content_targets = [_tensor(np.random.default_rng(59).normal(size=(1, 8, 8, 2)))]
    style_targets = [_tensor([[0.8, -0.4]])]
    weights = (1.0, 2.0, 3.0)
    image = tf.Variable(start)
    with tf.GradientTape() as tape:
        expected_losses = _other_transfer_loss(
            extractor(tf.identity(image)), image, content_targets, style_targets, *weights
        )
    gradient = _array(tape.gradient(expected_losses[0], image))
    rate = 0.3 / np.abs(gradient).max()  # large enough that some pixels must be clipped
    expected_image = np.clip(start - rate * gradient, 0.0, 1.0)
    before, calls = _values(extractor), {}
    with _replaced(ns, transfer_loss=_counted(_other_transfer_loss, calls, "transfer_loss")):
        step = make(extractor, content_targets, style_targets, keras.optimizers.SGD(rate), *weights)
        expect(
            isinstance(step, tf.types.experimental.PolymorphicFunction),
            _(
                "make_transfer_step must return a function decorated with @tf.function, not {kind}"
            ).format(kind=type(step).__name__),
        )
        returned = step(image)
    _expect_called(calls, "step", "transfer_loss")
    expect(
        not _changed(before, extractor),
        _(
            "the step changed the network's weights: apply the gradient to the image alone, "
            "optimizer.apply_gradients([(gradient, image)])"
        ),
    )
    after = _array(image)
    expect(
        not np.array_equal(after, start),
        _(
            "the step left the image as it was: apply the gradient to the image variable it "
            "is given"
        ),
    )
    expect(
        after.min() >= 0.0 and after.max() <= 1.0,
        _(
            "after the step the image ranges from {low:.3f} to {high:.3f}: clip it back to [0, 1] "
            "(image.assign(tf.clip_by_value(image, 0.0, 1.0)))"
        ).format(low=after.min(), high=after.max()),
    )
    expect(
        not np.allclose(after, np.clip(start + rate * gradient, 0.0, 1.0), atol=1e-5),
        _("the step moved the image up the gradient: the optimizer must minimise the total loss"),
    )
    expect(
        np.allclose(after, expected_image, atol=1e-5),
        _(
            "with transfer_loss replaced by another loss and SGD, the image after one step is off "
            "by up to {off:.4f}: take the gradient of the total loss (the first value "
            "transfer_loss returns) with respect to the image, apply it with the optimizer, then "
            "clip"
        ).format(off=float(np.abs(after - expected_image).max())),
    )
    expect(
        isinstance(returned, (tuple, list)) and len(returned) == 4,
        _("the step must return four values, (total, content, style, tv)"),
    )
    got = [_scalar(value) for value in returned]
    expected = [float(value) for value in expected_losses]
    expect(
        np.allclose(got, expected, rtol=1e-4),
        _(
            "the step returned {got}, expected {expected}: the values transfer_loss gives for the "
            "image before the update, with the weights the step was made with"
        ).format(got=rounded(got, 5), expected=rounded(expected, 5)),
    )


PUBLIC_CHECKS = {
    "vgg_preprocess": [preprocess_values],
    "feature_extractor": [extractor_layers],
    "gram_matrix": [gram_values],
    "nst_losses": [content_and_style_values, total_variation_values, transfer_loss_values],
    "transfer_step": [step_updates_the_image],
}
