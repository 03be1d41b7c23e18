"""Public checks of chapter 1: pixel probabilities and PixelCNN.

Each check is light (tiny inputs, a second or two) and says what to fix when it fails. The
hidden checks in autograder/ch01_pixelcnn/ test the same functions more thoroughly.
TensorFlow and Keras are imported inside the PixelCNN checks only, so that the checks of the
first notebook stay fast.
"""

import json
import math

import numpy as np

from igcourse.checks import N_, CheckFailure, describe, expect, expect_unchanged, require
from igcourse.checks.relation import with_relation
from igcourse.i18n import _


def _show(array):
    return np.array2string(np.asarray(array), precision=4, separator=", ", threshold=60)


def _is_integer_array(array):
    return isinstance(array, np.ndarray) and array.dtype.kind in "iu"


def _is_scalar_number(value):
    return np.ndim(value) == 0 and isinstance(value, (float, int, np.floating, np.integer))


# ------------------------------------------------------------------ pixel_probabilities


def _quantize(quantize, images, levels):
    try:
        return quantize(images, levels)
    except OverflowError as error:
        raise CheckFailure(
            _(
                "quantize raised OverflowError ({error}): NumPy keeps uint8 arithmetic in uint8, "
                "so convert the images to a wider integer type before multiplying"
            ).format(error=error)
        ) from error


@describe(N_("returns an int32 array of the same shape"))
def quantize_shape_and_dtype(ns):
    quantize = require(ns, "quantize")
    images = np.array([[[0, 127], [128, 255]]], dtype=np.uint8)
    result = _quantize(quantize, images, 2)
    expect(
        isinstance(result, np.ndarray) and result.dtype == np.int32,
        _("quantize must return a numpy array of dtype int32, not {kind}").format(
            kind=getattr(result, "dtype", type(result).__name__)
        ),
    )
    expect(
        result.shape == images.shape,
        _("quantize returned shape {got} for images of shape {expected}").format(
            got=result.shape, expected=images.shape
        ),
    )


@describe(N_("levels=2 binarises at 128"))
def quantize_binarises(ns):
    quantize = require(ns, "quantize")
    images = np.array([0, 1, 127, 128, 200, 255], dtype=np.uint8)
    expected = np.array([0, 0, 0, 1, 1, 1])
    result = np.asarray(_quantize(quantize, images, 2))
    expect(
        np.array_equal(result, expected),
        _(
            "quantize({images}, 2) returned {got}, expected {expected}: pixels of 128 or more "
            "become 1"
        ).format(images=_show(images), got=_show(result), expected=_show(expected)),
    )


@describe(N_("floor(x * levels / 256) for 4 and 256 levels"))
def quantize_levels(ns):
    quantize = require(ns, "quantize")
    images = np.array([0, 50, 63, 64, 127, 128, 191, 192, 200, 255], dtype=np.uint8)
    for levels in (4, 256):
        expected = images.astype(np.int64) * levels // 256
        result = np.asarray(_quantize(quantize, images, levels))
        if np.array_equal(result, expected):
            continue
        hint = ""
        wrapped = (images * np.uint8(levels % 256)).astype(np.int64) // 256  # uint8 wraps
        if levels == 4 and np.array_equal(result, wrapped):
            hint = _(
                " (uint8 arithmetic wrapped around: convert the images to a wider integer type "
                "before multiplying)"
            )
        message = _(
            "quantize({images}, {levels}) returned {got}, expected {expected}{hint}"
        ).format(
            images=_show(images),
            levels=levels,
            got=_show(result),
            expected=_show(expected),
            hint=hint,
        )
        raise CheckFailure(with_relation(message, result, expected, explained=bool(hint)))


_TINY_IMAGES = np.array([[[0, 1, 2]], [[0, 1, 1]], [[0, 0, 1]], [[0, 1, 1]]])  # (4, 1, 3)
_TINY_COUNTS = np.array([[[4, 0, 0], [1, 3, 0], [0, 3, 1]]], dtype=np.float64)  # (1, 3, 3)


@describe(N_("returns float64 probabilities of shape (H, W, levels) that sum to 1"))
def pixel_model_shape(ns):
    fit_pixel_model = require(ns, "fit_pixel_model")
    probs = fit_pixel_model(_TINY_IMAGES, 3)
    expect(
        isinstance(probs, np.ndarray) and probs.dtype == np.float64,
        _("fit_pixel_model must return a float64 numpy array, not {kind}").format(
            kind=getattr(probs, "dtype", type(probs).__name__)
        ),
    )
    expect(
        probs.shape == (1, 3, 3),
        _(
            "for images of shape (N, H, W) = {images} and levels = 3, fit_pixel_model must "
            "return shape (H, W, levels) = (1, 3, 3), not {got}"
        ).format(images=_TINY_IMAGES.shape, got=probs.shape),
    )
    sums = probs.sum(axis=-1)
    expect(
        np.allclose(sums, 1.0),
        _(
            "the probabilities of each pixel must sum to 1 but sum to {sums}: divide the "
            "smoothed counts by N + alpha * levels"
        ).format(sums=_show(sums)),
    )


@describe(N_("(count + alpha) / (N + alpha * levels) on a tiny example"))
def pixel_model_values(ns):
    fit_pixel_model = require(ns, "fit_pixel_model")
    n = len(_TINY_IMAGES)
    for alpha in (1.0, 0.0, 0.5):
        expected = (_TINY_COUNTS + alpha) / (n + alpha * 3)
        if alpha == 1.0:
            probs = fit_pixel_model(_TINY_IMAGES, 3)  # the default alpha
            call = "fit_pixel_model(images, 3)"
        else:
            probs = fit_pixel_model(_TINY_IMAGES, 3, alpha=alpha)
            call = f"fit_pixel_model(images, 3, alpha={alpha})"
        expect(
            np.allclose(np.asarray(probs, dtype=np.float64), expected),
            with_relation(
                _(
                    "{call} returned {got}, expected {expected} for images {images} (per-pixel "
                    "counts of each level: {counts})"
                ).format(
                    call=call,
                    got=_show(probs),
                    expected=_show(expected),
                    images=_show(_TINY_IMAGES[:, 0, :]),
                    counts=_show(_TINY_COUNTS[0]),
                ),
                probs,
                expected,
            ),
        )


@describe(N_("returns integers of shape (n, H, W)"))
def pixel_sampling_shape(ns):
    sample_pixel_model = require(ns, "sample_pixel_model")
    probs = np.full((2, 3, 4), 0.25)
    samples = sample_pixel_model(probs, 5, np.random.default_rng(0))
    expect(
        _is_integer_array(samples),
        _("sample_pixel_model must return a numpy array of integers, not {kind}").format(
            kind=getattr(samples, "dtype", type(samples).__name__)
        ),
    )
    expect(
        samples.shape == (5, 2, 3),
        _(
            "sample_pixel_model(probs of shape (2, 3, 4), 5, rng) returned shape {got}, "
            "expected (5, 2, 3)"
        ).format(got=samples.shape),
    )
    expect(
        samples.min() >= 0 and samples.max() < 4,
        _("samples must be levels 0..3, got values from {low} to {high}").format(
            low=samples.min(), high=samples.max()
        ),
    )


@describe(N_("a pixel with probability 1 on one level always gets that level"))
def pixel_sampling_certain(ns):
    sample_pixel_model = require(ns, "sample_pixel_model")
    levels = np.array([[0, 2], [1, 2]])
    probs = np.eye(3)[levels]  # (2, 2, 3), one-hot
    samples = np.asarray(sample_pixel_model(probs, 20, np.random.default_rng(1)))
    wrong = samples != levels[None]
    expect(
        not wrong.any(),
        _(
            "with one-hot probabilities every sample must equal {expected}; got {got} in the "
            "first wrong image"
        ).format(expected=_show(levels), got=_show(samples[np.argmax(wrong.any(axis=(1, 2)))])),
    )


@describe(N_("draws with the given rng: same seed, same images"))
def pixel_sampling_uses_rng(ns):
    sample_pixel_model = require(ns, "sample_pixel_model")
    probs = np.full((2, 3, 4), 0.25)
    first = np.asarray(sample_pixel_model(probs, 50, np.random.default_rng(7)))
    expect_unchanged(probs, np.full((2, 3, 4), 0.25), "sample_pixel_model", "probs")
    again = np.asarray(sample_pixel_model(probs, 50, np.random.default_rng(7)))
    other = np.asarray(sample_pixel_model(probs, 50, np.random.default_rng(8)))
    expect(
        np.array_equal(first, again),
        _(
            "two calls with generators of the same seed gave different images: draw every "
            "random number from `rng`, not from np.random"
        ),
    )
    expect(
        not np.array_equal(first, other),
        _(
            "generators with different seeds gave the same images: your samples do not "
            "depend on the random numbers of `rng`"
        ),
    )


@describe(N_("level frequencies match the probabilities"))
def pixel_sampling_frequencies(ns):
    sample_pixel_model = require(ns, "sample_pixel_model")
    probs = np.array([[[0.2, 0.5, 0.3], [0.7, 0.0, 0.3]]])  # (1, 2, 3)
    samples = np.asarray(sample_pixel_model(probs, 20000, np.random.default_rng(3)))
    frequencies = np.stack([(samples == v).mean(axis=0) for v in range(3)], axis=-1)
    expect(
        not (samples[:, 0, 1] == 1).any(),
        _("level 1 of pixel (0, 1) has probability 0 but was sampled"),
    )
    expect(
        np.allclose(frequencies, probs, atol=0.02),
        _(
            "over 20000 samples the frequencies of the levels were {got}, but the probabilities "
            "are {expected}"
        ).format(got=_show(frequencies), expected=_show(probs)),
    )


@describe(N_("2 bits per dimension for a uniform model over 4 levels"))
def pixel_bits_uniform(ns):
    pixel_model_bits_per_dim = require(ns, "pixel_model_bits_per_dim")
    probs = np.full((2, 2, 4), 0.25)
    images = np.array([[[0, 1], [2, 3]], [[3, 3], [0, 1]]])
    result = pixel_model_bits_per_dim(probs, images)
    expect(
        _is_scalar_number(result),
        _("pixel_model_bits_per_dim must return one float, not {kind}").format(
            kind=type(result).__name__
        ),
    )
    expect(
        math.isclose(float(result), 2.0, rel_tol=1e-6),
        _("a uniform model over 4 levels needs log2(4) = 2 bits per pixel, got {got}").format(
            got=result
        ),
    )


@describe(N_("the mean of -log2 p[h, w, x] on a tiny example"))
def pixel_bits_values(ns):
    pixel_model_bits_per_dim = require(ns, "pixel_model_bits_per_dim")
    probs = np.array([[[0.5, 0.5], [0.25, 0.75]]])  # (1, 2, 2)
    images = np.array([[[0, 1]], [[1, 0]]])  # (2, 1, 2)
    expected = float(np.mean(-np.log2([0.5, 0.75, 0.5, 0.25])))
    result = float(pixel_model_bits_per_dim(probs, images))
    hint = ""
    if math.isclose(result, expected * math.log(2), rel_tol=1e-4):
        hint = _(" (that is in nats: use log base 2)")
    elif math.isclose(result, expected * 4, rel_tol=1e-4):
        hint = _(" (that is a sum: take the mean over images and pixels)")
    elif math.isclose(result, -math.log2(np.mean([0.5, 0.75, 0.5, 0.25])), rel_tol=1e-4):
        hint = _(" (that is -log2 of the mean probability: take -log2 of each probability first)")
    expect(
        math.isclose(result, expected, rel_tol=1e-6),
        _(
            "for probs {probs} and images {images} the answer is the mean of "
            "-log2([0.5, 0.75, 0.5, 0.25]) = {expected:.5f}, got {got:.5f}{hint}"
        ).format(
            probs=_show(probs[0]),
            images=_show(images[:, 0]),
            expected=expected,
            got=result,
            hint=hint,
        ),
    )


def _labelled_images():
    """(5, 3, 4) images whose value k * 100 + h * 10 + w tells where each pixel came from."""
    k, h, w = np.indices((5, 3, 4))
    return (k * 100 + h * 10 + w).astype(np.int32)


@describe(N_("returns shape (n, H, W), each pixel taken from the same position"))
def mix_pixels_positions(ns):
    mix_pixels = require(ns, "mix_pixels")
    images = _labelled_images()
    mixed = np.asarray(mix_pixels(images, 7, np.random.default_rng(0)))
    expect(
        mixed.shape == (7, 3, 4),
        _(
            "mix_pixels(images of shape (5, 3, 4), 7, rng) returned shape {got}, expected (7, 3, 4)"
        ).format(got=mixed.shape),
    )
    h, w = np.indices(mixed.shape)[1:]
    expect(
        np.array_equal(mixed % 100, h * 10 + w) and mixed.min() >= 0 and mixed.max() < 500,
        _("output pixel (h, w) must be copied from pixel (h, w) of one of the images"),
    )


@describe(N_("each pixel picks its source image independently and uniformly"))
def mix_pixels_independent(ns):
    mix_pixels = require(ns, "mix_pixels")
    sources = np.asarray(mix_pixels(_labelled_images(), 300, np.random.default_rng(1))) // 100
    whole_copies = np.mean([(s == s.flat[0]).all() for s in sources])
    expect(
        whole_copies < 0.5,
        _(
            "{percent:.0f}% of the outputs copy every pixel from a single image: choose a "
            "random image for each pixel separately"
        ).format(percent=100 * whole_copies),
    )
    shares = np.bincount(sources.ravel(), minlength=5) / sources.size
    expect(
        np.allclose(shares, 0.2, atol=0.03),
        _("the 5 images should each supply about 20% of the pixels, got {got}").format(
            got=_show(shares)
        ),
    )


@describe(N_("draws with the given rng: same seed, same images"))
def mix_pixels_uses_rng(ns):
    mix_pixels = require(ns, "mix_pixels")
    images = _labelled_images()
    first = np.asarray(mix_pixels(images, 20, np.random.default_rng(5)))
    again = np.asarray(mix_pixels(images, 20, np.random.default_rng(5)))
    other = np.asarray(mix_pixels(images, 20, np.random.default_rng(6)))
    expect(
        np.array_equal(first, again) and not np.array_equal(first, other),
        _("the images must depend only on `rng`: draw the random indices with rng.integers"),
    )


# ------------------------------------------------------------------ pixelcnn


def _frameworks():
    import keras
    import tensorflow as tf

    return tf, keras


def _reference_mask(size, mask_type):
    # 1 for the pixels before the centre in raster order, and for the centre in type B
    order = np.arange(size * size).reshape(size, size)
    centre = order[size // 2, size // 2]
    return (order <= centre if mask_type == "B" else order < centre).astype(np.float32)


@describe(N_("the 3x3 masks of type A and B"))
def mask_3x3(ns):
    causal_mask = require(ns, "causal_mask")
    for mask_type in ("A", "B"):
        mask = np.asarray(causal_mask(3, mask_type))
        expected = _reference_mask(3, mask_type)
        expect(
            mask.shape == (3, 3, 1, 1),
            _('causal_mask(3, "{kind}") must have shape (3, 3, 1, 1), not {got}').format(
                kind=mask_type, got=mask.shape
            ),
        )
        expect(
            np.array_equal(mask[:, :, 0, 0], expected),
            _(
                'causal_mask(3, "{kind}")[:, :, 0, 0] is {got}, expected {expected}: rows above '
                "the centre and the centre row left of it are 1, the centre only for type B"
            ).format(kind=mask_type, got=_show(mask[:, :, 0, 0]), expected=_show(expected)),
        )


@describe(N_("float32, shape (k, k, in, out), the same mask for every channel pair"))
def mask_shape_and_channels(ns):
    causal_mask = require(ns, "causal_mask")
    mask = causal_mask(5, "B", 2, 3)
    expect(
        isinstance(mask, np.ndarray) and mask.dtype == np.float32,
        _("causal_mask must return a float32 numpy array, not {kind}").format(
            kind=getattr(mask, "dtype", type(mask).__name__)
        ),
    )
    expect(
        mask.shape == (5, 5, 2, 3),
        _('causal_mask(5, "B", 2, 3) must have shape (5, 5, 2, 3), not {got}').format(
            got=mask.shape
        )
        + (
            _(": (kernel, kernel, in_channels, out_channels), the last two are swapped")
            if mask.shape == (5, 5, 3, 2)
            else ""
        ),
    )
    expected = np.broadcast_to(_reference_mask(5, "B")[:, :, None, None], (5, 5, 2, 3))
    expect(
        np.array_equal(mask, expected),
        _('every [:, :, i, o] slice of causal_mask(5, "B", 2, 3) must be the 5x5 type-B mask'),
    )


@describe(N_("larger kernels: 5x5 and 7x7"))
def mask_larger(ns):
    causal_mask = require(ns, "causal_mask")
    for size in (5, 7):
        for mask_type in ("A", "B"):
            mask = np.asarray(causal_mask(size, mask_type))[:, :, 0, 0]
            expected = _reference_mask(size, mask_type)
            expect(
                np.array_equal(mask, expected),
                _('causal_mask({size}, "{kind}")[:, :, 0, 0] is {got}, expected {expected}').format(
                    size=size, kind=mask_type, got=_show(mask), expected=_show(expected)
                ),
            )


@describe(N_("ValueError for an even kernel size or an unknown mask type"))
def mask_rejects_bad_arguments(ns):
    causal_mask = require(ns, "causal_mask")
    for args in ((4, "A"), (3, "C")):
        try:
            causal_mask(*args)
        except ValueError:
            continue
        raise CheckFailure(_("causal_mask{args} must raise ValueError").format(args=args))


def _kernel_and_bias(layer, kernel_shape):
    kernels = [w for w in layer.trainable_weights if tuple(w.shape) == kernel_shape]
    biases = [w for w in layer.trainable_weights if len(w.shape) == 1]
    expect(
        len(kernels) == 1 and len(biases) == 1,
        _(
            "MaskedConv2D must create one trainable kernel of shape (k, k, in, filters) = "
            "{kernel} and one trainable bias of shape (filters,); its trainable weights have "
            "shapes {shapes}"
        ).format(kernel=kernel_shape, shapes=[tuple(w.shape) for w in layer.trainable_weights]),
    )
    return kernels[0], biases[0]


@describe(N_("builds a kernel and a bias; output shape (B, H, W, filters)"))
def masked_conv_shapes(ns):
    tf, _keras = _frameworks()
    MaskedConv2D = require(ns, "MaskedConv2D")
    layer = MaskedConv2D(3, 5, "A")
    outputs = layer(tf.random.normal((2, 6, 7, 2), seed=1))
    expect(
        tuple(outputs.shape) == (2, 6, 7, 3),
        _(
            'MaskedConv2D(3, 5, "A") on inputs (2, 6, 7, 2) returned shape {got}, expected '
            '(2, 6, 7, 3) (stride 1, "same" padding)'
        ).format(got=tuple(outputs.shape)),
    )
    _kernel_and_bias(layer, (5, 5, 2, 3))


@describe(N_("computes conv(x, kernel * mask) + bias, with no activation"))
def masked_conv_values(ns):
    tf, _keras = _frameworks()
    MaskedConv2D = require(ns, "MaskedConv2D")
    # The masks of your own causal_mask, which its own checks judge: a wrong mask is not
    # blamed on the layer.
    causal_mask = require(ns, "causal_mask")
    rng = np.random.default_rng(4)
    inputs = rng.normal(size=(2, 5, 6, 2)).astype(np.float32)
    for size, mask_type in ((3, "A"), (3, "B"), (5, "A")):
        layer = MaskedConv2D(2, size, mask_type)
        layer(inputs)
        kernel, bias = _kernel_and_bias(layer, (size, size, 2, 2))
        kernel_value = rng.normal(size=(size, size, 2, 2)).astype(np.float32)
        bias_value = rng.normal(size=(2,)).astype(np.float32)
        kernel.assign(kernel_value)
        bias.assign(bias_value)
        got = np.asarray(layer(inputs))
        mask = np.asarray(causal_mask(size, mask_type, 2, 2), dtype=np.float32)
        expected = tf.nn.conv2d(inputs, kernel_value * mask, 1, "SAME").numpy() + bias_value
        if not np.allclose(got, expected, atol=1e-4):
            unmasked = tf.nn.conv2d(inputs, kernel_value, 1, "SAME").numpy() + bias_value
            if np.allclose(got, unmasked, atol=1e-4):
                hint = _("the kernel is not multiplied by the mask")
            elif np.allclose(got, np.maximum(expected, 0.0), atol=1e-4):
                hint = _("remove the activation: the layer must return the convolution itself")
            else:
                hint = _(
                    "compare your call with keras.ops.conv(inputs, kernel * mask, "
                    'strides=1, padding="same") + bias'
                )
            raise CheckFailure(
                _('MaskedConv2D(2, {size}, "{kind}") computed the wrong output: {hint}').format(
                    size=size, kind=mask_type, hint=hint
                )
            )
        expect(
            np.array_equal(kernel.numpy(), kernel_value),
            _(
                "calling the layer changed its kernel: do not assign to weights in call, "
                "multiply the kernel by the mask in the computation instead"
            ),
        )


@describe(N_("masks its kernel inside another layer too (as the residual block holds it)"))
def masked_conv_inside_a_layer(ns):
    tf, keras = _frameworks()
    MaskedConv2D = require(ns, "MaskedConv2D")
    causal_mask = require(ns, "causal_mask")

    class Holder(keras.layers.Layer):  # builds the inner layer while tracing its own call
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def call(self, inputs):
            return self.inner(inputs)

    inputs = np.random.default_rng(6).normal(size=(2, 5, 6, 2)).astype(np.float32)
    layer = MaskedConv2D(2, 3, "A")
    holder = Holder(layer)
    holder(inputs)
    kernel, bias = _kernel_and_bias(layer, (3, 3, 2, 2))
    mask = np.asarray(causal_mask(3, "A", 2, 2), dtype=np.float32)
    expected = tf.nn.conv2d(inputs, kernel.numpy() * mask, 1, "SAME").numpy() + bias.numpy()
    got = np.asarray(holder(inputs))
    if np.allclose(got, expected, atol=1e-4):
        return
    unmasked = tf.nn.conv2d(inputs, kernel.numpy(), 1, "SAME").numpy() + bias.numpy()
    if np.allclose(got, unmasked, atol=1e-4):
        raise CheckFailure(
            _(
                'MaskedConv2D(2, 3, "A") held by another layer convolves with the whole kernel: '
                "the mask is not applied there. Keras builds a layer held by another while it "
                "traces the outer layer's call without state, and a value assigned to a weight "
                "during that build is dropped: keep the mask as a constant instead of assigning "
                "it in build"
            )
        )
    raise CheckFailure(
        _(
            'MaskedConv2D(2, 3, "A") held by another layer computed another output than '
            "conv(x, kernel * mask) + bias"
        )
    )


def _named_kernels(block, filters):
    kernels = {tuple(w.shape): w for w in block.trainable_weights if len(w.shape) == 4}
    wanted = [(1, 1, 2 * filters, filters), (3, 3, filters, filters), (1, 1, filters, 2 * filters)]
    expect(
        sorted(kernels) == sorted(wanted) and len(block.trainable_weights) == 6,
        _(
            "MaskedResidualBlock({filters}) must hold three masked convolutions with kernels "
            "{wanted} (and three biases); its trainable weights have shapes {shapes}"
        ).format(
            filters=filters,
            wanted=wanted,
            shapes=[tuple(w.shape) for w in block.trainable_weights],
        ),
    )
    return [kernels[shape] for shape in wanted]


@describe(N_("keeps the shape and holds 1x1, 3x3 and 1x1 masked convolutions"))
def residual_block_shapes(ns):
    tf, _keras = _frameworks()
    MaskedResidualBlock = require(ns, "MaskedResidualBlock")
    block = MaskedResidualBlock(4)
    outputs = block(tf.random.normal((2, 6, 5, 8), seed=2))
    expect(
        tuple(outputs.shape) == (2, 6, 5, 8),
        _(
            "MaskedResidualBlock(4) on inputs (2, 6, 5, 8) returned shape {got}, expected the "
            "input's shape"
        ).format(got=tuple(outputs.shape)),
    )
    _named_kernels(block, 4)


def _relu_identity_hint(block, inputs):
    """Why a block with zero weights returns relu(x): with zero kernels and biases of -1 the
    branch is negative, so a ReLU after the sum still gives no negative value, while a skip
    that adds relu(x) does."""
    for weight in block.trainable_weights:
        value = -1.0 if len(weight.shape) == 1 else 0.0
        weight.assign(np.full(weight.shape, value, dtype=np.float32))
    shifted = np.asarray(block(inputs))
    if np.allclose(shifted, np.maximum(inputs, 0), atol=1e-6):  # the biases changed nothing
        return _(": yours returns relu(x) instead of x")
    if np.all(shifted >= -1e-6):
        return _(
            ": yours returns relu(x), and no negative value even when the convolutions' output "
            "is negative, so a ReLU comes after the addition; the ReLUs go before each "
            "convolution and the sum is returned as it is"
        )
    return _(
        ": yours returns relu(x), so the skip connection adds relu(x); add the input x itself "
        "and apply the first ReLU only on the way into the convolutions"
    )


@describe(N_("adds its input: with zero weights the block is the identity"))
def residual_block_skip(ns):
    MaskedResidualBlock = require(ns, "MaskedResidualBlock")
    inputs = np.random.default_rng(5).normal(size=(2, 5, 5, 8)).astype(np.float32)
    block = MaskedResidualBlock(4)
    block(inputs)
    for weight in block.trainable_weights:
        weight.assign(np.zeros(weight.shape, dtype=np.float32))
    got = np.asarray(block(inputs))
    # Advice only where the output says which slip it is: zeros (no skip) or relu(x).
    hint = ""
    if np.allclose(got, 0, atol=1e-6):
        hint = _(
            ": yours returns zeros; add the input to the output of the last convolution (the "
            "residual connection)"
        )
    elif np.allclose(got, np.maximum(inputs, 0), atol=1e-6):
        hint = _relu_identity_hint(block, inputs)
    expect(
        np.allclose(got, inputs, atol=1e-6),
        _(
            "with all weights set to zero the block must return its input unchanged (largest "
            "difference {diff:.3g}){hint}"
        ).format(diff=float(np.max(np.abs(got - inputs))), hint=hint),
    )


@describe(N_("x + conv1x1(relu(conv3x3(relu(conv1x1(relu(x)))))) with type-B masks"))
def residual_block_values(ns):
    tf, _keras = _frameworks()
    MaskedResidualBlock = require(ns, "MaskedResidualBlock")
    # The formula is composed of your own MaskedConv2D, which its own checks judge: a mistake
    # in the layer is not blamed on the block.
    MaskedConv2D = require(ns, "MaskedConv2D")
    rng = np.random.default_rng(6)
    inputs = rng.normal(size=(2, 5, 6, 8)).astype(np.float32)
    block = MaskedResidualBlock(4)
    block(inputs)
    kernels = _named_kernels(block, 4)
    for weight in block.trainable_weights:
        weight.assign(np.zeros(weight.shape, dtype=np.float32))
    values = [rng.normal(size=k.shape).astype(np.float32) for k in kernels]
    for kernel, value in zip(kernels, values, strict=True):
        kernel.assign(value)
    got = np.asarray(block(inputs))

    convs = []
    for (filters, size), value in zip(((4, 1), (4, 3), (8, 1)), values, strict=True):
        conv = MaskedConv2D(filters, size, "B")
        conv(tf.zeros((*inputs.shape[:3], value.shape[2])))
        kernel, bias = _kernel_and_bias(conv, value.shape)
        kernel.assign(value)
        bias.assign(np.zeros(bias.shape, dtype=np.float32))
        convs.append(conv)
    x = tf.constant(inputs)
    for conv in convs:
        x = conv(tf.nn.relu(x))
    expected = inputs + np.asarray(x)
    # The same convolutions without the first ReLU (each ReLU after a convolution, the last
    # none): a common slip, named only when the block computes exactly that.
    x = tf.constant(inputs)
    for conv in convs[:2]:
        x = tf.nn.relu(conv(x))
    post_activation = inputs + np.asarray(convs[2](x))
    hint = ""
    if np.allclose(got, post_activation, atol=1e-3):
        hint = _(
            ": yours computes x + conv1x1(relu(conv3x3(relu(conv1x1(x))))), without the ReLU on "
            "x itself before the first convolution (a ReLU comes before each convolution)"
        )
    expect(
        np.allclose(got, expected, atol=1e-3),
        _(
            "the block's output differs from x + conv1x1(relu(conv3x3(relu(conv1x1(relu(x)))))) "
            "with type-B masks and the same weights (largest difference {diff:.3g}){hint}"
        ).format(diff=float(np.max(np.abs(np.asarray(got) - expected))), hint=hint),
    )


def _trainable_count(layer):
    # Trainable weights only: a mask kept as a non-trainable weight is not a parameter.
    return sum(int(np.prod(w.shape)) for w in layer.trainable_weights)


def _layout_count(ns, filters, blocks, outputs, head):
    """Trainable parameters of the table's layout, counted on your own layers."""
    tf, _keras = _frameworks()
    MaskedConv2D = require(ns, "MaskedConv2D")
    MaskedResidualBlock = require(ns, "MaskedResidualBlock")
    first = MaskedConv2D(2 * filters, 7, "A")
    h = first(tf.zeros((1, 8, 6, 1)))
    block = MaskedResidualBlock(filters)
    block(h)
    middle = MaskedConv2D(head, 1, "B")
    last = MaskedConv2D(outputs, 1, "B")
    last(middle(h))
    return sum(_trainable_count(layer) for layer in (first, middle, last)) + blocks * (
        _trainable_count(block)
    )


@describe(N_("outputs logits of shape (B, H, W, 1), or (B, H, W, levels) for levels > 2"))
def model_shapes(ns):
    tf, keras = _frameworks()
    build_pixelcnn = require(ns, "build_pixelcnn")
    for levels, channels in ((2, 1), (4, 4)):
        model = build_pixelcnn((8, 6, 1), filters=4, residual_blocks=2, levels=levels)
        expect(
            isinstance(model, keras.Model),
            _("build_pixelcnn must return a keras.Model, not {kind}").format(
                kind=type(model).__name__
            ),
        )
        outputs = model(tf.zeros((2, 8, 6, 1)))
        expect(
            tuple(outputs.shape) == (2, 8, 6, channels),
            _(
                "build_pixelcnn((8, 6, 1), 4, 2, levels={levels}) outputs shape {got}, expected "
                "{expected}"
            ).format(levels=levels, got=tuple(outputs.shape), expected=(2, 8, 6, channels)),
        )
        trainable = _trainable_count(model)
        options = [_layout_count(ns, 4, 2, channels, head) for head in (4, 8)]
        expect(
            trainable in options,
            _(
                "with filters=4 and residual_blocks=2 the layout has {expected} trainable "
                "parameters, your model has {got}: check the kernel sizes, the channel counts "
                "and the residual blocks (as many as asked, each a block of its own)"
            ).format(expected=_("{a} or {b}").format(a=options[0], b=options[1]), got=trainable),
        )


@describe(N_("is causal: the logits at a pixel ignore that pixel and all later ones"))
def model_causal(ns):
    tf, _keras = _frameworks()
    build_pixelcnn = require(ns, "build_pixelcnn")
    height, width = 6, 5
    model = build_pixelcnn((height, width, 1), filters=4, residual_blocks=2)
    # Positive weights and inputs: every ReLU passes, so every path the layers have shows.
    rng = np.random.default_rng(3)
    for weight in model.trainable_weights:
        weight.assign(0.2 * np.abs(rng.normal(size=weight.shape)).astype(np.float32))
    inputs = tf.constant(rng.uniform(0.1, 1.0, size=(1, height, width, 1)), tf.float32)
    order = np.arange(height * width).reshape(height, width)
    for row, col in ((0, 0), (2, 3), (3, 0), (5, 4)):
        with tf.GradientTape() as tape:
            tape.watch(inputs)
            logits = tf.reduce_sum(model(inputs)[0, row, col, :])
        gradient = tape.gradient(logits, inputs)
        gradient = np.abs(gradient.numpy()[0, :, :, 0]) if gradient is not None else None
        expect(gradient is not None, _("the logits do not depend on the input image at all"))
        leaks = np.argwhere((gradient > 0) & (order >= order[row, col]))
        expect(
            len(leaks) == 0,
            _(
                "the logits at pixel ({row}, {col}) depend on input pixel {leak}, which is not "
                "before it in raster order: the first layer needs a type-A mask and every "
                "layer must be masked"
            ).format(row=row, col=col, leak=tuple(int(i) for i in leaks[0]) if len(leaks) else ""),
        )
        if (row, col) == (2, 3) and gradient.sum() == 0:
            outputs = np.asarray(model(inputs))
            saturated = bool(np.all((outputs >= 0) & (outputs <= 1)))
            expect(
                gradient.sum() > 0,
                _("the logits at pixel (2, 3) do not depend on any earlier pixel")
                + (
                    _(
                        " (your outputs all lie between 0 and 1, as a final sigmoid or softmax "
                        "gives, and a saturated one passes no gradient back: return logits)"
                    )
                    if saturated
                    else ""
                ),
            )


def _mean_bits(images, logits):
    """numpy reference: mean cross-entropy in bits."""
    images = np.asarray(images, dtype=np.int64)
    logits = np.asarray(logits, dtype=np.float64)
    if logits.shape[-1] < 2:  # one channel: a Bernoulli per pixel
        nats = np.logaddexp(0.0, logits) - images * logits
    else:
        top = logits.max(axis=-1, keepdims=True)
        log_z = top[..., 0] + np.log(np.exp(logits - top).sum(axis=-1))
        chosen = np.take_along_axis(logits, images.astype(np.int64), axis=-1)[..., 0]
        nats = log_z - chosen
    return float(nats.mean() / math.log(2.0))


def _bits_hint(got, expected):
    if math.isclose(got, expected * math.log(2.0), rel_tol=1e-4):
        return _(" (that is in nats: divide by ln 2)")
    return ""


@describe(N_("1 bit for zero logits with one channel, 2 bits with four"))
def bits_uniform(ns):
    tf, _keras = _frameworks()
    bits_per_dim = require(ns, "bits_per_dim")
    images = np.array([[[0, 1], [1, 1]], [[0, 0], [1, 0]]])[..., None].astype(np.int32)
    for channels, expected in ((1, 1.0), (4, 2.0)):
        result = bits_per_dim(images, tf.zeros((2, 2, 2, channels)))
        expect(
            np.ndim(result) == 0,
            _("bits_per_dim must return a scalar, got shape {got}").format(
                got=tuple(np.shape(result))
            ),
        )
        got = float(result)
        expect(
            math.isclose(got, expected, rel_tol=1e-5),
            _(
                "zero logits over {channels} channel(s) mean {expected} bit(s) per dimension, "
                "got {got:.5f}{hint}"
            ).format(channels=channels, expected=expected, got=got, hint=_bits_hint(got, expected)),
        )


@describe(N_("matches the cross-entropy in bits on random logits"))
def bits_random(ns):
    tf, _keras = _frameworks()
    bits_per_dim = require(ns, "bits_per_dim")
    rng = np.random.default_rng(8)
    for channels, levels in ((1, 2), (4, 4)):
        images = rng.integers(0, levels, size=(3, 4, 5, 1)).astype(np.int32)
        logits = (3.0 * rng.normal(size=(3, 4, 5, channels))).astype(np.float32)
        expected = _mean_bits(images, logits)
        got = float(bits_per_dim(images, tf.constant(logits)))
        expect(
            math.isclose(got, expected, rel_tol=1e-4),
            _(
                "with {channels} logit channel(s) bits_per_dim returned {got:.5f}, expected "
                "{expected:.5f}{hint}: use sigmoid cross-entropy for one channel and softmax "
                "cross-entropy over the levels otherwise, averaged over all pixels"
            ).format(channels=channels, got=got, expected=expected, hint=_bits_hint(got, expected)),
        )


@describe(N_("stays finite for large logits (cross-entropy from logits)"))
def bits_stable(ns):
    tf, _keras = _frameworks()
    bits_per_dim = require(ns, "bits_per_dim")
    images = np.array([0, 1, 0, 1]).reshape(1, 2, 2, 1).astype(np.int32)
    logits = np.array([30.0, 30.0, -30.0, -30.0], dtype=np.float32).reshape(1, 2, 2, 1)
    expected = _mean_bits(images, logits)
    got = float(bits_per_dim(images, tf.constant(logits)))
    if math.isfinite(got) and _bits_hint(got, expected):
        advice = _bits_hint(got, expected)
    else:
        advice = _(
            ": compute the cross-entropy from the logits (from_logits=True) instead of taking "
            "the log of a sigmoid"
        )
    expect(
        math.isfinite(got) and math.isclose(got, expected, rel_tol=1e-3),
        _("for logits of +-30 bits_per_dim returned {got}, expected {expected:.4f}{advice}").format(
            got=got, expected=expected, advice=advice
        ),
    )


def _toy_model(height, width, levels, rule):
    """A functional Keras model that outputs hand-made logits for (B, H, W, 1) inputs.

    rule "constant:<logit>": every pixel gets that logit (binary).
    rule "copy": every pixel copies the previous pixel in raster order; the first is uniform.
    """
    _tf, keras = _frameworks()
    channels = 1 if levels == 2 else levels
    first = np.ones((1, height * width, 1), dtype=np.float32)
    first[0, 0, 0] = 0.0

    def logits(x):
        flat = keras.ops.reshape(x, (-1, height * width))  # (B, D)
        if rule.startswith("constant"):
            value = float(rule.split(":")[1])
            return keras.ops.zeros_like(x) + value
        previous = keras.ops.pad(flat, [[0, 0], [1, 0]])[:, :-1]  # (B, D), raster shift
        level = keras.ops.cast(keras.ops.round(previous * (levels - 1)), "int32")
        if levels == 2:
            out = (60.0 * keras.ops.cast(level, "float32") - 30.0)[..., None]
        else:
            out = 60.0 * keras.ops.one_hot(level, levels)  # (B, D, L)
        return keras.ops.reshape(out * first, (-1, height, width, channels))

    inputs = keras.Input((height, width, 1))
    outputs = keras.layers.Lambda(logits, output_shape=(height, width, channels))(inputs)
    return keras.Model(inputs, outputs)


@describe(N_("returns int32 images of shape (n, H, W, 1) with the model's values"))
def sampling_shapes(ns):
    sample_pixelcnn = require(ns, "sample_pixelcnn")
    for logit, value in ((30.0, 1), (-30.0, 0)):
        model = _toy_model(3, 5, 2, f"constant:{logit}")
        samples = sample_pixelcnn(model, 2, seed=0)
        expect(
            isinstance(samples, np.ndarray) and samples.dtype == np.int32,
            _("sample_pixelcnn must return an int32 numpy array, not {kind}").format(
                kind=getattr(samples, "dtype", type(samples).__name__)
            ),
        )
        expect(
            samples.shape == (2, 3, 5, 1),
            _(
                "for a model of 3x5 images and n=2, samples must have shape (2, 3, 5, 1), not {got}"
            ).format(got=samples.shape),
        )
        if (samples == value).all():
            continue
        if (samples != value).all():  # every pixel the other way round: the logit misread
            hint = _("a binary model's single logit is the log-odds of a 1")
        else:
            wrong = np.argwhere(samples[..., 0] != value)[:4]  # (image, row, column)
            hint = _("the pixels at (image, row, column) {where} are not {value}").format(
                where=", ".join(str(tuple(int(i) for i in at)) for at in wrong), value=value
            )
        expect(
            False,
            _(
                "a model whose logits are all {logit} must give images of {value}s only; got "
                "{got}: {hint}"
            ).format(logit=logit, value=value, got=_show(samples[0, :, :, 0]), hint=hint),
        )


@describe(N_("the same seed gives the same images, another seed others"))
def sampling_seeded(ns):
    sample_pixelcnn = require(ns, "sample_pixelcnn")
    model = _toy_model(4, 4, 2, "constant:0")
    first = sample_pixelcnn(model, 3, seed=11)
    again = sample_pixelcnn(model, 3, seed=11)
    other = sample_pixelcnn(model, 3, seed=12)
    expect(
        np.array_equal(first, again),
        _(
            "two calls with seed=11 gave different images: derive every random draw from `seed` "
            "(for example tf.random.stateless_categorical with seed (seed, position))"
        ),
    )
    expect(
        not np.array_equal(first, other),
        _("seeds 11 and 12 gave the same images: the draws must depend on `seed`"),
    )


@describe(N_("is autoregressive in raster order (binary and 4 levels)"))
def sampling_autoregressive(ns):
    sample_pixelcnn = require(ns, "sample_pixelcnn")
    for levels in (2, 4):
        model = _toy_model(3, 4, levels, "copy")
        samples = np.asarray(sample_pixelcnn(model, 16, seed=3, levels=levels))
        constant = np.array([(image == image.flat[0]).all() for image in samples])
        expect(
            samples.min() >= 0 and samples.max() < levels,
            _("with levels={levels} the samples must lie in 0..{top}, got {low}..{high}").format(
                levels=levels, top=levels - 1, low=samples.min(), high=samples.max()
            ),
        )
        expect(
            constant.all(),
            _(
                "with levels={levels}, a model that copies the previous pixel (raster order) "
                "should give images of one value each, but got {got}: sample the pixels one "
                "at a time in raster order, feed the model the image so far divided by "
                "levels - 1, and write each sampled value into the image before the next step"
            ).format(levels=levels, got=_show(samples[np.argmin(constant), :, :, 0])),
        )


def _toy_training(levels, bits_per_dim):
    """A small model and batch, the loss before one SGD step and the weights after it; the loss
    is your own bits_per_dim, which its own checks judge."""
    tf, keras = _frameworks()
    keras.utils.set_random_seed(levels)
    channels = 1 if levels == 2 else levels
    model = keras.Sequential(
        [keras.Input((4, 4, 1)), keras.layers.Conv2D(channels, 3, padding="same")]
    )
    images = np.random.default_rng(levels).integers(0, levels, size=(3, 4, 4, 1))
    images = images.astype(np.int32)
    inputs = tf.constant(images / (levels - 1), dtype=tf.float32)
    with tf.GradientTape() as tape:
        logits = model(inputs, training=True)
        loss = bits_per_dim(images, logits)
    grads = tape.gradient(loss, model.trainable_variables)
    before = [w.numpy().copy() for w in model.trainable_variables]
    expected = [w - 0.1 * g.numpy() for w, g in zip(before, grads, strict=True)]
    return model, images, float(loss), before, expected


@describe(N_("returns a tf.function"))
def train_step_compiled(ns):
    tf, keras = _frameworks()
    make_train_step = require(ns, "make_train_step")
    model = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Conv2D(1, 3, padding="same")])
    step = make_train_step(model, keras.optimizers.SGD(0.1))
    expect(
        isinstance(step, tf.types.experimental.PolymorphicFunction),
        _("make_train_step must return a function decorated with @tf.function, not {kind}").format(
            kind=type(step).__name__
        ),
    )


@describe(N_("returns the loss and applies one optimiser update (binary and 4 levels)"))
def train_step_update(ns):
    _tf, keras = _frameworks()
    make_train_step = require(ns, "make_train_step")
    bits_per_dim = require(ns, "bits_per_dim")
    for levels in (2, 4):
        model, images, loss, before, expected = _toy_training(levels, bits_per_dim)
        step = make_train_step(model, keras.optimizers.SGD(0.1), levels=levels)
        try:
            got = float(step(images))
        except ValueError as error:
            if "No gradients provided" not in str(error):
                raise
            raise CheckFailure(
                _(
                    "the optimiser got no gradients: the tape recorded no path from the weights "
                    "to the loss. Call the model inside the `with tf.GradientTape() as tape:` "
                    "block, not before it, and compute the loss there too"
                )
            ) from error
        expect(
            math.isclose(got, loss, rel_tol=1e-4),
            _(
                "with levels={levels} step(images) returned {got:.5f}, expected "
                "bits_per_dim(images, model(images / (levels - 1))) = {expected:.5f}"
            ).format(levels=levels, got=got, expected=loss),
        )
        after = [w.numpy() for w in model.trainable_variables]
        expect(
            any(not np.array_equal(a, b) for a, b in zip(after, before, strict=True)),
            _(
                "the model's weights did not change: apply the gradients with "
                "optimizer.apply_gradients"
            ),
        )
        expect(
            all(np.allclose(a, e, atol=1e-5) for a, e in zip(after, expected, strict=True)),
            _(
                "with levels={levels} the update differs from one SGD step on the loss: take the "
                "gradients of the loss computed under the tape with respect to "
                "model.trainable_variables, and apply them once"
            ).format(levels=levels),
        )


TRAINED_WEIGHTS = "pixelcnn.weights.h5"  # saved beside the notebook by its last training cell
TRAINED_SETTINGS = "pixelcnn.json"


@describe(N_("the trained model is saved beside the notebook and loads"))
def trained_model_files(ns):
    from pathlib import Path

    build_pixelcnn = require(ns, "build_pixelcnn")
    weights, settings = Path(TRAINED_WEIGHTS), Path(TRAINED_SETTINGS)
    expect(
        weights.is_file() and settings.is_file(),
        _(
            "{weights} and {settings} are not in this notebook's folder: run the training cells "
            "and the cell that saves the model, then hand in both files with the notebook"
        ).format(weights=TRAINED_WEIGHTS, settings=TRAINED_SETTINGS),
    )
    build = json.loads(settings.read_text(encoding="utf-8"))
    model = build_pixelcnn(
        (28, 28, 1),
        filters=int(build["filters"]),
        residual_blocks=int(build["residual_blocks"]),
        levels=2,
    )
    try:
        model.load_weights(str(weights))
    except Exception as error:  # noqa: BLE001 (weights of another model, say)
        raise CheckFailure(
            _(
                "{weights} does not load into build_pixelcnn(filters={filters}, "
                "residual_blocks={blocks}) ({error}): save the weights and the settings from "
                "the same run"
            ).format(
                weights=TRAINED_WEIGHTS,
                filters=build["filters"],
                blocks=build["residual_blocks"],
                error=type(error).__name__,
            )
        ) from error


PUBLIC_CHECKS = {
    # pixel_probabilities.ipynb
    "quantize": [quantize_shape_and_dtype, quantize_binarises, quantize_levels],
    "pixel_model": [pixel_model_shape, pixel_model_values],
    "pixel_sampling": [
        pixel_sampling_shape,
        pixel_sampling_certain,
        pixel_sampling_uses_rng,
        pixel_sampling_frequencies,
    ],
    "pixel_bits_per_dim": [pixel_bits_uniform, pixel_bits_values],
    "mix_pixels": [mix_pixels_positions, mix_pixels_independent, mix_pixels_uses_rng],
    # pixelcnn.ipynb
    "causal_mask": [mask_3x3, mask_shape_and_channels, mask_larger, mask_rejects_bad_arguments],
    "masked_conv": [masked_conv_shapes, masked_conv_values, masked_conv_inside_a_layer],
    "residual_block": [residual_block_shapes, residual_block_skip, residual_block_values],
    "pixelcnn_model": [model_shapes, model_causal],
    "bits_per_dim": [bits_uniform, bits_random, bits_stable],
    "sampling": [sampling_shapes, sampling_seeded, sampling_autoregressive],
    "train_step": [train_step_compiled, train_step_update],
    "trained_model": [trained_model_files],
}
