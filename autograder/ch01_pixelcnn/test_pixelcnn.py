"""Hidden checks of pixelcnn: masks, masked convolutions, the model, its loss, sampling, training,
and the trained model handed in with the notebook.

Causality is checked with gradients: output pixel (i, j) must not depend on input pixels at
or after (i, j) in raster order. Each part is graded apart from the others: the probes module's
STAND_INS give a part built on another part stand-ins that are not that part's answer (masks
passed as data, a doubled masked convolution, a one-convolution residual block, a loss that is
not bits_per_dim), and the expected values come from the reference run with the same
stand-ins. The training run (expensive) and the handed-in model use all of the student's code.
Every call of the code under test goes through a probe (probes_pixelcnn.py), which returns plain
data; the checks here judge that data.
"""

import math
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import numpy as np
import probes_pixelcnn as probes
import pytest
import tensorflow as tf
from sampling_evidence import frequency_hint

from igcourse.grading import architecture
from igcourse.grading.checks import (
    assert_close,
    assert_shape,
    check,
    fail,
    first_of,
    seeded_rng,
)
from igcourse.grading.gradients import (
    constant_part_note,
    dependency_picture,
    describe_future_dependency,
    future_dependencies,
    require_dependencies,
)
from igcourse.grading.mutants import to_numpy
from igcourse.i18n import _

CHAPTER = "ch01_pixelcnn"
PART_NAMES = {
    "causal_mask": ["causal_mask"],
    "masked_conv": ["MaskedConv2D"],
    "residual_block": ["MaskedResidualBlock"],
    "pixelcnn_model": ["build_pixelcnn"],
    "bits_per_dim": ["bits_per_dim"],
    "sampling": ["sample_pixelcnn"],
    "train_step": ["make_train_step"],
    "trained_model": [],  # handed in: graded from the files saved beside the notebook
}

# The training run of test_training_beats_the_per_pixel_model (about 20 s on 2 CPU cores).
QUALITY_STEPS = 150
QUALITY_BATCH = 32
QUALITY_FILTERS = 16
QUALITY_BLOCKS = 2
QUALITY_LEARNING_RATE = 3e-3
QUALITY_TEST_IMAGES = 1000

_MASKS = {}  # reference masks, computed once: [[size, type, (k, k) mask]]


def _masks(reference):
    """The reference's masks of every size the probes use, passed to the stand-ins as data."""
    if not _MASKS:
        _MASKS["all"] = [
            [size, kind, to_numpy(reference.probe("causal_mask", probes.causal_mask, size, kind))]
            for size in (1, 3, 5, 7)
            for kind in ("A", "B")
        ]
        _MASKS["all"] = [[s, k, m[:, :, 0, 0]] for s, k, m in _MASKS["all"]]
    return _MASKS["all"]


def _with_stand_ins(ns, part):
    """A zoo mutant's code with `part`'s stand-ins, as the submission's probes of `part` see it."""
    return ns.for_part(part, probes)


# ---------------------------------------------------------------- public checks
# Every public check of a part counts in its hidden grade too (as igcourse.grading.public's
# public_checks_test does), run with the part's stand-ins and the reference's masks as data.
# The handed-in model's public check (its files are there and load) is covered by the
# trained_model checks below, which read the files where grading keeps them.
_PUBLIC_PARTS = [part for part in PART_NAMES if part != "trained_model"]


@pytest.mark.public
@pytest.mark.parametrize(
    "part", [pytest.param(part, marks=pytest.mark.part(part), id=part) for part in _PUBLIC_PARTS]
)
def test_public_checks_pass(submission, reference, part):
    results = submission.probe(part, probes.public_checks, CHAPTER, part, _masks(reference))
    failed = [r for r in results if r[1] != "passed"]
    if failed:
        check_name, _outcome, message = failed[0]
        fail(
            _("The public check '{check}' of this part fails in grading too: {message}").format(
                check=check_name, message=message
            )
        )


def _mask_of(ns, args):
    return probes.causal_mask(ns, *args)


# Every size and type of the task: on a 1x1 kernel, say, several mistakes give the same mask.
_MASK_KINDS = tuple((size, mask_type) for size in (1, 3, 5, 7) for mask_type in ("A", "B"))


def _masks_with(ns, args):
    """The masks of every size and type, then the mask of args."""
    return [_mask_of(ns, kind) for kind in _MASK_KINDS] + [_mask_of(ns, args)]


def _mask_explain(submission, mistakes, args, out):
    """The known mistake that gives the submission's masks of every size and type and its mask
    of args; where some size raises, the mask of args alone is the evidence."""

    def explain():
        try:
            masks = [submission.probe("causal_mask", probes.causal_mask, *k) for k in _MASK_KINDS]
        except Exception:  # noqa: BLE001 (reported by the checks of those sizes)
            return mistakes.explain("causal_mask", partial(_mask_of, args=args), out)
        return mistakes.explain("causal_mask", partial(_masks_with, args=args), [*masks, out])

    return explain


def _mask_images(actual, expected):
    """Yours and the expected mask for input and output channel 0 (white: kept)."""
    images = [(_("Expected mask (white: kept, black: hidden)"), expected[:, :, 0, 0])]
    if actual.ndim == 4:
        images.insert(0, (_("Your mask, input channel 0, output channel 0"), actual[:, :, 0, 0]))
    return images


def _sees(deps, position=(3, 3)):
    """What an output pixel sees, as a picture for the feedback page."""
    row, col = position
    return [
        (
            _("Input pixels that output pixel ({row}, {col}) depends on (white)").format(
                row=row, col=col
            ),
            deps[row, col],
        )
    ]


def _mask_picture(mask):
    return "\n".join(" ".join(str(int(v)) for v in row) for row in mask)


# ---------------------------------------------------------------- causal_mask
_MASK_RULES = {
    "A": _(
        "causal_mask{args} is wrong. A type A mask keeps the pixels above the centre row and "
        "the pixels left of the centre in its row; it hides the centre and everything after "
        "it, for every pair of channels. Yours, for input channel 0 and output channel 0:\n"
        "{yours}\nExpected:\n{expected}"
    ),
    "B": _(
        "causal_mask{args} is wrong. A type B mask keeps the pixels above the centre row, the "
        "pixels left of the centre in its row and the centre itself; it hides everything after "
        "the centre, for every pair of channels. Yours, for input channel 0 and output channel "
        "0:\n{yours}\nExpected:\n{expected}"
    ),
}


@pytest.mark.part("causal_mask")
def test_masks_match_raster_order(submission, reference, mistakes):
    """Are masks float32, 1 strictly before the centre in raster order, and at the centre only
    for B, for every pair of channels (one of each by default)?"""
    for size in (1, 3, 5, 7):
        for mask_type in ("A", "B"):
            for channels in ((), (3, 2), (2, 5)):
                args = (size, mask_type, *channels)
                out = submission.probe("causal_mask", probes.causal_mask, *args)
                expected = reference.probe("causal_mask", probes.causal_mask, *args)
                explain = _mask_explain(submission, mistakes, args, out)
                assert_shape(out, expected.shape, _("causal_mask{args}").format(args=args), explain)
                actual = to_numpy(out)
                if not np.array_equal(actual, expected):
                    fail(
                        _MASK_RULES[mask_type].format(
                            args=args,
                            yours=_mask_picture(actual[:, :, 0, 0]) if actual.ndim == 4 else actual,
                            expected=_mask_picture(expected[:, :, 0, 0]),
                        ),
                        explain,
                        images=_mask_images(actual, expected),
                    )
                check(
                    actual.dtype == np.float32,
                    _(
                        "causal_mask{args} has the right values but holds {dtype}; the task asks "
                        "for a float32 NumPy array (the mask multiplies a float32 kernel)."
                    ).format(args=args, dtype=actual.dtype),
                    explain,
                )


@pytest.mark.property
@pytest.mark.part("causal_mask")
def test_mask_dtype_and_default_channels(submission):
    """Is the mask float32, with one input and one output channel by default?"""
    out = to_numpy(submission.probe("causal_mask", probes.causal_mask, 3, "B"))
    assert_shape(out, (3, 3, 1, 1), _("causal_mask(3, 'B')"))
    check(
        out.dtype == np.float32,
        _(
            "causal_mask should return float32 values (they multiply a float32 kernel), not "
            "{dtype}."
        ).format(dtype=out.dtype),
    )


_INVALID_MASKS = ((2, "A"), (4, "B"), (3, "C"), (3, "AB"), (3, ""), (3, "a"))  # exact types


def _errors_raised(ns):
    """For each invalid argument pair: the name of the error causal_mask raises, or None."""
    return probes.errors_raised(ns, _INVALID_MASKS)


@pytest.mark.part("causal_mask")
def test_invalid_masks_raise_value_error(submission, mistakes):
    """Do even kernel sizes and unknown mask types raise ValueError?"""
    raised = submission.probe("causal_mask", probes.errors_raised, _INVALID_MASKS)
    explain = partial(mistakes.explain, "causal_mask", _errors_raised, raised, lambda a, b: a == b)
    for args, error in zip(_INVALID_MASKS, raised, strict=True):
        if error is None:
            fail(
                _(
                    "causal_mask{args} should raise ValueError: an even kernel has no centre "
                    "pixel, and only mask types 'A' and 'B' exist."
                ).format(args=args),
                explain,
            )
        if error != "ValueError":
            fail(
                _(
                    "causal_mask{args} raised {error}; raise ValueError with a message instead "
                    "(an even kernel has no centre, and only types 'A' and 'B' exist)."
                ).format(args=args, error=error),
                explain,
            )


# ---------------------------------------------------------------- masked_conv
def _require_kernel(result, size, in_channels, filters):
    """Fail unless the probe found the layer's trainable kernel (k, k, in, filters)."""
    if result["found"]:
        return
    fail(
        _(
            "MaskedConv2D({filters}, {size}, ...) on {in_channels} input channels should "
            "have a trainable kernel of shape {shape}; its trainable weights have shapes "
            "{shapes}. Create it in build() with self.add_weight."
        ).format(
            filters=filters,
            size=size,
            in_channels=in_channels,
            shape=(size, size, in_channels, filters),
            shapes=[tuple(shape) for shape in result["shapes"]],
        )
    )


def _conv_probe(ns, *args, **kwargs):
    return probes.masked_conv_output(_with_stand_ins(ns, "masked_conv"), *args, **kwargs)


def _same_output(a, b):
    return np.allclose(to_numpy(a), to_numpy(b), 1e-4, 1e-4)


_INVALID_LAYERS = ((3, 4, "A"), (3, 3, "C"), (3, 3, "AB"))
_VALID_LAYER = (5, 3, "B")


def _layer_contract(ns, masks):
    return probes.layer_contract(
        _with_stand_ins(ns, "masked_conv"), _INVALID_LAYERS, _VALID_LAYER, masks
    )


def _kernel_pair_hint(given):
    """The sentence when get_config gave the kernel size as a pair (k, k), or ""."""
    size = _VALID_LAYER[1]
    if given is None or given[1] != [size, size]:
        return ""
    return _(
        " Your get_config() gives kernel_size={pair}: the layer keeps the kernel size as a pair, "
        "as keras.layers.Conv2D does, but this task's kernel_size is one odd integer, and "
        "from_config passes the pair back to your __init__. Store kernel_size as it is given."
    ).format(pair=(size, size))


@pytest.mark.part("masked_conv")
def test_arguments_are_checked_at_construction_and_kept_for_get_config(
    submission, reference, mistakes
):
    """Does MaskedConv2D(...) raise ValueError for an even size or an unknown type before it is
    built, and does a layer rebuilt from its get_config() have the same arguments?"""
    masks = _masks(reference)
    result = submission.probe(
        "masked_conv", probes.layer_contract, _INVALID_LAYERS, _VALID_LAYER, masks
    )
    explain = partial(
        mistakes.explain,
        "masked_conv",
        partial(_layer_contract, masks=masks),
        result,
        lambda a, b: a == b,
    )
    for args, error in zip(_INVALID_LAYERS, result["raised"], strict=True):
        check(
            error == "ValueError",
            _(
                "MaskedConv2D{args} should raise ValueError when it is created, before any build "
                "(an even kernel has no centre, and only mask types 'A' and 'B' exist); it "
                "raised {error}. Validate the arguments in __init__, for example by calling "
                "causal_mask there."
            ).format(args=args, error=error or _("nothing")),
            explain,
        )
    if result["error"] is not None:
        fail(
            _(
                "MaskedConv2D{args}: rebuilding the layer from its get_config() raised {error}: "
                "{message}. Keep the arguments as self.filters, self.kernel_size and "
                "self.mask_type, which get_config reads.{hint}"
            ).format(
                args=_VALID_LAYER,
                error=result["error"][0],
                message=result["error"][1],
                hint=_kernel_pair_hint(result["given"]),
            ),
            explain,
        )
    filters, size, mask_type = result["rebuilt"]
    check(
        filters == _VALID_LAYER[0]
        and size in (_VALID_LAYER[1], [_VALID_LAYER[1]] * 2)
        and mask_type == _VALID_LAYER[2],
        _(
            "MaskedConv2D{args} rebuilt from its get_config() has filters={filters}, "
            "kernel_size={size}, mask_type={mask_type!r}; keep the arguments as given in "
            "self.filters, self.kernel_size and self.mask_type."
        ).format(args=_VALID_LAYER, filters=filters, size=size, mask_type=mask_type),
        explain,
    )


@pytest.mark.part("masked_conv")
def test_output_equals_convolution_with_masked_kernel(submission, reference, mistakes):
    """Is the output conv(x, kernel * mask) + bias with "same" padding and no activation?"""
    x = seeded_rng("masked conv input").normal(size=(2, 6, 7, 3)).astype(np.float32)
    masks = _masks(reference)
    for size, mask_type in ((5, "A"), (3, "B"), (1, "B")):
        label = f"masked conv {size}{mask_type}"
        args = (4, size, mask_type, x, label, masks)
        result = submission.probe("masked_conv", probes.masked_conv_output, *args)
        _require_kernel(result, size, 3, 4)
        kernel, bias, out = result["kernel"], result["bias"], result["out"]
        mask = reference.probe("causal_mask", probes.causal_mask, size, mask_type, 3, 4)
        without_bias = tf.nn.conv2d(x, kernel * mask, strides=1, padding="SAME")
        expected = without_bias + bias
        check(
            not (
                np.any(np.asarray(bias) != 0)
                and np.shape(to_numpy(out)) == tuple(without_bias.shape)
                and _same_output(out, without_bias)
            ),
            _(
                "The output of MaskedConv2D(4, {size}, '{mask_type}') is conv(x, kernel * "
                "mask) without the layer's bias: add the bias."
            ).format(size=size, mask_type=mask_type),
        )
        assert_close(
            out,
            expected,
            _(
                "The output of MaskedConv2D(4, {size}, '{mask_type}') on inputs of shape "
                "(2, 6, 7, 3)"
            ).format(size=size, mask_type=mask_type),
            1e-4,
            1e-4,
            explain=partial(
                mistakes.explain,
                "masked_conv",
                lambda ns, args=args: _conv_probe(ns, *args)["out"],
                out,
                _same_output,
            ),
        )


@pytest.mark.part("masked_conv")
def test_layer_works_in_a_functional_model(submission, reference, mistakes):
    """Called on keras.Input inside a keras.Model, does the layer compute the same output?"""
    x = seeded_rng("masked conv functional input").normal(size=(3, 5, 6, 2)).astype(np.float32)
    args = (4, 3, "B", x, "masked conv functional", _masks(reference))
    result = submission.probe("masked_conv", probes.masked_conv_output, *args, functional=True)
    if result.get("functional_error"):
        kind, message = result["functional_error"]
        if not result.get("works_on_arrays"):  # the other checks show that error on arrays
            fail(
                _(
                    "Calling your MaskedConv2D(4, 3, 'B') on keras.Input((5, 6, 2)) to build "
                    "keras.Model(inputs, layer(inputs)) raised {kind}: {message}. It fails on "
                    "arrays of shape (3, 5, 6, 2) too."
                ).format(kind=kind, message=message)
            )

        def failure(outcome):  # a match needs the same error where arrays work
            error = outcome.get("functional_error")
            return (error[0], outcome.get("works_on_arrays")) if error else None

        fail(
            _(
                "Your MaskedConv2D works on arrays but not inside a functional model: calling it "
                "on keras.Input((5, 6, 2)) to build keras.Model(inputs, layer(inputs)) raised "
                "{kind}: {message}. There the batch size is unknown (None) and the inputs are "
                "symbolic: use keras.ops on the tensors, and do not read numbers such as the "
                "batch size from inputs.shape."
            ).format(kind=kind, message=message),
            lambda: mistakes.explain(
                "masked_conv",
                lambda ns: failure(_conv_probe(ns, *args, functional=True)),
                failure(result),
                lambda a, b: a == b,
            ),
        )
    _require_kernel(result, 3, 2, 4)
    mask = reference.probe("causal_mask", probes.causal_mask, 3, "B", 2, 4)
    expected = tf.nn.conv2d(x, result["kernel"] * mask, 1, "SAME") + result["bias"]
    assert_close(
        result["out"],
        expected,
        _("The output of keras.Model(inputs, MaskedConv2D(4, 3, 'B')(inputs)) on a batch of 3"),
        1e-4,
        1e-4,
    )


@pytest.mark.part("masked_conv")
def test_layer_works_inside_another_layer(submission, reference, mistakes):
    """Held by another layer (as the residual block holds it), built and called through that
    layer, does the layer still mask its kernel?"""
    x = seeded_rng("masked conv nested input").normal(size=(2, 5, 6, 3)).astype(np.float32)
    args = (4, 3, "A", x, "masked conv nested", _masks(reference))
    result = submission.probe("masked_conv", probes.masked_conv_output, *args, nested=True)
    _require_kernel(result, 3, 3, 4)
    mask = reference.probe("causal_mask", probes.causal_mask, 3, "A", 3, 4)
    expected = tf.nn.conv2d(x, result["kernel"] * mask, 1, "SAME") + result["bias"]
    unmasked = tf.nn.conv2d(x, result["kernel"], 1, "SAME") + result["bias"]
    out = to_numpy(result["out"])
    whole_kernel = out.shape == tuple(unmasked.shape) and np.allclose(out, unmasked, 1e-4, 1e-4)
    assert_close(
        out,
        expected,
        _(
            "The output of MaskedConv2D(4, 3, 'A') held by another layer, built and called "
            "through it (as the residual block uses it)"
        ),
        1e-4,
        1e-4,
        _(
            "Inside another layer yours convolves with the whole kernel: the mask is not "
            "applied. Keras builds a layer held by another while it traces the outer layer's "
            "call without state, and a value assigned to a weight during that build is dropped: "
            "keep the mask as a constant (or give it as the weight's initializer) instead of "
            "assigning it in build."
        )
        if whole_kernel
        else None,
    )


def _initial_state(result, fan_in, fan_out):
    """(bias all zero, kernel spread like glorot_uniform) of a fresh layer's weights."""
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    kernel = to_numpy(result["kernel"])
    bias = result["bias"]
    zero_bias = bias is None or not np.any(to_numpy(bias))
    spread = float(kernel.std())
    glorot = bool(np.all(np.abs(kernel) <= limit * 1.0001)) and spread > 0.8 * limit / math.sqrt(3)
    return zero_bias, glorot


@pytest.mark.part("masked_conv")
def test_kernel_and_bias_start_as_documented(submission, reference, mistakes):
    """Does a fresh layer start with a glorot_uniform kernel and a zero bias?"""
    x = seeded_rng("masked conv initial input").normal(size=(1, 6, 6, 8)).astype(np.float32)
    args = (x, 16, 5, _masks(reference))
    result = submission.probe("masked_conv", probes.initial_weights, *args)
    _require_kernel(result, 5, 8, 16)
    state = _initial_state(result, 5 * 5 * 8, 5 * 5 * 16)

    def facts(found):  # with the share of exact zeros: a zero kernel and a masked one differ
        kernel = to_numpy(found["kernel"])
        return (*_initial_state(found, 200, 400), round(float(np.mean(kernel == 0)), 2))

    def explain():
        return mistakes.explain(
            "masked_conv",
            lambda ns: facts(probes.initial_weights(_with_stand_ins(ns, "masked_conv"), *args)),
            facts(result),
            lambda a, b: tuple(a) == tuple(b),
        )

    check(
        state[0],
        _(
            "A fresh MaskedConv2D should start with a zero bias, but yours does not (largest "
            'value {value:.3g}). Create it with self.add_weight(..., initializer="zeros"): '
            "without an initializer add_weight draws glorot_uniform values."
        ).format(value=float(np.max(np.abs(to_numpy(result["bias"]))))),
        explain,
    )
    kernel = to_numpy(result["kernel"])
    hidden = _type_a_mask(5, 8, 16) == 0
    advice = _('Create it with initializer="glorot_uniform".')
    if np.all(kernel[hidden] == 0) and np.any(kernel[~hidden] != 0):
        # Zeros exactly where the mask hides: the mask was applied to the weight itself.
        advice = _(
            "Its entries are zero exactly where the mask is 0: the kernel weight itself was "
            "masked. Keep the weight whole and multiply it by the mask in call()."
        )
    check(
        state[1],
        _(
            "A fresh MaskedConv2D(16, 5, 'A') on 8 channels should start with a glorot_uniform "
            "kernel (values spread over -{limit:.3f} to {limit:.3f}); yours has standard "
            "deviation {std:.3g} and largest value {top:.3g}. {advice}"
        ).format(
            limit=math.sqrt(6.0 / 600),
            std=float(kernel.std()),
            top=float(np.max(np.abs(kernel))),
            advice=advice,
        ),
        explain,
    )


def _type_a_mask(size, in_channels, filters):
    """The reference type A mask (as a constant, so it does not depend on the code under test)."""
    mask = np.zeros((size, size), np.float32)
    mask[: size // 2] = 1
    mask[size // 2, : size // 2] = 1
    return np.tile(mask[:, :, None, None], (1, 1, in_channels, filters))


def _leak(result, in_channels):
    """The gradient on masked kernel entries (None when no gradient reaches the kernel)."""
    gradient = result["gradient"]
    if gradient is None:
        return None
    return to_numpy(gradient) * (1 - _type_a_mask(5, in_channels, 3))


@pytest.mark.part("masked_conv")
def test_masked_kernel_entries_get_no_gradient(submission, reference, mistakes):
    """Is the mask applied in call, so that training can never grow the masked weights?"""
    x = seeded_rng("masked conv gradient input").normal(size=(1, 6, 6, 2)).astype(np.float32)
    masks = _masks(reference)
    result = submission.probe(
        "masked_conv", probes.masked_kernel_gradient, x, "masked conv gradient", masks
    )
    _require_kernel(result, 5, 2, 3)
    leak = _leak(result, 2)
    check(
        leak is not None,
        _(
            "No gradient reaches the kernel of your MaskedConv2D, so it cannot be trained: compute "
            "the output from the kernel variable with TensorFlow/Keras operations."
        ),
    )
    if np.all(leak == 0):
        return
    fail(
        _(
            "The loss has a nonzero gradient with respect to masked kernel entries of your "
            'MaskedConv2D(3, 5, "A"), so training will grow those weights and the layer will '
            "see pixels it must not see."
        )
        + " "
        + _leak_advice(_leaking_positions(leak)),
        lambda: mistakes.explain(
            "masked_conv",
            lambda ns: _leak_and_call(_with_stand_ins(ns, "masked_conv"), x, masks),
            (_leaking_positions(leak), _call_changes_weights(submission, masks)),
            lambda a, b: a == b,
        ),
    )


def _leaking_positions(leak):
    """The kernel positions (rows of the 5x5 kernel) whose masked entries get a gradient."""
    return np.any(leak != 0, axis=(2, 3)).tolist()


def _leak_advice(positions):
    """Advice where the leaking positions say which slip it is."""
    leaking = np.array(positions)
    masked = _type_a_mask(5, 1, 1)[:, :, 0, 0] == 0
    if leaking.sum() == 1 and leaking[2, 2]:
        return _(
            "Only the centre entry leaks, the one entry where masks of type A and B differ: "
            "the layer masks its kernel as type B; build the mask from its own mask_type."
        )
    if np.array_equal(leaking, masked):
        return _(
            "Every masked entry leaks: the convolution must use kernel * mask, computed in "
            "call() on every call, so that no gradient reaches the masked entries."
        )
    return _("The entries that leak (X) in the 5x5 kernel:\n{picture}").format(
        picture="\n".join(" ".join("X" if v else "." for v in row) for row in leaking)
    )


def _call_input():
    return seeded_rng("masked conv weights input").normal(size=(1, 5, 5, 2)).astype(np.float32)


def _call_changes_weights(implementation, masks):
    """Whether calling the layer changes its weights (the submission's, through its probe)."""
    result = implementation.probe("masked_conv", probes.weights_after_calls, _call_input(), masks)
    return not _unchanged(result)


def _changed_by_call(ns, masks):
    """_call_changes_weights for a zoo mutant's namespace (its stand-ins already in place)."""
    return not _unchanged(probes.weights_after_calls(ns, _call_input(), masks))


def _leak_and_call(ns, x, masks):
    """(the kernel positions whose masked entries get a gradient, calling changes the
    weights): a leak alone fits several mistakes, where and the second fact tell them apart."""
    leak = _leak(probes.masked_kernel_gradient(ns, x, "masked conv gradient", masks), 2)
    positions = None if leak is None else _leaking_positions(leak)
    return (positions, _changed_by_call(ns, masks))


def _unchanged(result):
    return all(
        np.array_equal(to_numpy(b), to_numpy(a))
        for b, a in zip(result["before"], result["after"], strict=True)
    )


@pytest.mark.part("masked_conv")
def test_call_does_not_change_weights(submission, reference, mistakes):
    """Does calling the layer leave its weights as they were?"""
    x = _call_input()
    masks = _masks(reference)
    result = submission.probe("masked_conv", probes.weights_after_calls, x, masks)
    _require_kernel(result, 3, 2, 3)
    unchanged = _unchanged(result)
    check(
        unchanged,
        _(
            "Calling your MaskedConv2D changed its weights. Never assign to weights inside call(): "
            "compute kernel * mask as a new tensor and convolve with that."
        ),
        lambda: mistakes.explain(
            "masked_conv",
            lambda ns: _unchanged(
                probes.weights_after_calls(_with_stand_ins(ns, "masked_conv"), x, masks)
            ),
            False,
        ),
    )


def _conv_dependencies(ns, size, mask_type, x, masks, trained=False):
    ns = _with_stand_ins(ns, "masked_conv")
    return probes.conv_dependencies(ns, size, mask_type, x, masks, trained)["deps"]


@pytest.mark.part("masked_conv")
def test_masked_conv_sees_only_earlier_pixels(submission, reference, mistakes):
    """With a full random kernel, does output (i, j) see only earlier inputs (and itself for B)?"""
    x = seeded_rng("masked conv causality").normal(size=(1, 7, 7, 2)).astype(np.float32)
    masks = _masks(reference)
    for size in (3, 5):
        for mask_type in ("A", "B"):
            result = submission.probe(
                "masked_conv", probes.conv_dependencies, size, mask_type, x, masks
            )
            _require_kernel(result, size, 2, 3)
            deps = require_dependencies(result["deps"], "MaskedConv2D")
            include_centre = mask_type == "B"

            def explain(deps=deps, size=size, mask_type=mask_type):
                # The picture with whether a call changes the weights: one picture fits both
                # a mask applied only in build and one assigned in call.
                def picture_and_call(ns):
                    changed = _changed_by_call(_with_stand_ins(ns, "masked_conv"), masks)
                    return _conv_dependencies(ns, size, mask_type, x, masks), changed

                return mistakes.explain(
                    "masked_conv",
                    picture_and_call,
                    (deps, _call_changes_weights(submission, masks)),
                )

            bad = future_dependencies(deps, include_centre)
            if bad:
                fail(
                    _("MaskedConv2D(3, {size}, '{mask_type}'): {detail}").format(
                        size=size,
                        mask_type=mask_type,
                        detail=describe_future_dependency(deps, bad, include_centre),
                    ),
                    explain,
                    images=_sees(deps, bad[0][0]),
                )
            centre_seen = np.all(np.einsum("ijij->ij", deps))
            if include_centre and not centre_seen:
                fail(
                    _(
                        "A type B MaskedConv2D must see the current pixel (the centre of its "
                        "kernel), but output pixel (3, 3) of yours does not depend on input "
                        "pixel (3, 3):\n{picture}"
                    ).format(picture=dependency_picture(deps, (3, 3))),
                    explain,
                    images=_sees(deps),
                )
            if not deps[3, 3, 3, 2] or not deps[3, 3, 2, 3]:
                fail(
                    _(
                        "MaskedConv2D(3, {size}, '{mask_type}') should see the pixel left of "
                        "the centre and the pixel above it, but output pixel (3, 3) of yours "
                        "sees:\n{picture}"
                    ).format(
                        size=size, mask_type=mask_type, picture=dependency_picture(deps, (3, 3))
                    ),
                    explain,
                    images=_sees(deps),
                )


@pytest.mark.part("masked_conv")
def test_training_keeps_the_layer_causal(submission, reference, mistakes):
    """After a gradient step on every trainable weight, does the layer still see only the
    pixels before each output (only the kernel and the bias may be trainable)?"""
    x = seeded_rng("masked conv trained causality").normal(size=(1, 7, 7, 2)).astype(np.float32)
    masks = _masks(reference)
    result = submission.probe(
        "masked_conv", probes.conv_dependencies, 5, "A", x, masks, trained=True
    )
    _require_kernel(result, 5, 2, 3)
    deps = require_dependencies(result["deps"], "MaskedConv2D")
    bad = future_dependencies(deps, include_centre=False)
    if bad:
        shapes = [tuple(shape) for shape in result["shapes"]]
        advice = ""
        if len(shapes) > 2:  # only then is a trainable mask the evidence's cause
            advice = _(
                "\nOnly the kernel and the bias may be trainable: keep the mask a constant (a "
                "NumPy array, or a weight with trainable=False) and trainable weights {shapes} "
                "to those two."
            ).format(shapes=shapes)

        def trained(ns):  # the picture and the trainable weights: the picture alone fits several
            found = probes.conv_dependencies(
                _with_stand_ins(ns, "masked_conv"), 5, "A", x, masks, True
            )
            return found["deps"], [list(shape) for shape in found["shapes"]]

        fail(
            _(
                "After one gradient step on every trainable weight of your MaskedConv2D(3, 5, "
                "'A'), it sees pixels it must not see, so training breaks causality: "
                "{detail}{advice}"
            ).format(detail=describe_future_dependency(deps, bad, False), advice=advice),
            lambda: mistakes.explain(
                "masked_conv", trained, (deps, [list(shape) for shape in shapes])
            ),
            images=_sees(deps, bad[0][0]),
        )


# ---------------------------------------------------------------- residual_block
# The block is graded with the stand-in MaskedConv2D (probes.StandInConv: a doubled masked
# convolution whose weights come from its shape), so a mistake in MaskedConv2D does not cost
# the block, and the student's block and the reference's compute with the same weights.
_BLOCK_FORMULA = "x + conv1x1_2F(relu(conv3x3_F(relu(conv1x1_F(relu(x))))))"


@pytest.mark.property
@pytest.mark.part("residual_block")
def test_residual_block_keeps_shape(submission, reference):
    """Does MaskedResidualBlock(filters) map 2 * filters channels to the same shape?"""
    x = seeded_rng("residual shape").normal(size=(2, 5, 6, 8)).astype(np.float32)
    out = submission.probe("residual_block", probes.residual_output, 4, x, _masks(reference))
    assert_shape(
        out, x.shape, _("The output of MaskedResidualBlock(4) on inputs of shape (2, 5, 6, 8)")
    )


@pytest.mark.property
@pytest.mark.part("residual_block")
def test_residual_block_with_zero_weights_is_identity(submission, reference, mistakes):
    """With every weight zero, is the output the input (the skip connection alone)?"""
    x = seeded_rng("residual identity").normal(size=(2, 5, 6, 8)).astype(np.float32)
    masks = _masks(reference)
    out = submission.probe("residual_block", probes.zero_weight_output, x, masks)
    assert_close(
        out,
        x,
        _(
            "With all weights set to zero, the output of your MaskedResidualBlock (it should be "
            "the input itself: the block adds its result to its input, with no activation after "
            "the sum)"
        ),
        1e-6,
        1e-6,
        # Matched on a second output too (zero kernels, biases -1): with zero weights a ReLU
        # after the sum and a skip that adds relu(x) both give relu(x).
        explain=lambda: mistakes.explain(
            "residual_block",
            lambda ns: probes.zero_kernel_outputs(_with_stand_ins(ns, "residual_block"), x, masks),
            submission.probe("residual_block", probes.zero_kernel_outputs, x, masks),
        ),
    )


def _block_formula(ns, x, masks):
    return probes.residual_formula(_with_stand_ins(ns, "residual_block"), 4, x, masks)


@pytest.mark.part("residual_block")
def test_residual_block_follows_the_formula(submission, reference, mistakes):
    """Inside a keras.Input model and called directly, is the block x + conv1x1(relu(conv3x3(
    relu(conv1x1(relu(x)))))), with the reference's masked convolutions and their weights?"""
    x = seeded_rng("residual formula").normal(size=(2, 5, 6, 8)).astype(np.float32)
    masks = _masks(reference)
    ours = submission.probe("residual_block", probes.residual_formula, 4, x, masks)
    expected = reference.probe("residual_block", probes.residual_formula, 4, x, masks)
    explain = partial(
        mistakes.explain,
        "residual_block",
        lambda ns: _block_formula(ns, x, masks)["direct"],
        ours["direct"],
        _same_output,
    )

    def shapes(result):
        return sorted(map(tuple, result["weights"]))

    check(
        shapes(ours) == shapes(expected),
        _(
            "MaskedResidualBlock(4) should hold exactly the trainable weights of its three "
            "MaskedConv2D layers, of shapes {expected}; yours has {shapes}."
        ).format(
            expected=[tuple(s) for s in expected["weights"]],
            shapes=[tuple(s) for s in ours["weights"]],
        ),
        # The evidence is the weights the block holds (its output may be the reference's).
        partial(
            mistakes.explain,
            "residual_block",
            lambda ns: shapes(_block_formula(ns, x, masks)),
            shapes(ours),
            lambda a, b: a == b,
        ),
    )
    for key in ("direct", "out"):
        assert_close(
            ours[key],
            expected[key],
            _(
                "The output of your MaskedResidualBlock(4) on inputs of shape (2, 5, 6, 8), "
                "with the same masked convolutions and weights as {formula}{where}"
            ).format(
                formula=_BLOCK_FORMULA,
                where="" if key == "direct" else _(", inside keras.Model(inputs, block(inputs))"),
            ),
            1e-4,
            1e-4,
            explain=explain,
        )


@pytest.mark.part("residual_block")
def test_residual_block_is_causal_type_b(submission, reference, mistakes):
    """Does output (i, j) see input (i, j) and earlier pixels, but nothing later?"""
    x = np.abs(seeded_rng("residual causality").normal(size=(1, 6, 6, 8))).astype(np.float32)
    masks = _masks(reference)
    full, branch = (
        require_dependencies(deps, "MaskedResidualBlock")
        for deps in submission.probe("residual_block", probes.branch_dependencies, x, masks)
    )

    def explain():
        return mistakes.explain(
            "residual_block",
            lambda ns: probes.branch_dependencies(_with_stand_ins(ns, "residual_block"), x, masks),
            (full, branch),
            lambda a, b: all(np.array_equal(p, q) for p, q in zip(a, b, strict=True)),
        )

    bad = future_dependencies(full, include_centre=True)
    if bad:
        fail(
            describe_future_dependency(full, bad, include_centre=True),
            explain,
            images=_sees(full, bad[0][0]),
        )
    check(
        np.einsum("ijij->ij", branch).all(),
        _(
            "The convolutions of a residual block are type B: block(x) - x at pixel (i, j) must "
            "depend on x at (i, j). In yours it does not; what block(x) - x at (3, 3) sees:\n"
            "{picture}"
        ).format(picture=dependency_picture(branch, (3, 3))),
        explain,
        images=_sees(branch),
    )


# ---------------------------------------------------------------- pixelcnn_model
# The model is graded with stand-ins for MaskedConv2D and MaskedResidualBlock (probes.STAND_INS),
# so a mistake in the layers does not cost the model.
@pytest.mark.property
@pytest.mark.part("pixelcnn_model")
def test_model_output_shapes(submission, reference):
    """Does build_pixelcnn return a Keras model mapping (B, H, W, 1) to 1 or `levels` channels?"""
    x = seeded_rng("model shapes").random(size=(2, 8, 7, 1)).astype(np.float32)
    masks = _masks(reference)
    for levels, channels in ((2, 1), (4, 4)):
        try:
            result = submission.probe(
                "pixelcnn_model", probes.model_output, (8, 7, 1), x, levels, masks
            )
        except Exception:
            # A model built for another image shape fails on this batch: say so first.
            try:
                declared = submission.probe(
                    "pixelcnn_model", probes.declared_input_shape, (8, 7, 1), levels, masks
                )
            except Exception:  # noqa: BLE001 (then the first error is the feedback)
                declared = None
            check(
                declared in (None, [8, 7, 1]),
                _(
                    "build_pixelcnn((8, 7, 1), ...) made a model whose input is {shape}: build "
                    "its keras.Input from the image_shape argument."
                ).format(shape=tuple(declared or ())),
            )
            raise
        check(
            result["is_model"],
            _("build_pixelcnn should return a keras.Model, not {kind}.").format(
                kind=result["kind"]
            ),
        )
        assert_shape(
            result["out"],
            (2, 8, 7, channels),
            _(
                "The output of build_pixelcnn((8, 7, 1), levels={levels}) on a batch of shape "
                "(2, 8, 7, 1)"
            ).format(levels=levels),
        )


def _table_model(image_shape, filters, residual_blocks, levels, head, masks):
    """The task's table built of the stand-ins, with a head of `head` channels (the public
    check accepts F or 2F), for the check's own comparison: it never reaches a worker."""
    import keras

    probes._use_masks(masks)
    inputs = keras.Input(tuple(image_shape))
    h = probes.StandInConv(2 * filters, 7, "A")(inputs)
    for _index in range(residual_blocks):
        h = probes.StandInBlock(filters)(h)
    h = probes.StandInConv(head, 1, "B")(keras.layers.ReLU()(h))
    outputs = probes.StandInConv(1 if levels == 2 else levels, 1, "B")(keras.layers.ReLU()(h))
    return keras.Model(inputs, outputs)


_STAND_IN_NAMES = {"StandInConv": "MaskedConv2D", "StandInBlock": "MaskedResidualBlock"}


def _as_written(plan):
    """A plan with the stand-ins written as the layers they stand for."""
    if plan is None:
        return None
    for stand_in, name in _STAND_IN_NAMES.items():
        plan = [step.replace(stand_in, name) for step in plan]
    return plan


def _plan_differences(yours, tables):
    """Where the model's layers differ from the table's (with a head of F or 2F channels,
    whichever is nearer); "" when they do not, or when the model's layers cannot be read."""
    found = [architecture.differences(_as_written(yours), _as_written(t)) for t in tables]
    return min(found, key=len)


def _table_probe(ns, *args):
    return probes.model_table_output(_with_stand_ins(ns, "pixelcnn_model"), *args)


@pytest.mark.part("pixelcnn_model")
def test_model_follows_the_table(submission, reference, mistakes):
    """Built of the reference's layers, does the model compute the task's table: a 7x7 type A
    convolution to 2F channels, the residual blocks, then ReLU, 1x1 type B, ReLU, 1x1 type B?"""
    masks = _masks(reference)
    filters, blocks = 4, 2
    x = seeded_rng("model table input").random(size=(2, 6, 5, 1)).astype(np.float32)
    for levels in (2, 4):
        args = ((6, 5, 1), x, levels, filters, blocks, masks)
        ours = submission.probe("pixelcnn_model", probes.model_table_output, *args)
        expected = to_numpy(
            reference.probe("pixelcnn_model", probes.model_table_output, *args)["out"]
        )
        tables = [
            _table_model((6, 5, 1), filters, blocks, levels, head, masks)
            for head in (filters, 2 * filters)
        ]
        wide = to_numpy(tables[1](x))
        out = to_numpy(ours["out"])
        if out.shape == wide.shape and np.allclose(out, wide, 1e-4, 1e-4):
            continue  # a head of 2F channels, as the public check accepts
        assert_close(
            out,
            expected,
            _(
                "The output of your build_pixelcnn((6, 5, 1), filters=4, residual_blocks=2, "
                "levels={levels}), built of the grader's stand-in layers (the same ones and "
                "weights as the table's model)"
            ).format(levels=levels),
            1e-4,
            1e-4,
            explain=first_of(
                partial(
                    mistakes.explain,
                    "pixelcnn_model",
                    lambda ns, args=args: _table_probe(ns, *args)["out"],
                    out,
                    _same_output,
                ),
                partial(
                    _plan_differences,
                    ours["plan"],
                    [architecture.layer_plan(table) for table in tables],
                ),
            ),
        )


def _parameter_count(shapes):
    return sum(math.prod(shape) for shape in shapes)


@pytest.mark.part("pixelcnn_model")
def test_every_residual_block_has_weights_of_its_own(submission, reference):
    """Does the model have the table's trainable parameters, a residual block of its own (not
    one block applied again and again) for each of the residual_blocks?"""
    masks = _masks(reference)
    filters, blocks = 4, 3
    x = seeded_rng("model table input").random(size=(1, 6, 5, 1)).astype(np.float32)
    ours = submission.probe(
        "pixelcnn_model", probes.model_table_output, (6, 5, 1), x, 2, filters, blocks, masks
    )
    yours = _parameter_count(ours["weights"])

    def table_count(head, residual_blocks=blocks):
        table = _table_model((6, 5, 1), filters, residual_blocks, 2, head, masks)
        return _parameter_count(tuple(w.shape) for w in table.trainable_weights)

    expected = {head: table_count(head) for head in (filters, 2 * filters)}
    if yours in expected.values():
        return
    per_block = expected[filters] - table_count(filters, blocks - 1)
    shared = any(yours == count - (blocks - 1) * per_block for count in expected.values())
    fail(
        _(
            "build_pixelcnn((6, 5, 1), filters=4, residual_blocks=3), built of the grader's "
            "stand-in layers, has {yours} trainable parameters; the task's table has {expected}."
        ).format(yours=yours, expected=expected[filters])
        + (
            " "
            + _(
                "That is exactly two residual blocks fewer: one MaskedResidualBlock applied "
                "residual_blocks times shares its weights; make a new block in each pass of "
                "the loop."
            )
            if shared
            else ""
        )
    )


@pytest.mark.part("pixelcnn_model")
def test_whole_model_is_causal(submission, reference, mistakes):
    """Does every output pixel depend only on input pixels strictly before it in raster order?"""
    masks = _masks(reference)
    for levels in (2, 4):
        deps = require_dependencies(
            submission.probe("pixelcnn_model", probes.model_dependencies, levels, masks),
            "build_pixelcnn's model",
        )

        def explain(deps=deps, levels=levels):
            # The blind spots with whether the model returns probabilities: a saturated
            # sigmoid at the end hides pixels too.
            def spots_and_output(ns):
                ns = _with_stand_ins(ns, "pixelcnn_model")
                return (
                    probes.model_dependencies(ns, levels, masks),
                    _looks_like_probabilities(probes.model_logits(ns, levels, masks)),
                )

            probabilities = _looks_like_probabilities(
                submission.probe("pixelcnn_model", probes.model_logits, levels, masks)
            )
            return mistakes.explain(
                "pixelcnn_model",
                spots_and_output,
                (deps, probabilities),
                lambda a, b: _same_blind_spots(a[0], b[0]) and a[1] == b[1],
            )

        bad = future_dependencies(deps, include_centre=False)
        if bad:
            fail(
                _(
                    "The model of build_pixelcnn(levels={levels}) sees the future: {detail}\n"
                    "The first layer must use a type A mask and every later one type B."
                ).format(levels=levels, detail=describe_future_dependency(deps, bad, False)),
                explain,
                images=_sees(deps, bad[0][0]),
            )
        if deps[3, 3, 3, 2] and deps[3, 3, 2, 3]:
            continue
        # Saturated probabilities pass no gradient back: then the blind spot says nothing of
        # the masks, and the message says what it does say.
        saturated = _looks_like_probabilities(
            submission.probe("pixelcnn_model", probes.model_logits, levels, masks)
        )
        fail(
            _(
                "Each prediction should use the pixels before it, but output pixel (3, 3) of your "
                "model gets no gradient from the pixel to its left or the one above it:\n{picture}"
            ).format(picture=dependency_picture(deps, (3, 3)))
            + (
                "\n"
                + _(
                    "Your model's outputs all lie between 0 and 1 (or sum to 1), as a final "
                    "sigmoid or softmax gives, and a saturated one passes no gradient back: "
                    "return logits."
                )
                if saturated
                else ""
            ),
            explain,
            images=_sees(deps),
        )


def _same_blind_spots(ours, theirs):
    """Both models see the future, or both miss the pixels left of and above (3, 3)."""

    def faults(deps):
        return bool(future_dependencies(deps, False)), bool(deps[3, 3, 3, 2] and deps[3, 3, 2, 3])

    return faults(ours) == faults(theirs)


def _looks_like_probabilities(out):
    out = to_numpy(out)
    inside = bool(np.all((out >= 0) & (out <= 1)))
    sums_to_one = out.shape[-1] > 1 and bool(np.allclose(out.sum(axis=-1), 1, atol=1e-4))
    return inside or sums_to_one


@pytest.mark.part("pixelcnn_model")
def test_model_outputs_logits(submission, reference, mistakes):
    """Does the model return logits (no sigmoid or softmax at the end)?"""
    masks = _masks(reference)
    for levels in (2, 4):
        out = submission.probe("pixelcnn_model", probes.model_logits, levels, masks)
        check(
            not _looks_like_probabilities(out),
            _(
                "The model of build_pixelcnn(levels={levels}) seems to return probabilities (all "
                "outputs between 0 and 1, or summing to 1 over channels). Return logits: end with "
                "a convolution and no sigmoid or softmax; the loss applies it."
            ).format(levels=levels),
            partial(
                mistakes.explain,
                "pixelcnn_model",
                lambda ns, levels=levels: _looks_like_probabilities(
                    probes.model_logits(_with_stand_ins(ns, "pixelcnn_model"), levels, masks)
                ),
                True,
            ),
        )


# ---------------------------------------------------------------- bits_per_dim
def _bits_inputs(label, channels, batch=3):
    rng = seeded_rng(label)
    levels = 2 if channels == 1 else channels
    images = rng.integers(0, levels, size=(batch, 5, 6, 1)).astype(np.int32)
    logits = (3 * rng.normal(size=(batch, 5, 6, channels))).astype(np.float32)
    return images, logits


# Logit channels (1: sigmoid, L: softmax over L levels) and batch sizes: several L, so that a
# hard-coded number of levels shows, and a batch of one image, so that a squeeze without an
# axis does.
# (2, 3): two levels given as two channels, a softmax over 2 (the docstring allows any L).
_BITS_CASES = ((1, 3), (4, 3), (3, 3), (8, 3), (2, 3), (1, 1), (3, 1))


@pytest.mark.part("bits_per_dim")
def test_bits_per_dim_matches_reference(submission, reference, mistakes):
    """Is bits_per_dim the mean cross-entropy in bits, for 1 (sigmoid) and L (softmax) channels,
    for any L and any batch size?"""
    for channels, batch in _BITS_CASES:
        images, logits = _bits_inputs(f"bits {channels} {batch}", channels, batch)
        raised = submission.probe("bits_per_dim", probes.error_of_bits_per_dim, images, logits)
        if raised is not None:
            fail(
                _(
                    "bits_per_dim raised {error} on images of shape {images} and logits of shape "
                    "{logits}: {message}. It must work for any number of levels L (the logits' "
                    "last axis) and any batch size, a batch of one image included."
                ).format(
                    error=raised[0], images=images.shape, logits=logits.shape, message=raised[1]
                ),
                partial(
                    mistakes.explain,
                    "bits_per_dim",
                    partial(probes.error_of_bits_per_dim, images=images, logits=logits),
                    raised,
                    lambda a, b: a is not None and b is not None and a[0] == b[0],
                ),
            )
        out = submission.probe("bits_per_dim", probes.bits_per_dim, images, logits)
        assert_close(
            out,
            reference.probe("bits_per_dim", probes.bits_per_dim, images, logits),
            _("bits_per_dim(images, logits) with logits of shape {shape}").format(
                shape=logits.shape
            ),
            1e-4,
            1e-6,
            explain=partial(
                mistakes.explain,
                "bits_per_dim",
                partial(probes.bits_per_dim, images=images, logits=logits),
                out,
            ),
        )


@pytest.mark.part("bits_per_dim")
def test_bits_per_dim_is_finite_for_large_logits(submission, reference, mistakes):
    """With logits of size 100 (a confident model), is the loss still the right finite number,
    for the sigmoid and the softmax outputs alike (a cross-entropy computed from the logits)?"""
    for channels in (1, 4):
        images, logits = _bits_inputs(f"bits large {channels}", channels)
        logits = np.where(logits > 0, 100.0, -100.0).astype(np.float32)
        out = submission.probe("bits_per_dim", probes.bits_per_dim, images, logits)
        expected = reference.probe("bits_per_dim", probes.bits_per_dim, images, logits)
        value = float(np.asarray(to_numpy(out), np.float64))
        if math.isfinite(value):  # finite but wrong: say what was seen, not why
            message = _(
                "With logits of +-100 and {channels} channel(s), bits_per_dim gives {value:.4g} "
                "but should give {expected:.4g}."
            )
        else:
            message = _(
                "With logits of +-100 and {channels} channel(s), bits_per_dim gives {value:.4g} "
                "but should give {expected:.4g}: at logits this large a step of yours overflows "
                "or underflows (a probability that rounds to 0 before its log, or the exp of a "
                "large logit). Compute the cross-entropy from the logits with a stable function "
                "(log_softmax, or a loss with from_logits=True) rather than writing log(sigmoid), "
                "log(softmax) or log(1 + exp) yourself."
            )
        check(
            math.isfinite(value) and math.isclose(value, float(expected), rel_tol=1e-3),
            message.format(channels=channels, value=value, expected=float(expected)),
            partial(
                mistakes.explain,
                "bits_per_dim",
                partial(probes.bits_per_dim, images=images, logits=logits),
                out,
            ),
        )


@pytest.mark.part("bits_per_dim")
def test_bits_not_nats(submission, mistakes):
    """Do zero logits (a fair coin, or 4 equally likely levels) cost exactly 1 and 2 bits?"""
    for channels, bits in ((1, 1.0), (4, 2.0)):
        images, _logits = _bits_inputs(f"bits zero {channels}", channels)
        logits = np.zeros((3, 5, 6, channels), np.float32)
        out = float(to_numpy(submission.probe("bits_per_dim", probes.bits_per_dim, images, logits)))
        hint = ""
        if math.isclose(out, bits * math.log(2), rel_tol=1e-3):
            hint = _(" That is the value in nats: divide by ln 2 to get bits.")
        elif math.isclose(out, bits * math.log(2) ** 2, rel_tol=1e-3):
            hint = _(
                " That is the value in nats multiplied by ln 2 (or divided by log2(e)): divide "
                "the nats by ln 2 to get bits."
            )
        check(
            math.isclose(out, bits, rel_tol=1e-4),
            _(
                "With all logits zero, each of the {levels} values is equally likely and costs "
                "exactly {bits:g} bit(s), but your bits_per_dim gives {value:.4f}.{hint}"
            ).format(levels=2 if channels == 1 else channels, bits=bits, value=out, hint=hint),
            partial(
                mistakes.explain,
                "bits_per_dim",
                partial(probes.bits_per_dim, images=images, logits=logits),
                out,
            ),
        )


@pytest.mark.part("bits_per_dim")
def test_bits_per_dim_gradient(submission, reference, mistakes):
    """Can the loss be trained: does its gradient w.r.t. the logits match the reference's?"""
    images, logits = _bits_inputs("bits gradient", 1)
    gap = submission.probe("bits_per_dim", probes.bits_gradient_gap, images, logits)
    check(
        gap < 1e-3,
        _(
            "The gradient of your bits_per_dim does not match finite differences (largest gap "
            "{gap:.3g}): keep every step in TensorFlow operations so that gradients flow."
        ).format(gap=gap),
    )
    gradient = partial(probes.bits_gradient, images=images, logits=logits)
    ours = submission.probe("bits_per_dim", probes.bits_gradient, images, logits)
    check(ours is not None, _("No gradient flows from your bits_per_dim to the logits."))
    assert_close(
        ours,
        reference.probe("bits_per_dim", probes.bits_gradient, images, logits),
        _("The gradient of bits_per_dim with respect to the logits"),
        1e-4,
        1e-7,
        explain=first_of(
            lambda: mistakes.explain("bits_per_dim", gradient, ours),
            lambda: constant_part_note(
                submission.probe("bits_per_dim", probes.bits_per_dim, images, logits),
                reference.probe("bits_per_dim", probes.bits_per_dim, images, logits),
            ),
        ),
    )


# ---------------------------------------------------------------- sampling
def _binary_logits(probabilities):
    p = np.asarray(probabilities, np.float64)
    return (np.log(p) - np.log1p(-p))[..., None].astype(np.float32)


def _sample(submission, probe, *args):
    return to_numpy(submission.probe("sampling", probe, *args))


@pytest.mark.property
@pytest.mark.part("sampling")
def test_samples_have_shape_and_valid_values(submission):
    """Does sample_pixelcnn return n integer images (n, H, W, 1) with values in 0..levels-1?"""
    binary = _binary_logits(np.full((3, 4), 0.5))
    out = _sample(submission, probes.sample_fixed, binary, 5, 1, 2)
    assert_shape(out, (5, 3, 4, 1), _("sample_pixelcnn(model for 3 x 4 images, n=5)"))
    check(
        out.dtype.kind in "iu",
        _("Samples should be integers (int32), not {dtype}.").format(dtype=out.dtype),
    )
    check(
        set(np.unique(out)) <= {0, 1},
        _("With levels=2 every sampled pixel should be 0 or 1; yours has {values}.").format(
            values=sorted(set(np.unique(out).tolist()))
        ),
    )
    logits = seeded_rng("sampling levels").normal(size=(3, 4, 4)).astype(np.float32)
    out = _sample(submission, probes.sample_fixed, logits, 5, 1, 4)
    check(
        out.shape == (5, 3, 4, 1) and set(np.unique(out)) <= {0, 1, 2, 3},
        _(
            "With levels=4 (4 logits per pixel) samples should have shape (5, 3, 4, 1) and values "
            "0 to 3; yours have shape {shape} and values {values}."
        ).format(shape=out.shape, values=sorted(set(np.unique(out).tolist()))[:10]),
    )


def _binary_frequencies(samples):
    return to_numpy(samples)[..., 0].mean(axis=0)


@pytest.mark.part("sampling")
def test_binary_sample_frequencies_match_the_model(submission, mistakes):
    """Is each pixel 1 about as often as sigmoid(logit) says (sampling, not the argmax)?"""
    probabilities = np.linspace(0.2, 0.8, 12).reshape(3, 4)
    n = 1000
    logits = _binary_logits(probabilities)
    freq = _binary_frequencies(_sample(submission, probes.sample_fixed, logits, n, 3, 2))
    tolerance = 5 * np.sqrt(probabilities * (1 - probabilities) / n)
    bad = np.abs(freq - probabilities) > tolerance
    if bad.any():
        h, w = (int(i) for i in np.argwhere(bad)[0])
        levels = np.stack([1 - freq, freq], -1), np.stack([1 - probabilities, probabilities], -1)
        hint = frequency_hint(
            *levels, np.stack([tolerance, tolerance], -1), binary=True, from_logits=True
        )
        fail(
            _(
                "With a model that gives pixel ({h}, {w}) probability {p:.2f} of being 1, your "
                "samples have it 1 with frequency {freq:.3f} (over {n} samples); each pixel "
                "should be 1 with probability sigmoid(its logit).{hint}"
            ).format(h=h, w=w, p=probabilities[h, w], freq=freq[h, w], n=n, hint=hint),
            lambda: mistakes.explain(
                "sampling",
                lambda ns: _binary_frequencies(probes.sample_fixed(ns, logits, n, 3, 2)),
                freq,
                lambda a, b: bool(np.all(np.abs(a - b) <= 2 * tolerance)),
            ),
        )


def _level_frequencies(samples):
    samples = to_numpy(samples)[..., 0]
    return (samples[..., None] == np.arange(4)).mean(axis=0)


@pytest.mark.part("sampling")
def test_categorical_sample_frequencies_match_the_model(submission, mistakes):
    """With 4 levels, does each level come up about as often as softmax(logits) says?"""
    logits = (1.5 * seeded_rng("sampling categorical").normal(size=(2, 3, 4))).astype(np.float32)
    probs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    n = 1000
    freq = _level_frequencies(_sample(submission, probes.sample_fixed, logits, n, 4, 4))
    tolerance = 5 * np.sqrt(probs * (1 - probs) / n) + 0.005
    bad = np.abs(freq - probs) > tolerance
    if bad.any():
        h, w, level = (int(i) for i in np.argwhere(bad)[0])
        fail(
            _(
                "With 4 levels, level {level} of pixel ({h}, {w}) has probability {p:.2f} under "
                "the model (softmax of its logits), but your samples give it frequency "
                "{freq:.3f}.{hint}"
            ).format(
                level=level,
                h=h,
                w=w,
                p=probs[h, w, level],
                freq=freq[h, w, level],
                hint=frequency_hint(freq, probs, tolerance, from_logits=True),
            ),
            lambda: mistakes.explain(
                "sampling",
                lambda ns: _level_frequencies(probes.sample_fixed(ns, logits, n, 4, 4)),
                freq,
                lambda a, b: bool(np.all(np.abs(a - b) <= 2 * tolerance)),
            ),
        )


_RASTER = {  # levels -> (height, width, strength, n, seed) of the previous-pixel model
    2: (3, 4, 5.0, 300, 5),
    4: (3, 4, 6.0, 300, 6),
}


def _raster_agreement(samples, levels):
    height, width, _strength, n, _seed = _RASTER[levels]
    flat = to_numpy(samples).reshape(n, height * width)
    return (flat[:, 1:] == flat[:, :-1]).mean(axis=0)  # (H * W - 1,) one per raster step


@pytest.mark.part("sampling")
def test_pixels_are_sampled_in_raster_order(submission, mistakes):
    """Is each pixel sampled after, and given, every pixel before it in raster order, with the
    model fed the images divided by levels - 1 (2 and 4 levels)?"""
    for levels in (2, 4):
        args = (*_RASTER[levels], levels)
        samples = _sample(submission, probes.sample_previous_pixel, *args)
        agreement = _raster_agreement(samples, levels)
        if np.all(agreement >= 0.9):
            continue
        step = int(np.argmin(agreement)) + 1
        row, col = divmod(step, 4)
        opposite = _(
            " Your pixels almost always take the other value than the one the model makes "
            "likely: the two outcomes are swapped (a binary model's single logit is the "
            "log-odds of a 1)."
        )
        fail(
            _(
                "We used a model where each pixel almost surely copies the level of the pixel "
                "before it in raster order (row by row, left to right), read from its input "
                "scaled to [0, 1]. With levels={levels}, in your samples pixel (row {row}, column "
                "{col}) equals the pixel before it only {rate:.0%} of the time (expected over "
                "90%).{hint}"
            ).format(
                levels=levels,
                row=row,
                col=col,
                rate=float(agreement[step - 1]),
                hint=opposite if levels == 2 and np.all(agreement < 0.1) else "",
            ),
            lambda args=args, agreement=agreement, levels=levels: mistakes.explain(
                "sampling",
                lambda ns: _raster_agreement(probes.sample_previous_pixel(ns, *args), levels),
                agreement,
                lambda a, b: bool(np.all(np.abs(a - b) < 0.15)),
            ),
        )


_SEEDS = [1, 1, 2]


def _seed_behaviour(samples):
    """(same seed, same images; other seed, other images; the images of one call differ):
    the third tells a sampler without randomness from one that ignores its seed."""
    first, again, other = (to_numpy(s) for s in samples)
    varied = not np.all(first == first[:1])
    return np.array_equal(first, again), not np.array_equal(first, other), varied


@pytest.mark.part("sampling")
def test_sampling_is_deterministic_per_seed(submission, mistakes):
    """Does the same seed give the same samples, and another seed other samples?"""
    coin = _binary_logits(np.full((3, 4), 0.5))
    result = _seed_behaviour(
        submission.probe("sampling", probes.samples_for_seeds, coin, 8, _SEEDS, 2)
    )
    advice = _(
        "Derive all randomness from `seed`, e.g. stateless random ops with a seed made of `seed` "
        "and the pixel's index."
    )
    if not result[2]:  # no randomness at all: where the seed goes is not the question
        advice = _(
            "All 8 images of one call are the same although every pixel is a fair coin flip: "
            "nothing in your sampler is random."
        )
    check(
        result[:2] == (True, True),
        _(
            "sample_pixelcnn(model, n, seed) should give the same images every time it is called "
            "with the same seed, and other images for another seed; yours: same seed gives the "
            "same images: {same}; another seed gives other images: {other}. {advice}"
        ).format(same=result[0], other=result[1], advice=advice),
        lambda: mistakes.explain(
            "sampling",
            lambda ns: _seed_behaviour(probes.samples_for_seeds(ns, coin, 8, _SEEDS, 2)),
            result,
            lambda a, b: a == b,
        ),
    )


def _pixel_correlation(samples):
    samples = to_numpy(samples)
    flat = samples.reshape(len(samples), -1).astype(np.float64)
    if np.any(flat.std(axis=0) == 0):
        return float("inf")
    corr = np.corrcoef(flat, rowvar=False)
    return float(np.max(np.abs(corr - np.eye(len(corr)))))


@pytest.mark.part("sampling")
def test_pixels_get_fresh_randomness(submission, mistakes):
    """Is every pixel of every image drawn with fresh random numbers?"""
    coin = _binary_logits(np.full((3, 4), 0.5))
    samples = _sample(submission, probes.sample_fixed, coin, 2000, 6, 2)
    check(
        not np.all(samples == samples[:1]),
        _(
            "With a model whose pixels are independent coin flips, all 2000 of your samples are "
            "the same image: each image needs its own random draws."
        ),
    )
    corr = _pixel_correlation(samples)
    check(
        np.isfinite(corr),
        _(
            "With a model whose pixels are independent coin flips, some pixel of your samples "
            "has the same value in all 2000 of them."
        ),
    )
    check(
        corr < 0.15,
        _(
            "With a model whose pixels are independent coin flips, the pixels of your samples are "
            "correlated (largest correlation {corr:.2f}); independent pixels have correlations "
            "near 0."
        ).format(corr=corr),
        lambda: mistakes.explain(
            "sampling",
            lambda ns: _pixel_correlation(probes.sample_fixed(ns, coin, 2000, 6, 2)),
            corr,
            lambda a, b: abs(a - b) < 0.1,
        ),
    )


@pytest.mark.part("sampling")
def test_the_model_is_traced_once_not_once_per_pixel(submission, mistakes):
    """Does the position reach the tf.function as a tensor, so that its graph is traced once
    rather than for every pixel (784 graphs for a 28 x 28 image)?"""
    coin = _binary_logits(np.full((3, 4), 0.5))
    counted = submission.probe("sampling", probes.sampling_traces, coin, 2, 0, 2)
    check(
        counted["calls"] > 0,
        _("sample_pixelcnn never called the model: run it to get each pixel's logits."),
    )
    traces = counted["traces"]
    # 12 positions: a graph per position traces 12 times; a tensor position once or twice.
    check(
        traces <= 4,
        _(
            "On a model for 3 x 4 images your sample_pixelcnn traced the model into a new graph "
            "{traces} times, about once per pixel: its tf.function is traced again for every "
            "position, as it does when the position comes as a Python number. Pass the position "
            "as a tensor (tf.constant(position)), as the task asks, so that one graph serves "
            "every pixel."
        ).format(traces=traces),
        lambda: mistakes.explain(
            "sampling",
            lambda ns: probes.sampling_traces(ns, coin, 2, 0, 2)["traces"],
            traces,
            lambda a, b: a == b,
        ),
    )


# ---------------------------------------------------------------- train_step
# The step is graded on a small model of the probes (with batch normalisation, so that
# training=True shows) and with the stand-in loss probes._stand_in_loss in place of
# bits_per_dim, so that a mistake in the model or the loss does not cost the step.
def _train_batch(levels):
    rng = seeded_rng(f"train batch {levels}")
    return rng.integers(0, levels, size=(16, 6, 6, 1)).astype(np.int32)


_ONE_STEP = {}  # (kind, id, levels, batch) -> (object, result), shared by checks and zoo
_STEP_LOSS = "bits_per_dim(images, model(images / (levels - 1), training=True))"


def _step(submission, levels, mistakes):
    """The one_step probe on the code under test, once per level count for all the checks;
    a step that raised fails every check with what it raised."""
    batch = _train_batch(levels)  # drawn with the submission's salt: part of the key
    key = ("submission", id(submission), levels, batch.tobytes())
    if key not in _ONE_STEP:
        result = submission.probe("train_step", probes.one_step, batch, levels)
        _ONE_STEP[key] = (submission, result)
    result = _ONE_STEP[key][1]
    if result["raised"]:
        kind, message = result["raised"]
        if "No gradients provided" in message:
            fail(
                _(
                    "Your train step raised {kind}: {message} The tape recorded no path from the "
                    "variables to the loss: call the model inside the `with tf.GradientTape() as "
                    "tape:` block, not before it, and compute the loss there too."
                ).format(kind=kind, message=message),
                lambda: mistakes.explain(
                    "train_step",
                    lambda ns: "No gradients provided" in str(_mutant_step(ns, levels)["raised"]),
                    True,
                ),
            )
        fail(
            _(
                "Your train step raised {kind} on a batch of shape (16, 6, 6, 1) with "
                "levels={levels}: {message}"
            ).format(kind=kind, levels=levels, message=message)
        )
    return result


def _mutant_step(ns, levels):
    """The one_step probe on a mutant's code (in this process, with the part's stand-ins)."""
    batch = _train_batch(levels)  # one check process grades submissions of several salts
    key = ("mutant", id(ns), levels, batch.tobytes())
    if key not in _ONE_STEP:
        result = probes.one_step(_with_stand_ins(ns, "train_step"), batch, levels)
        _ONE_STEP[key] = (ns, result)
    return _ONE_STEP[key][1]


@pytest.mark.part("train_step")
def test_train_step_returns_bits_per_dim(submission, mistakes):
    """Does the step return the loss of the batch (2 and 4 levels), computed before the update
    on the model's output for images / (levels - 1)?"""
    for levels in (2, 4):
        result = _step(submission, levels, mistakes)
        assert_close(
            result["returned"],
            np.float32(result["before"]),
            _(
                "The loss your train step returns with levels={levels} (it should be {loss} on "
                "the batch, before the update, as one number)"
            ).format(levels=levels, loss=_STEP_LOSS),
            1e-4,
            1e-5,
            explain=first_of(
                lambda levels=levels, result=result: mistakes.explain(
                    "train_step",
                    lambda ns: _mutant_step(ns, levels)["returned"],
                    result["returned"],
                    lambda a, b: (
                        b is not None
                        and np.shape(a) == np.shape(b)
                        and np.allclose(a, b, rtol=1e-4)
                    ),
                ),
                lambda result=result: _after_update_hint(result),
            ),
        )


def _after_update_hint(result):
    """The sentence when the step returned the batch's loss after its update (in training or
    inference mode), or ""."""
    returned = np.asarray(result["returned"], np.float64)
    after = (result["after"], result["after_inference"])
    if returned.size != 1 or not any(np.isclose(float(returned), v, rtol=1e-4) for v in after):
        return ""
    return _(
        "That is the loss of the batch after the update: your step computes the loss again once "
        "the weights have changed. Return the loss whose gradient the update applied."
    )


@pytest.mark.defining
@pytest.mark.part("train_step")
def test_train_step_lowers_the_loss(submission, mistakes):
    """After one step, is the loss on the same batch lower?"""
    for levels in (2, 4):
        result = _step(submission, levels, mistakes)
        before, after = result["before"], result["after"]
        check(
            after < before,
            _(
                "One training step should lower the loss on its own batch, but with "
                "levels={levels} it went from {before:.5f} to {after:.5f}. Compute the loss "
                "inside tf.GradientTape, take its gradient with respect to "
                "model.trainable_variables and apply it with optimizer.apply_gradients."
            ).format(levels=levels, before=before, after=after),
            lambda levels=levels, before=before: mistakes.explain(
                "train_step",
                lambda ns: (
                    _mutant_step(ns, levels)["raised"] is None
                    and _mutant_step(ns, levels)["after"] >= before
                ),
                True,
            ),
        )


@pytest.mark.defining
@pytest.mark.part("train_step")
def test_train_step_updates_every_variable(submission, mistakes):
    """Does the step update every trainable variable that has a gradient?"""
    result = _step(submission, 2, mistakes)
    unchanged = result["unchanged"]
    if unchanged:
        names = [result["names"][i] for i in unchanged]
        fail(
            _(
                "After one training step, {count} of the model's trainable variables did not "
                "change although they have a gradient (for example {names}). Apply the "
                "gradients to all of model.trainable_variables."
            ).format(count=len(unchanged), names=", ".join(names[:3])),
            lambda: mistakes.explain(
                "train_step",
                lambda ns: _mutant_step(ns, 2)["unchanged"],
                unchanged,
                lambda a, b: b is not None and list(a) == list(b),
            ),
        )


@pytest.mark.part("train_step")
def test_train_step_runs_the_model_in_training_mode(submission, mistakes):
    """Does the step call the model with training=True (batch normalisation's statistics move)?"""
    result = _step(submission, 2, mistakes)
    check(
        result["moved"],
        _(
            "Your train step does not run the model in training mode: on a model with batch "
            "normalisation, its moving statistics did not change during the step. Call the "
            "model as model(inputs, training=True) inside the tape."
        ),
        lambda: mistakes.explain(
            "train_step",
            lambda ns: _mutant_step(ns, 2)["raised"] is None and not _mutant_step(ns, 2)["moved"],
            True,
        ),
    )


def _quality_data():
    """Fashion-MNIST's train and test images, or a skip without the data."""
    from igcourse.data import load_fashion_mnist
    from igcourse.data.fashion_mnist import DatasetNotFound

    try:
        train_images, _labels = load_fashion_mnist("train")
        test_images, _labels = load_fashion_mnist("test")
    except DatasetNotFound as error:
        pytest.skip(str(error))
    return train_images, test_images


@pytest.mark.expensive
@pytest.mark.needs("causal_mask", "masked_conv", "residual_block", "pixelcnn_model", "bits_per_dim")
@pytest.mark.part("train_step")
def test_training_beats_the_per_pixel_model(submission, reference, reference_for):
    """Does a small PixelCNN, built and trained with your code, beat the per-pixel model?"""
    train_images, test_images = _quality_data()
    settings = (QUALITY_FILTERS, QUALITY_BLOCKS, QUALITY_LEARNING_RATE, 12)
    submission.probe(None, probes.train_setup, train_images.shape[1:] + (1,), *settings)
    pixels = reference_for("pixel_probabilities")
    test = pixels.quantize(test_images[:QUALITY_TEST_IMAGES], 2)
    rng = seeded_rng("quality batches")
    rows = [rng.integers(0, len(train_images), QUALITY_BATCH) for _i in range(QUALITY_STEPS)]
    batches = pixels.quantize(train_images[np.stack(rows)], 2)[..., None].astype(np.uint8)
    # The per-pixel model is fitted while the student's code trains (it needs seconds of the
    # grader's own, and the worker waits for none of them).
    with ThreadPoolExecutor(max_workers=1) as beside:
        baseline = beside.submit(_per_pixel_baseline, pixels, train_images, test)
        logits = submission.probe(
            None,  # the student's code for every part: their model, trained with their step
            probes.train_and_predict,
            batches,
            test[..., None].astype(np.uint8),
            *settings,
        )
        baseline = baseline.result()
    bits = _bits_in_chunks(reference, test[..., None], logits)
    check(
        np.isfinite(bits) and bits < baseline,
        _(
            "After {steps} training steps (batch {batch}) on binarised Fashion-MNIST, a PixelCNN "
            "built with your build_pixelcnn and trained with your make_train_step reaches "
            "{bits:.3f} bits/dim on test images, but the per-pixel model (no neural network) "
            "already reaches {baseline:.3f}. This check runs your code for every part together; "
            "where another check fails too, its message says what to mend first."
        ).format(steps=QUALITY_STEPS, batch=QUALITY_BATCH, bits=bits, baseline=baseline),
    )


_BASELINES = {}  # id(reference module) -> the per-pixel model's test bits/dim (fixed data)


def _per_pixel_baseline(pixels, train_images, test):
    """The reference per-pixel model's bits/dim on `test`, fitted on all binarised training
    images; the same for every submission, so it is computed once per process."""
    if id(pixels) not in _BASELINES:
        model = pixels.fit_pixel_model(pixels.quantize(train_images, 2), 2)
        _BASELINES[id(pixels)] = pixels.pixel_model_bits_per_dim(model, test)
    return _BASELINES[id(pixels)]


def _bits_in_chunks(reference, images, logits, chunks=4):
    """The reference's bits/dim of logits on images, averaged over chunks as in training."""
    logits = to_numpy(logits).astype(np.float32)
    return np.mean(
        [
            float(reference.bits_per_dim(chunk, part))
            for chunk, part in zip(np.split(images, chunks), np.split(logits, chunks), strict=True)
        ]
    )


# ---------------------------------------------------------------- trained_model
# The model the notebook trained and saved is a part of its own, graded from the handed-in
# files only. One probe builds it with the student's build_pixelcnn, loads the weights and
# returns its logits on one batch (test images, and test images with the pixels from some
# position on pasted from another test image, shuffled); every check reads that one result.
TRAINED_WEIGHTS = "pixelcnn.weights.h5"  # saved by the notebook after its training run
TRAINED_SETTINGS = "pixelcnn.json"  # the build_pixelcnn arguments of that run
HANDED_IN_TEST_IMAGES = 500
CAUSALITY_PAIRS = 12
_HANDED_IN = {}  # id(submission) -> (submission, what the probe returned, the inputs)


def _threshold(name):
    from pathlib import Path

    from igcourse.config import load_config

    root = Path(__file__).resolve().parents[2]
    return load_config(root).quality.thresholds["ch01_pixelcnn"][name]


def _no_model():
    return _(
        "No trained model was handed in: run the training cells of the notebook to the end "
        "(they save {weights} and {settings} next to it) and submit both files with the "
        "notebook."
    ).format(weights=TRAINED_WEIGHTS, settings=TRAINED_SETTINGS)


def _handed_in_inputs():
    """(test images (N, 28, 28, 1), mixed images (K, 28, 28, 1), [(image index, position)]):
    binarised test images drawn with the grading salt, and for K of them a copy whose pixels
    from `position` (raster order) on come from another test image that differs there."""
    from igcourse.data import load_fashion_mnist
    from igcourse.data.fashion_mnist import DatasetNotFound

    try:
        test_images, _labels = load_fashion_mnist("test")
    except DatasetNotFound as error:
        pytest.skip(str(error))
    rng = seeded_rng("handed-in test images")
    chosen = np.sort(rng.choice(len(test_images), HANDED_IN_TEST_IMAGES, replace=False))
    test = (test_images[chosen] >= 128).astype(np.int32)[..., None]
    flat = test.reshape(len(test), -1)
    mixed, pairs = [], []
    for index in range(CAUSALITY_PAIRS):
        other = (index + 1 + int(rng.integers(len(test) - 1))) % len(test)
        differ = np.flatnonzero(flat[index, 4 * 28 : 24 * 28] != flat[other, 4 * 28 : 24 * 28])
        if len(differ) == 0:
            continue
        position = 4 * 28 + int(rng.choice(differ))
        pasted = flat[index].copy()
        pasted[position:] = flat[other, position:]
        mixed.append(pasted.reshape(28, 28, 1))
        pairs.append((index, position))
    return test, np.stack(mixed), pairs


def _handed_in_request():
    """(test images, pairs, order, the probe's arguments): the test and mixed images go to the
    probe shuffled, in an order only the check knows."""
    test, mixed, pairs = _handed_in_inputs()
    batch = np.concatenate([test, mixed])
    order = seeded_rng("handed-in order").permutation(len(batch))
    return test, pairs, order, (TRAINED_WEIGHTS, TRAINED_SETTINGS, batch[order].astype(np.uint8))


def _weights_handed_in(submission):
    folder = submission.folder
    return folder is not None and (folder / TRAINED_WEIGHTS).exists()


def early_probes(submission):
    """Started as a submission's checks begin (igcourse/grading/plugin.py), on a worker of its
    own: the handed-in model's probe, seconds of the student's code, runs while the other
    checks do."""
    if _weights_handed_in(submission):
        submission.start_early(None, probes.handed_in_model, *_handed_in_request()[3])


def _handed_in(submission):
    """What the handed-in model gives: {"missing"}, {"load_error"}, or {"test", "logits",
    "mixed", "pairs"}; one probe per submission, shared by every check."""
    key = id(submission)
    if key not in _HANDED_IN:
        if not _weights_handed_in(submission):
            _HANDED_IN[key] = (submission, {"missing": True})
        else:
            test, pairs, order, arguments = _handed_in_request()
            result = submission.probe(
                None,  # all of the student's code, as the notebook built and trained the model
                probes.handed_in_model,
                *arguments,
            )
            if "logits" in result:
                logits = np.empty_like(to_numpy(result["logits"]))
                logits[order] = to_numpy(result["logits"])
                result = {
                    "test": test,
                    "logits": logits[: len(test)],
                    "mixed": logits[len(test) :],
                    "pairs": pairs,
                }
            _HANDED_IN[key] = (submission, result)
    result = _HANDED_IN[key][1]
    if result.get("missing"):
        fail(_no_model())
    if "load_error" in result:
        fail(
            _(
                "{weights} does not fit the model that build_pixelcnn builds with the settings in "
                "{settings} ({error}). Save them from the same run, with the cell that saves them."
            ).format(weights=TRAINED_WEIGHTS, settings=TRAINED_SETTINGS, error=result["load_error"])
        )
    check(
        to_numpy(result["logits"]).shape == result["test"].shape,
        _(
            "The handed-in model should give one logit per pixel, shape {expected} for {n} test "
            "images, but gives shape {shape}."
        ).format(
            expected=result["test"].shape,
            n=len(result["test"]),
            shape=to_numpy(result["logits"]).shape,
        ),
    )
    return result


def _handed_in_bits(reference, result):
    return _bits_in_chunks(reference, result["test"], result["logits"], chunks=5)


def _leaks(result):
    """[(row, column) pasted from, (row, column) whose logit changed, change] for every pair
    where pasting pixels from a position on changed a logit at or before that position."""
    found = []
    for (index, position), mixed in zip(result["pairs"], result["mixed"], strict=True):
        ours = to_numpy(result["logits"][index]).reshape(-1)[: position + 1].astype(np.float64)
        theirs = to_numpy(mixed).reshape(-1)[: position + 1].astype(np.float64)
        changed = np.abs(ours - theirs) > 1e-3 * (1 + np.abs(ours))
        if changed.any():
            first = int(np.argmax(changed))
            found.append(
                (divmod(position, 28), divmod(first, 28), float(np.abs(ours - theirs).max()))
            )
    return found


@pytest.mark.property
@pytest.mark.handed_in
@pytest.mark.part("trained_model")
def test_handed_in_files_are_there_and_load(submission):
    """Are the trained weights and their settings handed in, and do they load?"""
    _handed_in(submission)


@pytest.mark.handed_in
@pytest.mark.part("trained_model")
def test_handed_in_model_is_causal(submission, reference):
    """On real test images, does pasting another image's pixels from a position on leave the
    logits at that position and before unchanged?"""
    result = _handed_in(submission)
    bits = _handed_in_bits(reference, result)
    limit = _threshold("pixelcnn_test_bits_per_dim_max")
    if not (np.isfinite(bits) and bits <= limit):
        pytest.skip(
            _(
                "judged once the handed-in model reaches the threshold: it has {bits:.3f} "
                "bits/dim, the course asks for {limit:.3f} or less"
            ).format(bits=bits, limit=limit)
        )
    leaks = _leaks(result)
    if leaks:
        (row, col), (changed_row, changed_col), change = leaks[0]
        fail(
            _(
                "Your handed-in PixelCNN is not causal. On a test image we replaced the pixels "
                "from (row {row}, column {col}) on, in raster order, with another test image's, "
                "and its logit at (row {changed_row}, column {changed_col}) changed by "
                "{change:.3g}, although that pixel comes at or before (row {row}, column {col}) "
                "and may depend only on the pixels before it ({count} of {pairs} such tests "
                "failed). A model that sees the pixels it predicts scores an implausibly low "
                "loss and generates nothing: check the masks of your layers (type A in the first "
                "layer) and retrain."
            ).format(
                row=row,
                col=col,
                changed_row=changed_row,
                changed_col=changed_col,
                change=change,
                count=len(leaks),
                pairs=len(result["pairs"]),
            )
        )


@pytest.mark.handed_in
@pytest.mark.part("trained_model")
def test_the_handed_in_model_meets_the_reference_threshold(submission, reference):
    """Does the causal model the notebook trained and saved reach the course's test bits/dim?"""
    result = _handed_in(submission)
    bits = _handed_in_bits(reference, result)
    limit = _threshold("pixelcnn_test_bits_per_dim_max")
    floor = _threshold("pixelcnn_test_bits_per_dim_min")
    n = len(result["test"])
    check(
        np.isfinite(bits) and bits <= limit,
        _(
            "Your trained PixelCNN reaches {bits:.3f} bits/dim on {n} test images; the course "
            "asks for {limit:.3f} or less (the reference run reaches about 0.19). Train longer, "
            "or check the model and the train step."
        ).format(bits=bits, n=n, limit=limit),
    )
    check(
        not _leaks(result),
        _(
            "Your trained PixelCNN reaches {bits:.4f} bits/dim on {n} test images, but it sees "
            "pixels it predicts (see the causality check), so that figure does not count."
        ).format(bits=bits, n=n),
    )
    check(
        bits >= floor,
        _(
            "Your trained PixelCNN reaches {bits:.4f} bits/dim on {n} test images: implausibly "
            "good (the reference reaches about 0.19, and the course accepts nothing below "
            "{floor:.2f}). A PixelCNN scores like this only when it sees the pixels it "
            "predicts: check the masks of your layers (type A in the first layer) and retrain."
        ).format(bits=bits, n=n, floor=floor),
    )
