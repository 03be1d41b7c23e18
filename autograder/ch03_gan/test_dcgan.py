"""Hidden checks of dcgan: the two losses, the networks, the training steps, the trained generator.

Every check gets its values through a probe (probes_dcgan.py) and judges them here, against the
reference's values or the mathematics. Each part is checked apart from the others: in-process
with the reference's definitions of the other parts (PART_NAMES), in the sandbox with the
probes' stand-ins (probes_dcgan.STAND_INS: the steps run with losses that are not the task's,
and so does the reference they are compared with).

Inputs are drawn with seeded_rng, so grading gives every submission its own; each check holds
for any of them.
"""

import functools
import math
from pathlib import Path

import numpy as np
import probes_dcgan as probes
import pytest

from igcourse.grading import architecture, gansteps
from igcourse.grading.checks import assert_close, check, fail, first_of, seeded_rng
from igcourse.grading.gradients import constant_part_note
from igcourse.grading.handed_in import fail_unless_loaded
from igcourse.grading.public import public_checks_test
from igcourse.i18n import _

PART_NAMES = {
    "discriminator_loss": ["discriminator_loss"],
    "generator_loss": ["generator_loss"],
    "dcgan_models": ["build_generator", "build_discriminator"],
    "train_steps": ["make_gan_steps"],
    "trained_generator": [],  # handed in: graded from the files beside the notebook
}

# Every public check of a part counts in its hidden grade too. trained_generator's public check
# reads the files beside the student's notebook (the kernel's working folder), which the worker
# does not have: its hidden checks below test the same (the files are there and load) on the
# handed-in copy instead.
test_public_checks = public_checks_test("ch03_gan", PART_NAMES, probes)

# The training run of test_training_lowers_the_frechet_distance: small networks unlike the
# notebook's and the stand-in losses, so that it judges the steps alone (about 30 s on 2 CPU
# cores; the reference went from FD 334 to 143 with the validation salt).
QUALITY_STEPS = 300
QUALITY_BATCH = 64
QUALITY_Z = 32
QUALITY_SAMPLES = 1000
QUALITY_IMAGES = 20_000
QUALITY_MAX_RATIO = 0.7  # the Frechet distance after training, as a fraction of the initial one

TRAINED_WEIGHTS = "dcgan_generator.weights.h5"  # saved by the notebook after its training run
TRAINED_SETTINGS = "dcgan_generator.json"  # the build_generator arguments of that run
HANDED_IN_SAMPLES = 1000

GENERATOR_ARGS = (12, 6)  # build_generator(z_dim, filters)
DISCRIMINATOR_ARGS = (4,)  # build_discriminator(filters)
NETWORK_BATCH = 6


def _close(rtol=1e-4, atol=1e-5):
    def same(a, b):
        try:
            a, b = np.asarray(a, float), np.asarray(b, float)
        except (TypeError, ValueError):
            return False
        # Shapes first: a loss of shape (1,) is not the scalar it would broadcast to.
        return a.shape == b.shape and bool(np.allclose(a, b, rtol, atol))

    return same


def _explainer(mistakes, part, probe, observed, same):
    """explain(key): on failure, the known mistakes whose probe gives the same observed[key]."""

    def explain(key):
        return lambda: mistakes.explain(part, lambda ns: probe(ns)[key], observed[key], same)

    return explain


def _explain(mistakes, part, probe, *args):
    """A function naming the zoo's mistakes whose probe result equals `observed`."""

    def explain(observed, same=None):
        return lambda: mistakes.explain(
            part, lambda ns: probe(ns, *args), observed, same or _close()
        )

    return explain


MODERATE_LOGITS = np.array([0.5, -1.0, 2.0, -0.3], np.float32)


def _explain_extremes(submission, mistakes, part, probe, extreme, moderate, observed):
    """The zoo's mistakes that give `observed` at extreme logits AND the submission's value at
    moderate ones: at +-120 a clipped probability and log(sigmoid + epsilon) agree, at 0.5 not.
    The submission's moderate value is probed only when the explanation is asked for."""
    return lambda: mistakes.explain(
        part,
        lambda ns: (probe(ns, *extreme), probe(ns, *moderate)),
        (observed, submission.probe(part, probe, *moderate)),
        lambda a, b: _same_or_both_infinite(a[0], b[0]) and _same_or_both_infinite(a[1], b[1]),
    )


def _same_or_both_infinite(a, b):
    a, b = _scalar(a), _scalar(b)
    return (not math.isfinite(a) and not math.isfinite(b)) or math.isclose(a, b, rel_tol=1e-3)


def _logits(label, size, scale=2.0):
    return (scale * seeded_rng(label).normal(size=(size, 1))).astype(np.float32)


def _extreme_logits(label, signs):
    """Logits of size 90 to 150 with the given signs (+1 or -1), in a random order, (B, 1)."""
    rng = seeded_rng(label)
    values = np.asarray(signs, np.float64) * rng.uniform(90.0, 150.0, size=len(signs))
    return rng.permutation(values).reshape(-1, 1).astype(np.float32)


def _scalar(value):
    """A loss as a float; NaN for anything that is not one number (judged elsewhere)."""
    try:
        array = np.asarray(value, np.float64)
    except (TypeError, ValueError):
        return math.nan
    return float(array.reshape(())) if array.size == 1 else math.nan


def _softplus(x):
    return np.logaddexp(0.0, np.asarray(x, np.float64))


# ---------------------------------------------------------------- discriminator_loss
@pytest.mark.part("discriminator_loss")
def test_discriminator_loss_matches_the_reference(submission, reference, mistakes):
    """Is the loss mean BCE(1, real) + mean BCE(0, fake) on random logits, batches of 2 sizes?"""
    real, fake = _logits("d loss real", 7), _logits("d loss fake", 5)
    value = submission.probe("discriminator_loss", probes.d_loss, real, fake)
    expected = reference.probe("discriminator_loss", probes.d_loss, real, fake)
    explain = _explain(mistakes, "discriminator_loss", probes.d_loss, real, fake)
    assert_close(
        value,
        expected,
        _(
            "discriminator_loss on random logits (7 real, 5 generated; it should be mean "
            "BCE(1, real logits) + mean BCE(0, fake logits))"
        ),
        1e-4,
        1e-5,
        explain=explain(value),
    )


def _same_error_or_value(a, b):
    """Same value, or the same error with the same message (its shapes tell mistakes apart)."""
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and a == b
    return _close()(a, b)


def _check_flat_logits(value, expected, function, what, explain):
    """The loss on logits of shape (B,): the same as the reference's, and no error."""
    if isinstance(value, dict):
        fail(
            _(
                "{function} raised {error} on logits of shape (B,) ({message}); the docstring "
                "allows (B, 1) or (B,), and the loss is the same for both: build the labels with "
                "the logits' own shape (ones_like(logits), zeros_like(logits))."
            ).format(function=function, error=value["error"], message=value["message"]),
            explain,
        )
    assert_close(value, expected, what, 1e-4, 1e-5, explain=explain)


@pytest.mark.part("discriminator_loss")
def test_discriminator_loss_takes_logits_of_shape_b(submission, reference, mistakes):
    """The docstring allows logits of shape (B,): is the loss the same as for (B, 1)?"""
    real, fake = _logits("d loss flat real", 6).ravel(), _logits("d loss flat fake", 4).ravel()
    value = submission.probe("discriminator_loss", probes.d_loss_flat, real, fake)
    expected = reference.probe("discriminator_loss", probes.d_loss_flat, real, fake)
    _check_flat_logits(
        value,
        expected,
        "discriminator_loss",
        _(
            "discriminator_loss on logits of shape (B,) (6 real, 4 generated; the docstring "
            "allows (B, 1) or (B,), and the loss is the same for both)"
        ),
        _explain(mistakes, "discriminator_loss", probes.d_loss_flat, real, fake)(
            value, _same_error_or_value
        ),
    )


def _check_scalar(value, function):
    shape = np.shape(value)
    check(
        shape == (),
        _("{function} should return a scalar (a mean over the batch), not shape {shape}.").format(
            function=function, shape=shape
        ),
    )


@pytest.mark.part("discriminator_loss")
def test_discriminator_loss_is_stable_at_extreme_logits(submission, mistakes):
    """Does the loss stay finite and exact, with finite gradients, at logits of about +-120?"""
    real = _extreme_logits("d extreme real", [1, -1, -1])
    fake = _extreme_logits("d extreme fake", [-1, 1])
    expected = float(np.mean(_softplus(-real)) + np.mean(_softplus(fake)))
    value = submission.probe("discriminator_loss", probes.d_loss, real, fake)
    _check_scalar(value, "discriminator_loss")
    if math.isfinite(_scalar(value)):  # finite but wrong: what was seen, not a cause
        detail = ""
    else:
        detail = _(
            "Compute the cross-entropy from the logits (from_logits=True, or "
            "tf.nn.sigmoid_cross_entropy_with_logits); log(sigmoid(l)) overflows to -inf in "
            "float32."
        )
    check(
        math.isclose(_scalar(value), expected, rel_tol=1e-3),
        _(
            "On logits of size 90 to 150 discriminator_loss gives {value}, but should give "
            "{expected:.3f}. {detail}"
        ).format(value=_scalar(value), expected=expected, detail=detail),
        _explain_extremes(
            submission,
            mistakes,
            "discriminator_loss",
            probes.d_loss,
            (real, fake),
            (MODERATE_LOGITS, -MODERATE_LOGITS[:3]),
            value,
        ),
    )
    grads = submission.probe("discriminator_loss", probes.d_loss_gradients, real, fake)
    check(
        all(g is not None and np.all(np.isfinite(g)) for g in grads),
        _(
            "The gradient of discriminator_loss at logits of size 90 to 150 is missing or not "
            "finite; compute the loss from the logits with TensorFlow or keras.ops operations."
        ),
    )


@pytest.mark.part("discriminator_loss")
def test_discriminator_loss_gradients_push_the_right_way(submission, reference, mistakes):
    """Does minimising the loss raise the real logits and lower the fake ones, as the reference?"""
    real, fake = _logits("d grad real", 4), _logits("d grad fake", 6)
    grads = submission.probe("discriminator_loss", probes.d_loss_gradients, real, fake)
    expected = reference.probe("discriminator_loss", probes.d_loss_gradients, real, fake)
    if any(g is None for g in grads):
        fail(_("discriminator_loss gives no gradient with respect to the logits."))
    for got, want, which in zip(grads, expected, (_("real"), _("generated")), strict=True):
        assert_close(
            got,
            want,
            _("The gradient of discriminator_loss with respect to the {which} logits").format(
                which=which
            ),
            1e-4,
            1e-6,
            explain=first_of(
                _explain(mistakes, "discriminator_loss", probes.d_loss_gradients, real, fake)(
                    grads
                ),
                lambda: constant_part_note(
                    submission.probe("discriminator_loss", probes.d_loss, real, fake),
                    reference.probe("discriminator_loss", probes.d_loss, real, fake),
                ),
            ),
        )


# ---------------------------------------------------------------- generator_loss
@pytest.mark.part("generator_loss")
def test_generator_loss_matches_the_reference(submission, reference, mistakes):
    """Is the loss the non-saturating mean BCE(1, fake) on random logits?"""
    fake = _logits("g loss fake", 9)
    value = submission.probe("generator_loss", probes.g_loss, fake)
    expected = reference.probe("generator_loss", probes.g_loss, fake)
    assert_close(
        value,
        expected,
        _(
            "generator_loss on random logits (it should be the non-saturating loss, mean "
            "BCE(1, fake logits) = mean -log sigmoid(l))"
        ),
        1e-4,
        1e-5,
        explain=_explain(mistakes, "generator_loss", probes.g_loss, fake)(value),
    )


@pytest.mark.part("generator_loss")
def test_generator_loss_takes_logits_of_shape_b(submission, reference, mistakes):
    """The docstring allows logits of shape (B,): is the loss the same as for (B, 1)?"""
    fake = _logits("g loss flat fake", 7).ravel()
    value = submission.probe("generator_loss", probes.g_loss_flat, fake)
    expected = reference.probe("generator_loss", probes.g_loss_flat, fake)
    _check_flat_logits(
        value,
        expected,
        "generator_loss",
        _(
            "generator_loss on 7 logits of shape (B,) (the docstring allows (B, 1) or (B,), and "
            "the loss is the same for both)"
        ),
        _explain(mistakes, "generator_loss", probes.g_loss_flat, fake)(value, _same_error_or_value),
    )


def _negative_at_zero(submission):
    """Whether generator_loss is negative at logit 0: the saturating loss log(1 - sigmoid(l)) is
    (log 1/2), a cross-entropy never is; a vanished gradient alone has other causes too."""
    value = submission.probe("generator_loss", probes.g_loss, np.zeros((2, 1), np.float32))
    return np.size(value) == 1 and float(np.ravel(value)[0]) < 0


@pytest.mark.part("generator_loss")
def test_generator_loss_keeps_its_gradient_when_d_rejects_fakes(submission, mistakes):
    """At very negative logits (D sure the images are fake), is the gradient about -1/B?"""
    rng = seeded_rng("g loss rejected")
    fake = -rng.uniform(15.0, 60.0, size=(4, 1)).astype(np.float32)
    expected = -(1.0 - 1.0 / (1.0 + np.exp(-fake.astype(np.float64).ravel()))) / len(fake)
    grad = submission.probe("generator_loss", probes.g_loss_gradient, fake)
    explain = _explain(mistakes, "generator_loss", probes.g_loss_gradient, fake)
    check(
        grad is not None,
        _("generator_loss gives no gradient: compute it with TensorFlow or keras.ops operations."),
    )
    grad = np.asarray(grad, np.float64).ravel()
    check(
        grad.shape == (4,) and np.all(np.isfinite(grad)) and np.allclose(grad, expected, atol=1e-4),
        _(
            "When the discriminator rejects the generated images (logits -15 to -60, batch of "
            "4), the gradient of generator_loss with respect to each logit should be about "
            "-1/4, so that the generator still learns; yours is {grad}.{hint}"
        ).format(
            grad=np.array2string(grad, precision=4),
            hint=_(
                " The saturating loss log(1 - sigmoid(l)) has almost no gradient there: "
                "minimise -log sigmoid(l) instead, from the logits."
            )
            if grad.size and np.all(np.abs(grad) < 1e-3) and _negative_at_zero(submission)
            else "",
        ),
        explain(grad.reshape(-1, 1) if grad.size == 4 else grad, _close(1e-3, 1e-12)),
    )


@pytest.mark.part("generator_loss")
def test_generator_loss_is_stable_at_extreme_logits(submission, mistakes):
    """Is the loss finite and exact at logits of about +-120?"""
    fake = _extreme_logits("g extreme fake", [-1, 1, -1])
    expected = float(np.mean(_softplus(-fake)))
    value = submission.probe("generator_loss", probes.g_loss, fake)
    _check_scalar(value, "generator_loss")
    if math.isfinite(_scalar(value)):  # finite but wrong: what was seen, not a cause
        message = _(
            "On logits of size 90 to 150 generator_loss gives {value}, but should give "
            "{expected:.3f}."
        )
    else:
        message = _(
            "On logits of size 90 to 150 generator_loss gives {value}, but should give "
            "{expected:.3f}: compute the cross-entropy from the logits, not log(sigmoid(l))."
        )
    check(
        math.isclose(_scalar(value), expected, rel_tol=1e-3),
        message.format(value=_scalar(value), expected=expected),
        _explain_extremes(
            submission,
            mistakes,
            "generator_loss",
            probes.g_loss,
            (fake,),
            (MODERATE_LOGITS,),
            value,
        ),
    )


# ---------------------------------------------------------------- dcgan_models
def _draw_weights(layout, label):
    """Random values for a model's weights, by their shapes and names: every layer matters."""
    rng = seeded_rng(label)
    weights = []
    for shape, path in layout:
        name = path.rsplit("/", 1)[-1]
        if name == "moving_variance":
            value = rng.uniform(0.5, 2.0, size=shape)
        elif name == "gamma":
            value = rng.uniform(0.5, 1.5, size=shape)
        elif name in ("beta", "moving_mean", "bias"):
            value = 0.3 * rng.normal(size=shape)
        else:  # kernels: unit-scale pre-activations
            value = rng.normal(size=shape) / math.sqrt(max(1, int(np.prod(shape[:-1]))))
        weights.append(value.astype(np.float32))
    return weights


def _network_inputs(which):
    rng = seeded_rng(f"{which} inputs")
    if which == "generator":
        return rng.normal(size=(NETWORK_BATCH, GENERATOR_ARGS[0])).astype(np.float32)
    return rng.uniform(-1, 1, size=(NETWORK_BATCH, 28, 28, 1)).astype(np.float32)


def _network(submission, reference, mistakes, which):
    """(facts, expected, explain) of one builder: the same inputs and weights for both."""
    args = GENERATOR_ARGS if which == "generator" else DISCRIMINATOR_ARGS
    inputs = _network_inputs(which)
    layout = reference.probe("dcgan_models", probes.network_facts, which, args, inputs)["layout"]
    weights = _draw_weights(layout, f"{which} weights")
    call = (which, args, inputs, weights)
    facts = submission.probe("dcgan_models", probes.network_facts, *call)
    expected = reference.probe("dcgan_models", probes.network_facts, *call)
    zoo = _explainer(
        mistakes,
        "dcgan_models",
        lambda ns: probes.network_facts(ns, *call),
        facts,
        _close(1e-3, 1e-3),
    )
    # The notebook allows UpSampling2D + Conv2D for each transposed convolution.
    yours, table = (
        architecture.upsampling_as_transposed(plan) if plan else plan
        for plan in (facts["plan"], expected["plan"])
    )
    plan_difference = functools.partial(architecture.differences, yours, table)
    return facts, expected, lambda key: first_of(zoo(key), plan_difference)


@pytest.fixture(scope="module")
def generator_network(submission, reference, mistakes):
    return _network(submission, reference, mistakes, "generator")


@pytest.fixture(scope="module")
def discriminator_network(submission, reference, mistakes):
    return _network(submission, reference, mistakes, "discriminator")


def _check_parameters(which, facts, expected, explain, advice):
    check(
        (facts["params"], facts["trainable"]) == (expected["params"], expected["trainable"]),
        _(
            "build_{which}{args} has {params} parameters ({trainable} trainable); the table "
            "gives {expected} ({expected_trainable} trainable). {advice}"
        ).format(
            which=which,
            args=GENERATOR_ARGS if which == "generator" else "(4)",
            params=facts["params"],
            trainable=facts["trainable"],
            expected=expected["params"],
            expected_trainable=expected["trainable"],
            advice=advice,
        ),
        explain("params"),
    )


def _upsampling_layout(facts, expected):
    """The table's layout with each 4-d kernel's last two axes swapped: UpSampling2D + Conv2D
    in place of the transposed convolutions, which the notebook allows."""
    swapped = [
        shape[:2] + shape[2:][::-1] if len(shape) == 4 else shape
        for shape, _path in expected["layout"]
    ]
    return [shape for shape, _path in facts["layout"]] == swapped


def _check_outputs(which, facts, expected, explain):
    """The outputs with the drawn weights, in inference and in training mode, as the table's."""
    if facts["inference"] is None:
        fail(
            _(
                "The weights of your {which} do not line up with the table's layers: yours have "
                "the shapes {shapes}, the table's {expected}. Build the layers of the table, in "
                "its order."
            ).format(
                which=which,
                shapes=[tuple(s) for s, _p in facts["layout"]],
                expected=[tuple(s) for s, _p in expected["layout"]],
            ),
            explain("params"),
        )
    for mode, what in (
        ("inference", _("inference mode (training=False: batch normalisation's moving averages)")),
        ("training", _("training mode (training=True, the batch's statistics)")),
    ):
        assert_close(
            facts[mode],
            expected[mode],
            _("The outputs of your {which}, given the table's weights, in {mode}").format(
                which=which, mode=what
            ),
            1e-3,
            2e-3,
            explain=first_of(
                explain(mode),
                _(
                    "With the same weights the table's layers compute other values: a layer, an "
                    "activation or a batch normalisation differs from the table (in its kind, "
                    "its settings or its place)."
                ),
            ),
        )


@pytest.mark.property
@pytest.mark.part("dcgan_models")
def test_generator_output_shape(submission, generator_network):
    """Does build_generator(12, 6) map noise (6, 12) to images (6, 28, 28, 1)?"""
    facts, _expected, explain = generator_network
    check(
        facts["shape"] == [NETWORK_BATCH, 28, 28, 1],
        _(
            "build_generator(12, 6) maps noise of shape (6, 12) to images of shape {shape}; "
            "expected (6, 28, 28, 1)."
        ).format(shape=tuple(facts["shape"])),
        explain("shape"),
    )


@pytest.mark.part("dcgan_models")
def test_generator_parameter_counts(submission, generator_network):
    """Does build_generator have the parameters of the table's layers?"""
    facts, expected, explain = generator_network
    _check_parameters(
        "generator",
        facts,
        expected,
        explain,
        _(
            "Follow its layers: Dense without bias, batch normalisation, two transposed "
            "convolutions of 4x4 with stride 2."
        ),
    )


@pytest.mark.part("dcgan_models")
def test_generator_ends_in_tanh(submission, generator_network):
    """With a large last layer, do the pixels fill [-1, 1] and no more (a tanh)?"""
    facts, _expected, explain = generator_network
    check(
        facts["scaled_min"] >= -1 - 1e-5 and facts["scaled_max"] <= 1 + 1e-5,
        _(
            "With a large last layer, your generator's pixels range from {low:.3f} to "
            "{high:.3f}; they must stay in [-1, 1]: end the generator with a tanh."
        ).format(low=facts["scaled_min"], high=facts["scaled_max"]),
        explain("scaled_max"),
    )
    check(
        facts["scaled_min"] < -0.9 and facts["scaled_max"] > 0.9,
        _(
            "With a large last layer, your generator's pixels range from {low:.3f} to "
            "{high:.3f}, not the whole of [-1, 1] that the data fills: end the generator with a "
            "tanh (a sigmoid gives [0, 1])."
        ).format(low=facts["scaled_min"], high=facts["scaled_max"]),
        explain("scaled_min"),
    )


@pytest.mark.part("dcgan_models")
def test_generator_computes_the_table(submission, generator_network):
    """With the same weights, does the generator compute what the table's layers compute?"""
    facts, expected, explain = generator_network
    if facts["inference"] is None and _upsampling_layout(facts, expected):
        pytest.skip(
            _(
                "Your generator upsamples with UpSampling2D and convolutions, which the notebook "
                "allows; its layers cannot be compared weight for weight with the table's "
                "transposed convolutions, so the other checks judge it."
            )
        )
    _check_outputs("generator", facts, expected, explain)


@pytest.mark.property
@pytest.mark.part("dcgan_models")
def test_discriminator_output_shape(submission, discriminator_network):
    """Does build_discriminator(4) map images (6, 28, 28, 1) to logits (6, 1)?"""
    facts, _expected, explain = discriminator_network
    check(
        facts["shape"] == [NETWORK_BATCH, 1],
        _(
            "build_discriminator(4) maps images of shape (6, 28, 28, 1) to shape {shape}; "
            "expected one logit per image, (6, 1)."
        ).format(shape=tuple(facts["shape"])),
        explain("shape"),
    )


@pytest.mark.part("dcgan_models")
def test_discriminator_parameter_counts(submission, discriminator_network):
    """Does build_discriminator have the parameters of the table's layers?"""
    facts, expected, explain = discriminator_network
    _check_parameters(
        "discriminator",
        facts,
        expected,
        explain,
        _(
            "Follow its layers: two 4x4 convolutions with stride 2, batch normalisation after "
            "the second only, one Dense logit."
        ),
    )


@pytest.mark.part("dcgan_models")
def test_discriminator_outputs_logits(submission, discriminator_network):
    """With a large last layer, do the outputs leave [0, 1] (logits, no sigmoid)?"""
    facts, _expected, explain = discriminator_network
    check(
        facts["scaled_max"] - facts["scaled_min"] > 2.0,
        _(
            "With a large last layer, your discriminator's outputs stay within [{low:.3f}, "
            "{high:.3f}]: it must output logits, so leave its last Dense layer without an "
            "activation (the losses apply the sigmoid)."
        ).format(low=facts["scaled_min"], high=facts["scaled_max"]),
        explain("scaled_max"),
    )


@pytest.mark.part("dcgan_models")
def test_discriminator_computes_the_table(submission, discriminator_network):
    """With the same weights, does the discriminator compute what the table's layers compute?"""
    facts, expected, explain = discriminator_network
    _check_outputs("discriminator", facts, expected, explain)


# ---------------------------------------------------------------- train_steps
def _with_stand_ins(part):
    """What a zoo mutant is compared under: the stand-ins its part is graded with."""
    return lambda ns: ns.for_part(part, probes)


@pytest.fixture(scope="module")
def step_effects(submission, reference, mistakes):
    seed = 7
    value = submission.probe("train_steps", probes.step_effects, seed)
    expected = reference.probe("train_steps", probes.step_effects, seed)
    part = _with_stand_ins("train_steps")
    explain = _explainer(
        mistakes,
        "train_steps",
        lambda ns: probes.step_effects(part(ns), seed),
        value,
        gansteps.all_close,
    )
    return value, expected, explain


D_LOSS_ARGS = ("discriminator(real_images)", "discriminator(generator(z))")
G_LOSS_ARGS = ("discriminator(generator(z))",)
STEP_STORY = gansteps.StepStory(
    lambda value: [("real_images", value["real"]), ("z", value["z"])], D_LOSS_ARGS, G_LOSS_ARGS
)


@pytest.mark.defining
@pytest.mark.part("train_steps")
def test_d_step_updates_only_the_discriminator(submission, step_effects):
    """Does d_step leave G alone and change D by one step on discriminator_loss?"""
    value, expected, explain = step_effects
    gansteps.fail_without_gradient(value["d_loss"], "d_step", "discriminator", "d_optimizer")
    gansteps.check_one_update(
        value,
        expected,
        "d_step",
        "discriminator",
        "generator",
        _(
            "d_step changed the generator's trainable variables. Apply the gradients of "
            "discriminator_loss to discriminator.trainable_variables only."
        ),
        _(
            "The discriminator's trainable variables after one d_step with d_optimizer "
            "SGD(0.1) (one step on discriminator_loss(D(real), D(G(z))), both networks in "
            "training mode)"
        ),
        (explain("g_after_d"), STEP_STORY.explain(value, "d_step", explain("d_after_d"))),
    )


@pytest.mark.defining
@pytest.mark.part("train_steps")
def test_g_step_updates_only_the_generator(submission, step_effects):
    """Does g_step leave D alone (no freeze-compile idiom) and change G by one step?"""
    value, expected, explain = step_effects
    gansteps.fail_without_gradient(value["g_loss"], "g_step", "generator", "g_optimizer")
    gansteps.check_one_update(
        value,
        expected,
        "g_step",
        "generator",
        "discriminator",
        _(
            "g_step changed the discriminator's trainable variables, so the generator's step "
            "also trains D to call fakes real. Apply the gradients of generator_loss to "
            "generator.trainable_variables only."
        ),
        _(
            "The generator's trainable variables after one g_step with g_optimizer SGD(0.05) "
            "(one step on generator_loss(D(G(z))), both networks in training mode)"
        ),
        (explain("d_after_g"), STEP_STORY.explain(value, "g_step", explain("g_after_g"))),
    )


@pytest.mark.part("train_steps")
def test_steps_return_their_losses(submission, step_effects):
    """Do d_step and g_step return their losses, computed before their updates?"""
    value, expected, explain = step_effects
    gansteps.fail_without_gradient(value["d_loss"], "d_step", "discriminator", "d_optimizer")
    gansteps.fail_without_gradient(value["g_loss"], "g_step", "generator", "g_optimizer")
    assert_close(
        value["d_loss"],
        expected["d_loss"],
        _("The loss d_step returns (discriminator_loss before the update, a scalar)"),
        1e-4,
        1e-6,
        explain=STEP_STORY.explain(value, "d_step", explain("d_loss")),
    )
    assert_close(
        value["g_loss"],
        expected["g_loss"],
        _("The loss g_step returns (generator_loss before the update, a scalar)"),
        1e-4,
        1e-6,
        explain=STEP_STORY.explain(value, "g_step", explain("g_loss")),
    )


def _fashion_mnist_or_skip(split):
    from igcourse.data import load_fashion_mnist
    from igcourse.data.fashion_mnist import DatasetNotFound

    try:
        return load_fashion_mnist(split)
    except DatasetNotFound as error:
        pytest.skip(str(error))


def _frechet(samples):
    """Frechet distance of generated images in [-1, 1] to the test split, evaluator features."""
    from igcourse.evaluation import fit_gaussian, frechet_distance, load_evaluator
    from igcourse.evaluation.reference import reference_features

    pixels = np.clip((np.asarray(samples, np.float32) + 1) / 2, 0, 1)
    features, _probabilities = load_evaluator().features_and_probabilities(pixels)
    real_features = reference_features()[0]
    return frechet_distance(fit_gaussian(features), fit_gaussian(real_features))


@pytest.mark.expensive
@pytest.mark.part("train_steps")
def test_training_lowers_the_frechet_distance(submission):
    """Do a few hundred of your steps bring a small GAN's samples closer to real images?"""
    train_images, _labels = _fashion_mnist_or_skip("train")
    images = (train_images[:QUALITY_IMAGES].astype(np.float32) / 127.5 - 1)[..., None]
    result = submission.probe(
        "train_steps",
        probes.train_and_sample,
        images,
        QUALITY_STEPS,
        QUALITY_BATCH,
        QUALITY_Z,
        3,
        QUALITY_SAMPLES,
    )
    before, after = _frechet(result["before"]), _frechet(result["after"])
    check(
        np.isfinite(after) and after < QUALITY_MAX_RATIO * before,
        _(
            "After {steps} of your steps (batch {batch}) on a small GAN, the Frechet distance "
            "of its samples went from {before:.1f} to {after:.1f}; training should bring it "
            "below {limit:.1f}. This check runs your d_step and g_step together; where another "
            "check of this part fails too, its message says what to mend first."
        ).format(
            steps=QUALITY_STEPS,
            batch=QUALITY_BATCH,
            before=before,
            after=after,
            limit=QUALITY_MAX_RATIO * before,
        ),
    )


# ---------------------------------------------------------------- trained_generator
def _threshold(name):
    from igcourse.config import load_config

    root = Path(__file__).resolve().parents[2]
    return load_config(root).quality.thresholds["ch03_gan"][name]


@functools.cache
def _test_set_index():
    """The copy check's index, built over the test split: a generator must not return real
    images it never trained on either."""
    from igcourse.evaluation.copies import TrainingSetIndex
    from igcourse.evaluation.domains import load_split

    images, _labels = load_split("fashion_mnist", "test")
    return TrainingSetIndex(images)


def _test_copies(pixels):
    """(N,) bool: the samples (floats in [0, 1]) that are near-copies of test images."""
    from igcourse.evaluation.copies import MAX_BRIGHTNESS_RATIO, copy_threshold

    distances, _nearest, ratios = _test_set_index().nearest(pixels)
    similar = (ratios < MAX_BRIGHTNESS_RATIO) & (ratios > 1 / MAX_BRIGHTNESS_RATIO)
    return (distances < copy_threshold()) & similar


def _handed_in_result(ns_or_submission, probe_part=None):
    return ns_or_submission.probe(
        probe_part,
        probes.handed_in_generator,
        TRAINED_WEIGHTS,
        TRAINED_SETTINGS,
        HANDED_IN_SAMPLES,
        0,
    )


def _measure(samples):
    """The figures the checks judge, from the samples (in [-1, 1])."""
    from igcourse.evaluation import evaluate_samples

    pixels = np.clip((np.asarray(samples, np.float32) + 1) / 2, 0, 1)
    figures = evaluate_samples(pixels, kid_subsets=10)
    test_copies = _test_copies(pixels)
    figures["test_copies"] = float(test_copies.mean())
    from igcourse.evaluation import check_copies

    train_copies = check_copies(pixels).flagged
    figures["all_copies"] = float((train_copies | test_copies).mean())
    return figures


def _copies_of_test_images(ns):
    """What the zoo's mutants of trained_generator score: their share of test-image copies."""
    result = probes.handed_in_generator(ns, TRAINED_WEIGHTS, TRAINED_SETTINGS, HANDED_IN_SAMPLES, 0)
    pixels = np.clip((np.asarray(result["samples"], np.float32) + 1) / 2, 0, 1)
    return float(_test_copies(pixels).mean())


@pytest.fixture(scope="module")
def handed_in(submission):
    """The handed-in generator's samples, from one probe, and their figures, measured once."""
    _fashion_mnist_or_skip("test")
    result = _handed_in_result(submission)
    figures = _measure(result["samples"]) if "samples" in result else None
    return result, figures


def _figures_or_fail(handed_in):
    result, figures = handed_in
    fail_unless_loaded(
        result, "build_generator", TRAINED_WEIGHTS, TRAINED_SETTINGS, ("z_dim", "filters")
    )
    return figures


def _copies_message(figures):
    return _(
        "{share:.1%} of your generator's samples are near-copies of real images ({train:.1%} "
        "of training images, {test:.1%} of test images; the course allows {limit:.1%}): a "
        "generator should make new images, not return real ones."
    ).format(
        share=figures["all_copies"],
        train=figures["copies_flagged"],
        test=figures["test_copies"],
        limit=_threshold("dcgan_copies_max"),
    )


def _explain_copies(mistakes, figures):
    limit = _threshold("dcgan_copies_max")
    return lambda: mistakes.explain(
        "trained_generator",
        _copies_of_test_images,
        figures["test_copies"],
        lambda a, b: a > limit and b > limit,
    )


def _not_copies(figures, mistakes, what):
    """A figure of copied real images does not count: fail with the copy check's message."""
    check(
        figures["all_copies"] <= _threshold("dcgan_copies_max"),
        _("{copies} So the {what} of these samples does not count.").format(
            copies=_copies_message(figures), what=what
        ),
        _explain_copies(mistakes, figures),
    )


@pytest.mark.handed_in
@pytest.mark.part("trained_generator")
def test_the_handed_in_generator_is_close_to_real_images(submission, handed_in, mistakes):
    """Do the samples of the generator the notebook trained reach the Frechet distance bar?"""
    figures = _figures_or_fail(handed_in)
    _not_copies(figures, mistakes, _("Frechet distance"))
    fd_max = _threshold("dcgan_fd_max")
    check(
        np.isfinite(figures["fd"]) and figures["fd"] <= fd_max,
        _(
            "The samples of your trained generator have a Frechet distance of {fd:.1f} to real "
            "images (real images score {floor:.1f}); the course asks for {limit:.1f} or less. "
            "Train longer, or check the networks and the training steps."
        ).format(fd=figures["fd"], floor=figures["fd_floor"], limit=fd_max),
    )


@pytest.mark.handed_in
@pytest.mark.part("trained_generator")
def test_the_handed_in_generator_covers_the_classes(submission, handed_in, mistakes):
    """Do its samples cover most of the 10 garment classes?"""
    figures = _figures_or_fail(handed_in)
    _not_copies(figures, mistakes, _("class coverage"))
    classes_min = _threshold("dcgan_classes_covered_at_share_min")
    check(
        figures["classes_covered_at_share"] >= classes_min,
        _(
            "Your trained generator's samples cover {covered:.0%} of the 10 garment classes (with "
            "at least 2% of the samples each); the course asks for {limit:.0%}. A generator that "
            "makes only a few kinds of garment has collapsed onto a few modes."
        ).format(covered=figures["classes_covered_at_share"], limit=classes_min),
    )


@pytest.mark.handed_in
@pytest.mark.part("trained_generator")
def test_the_handed_in_generator_makes_new_images(submission, handed_in, mistakes):
    """Are its samples new images, not copies of training or test images (once trained)?"""
    figures = _figures_or_fail(handed_in)
    fd_max = _threshold("dcgan_fd_max")
    check(
        figures["all_copies"] <= _threshold("dcgan_copies_max"),
        _copies_message(figures),
        _explain_copies(mistakes, figures),
    )
    check(
        np.isfinite(figures["fd"]) and figures["fd"] <= fd_max,
        _(
            "Your generator's samples copy no real image, but they are far from real images "
            "(Frechet distance {fd:.1f}, the course asks for {limit:.1f} or less): this check "
            "counts once the generator is trained."
        ).format(fd=figures["fd"], limit=fd_max),
    )
