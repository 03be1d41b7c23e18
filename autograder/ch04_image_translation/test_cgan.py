"""Hidden checks of cgan: the conditional networks, the training steps, the class grid and the
trained generator.

Every check gets its values through a probe (probes_cgan.py) and judges them here, against the
reference's values or the mathematics. Each part is checked apart from the others: the steps run
on tiny networks built in the probes with stand-in losses (probes_cgan.STAND_INS), the grid on a
small generator built there.

Inputs are drawn with seeded_rng, so grading gives every submission its own; each check holds
for any of them.
"""

import functools
import operator
from pathlib import Path

import numpy as np
import probes_cgan as probes
import pytest

from igcourse.checks import error_words
from igcourse.checks.networks import midpoint_ratios
from igcourse.grading import gansteps, steptrace
from igcourse.grading.checks import assert_close, check, fail, seeded_rng
from igcourse.grading.handed_in import fail_unless_loaded
from igcourse.grading.public import public_checks_test
from igcourse.i18n import _

PART_NAMES = {
    "conditional_generator": ["build_conditional_generator"],
    "conditional_discriminator": ["build_conditional_discriminator"],
    "cgan_steps": ["make_cgan_steps"],
    "class_grid": ["class_grid"],
    "trained_cgan": [],  # handed in: graded from the files beside the notebook
}

# trained_cgan's public check reads the files beside the student's notebook (the kernel's
# working folder), which the worker does not have: its hidden checks test the same on the
# handed-in copy instead.
test_public_checks = public_checks_test("ch04_image_translation", PART_NAMES, probes)

# Not the notebook's 10, and at least two more than LABEL_DIM's 16: a network must be built for
# the classes it is given (an Embedding(LABEL_DIM, num_classes), its arguments swapped, takes
# labels < 16; a one-hot vector of depth LABEL_DIM turns labels 16 and 17 alike into zeros, so
# with 17 classes it passed: the blind class of 2026-12-06).
CLASSES = 18
GENERATOR_ARGS = (6, CLASSES, 4)  # build_conditional_generator(z_dim, num_classes, filters)
DISCRIMINATOR_ARGS = (CLASSES, 4)  # build_conditional_discriminator(num_classes, filters)
BATCH = 4
# The middle label's output, as a share of the distance between its neighbours' outputs, away
# from their midpoint (the median over every three consecutive labels): embedded and one-hot
# labels gave 0.6 to 0.9 on the reference and five independent answer sets (6 seeds each,
# F = 4), a label read as a number 0.0 to 0.01 (one smooth curve through the labels).
CATEGORICAL_MIN = 0.35
# The spread over the images of the logit's shift when the label goes from 0 to 1, as a share
# of 1 + its largest size: 8e-3 to 0.13 on the reference and eight independent answer sets
# (seeds 3 to 5), 1.5e-8 or less where the label only adds a number per class (float error).
LABEL_MEETS_IMAGE = 1e-5

TRAINED_WEIGHTS = "cgan_generator.weights.h5"  # saved by the notebook after its training run
TRAINED_SETTINGS = "cgan_generator.json"  # the build_conditional_generator arguments of that run
HANDED_IN_PER_CLASS = 100


def _close(rtol=1e-4, atol=1e-5):
    def same(a, b):
        if isinstance(a, dict) or isinstance(b, dict):
            return a == b
        if isinstance(a, list) and isinstance(b, list) and any(isinstance(x, dict) for x in a + b):
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
        try:
            a, b = np.asarray(a, float), np.asarray(b, float)
        except (TypeError, ValueError):
            return False
        return a.shape == b.shape and bool(np.allclose(a, b, rtol, atol))

    return same


def _explainer(mistakes, part, probe, observed, same):
    """explain(key): on failure, the known mistakes whose probe gives the same observed[key]."""

    def explain(key):
        return lambda: mistakes.explain(part, lambda ns: probe(ns)[key], observed[key], same)

    return explain


def _with_stand_ins(part):
    """What a zoo mutant is compared under: the stand-ins its part is graded with."""
    return lambda ns: ns.for_part(part, probes)


# ---------------------------------------------------------------- the two networks
def _inputs(which):
    """The network's first input for the probes: noise (B, z) or images (B, 28, 28, 1)."""
    rng = seeded_rng(f"cgan {which} inputs")
    if which == "generator":
        shape = (BATCH, GENERATOR_ARGS[0])
        return rng.normal(size=shape).astype(np.float32), rng.normal(size=shape).astype(np.float32)
    shape = (BATCH, 28, 28, 1)
    return (
        rng.uniform(-1, 1, shape).astype(np.float32),
        rng.uniform(-1, 1, shape).astype(np.float32),
    )


def _network(submission, mistakes, which):
    part = f"conditional_{which}"
    args = GENERATOR_ARGS if which == "generator" else DISCRIMINATOR_ARGS
    first, other = _inputs(which)
    probe = functools.partial(
        probes.network_facts,
        which=which,
        args=args,
        first=first,
        other_first=other,
        num_classes=CLASSES,
        seed=3,
    )
    facts = submission.probe(part, probes.network_facts, which, args, first, other, CLASSES, 3)
    return facts, _explainer(mistakes, part, probe, facts, _close(1e-3, 1e-5))


@pytest.fixture(scope="module")
def generator_network(submission, mistakes):
    return _network(submission, mistakes, "generator")


@pytest.fixture(scope="module")
def discriminator_network(submission, mistakes):
    return _network(submission, mistakes, "discriminator")


def _call(which):
    if which == "generator":
        return f"build_conditional_generator{GENERATOR_ARGS}"
    return f"build_conditional_discriminator{DISCRIMINATOR_ARGS}"


def _label_errors(facts, which, explain):
    """Fail when some label in [0, CLASSES) raised: the network was built for fewer classes."""
    for label, output in enumerate(facts["per_label"]):
        if isinstance(output, dict) and label == 0:
            fail(
                _("{call} raised {error} for label 0: {message}").format(
                    call=_call(which), error=output["error"], message=error_words(output["message"])
                ),
                explain("per_label"),
            )
        if isinstance(output, dict):
            fail(
                _(
                    "{call} raised {error} for label {label} ({message}), after labels 0 to "
                    "{last} worked: a network built with num_classes={classes} must take every "
                    "label from 0 to {top}. Build the label's embedding or one-hot vector with "
                    "num_classes entries, not a fixed number."
                ).format(
                    call=_call(which),
                    error=output["error"],
                    label=label,
                    last=label - 1,
                    message=error_words(output["message"]),
                    classes=CLASSES,
                    top=CLASSES - 1,
                ),
                explain("per_label"),
            )


def _check_every_label_differs(facts, which, explain):
    _label_errors(facts, which, explain)
    outputs = [np.asarray(o, np.float64) for o in facts["per_label"]]
    same = [
        (a, b)
        for a in range(len(outputs))
        for b in range(a + 1, len(outputs))
        if np.allclose(outputs[a], outputs[b], rtol=0, atol=1e-7)
    ]
    if not same:
        return
    if len(same) == len(outputs) * (len(outputs) - 1) // 2:
        message = _(
            "{call} gives the same output for all {classes} labels: the labels never reach the "
            "network. Turn them into a vector (an Embedding or a one-hot vector) and join it to "
            "the network's input."
        )
    else:
        message = _(
            "{call} gives the same output for labels {a} and {b}: every class must have its own "
            "vector. Build the embedding or one-hot vector with num_classes={classes} entries."
        )
    fail(
        message.format(call=_call(which), classes=CLASSES, a=same[0][0], b=same[0][1]),
        explain("per_label"),
    )


def _check_categories(facts, which, explain):
    _label_errors(facts, which, explain)
    ratio = float(np.median(midpoint_ratios(facts["per_label"])))
    check(
        ratio >= CATEGORICAL_MIN,
        _(
            "{call}'s output moves along one smooth curve as the label grows: the output for a "
            "label lies near the midpoint of its neighbours' ({ratio:.2f} of their distance "
            "away; embedded or one-hot labels give 0.6 or more). A label is a category, not a "
            "number: class 8 is not twice class 4. Turn it into an Embedding or a one-hot vector "
            "instead of feeding its value."
        ).format(call=_call(which), ratio=ratio),
        explain("per_label"),
    )


@pytest.mark.property
@pytest.mark.part("conditional_generator")
def test_generator_output_shape(submission, generator_network):
    """Does the generator map [z (4, 6), labels (4,)] to images (4, 28, 28, 1)?"""
    facts, explain = generator_network
    check(
        facts["shape"] == [BATCH, 28, 28, 1],
        _(
            "{call} maps noise of shape (4, 6) and 4 labels to shape {shape}; expected "
            "(4, 28, 28, 1)."
        ).format(call=_call("generator"), shape=tuple(facts["shape"])),
        explain("shape"),
    )


@pytest.mark.part("conditional_generator")
def test_generator_ends_in_tanh(submission, generator_network):
    """With large weights, do the pixels fill [-1, 1] and no more (a tanh)?"""
    facts, explain = generator_network
    low, high = facts["scaled_min"], facts["scaled_max"]
    check(
        low >= -1 - 1e-5 and high <= 1 + 1e-5 and low < -0.9 and high > 0.9,
        _(
            "With large weights, your generator's pixels range from {low:.3f} to "
            "{high:.3f}; they must fill [-1, 1] like the data and no more: end the generator "
            "with a tanh (a sigmoid gives [0, 1])."
        ).format(low=low, high=high),
        explain("scaled_min"),
    )


@pytest.mark.part("conditional_generator")
def test_generator_draws_each_label_its_own_way(submission, generator_network):
    """Does the same noise give a different image for each of 18 labels?"""
    facts, explain = generator_network
    _check_every_label_differs(facts, "generator", explain)


@pytest.mark.part("conditional_generator")
def test_generator_reads_labels_as_categories(submission, generator_network):
    """Is the label embedded or one-hot, not fed as a number?"""
    facts, explain = generator_network
    _check_categories(facts, "generator", explain)


@pytest.mark.part("conditional_generator")
def test_generator_uses_the_noise(submission, generator_network):
    """Does other noise with the same label give other images?"""
    facts, explain = generator_network
    _label_errors(facts, "generator", explain)
    check(
        not isinstance(facts["other"], dict)
        and not np.allclose(facts["other"], facts["per_label"][0], rtol=0, atol=1e-7),
        _(
            "{call} draws the same images from two different batches of noise with the same "
            "label: z must reach the network too (concatenate it with the label vector)."
        ).format(call=_call("generator")),
        explain("other"),
    )


# Training mode, a batch of 8 noise vectors, one vector added to them all: batch normalisation
# right after the Dense layer removes it (the reference's images move by about 1e-6, float
# error); without it they move by 0.05 or more.
SHIFT_MOVES_MAX = 1e-3


@pytest.mark.part("conditional_generator")
def test_generator_normalises_after_its_dense_layer(submission, mistakes):
    """In training mode, does adding one vector to every noise vector of a batch change nothing
    (batch norm right after the Dense layer takes away what the batch shares)?"""
    rng = seeded_rng("cgan generator shift")
    z = rng.normal(size=(8, GENERATOR_ARGS[0])).astype(np.float32)
    labels = rng.integers(0, CLASSES, 8).astype(np.int32)
    shift = 3.0 * rng.normal(size=(1, GENERATOR_ARGS[0])).astype(np.float32)

    def moved(images):
        return float(np.max(np.abs(np.asarray(images["plain"]) - np.asarray(images["shifted"]))))

    args = (GENERATOR_ARGS, z, labels, shift, 5)
    got = moved(submission.probe("conditional_generator", probes.shared_noise_shift, *args))
    check(
        got <= SHIFT_MOVES_MAX,
        _(
            "In training mode, adding the same vector to every noise vector of a batch moved "
            "your generator's pixels by up to {moved:.3f}: batch normalisation right after the "
            "Dense layer (before its ReLU) takes away what the whole batch shares, so nothing "
            "should move. Put keras.layers.BatchNormalization() between the Dense layer and "
            "the ReLU, as the table says."
        ).format(moved=got),
        lambda: mistakes.explain(
            "conditional_generator",
            lambda ns: moved(probes.shared_noise_shift(ns, *args)),
            got,
            lambda a, b: (a > SHIFT_MOVES_MAX) == (b > SHIFT_MOVES_MAX),
        ),
    )


# Parameter counts that do not depend on how the label is encoded (an embedding of any width,
# a one-hot vector, a label map): what one more noise input adds (the first Dense layer's
# units) and how the count curves as F grows (the convolutions' widths, F times F).
Z_STEP = [(6, CLASSES, 4), (7, CLASSES, 4)]
F_STEPS = {
    "generator": [(6, CLASSES, 4), (6, CLASSES, 5), (6, CLASSES, 6)],
    "discriminator": [(CLASSES, 4), (CLASSES, 5), (CLASSES, 6)],
}


def _curvature(counts):
    return counts[0] - 2 * counts[1] + counts[2]


def _widths(submission, reference, which):
    part = f"conditional_{which}"
    probe = probes.parameter_counts
    f_steps = F_STEPS[which]
    got = {"f": _curvature(submission.probe(part, probe, which, f_steps))}
    want = {"f": _curvature(reference.probe(part, probe, which, f_steps))}
    if which == "generator":
        got["z"] = -operator.sub(*submission.probe(part, probe, which, Z_STEP))
        want["z"] = -operator.sub(*reference.probe(part, probe, which, Z_STEP))
    return got, want


@pytest.mark.part("conditional_generator")
def test_generator_widths_follow_the_table(submission, reference, mistakes):
    """Does one more noise input add 7*7*4F weights, and do the convolutions grow as 4F x 2F?"""
    got, want = _widths(submission, reference, "generator")
    check(
        got["z"] == want["z"],
        _(
            "One more noise input adds {got} weights to your generator (F = 4); the table's "
            "Dense layer of 7 * 7 * 4F units adds {want}."
        ).format(got=got["z"], want=want["z"]),
        lambda: mistakes.explain(
            "conditional_generator",
            lambda ns: -operator.sub(*probes.parameter_counts(ns, "generator", Z_STEP)),
            got["z"],
            operator.eq,
        ),
    )
    check(
        got["f"] == want["f"],
        _(
            "Your generator's parameter count grows with F unlike the table's (its second "
            "difference over F = 4, 5, 6 is {got}, the table's {want}): the transposed "
            "convolutions go from 4F to 2F channels and from 2F to 1, each 4 x 4; build their "
            "widths from `filters`, not from fixed numbers."
        ).format(got=got["f"], want=want["f"]),
    )


@pytest.mark.part("conditional_discriminator")
def test_discriminator_widths_follow_the_table(submission, reference):
    """Do the convolutions grow as F and 2F channels, 4 x 4 each?"""
    got, want = _widths(submission, reference, "discriminator")
    check(
        got["f"] == want["f"],
        _(
            "Your discriminator's parameter count grows with F unlike the table's (its second "
            "difference over F = 4, 5, 6 is {got}, the table's {want}): the convolutions have "
            "F and 2F filters of 4 x 4; build their widths from `filters`, not from fixed "
            "numbers."
        ).format(got=got["f"], want=want["f"]),
    )


@pytest.mark.property
@pytest.mark.part("conditional_discriminator")
def test_discriminator_output_shape(submission, discriminator_network):
    """Does the discriminator map [images (4, 28, 28, 1), labels (4,)] to logits (4, 1)?"""
    facts, explain = discriminator_network
    check(
        facts["shape"] == [BATCH, 1],
        _(
            "{call} maps 4 images and their labels to shape {shape}; expected one logit per "
            "image, (4, 1)."
        ).format(call=_call("discriminator"), shape=tuple(facts["shape"])),
        explain("shape"),
    )


@pytest.mark.part("conditional_discriminator")
def test_discriminator_outputs_logits(submission, discriminator_network):
    """With large weights, do the outputs leave [0, 1] (logits, no sigmoid)?"""
    facts, explain = discriminator_network
    check(
        facts["scaled_max"] - facts["scaled_min"] > 2.0,
        _(
            "With large weights, your discriminator's outputs stay within [{low:.3f}, "
            "{high:.3f}]: it must output logits, so leave its last Dense layer without an "
            "activation (the losses apply the sigmoid)."
        ).format(low=facts["scaled_min"], high=facts["scaled_max"]),
        explain("scaled_min"),
    )


@pytest.mark.part("conditional_discriminator")
def test_discriminator_judges_each_label_its_own_way(submission, discriminator_network):
    """Does the same image get a different logit for each of 18 labels?"""
    facts, explain = discriminator_network
    _check_every_label_differs(facts, "discriminator", explain)


@pytest.mark.part("conditional_discriminator")
def test_discriminator_reads_labels_as_categories(submission, discriminator_network):
    """Is the label map embedded (or one-hot), not the label's value spread over the image?"""
    facts, explain = discriminator_network
    _check_categories(facts, "discriminator", explain)


@pytest.mark.part("conditional_discriminator")
def test_discriminator_looks_at_the_image(submission, discriminator_network):
    """Do other images with the same label get other logits?"""
    facts, explain = discriminator_network
    _label_errors(facts, "discriminator", explain)
    check(
        not isinstance(facts["other"], dict)
        and not np.allclose(facts["other"], facts["per_label"][0], rtol=0, atol=1e-7),
        _(
            "{call} gives the same logits to two different batches of images with the same "
            "label: the images must reach the network (concatenate them with the label map)."
        ).format(call=_call("discriminator")),
        explain("other"),
    )


@pytest.mark.part("conditional_discriminator")
def test_discriminator_label_meets_the_image(submission, discriminator_network):
    """Does the label change each image's logit by its own amount (the label map joined to the
    image, or a projection onto its features), not by one number per class?"""
    facts, explain = discriminator_network
    _label_errors(facts, "discriminator", explain)
    first, second = (np.asarray(facts["per_label"][k], np.float64).ravel() for k in (0, 1))
    shift = second - first
    if np.allclose(shift, 0.0, rtol=0, atol=1e-7):
        return  # the label changes nothing: test_discriminator_judges_each_label_its_own_way
    check(
        np.ptp(shift) > LABEL_MEETS_IMAGE * (1.0 + np.abs(shift).max()),
        _(
            "{call} changes the logit of every image by the same {shift:.4f} when the label goes "
            "from 0 to 1: the label only adds a number of its own and never meets the image, so "
            "the discriminator cannot judge whether an image fits its label. Join the label map "
            "to the image's channels before the convolutions."
        ).format(call=_call("discriminator"), shift=float(np.mean(shift))),
        explain("per_label"),
    )


# ---------------------------------------------------------------- cgan_steps
STEP_SEED = 7


@pytest.fixture(scope="module")
def step_effects(submission, reference, mistakes):
    value = submission.probe("cgan_steps", probes.step_effects, STEP_SEED)
    expected = reference.probe("cgan_steps", probes.step_effects, STEP_SEED)
    part = _with_stand_ins("cgan_steps")
    explain = _explainer(
        mistakes,
        "cgan_steps",
        lambda ns: probes.step_effects(part(ns), STEP_SEED),
        value,
        gansteps.all_close,
    )
    return value, expected, explain


FAKE = "generator(z, fake_labels)"
D_LOSS_ARGS = (
    "discriminator(real_images, real_labels)",
    f"discriminator({FAKE}, fake_labels)",
)
G_LOSS_ARGS = (f"discriminator({FAKE}, fake_labels)",)


def _known_inputs(value):
    real, real_labels, z, fake_labels = probes.step_inputs(STEP_SEED)
    return [
        ("real_images", real),
        ("real_labels", real_labels),
        ("z", z),
        ("fake_labels", fake_labels),
    ]


def _labels_finding(step, calls):
    """A sentence naming a network call whose labels are not those of its images, or ""."""
    for call in steptrace.of(calls, "discriminator") + steptrace.of(calls, "generator"):
        names = call["inputs"]
        if len(names) < 2 or not all(steptrace.traced(name) for name in names[:2]):
            continue
        images, labels = names[0], names[1]
        if call["who"] == "generator" or images.startswith("generator("):
            wanted = "fake_labels"
        elif images == "real_images":
            wanted = "real_labels"
        else:
            continue
        if labels != wanted:
            return _(
                "{step} called {call}: {images} go with {wanted}, the labels they were drawn "
                "for or belong to."
            ).format(step=step, call=call["label"], images=images, wanted=wanted)
    return ""


STEP_STORY = gansteps.StepStory(_known_inputs, D_LOSS_ARGS, G_LOSS_ARGS, [_labels_finding])


@pytest.mark.defining
@pytest.mark.part("cgan_steps")
def test_d_step_updates_only_the_discriminator(submission, step_effects):
    """Does d_step leave G alone and change D by one step on discriminator_loss?"""
    value, expected, explain = step_effects
    gansteps.fail_without_gradient(value["d_loss"], "d_step", "discriminator", "d_optimizer")
    own = STEP_STORY.explain(value, "d_step", explain("d_after_d"))
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
            "SGD(0.1) (one step on discriminator_loss(D([real_images, real_labels]), "
            "D([G([z, fake_labels]), fake_labels])), both networks in training mode)"
        ),
        (STEP_STORY.explain(value, "d_step", explain("g_after_d")), own),
    )


@pytest.mark.defining
@pytest.mark.part("cgan_steps")
def test_g_step_updates_only_the_generator(submission, step_effects):
    """Does g_step leave D alone and change G by one step on generator_loss?"""
    value, expected, explain = step_effects
    gansteps.fail_without_gradient(value["g_loss"], "g_step", "generator", "g_optimizer")
    own = STEP_STORY.explain(value, "g_step", explain("g_after_g"))
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
            "(one step on generator_loss(D([G([z, fake_labels]), fake_labels])), both "
            "networks in training mode)"
        ),
        (STEP_STORY.explain(value, "g_step", explain("d_after_g")), own),
    )


@pytest.mark.part("cgan_steps")
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


@pytest.mark.part("cgan_steps")
def test_steps_judge_each_image_with_its_labels(submission, step_effects):
    """Does D see real images with real_labels and generated ones with fake_labels?"""
    value, _expected, explain = step_effects
    for step in ("d_step", "g_step"):
        finding = _labels_finding(step, STEP_STORY.calls(value, step))
        check(not finding, finding, explain("d_after_d" if step == "d_step" else "g_after_g"))


# ---------------------------------------------------------------- class_grid
GRID_CLASSES = 5
GRID_SEED = 11


def _grid_z():
    return seeded_rng("cgan grid z").normal(size=(3, 4)).astype(np.float32)


@pytest.fixture(scope="module")
def grid(submission, reference, mistakes):
    z = _grid_z()
    value = submission.probe("class_grid", probes.grid, z, GRID_CLASSES, GRID_SEED)
    expected = reference.probe("class_grid", probes.grid, z, GRID_CLASSES, GRID_SEED)

    def explain():
        return mistakes.explain(
            "class_grid",
            lambda ns: probes.grid(ns, z, GRID_CLASSES, GRID_SEED)["images"],
            value["images"],
            _close(1e-4, 1e-5),
        )

    return value, expected, explain


@pytest.mark.property
@pytest.mark.part("class_grid")
def test_grid_shape(submission, grid):
    """Does class_grid return (num_classes * C, 28, 28, 1) images?"""
    value, _expected, explain = grid
    shape = tuple(np.shape(value["images"]))
    check(
        shape == (GRID_CLASSES * 3, 28, 28, 1),
        _(
            "class_grid(generator, z of shape (3, 4), {classes}) returned shape {shape}; "
            "expected ({count}, 28, 28, 1): {classes} rows of 3 images, one after the other."
        ).format(classes=GRID_CLASSES, shape=shape, count=GRID_CLASSES * 3),
        explain,
    )


def _where_drawn(images, cells):
    """For each image, the (class, column) of the cell it equals, or None."""
    found = []
    for image in images:
        match = None
        for c, row in enumerate(cells):
            for j, cell in enumerate(row):
                if np.allclose(image, cell, rtol=1e-4, atol=1e-5):
                    match = (c, j)
                    break
            if match:
                break
        found.append(match)
    return found


def _grid_evidence(images):
    """Which (class, column) each of the first images shows, where that can be told."""
    cells = probes.grid_cells(_grid_z(), GRID_CLASSES, GRID_SEED)
    where = _where_drawn(np.asarray(images)[:6], cells)
    if all(w is None for w in where):
        return _(
            "None of your images equals the generator's inference-mode image of any class and "
            "column: call it with training=False, on the noise of its column."
        )
    shown = "; ".join(
        _("image {i} is class {c} with z[{j}]").format(i=i, c=w[0], j=w[1])
        if w
        else _("image {i} is none of them").format(i=i)
        for i, w in enumerate(where)
    )
    return _("In your grid {shown}.").format(shown=shown)


@pytest.mark.part("class_grid")
def test_grid_rows_are_classes_and_columns_noise(submission, grid):
    """Is image c * C + j the generator's inference-mode image of z[j] with label c?"""
    value, expected, explain = grid
    images = np.asarray(value["images"])
    if images.shape != np.shape(expected["images"]):
        fail(_("class_grid returned images of shape {shape}.").format(shape=images.shape), explain)
    assert_close(
        images,
        expected["images"],
        _(
            "The grid's images (image c * C + j: z[j] with label c, inference mode; C = 3 "
            "columns, {classes} classes)"
        ).format(classes=GRID_CLASSES),
        1e-4,
        1e-5,
        explain=lambda: explain() or _grid_evidence(images),
    )


@pytest.mark.part("class_grid")
def test_grid_calls_the_generator_once(submission, grid):
    """Is the generator called once, on the whole batch?"""
    value, _expected, explain = grid
    check(
        value["calls"] == 1,
        _(
            "class_grid called the generator {count} times; the task asks for one call on the "
            "whole batch of {size} (labels and noise stacked)."
        ).format(count=value["calls"], size=GRID_CLASSES * 3),
        explain,
    )


# ---------------------------------------------------------------- trained_cgan
def _threshold(name):
    from igcourse.config import load_config

    root = Path(__file__).resolve().parents[2]
    return load_config(root).quality.thresholds["ch04_image_translation"][name]


def _fashion_mnist_or_skip(split):
    from igcourse.data import load_fashion_mnist
    from igcourse.data.fashion_mnist import DatasetNotFound

    try:
        return load_fashion_mnist(split)
    except DatasetNotFound as error:
        pytest.skip(str(error))


def _handed_in_result(ns_or_submission, probe_part=None):
    return ns_or_submission.probe(
        probe_part,
        probes.handed_in_generator,
        TRAINED_WEIGHTS,
        TRAINED_SETTINGS,
        HANDED_IN_PER_CLASS,
        0,
    )


def _measure(result):
    """The figures the checks judge, from the samples (in [-1, 1]) and their asked labels."""
    from igcourse.evaluation import evaluate_samples

    pixels = np.clip((np.asarray(result["samples"], np.float32) + 1) / 2, 0, 1)
    return evaluate_samples(pixels, labels=np.asarray(result["labels"]), kid_subsets=10)


@pytest.fixture(scope="module")
def handed_in(submission):
    """The handed-in generator's samples, from one probe, and their figures, measured once."""
    _fashion_mnist_or_skip("test")
    result = _handed_in_result(submission)
    figures = _measure(result) if "samples" in result else None
    return result, figures


def _figures_or_fail(handed_in):
    result, figures = handed_in
    fail_unless_loaded(
        result,
        "build_conditional_generator",
        TRAINED_WEIGHTS,
        TRAINED_SETTINGS,
        ("z_dim", "num_classes", "filters"),
    )
    copies_max = _threshold("cgan_copies_max")
    check(
        figures["copies_flagged"] <= copies_max,
        _(
            "{share:.1%} of your generator's samples are near-copies of training images (the "
            "course allows {limit:.1%}): a generator should make new images, not return real "
            "ones, so its other figures do not count."
        ).format(share=figures["copies_flagged"], limit=copies_max),
    )
    return figures


@pytest.mark.handed_in
@pytest.mark.part("trained_cgan")
def test_the_handed_in_generator_draws_the_asked_classes(submission, handed_in):
    """Does the evaluator recognise the asked class in the handed-in generator's samples?"""
    figures = _figures_or_fail(handed_in)
    least = _threshold("cgan_class_consistency_min")
    per_class = np.array(figures["class_consistency_per_class"], dtype=np.float64)
    worst = int(np.nanargmin(per_class))
    check(
        figures["class_consistency"] >= least,
        _(
            "The evaluator recognises the asked class in {share:.0%} of your trained "
            "generator's samples (real test images: about 90%; a generator that ignores its "
            "label: about 10%); the course asks for {limit:.0%}. Its weakest class is {worst} "
            "({worst_share:.0%}). Train longer, or check how the labels reach both networks and "
            "the training steps."
        ).format(
            share=figures["class_consistency"],
            limit=least,
            worst=worst,
            worst_share=per_class[worst],
        ),
    )


@pytest.mark.handed_in
@pytest.mark.part("trained_cgan")
def test_the_handed_in_generator_is_close_to_real_images(submission, handed_in):
    """Do its samples reach the Frechet distance bar?"""
    figures = _figures_or_fail(handed_in)
    fd_max = _threshold("cgan_fd_max")
    check(
        np.isfinite(figures["fd"]) and figures["fd"] <= fd_max,
        _(
            "The samples of your trained generator have a Frechet distance of {fd:.1f} to real "
            "images (real images score {floor:.1f}); the course asks for {limit:.1f} or less. "
            "Train longer, or check the networks and the training steps."
        ).format(fd=figures["fd"], floor=figures["fd_floor"], limit=fd_max),
    )
