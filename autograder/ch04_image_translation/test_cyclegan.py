"""Hidden checks of CycleGAN: the ResNet generator, the least-squares losses, the generators'
objective, the image pool, the training steps and the trained generators.

Every check gets its values through a probe (probes_cyclegan.py) and judges them here, against
the reference's values or the mathematics. The objective runs with a stand-in adversarial loss
and the steps with a stand-in objective and discriminator loss (probes_cyclegan.STAND_INS), on
tiny networks built in the probe. Sizes differ from the notebook's (3 filters, 2 channels), so
a network must be built from its arguments.
"""

from functools import partial
from pathlib import Path

import numpy as np
import probes_cyclegan as probes
import pytest

from igcourse.grading import architecture
from igcourse.grading.checks import assert_close, check, fail, first_of, seeded_rng
from igcourse.grading.handed_in import fail_unless_loaded
from igcourse.grading.mutants import same_values
from igcourse.grading.public import public_checks_test
from igcourse.i18n import _

PART_NAMES = {
    "resnet_generator": ["residual_block", "build_resnet_generator"],
    "lsgan_losses": ["lsgan_discriminator_loss", "lsgan_generator_loss"],
    "cycle_objective": ["generator_objective"],
    "image_pool": ["ImagePool"],
    "cyclegan_steps": ["make_cyclegan_steps"],
    "trained_cyclegan": [],  # handed in: graded from the files beside the notebook
}

test_public_checks = public_checks_test("ch04_image_translation", PART_NAMES, probes)

SEED = 4
GENERATOR_SIZES = ((3, 1, 2), (3, 2, 2))  # (filters, blocks, channels): not the notebook's


def _close(rtol=1e-4, atol=1e-5):
    """same= for the zoo: equal within tolerance, lists of arrays of any shapes element-wise."""
    return partial(same_values, rtol=rtol, atol=atol)


# ---------------------------------------------------------------- resnet_generator
@pytest.fixture(scope="module")
def block(submission, reference):
    value = submission.probe("resnet_generator", probes.block_facts, SEED)
    return value, reference.probe("resnet_generator", probes.block_facts, SEED)


@pytest.fixture(scope="module")
def generators(submission, reference):
    return [
        (
            submission.probe("resnet_generator", probes.generator_facts, *sizes, SEED),
            reference.probe("resnet_generator", probes.generator_facts, *sizes, SEED),
        )
        for sizes in GENERATOR_SIZES
    ]


def _block_explain(mistakes, value, expected):
    return first_of(
        partial(
            mistakes.explain,
            "resnet_generator",
            lambda ns: probes.block_facts(ns, SEED).get("output"),
            value.get("output"),
            _close(),
        ),
        partial(
            architecture.differences, value["plan"], expected["plan"], _("Your block's layers")
        ),
    )


@pytest.mark.property
@pytest.mark.part("resnet_generator")
def test_the_block_and_the_generator_keep_the_shapes(submission, block, generators):
    """Does residual_block keep its input's shape, and the generator map images to images?"""
    value, _expected = block
    check(
        value["shape"] == [8, 8, 5],
        _(
            "residual_block(input of shape (B, 8, 8, 5), 5) gives shape (B, {got}), expected "
            "(B, 8, 8, 5): 3 x 3 convolutions, stride 1, same padding"
        ).format(got=", ".join(str(d) for d in value["shape"])),
    )
    for (filters, blocks, channels), (mine, _ref) in zip(GENERATOR_SIZES, generators, strict=True):
        check(
            mine["shape"] == [4, 32, 32, channels],
            _(
                "build_resnet_generator({filters}, {blocks}, {channels}) maps images of shape "
                "(4, 32, 32, {channels}) to {got}"
            ).format(filters=filters, blocks=blocks, channels=channels, got=tuple(mine["shape"])),
        )


def _check_block_has_weights(value):
    check(
        value["params"] > 0,
        _(
            "residual_block has no weights: its branch F(x) is two 3 x 3 convolutions with "
            "instance norms, added to x."
        ),
    )


@pytest.mark.defining
@pytest.mark.part("resnet_generator")
def test_the_residual_block_has_its_skip_connection(submission, block, mistakes):
    """With every kernel zero the branch gives zeros: does the block still pass its input on?"""
    value, expected = block
    zero = value.get("zero_kernels")
    check(zero is not None, _("residual_block must keep the shape of its input."))
    _check_block_has_weights(value)
    check(
        zero["to_zero"] > 1e-5,
        _(
            "With every kernel set to zero, residual_block returned zeros: it lacks its skip "
            "connection, so it is not a residual block. Return x + the branch "
            "(keras.layers.Add()([x, y]))."
        ),
        _block_explain(mistakes, value, expected),
    )


@pytest.mark.part("resnet_generator")
def test_the_residual_block_adds_its_input_after_the_branch(submission, block, mistakes):
    """With every kernel zero the branch gives zeros: is the output the input itself?"""
    value, expected = block
    zero = value.get("zero_kernels")
    check(zero is not None, _("residual_block must keep the shape of its input."))
    _check_block_has_weights(value)
    if zero["to_input"] <= 1e-5:
        return
    if zero["to_zero"] <= 1e-5:
        advice = _(
            "it returned zeros: the block lacks its skip connection. Return x + the branch "
            "(keras.layers.Add()([x, y]))."
        )
    elif zero["to_relu"] <= 1e-5:
        advice = _(
            "it returned relu(x): an activation follows the sum. CycleGAN's residual block has "
            "none after the addition, so that a block can start as the identity."
        )
    else:
        advice = _("add the block's input to the branch's output, with nothing after the sum.")
    fail(
        _(
            "With every kernel set to zero, residual_block should return its input unchanged "
            "(x + a branch of zeros), but {advice}"
        ).format(advice=advice),
        _block_explain(mistakes, value, expected),
    )


@pytest.mark.part("resnet_generator")
def test_the_residual_blocks_branch_is_the_tables(submission, block, mistakes):
    """With the same weights as the table's block, does it compute the same (training mode)?"""
    value, expected = block
    check(
        "output" in value and value["params"] == expected["params"],
        _(
            "residual_block(input with 5 channels, 5) has {got} parameters, expected {want}: two "
            "3 x 3 convolutions without bias and two instance norms."
        ).format(got=value["params"], want=expected["params"]),
        _block_explain(mistakes, value, expected),
    )
    assert_close(
        value["output"],
        expected["output"],
        _("residual_block's output with the same weights as the table's block"),
        1e-4,
        1e-4,
        _block_explain(mistakes, value, expected),
    )


def _generator_explain(mistakes, sizes, value, expected):
    return first_of(
        partial(
            mistakes.explain,
            "resnet_generator",
            lambda ns: probes.generator_facts(ns, *sizes, SEED).get("output"),
            value.get("output"),
            _close(1e-3, 1e-4),
        ),
        partial(
            architecture.differences, value["plan"], expected["plan"], _("Your generator's layers")
        ),
    )


@pytest.mark.part("resnet_generator")
def test_the_generator_has_the_tables_layers(submission, generators, mistakes):
    """Are the generator's weights of the table's shapes, with `blocks` residual blocks?"""
    for sizes, (value, expected) in zip(GENERATOR_SIZES, generators, strict=True):
        check(
            value["weight_shapes"] == expected["weight_shapes"],
            _(
                "build_resnet_generator({filters}, {blocks}, {channels}) has {got:,} parameters "
                "in weights of shapes {shapes}; the table's has {want:,}. Check each layer's "
                "filters and kernel size, `blocks` residual blocks of 4 * filters, and a bias "
                "in the last convolution only."
            ).format(
                filters=sizes[0],
                blocks=sizes[1],
                channels=sizes[2],
                got=value["params"],
                shapes=value["weight_shapes"][:6],
                want=expected["params"],
            ),
            _generator_explain(mistakes, sizes, value, expected),
        )


@pytest.mark.part("resnet_generator")
def test_the_generator_computes_the_tables_function(submission, generators, mistakes):
    """With the same weights as the table's generator, the same images (training mode)?"""
    for sizes, (value, expected) in zip(GENERATOR_SIZES, generators, strict=True):
        check(
            "output" in value,
            _("build_resnet_generator must map (B, 32, 32, C) images to the same shape."),
        )
        assert_close(
            value["output"],
            expected["output"],
            _(
                "build_resnet_generator({filters}, {blocks}, {channels})'s images with the same "
                "weights as the table's generator"
            ).format(filters=sizes[0], blocks=sizes[1], channels=sizes[2]),
            1e-3,
            1e-4,
            _generator_explain(mistakes, sizes, value, expected),
        )


@pytest.mark.part("resnet_generator")
def test_each_image_is_normalised_on_its_own(submission, generators, mistakes):
    """Instance norm: is an image's output the same alone as in a batch (training mode)?"""
    sizes, (value, expected) = GENERATOR_SIZES[0], generators[0]
    check(
        value.get("batch_error", 1.0) <= 1e-3,
        _(
            "In training mode, an image's output changes with the other images of its batch "
            "(by {error:.0%} of its range): normalise each image on its own, with "
            "instance_norm() (GroupNormalization(groups=-1)), not BatchNormalization."
        ).format(error=value.get("batch_error", 1.0)),
        _generator_explain(mistakes, sizes, value, expected),
    )


@pytest.mark.part("resnet_generator")
def test_the_generator_ends_in_tanh(submission, generators, mistakes):
    """With every kernel made large, do the pixels fill [-1, 1] and stay in it?"""
    sizes, (value, expected) = GENERATOR_SIZES[0], generators[0]
    low, high = value.get("scaled_min", 0.0), value.get("scaled_max", 0.0)
    check(
        -1.0 - 1e-6 <= low < -0.5 and 0.5 < high <= 1.0 + 1e-6,
        _(
            "With large weights the generator's pixels range from {low:.3f} to {high:.3f}: end "
            "it with a tanh, so that images lie in [-1, 1] like the data."
        ).format(low=low, high=high),
        _generator_explain(mistakes, sizes, value, expected),
    )


# ---------------------------------------------------------------- lsgan_losses
def _loss_inputs():
    rng = seeded_rng("cyclegan loss inputs")
    return rng.normal(0.6, 1.5, (3, 8, 8, 1)), rng.normal(0.2, 1.5, (5, 8, 8, 1))


@pytest.fixture(scope="module")
def losses(submission, reference):
    args = _loss_inputs()
    value = submission.probe("lsgan_losses", probes.loss_values, *args)
    return value, reference.probe("lsgan_losses", probes.loss_values, *args)


def _loss_explain(mistakes, key, value):
    return partial(
        mistakes.explain,
        "lsgan_losses",
        lambda ns: probes.loss_values(ns, *_loss_inputs())[key],
        value[key],
        _close(),
    )


@pytest.mark.part("lsgan_losses")
def test_the_discriminators_least_squares_loss(submission, losses, mistakes):
    """0.5 * (mean (real - 1)^2 + mean fake^2), each mean over its own whole batch?"""
    value, expected = losses
    real, fake = _loss_inputs()
    hint = ""
    got = value["d"]
    if isinstance(got, float):
        unhalved = np.mean((real - 1) ** 2) + np.mean(fake**2)
        if abs(got - unhalved) < 1e-4 * unhalved:
            hint = " " + _("It is twice the value asked for: CycleGAN halves D's loss.")
    assert_close(
        got,
        expected["d"],
        _("lsgan_discriminator_loss on grids of scores (3 real and 5 generated images)") + hint,
        1e-4,
        1e-6,
        _loss_explain(mistakes, "d", value),
    )


@pytest.mark.part("lsgan_losses")
def test_the_generators_least_squares_loss(submission, losses, mistakes):
    """mean (fake - 1)^2, with its gradient 2 (fake - 1) / n?"""
    value, expected = losses
    assert_close(
        value["g"],
        expected["g"],
        _("lsgan_generator_loss on a grid of scores"),
        1e-4,
        1e-6,
        _loss_explain(mistakes, "g", value),
    )
    check(
        value["g_gradient"] is not None,
        _("lsgan_generator_loss has no gradient with respect to the scores: use keras.ops."),
    )
    assert_close(
        value["g_gradient"],
        expected["g_gradient"],
        _("the gradient of lsgan_generator_loss with respect to the scores"),
        1e-4,
        1e-7,
        _loss_explain(mistakes, "g_gradient", value),
    )


# ---------------------------------------------------------------- cycle_objective
OBJECTIVE_SEED = 6


@pytest.fixture(scope="module")
def objective(submission, reference):
    value = submission.probe("cycle_objective", probes.objective_values, OBJECTIVE_SEED)
    return value, reference.probe("cycle_objective", probes.objective_values, OBJECTIVE_SEED)


def _objective_explain(mistakes, value):
    return partial(
        mistakes.explain,
        "cycle_objective",
        lambda ns: probes.objective_values(ns, OBJECTIVE_SEED)["totals"],
        value["totals"],
        _close(),
    )


def _term(totals, index):
    """The term of OBJECTIVE_WEIGHTS[index] (cycle or identity, weight 1): total minus the
    adversarial total (weights 0, 0)."""
    return float(totals[index]) - float(totals[0])


def _objective_returns(value):
    check(
        value.get("count") == 3,
        _("generator_objective must return (total, fake_a, fake_b), not {count} value(s).").format(
            count=value.get("count")
        ),
    )


@pytest.mark.part("cycle_objective")
def test_the_adversarial_term_judges_each_fake_by_its_domain(submission, objective, mistakes):
    """With both weights 0: the generator loss of D_B(G_AB(a)) plus that of D_A(G_BA(b))?"""
    value, expected = objective
    _objective_returns(value)
    assert_close(
        value["totals"][0],
        expected["totals"][0],
        _(
            "generator_objective's total with cycle_weight 0 and identity_weight 0 (the "
            "adversarial term alone: lsgan_generator_loss(d_b(fake_b)) + "
            "lsgan_generator_loss(d_a(fake_a)), every network in training mode)"
        ),
        1e-4,
        1e-6,
        _objective_explain(mistakes, value),
    )


@pytest.mark.defining
@pytest.mark.part("cycle_objective")
def test_the_cycle_term_runs_both_ways(submission, objective, mistakes):
    """cycle_weight 1 adds mean |a - G_BA(G_AB(a))| + mean |b - G_AB(G_BA(b))|?"""
    value, expected = objective
    _objective_returns(value)
    got, want = _term(value["totals"], 1), _term(expected["totals"], 1)
    assert_close(
        got,
        want,
        _(
            "What cycle_weight 1 adds to the total (mean |real_a - g_ba(fake_b)| + mean "
            "|real_b - g_ab(fake_a)|)"
        ),
        1e-4,
        1e-6,
        _objective_explain(mistakes, value),
    )


@pytest.mark.defining
@pytest.mark.part("cycle_objective")
def test_the_identity_term_gives_each_generator_its_own_domain(submission, objective, mistakes):
    """identity_weight 1 adds mean |b - G_AB(b)| + mean |a - G_BA(a)| (not G_AB(a))?"""
    value, expected = objective
    _objective_returns(value)
    got, want = _term(value["totals"], 2), _term(expected["totals"], 2)
    assert_close(
        got,
        want,
        _(
            "What identity_weight 1 adds to the total (mean |real_b - g_ab(real_b)| + mean "
            "|real_a - g_ba(real_a)|: each generator is given an image of the domain it "
            "makes)"
        ),
        1e-4,
        1e-6,
        _objective_explain(mistakes, value),
    )


@pytest.mark.part("cycle_objective")
def test_the_weights_scale_their_terms_and_the_fakes_come_back(submission, objective, mistakes):
    """cycle_weight 2 and identity_weight 3 together; fake_a = G_BA(b), fake_b = G_AB(a)?"""
    value, expected = objective
    _objective_returns(value)
    assert_close(
        value["totals"][3],
        expected["totals"][3],
        _("generator_objective's total with cycle_weight 2 and identity_weight 3"),
        1e-4,
        1e-6,
        _objective_explain(mistakes, value),
    )
    for key, call in (("fake_a", "g_ba(real_b)"), ("fake_b", "g_ab(real_a)")):
        assert_close(
            value.get(key),
            expected[key],
            _("the {name} that generator_objective returns ({call}, training mode)").format(
                name=key, call=call
            ),
            1e-4,
            1e-6,
            partial(
                mistakes.explain,
                "cycle_objective",
                lambda ns, key=key: probes.objective_values(ns, OBJECTIVE_SEED).get(key),
                value.get(key),
                _close(),
            ),
        )


# ---------------------------------------------------------------- image_pool
POOL_SIZE, POOL_BATCHES, POOL_BATCH = 5, 150, 4
# Once the pool is full, an image comes back from it with probability 1/2: over the 596 later
# images the share lies in [0.4, 0.6] but about once in 10^5 runs (binomial, 4.9 sd).
HISTORY_SHARE = (0.4, 0.6)
# One coin per image: a batch of 4 is all new or all stored with probability 1/8; one coin per
# batch makes every batch so.
MIXED_BATCHES_MIN = 0.5
# In a pool of 5 where each new image replaces a stored one with probability 1/10, an image
# stays about 10 images; the median age of returned images is about 7 (never above 20 in 200
# runs). A pool that keeps every image returns ages in the hundreds.
MEDIAN_AGE_MAX = 30


def _pool_facts(run):
    """What one run of the pool shows: whether the filling images came back as given, the
    share of later images that came from the pool, how many batches mixed new and stored
    images, the median age (in images) of stored images returned, whether a stored image came
    back twice, and whether images given after the pool was full came back from it."""
    returned = run["returned"]
    if not run["shapes_kept"] or not returned:
        return {"shapes_kept": False}
    given = 0
    fill_ok, from_pool, later, mixed, ages, seen = True, 0, 0, 0, [], set()
    repeated = recent = False
    for index, row in enumerate(returned):
        numbers = list(range(index * POOL_BATCH, (index + 1) * POOL_BATCH))
        kinds = []
        for position, (number, got) in enumerate(zip(numbers, row, strict=True)):
            count_before = given + position
            if count_before < POOL_SIZE:
                fill_ok = fill_ok and got == number
                continue
            later += 1
            stored = got is not None and got != number
            kinds.append(stored)
            if stored:
                from_pool += 1
                ages.append(number - got)
                repeated = repeated or got in seen
                seen.add(got)
                recent = recent or got >= POOL_SIZE
        given += POOL_BATCH
        mixed += int(len(set(kinds)) > 1)
    batches = sum(1 for i in range(len(returned)) if (i + 1) * POOL_BATCH > POOL_SIZE)
    return {
        "shapes_kept": True,
        "fill_ok": fill_ok,
        "share": from_pool / max(later, 1),
        "mixed": mixed / max(batches, 1),
        "median_age": float(np.median(ages)) if ages else None,
        "repeated": repeated,
        "recent": recent,
        # Each of the images that filled the pool comes back some time: a given one is chosen
        # by about 1 new image in 10, so all 5 stay unchosen in 595 with probability 1e-26.
        "first_missing": sorted(set(range(POOL_SIZE)) - seen),
    }


def _signature(run):
    """The pool's behaviour in coarse words, to match a known mistake whose coins differ."""
    facts = _pool_facts(run)
    if not facts["shapes_kept"]:
        return ("shape",)
    share = facts["share"]
    bounded = facts["median_age"] is not None and facts["median_age"] <= MEDIAN_AGE_MAX
    return (
        facts["fill_ok"],
        "none"
        if share < 0.05
        else "all"
        if share > 0.95
        else "half"
        if 0.4 <= share <= 0.6
        else "other",
        facts["mixed"] >= MIXED_BATCHES_MIN,
        bounded,
        facts["repeated"],
        facts["recent"],
        # Whether the first images all came back is a matter of chance in a pool that keeps
        # everything (about 6 runs in 10): it tells pools of the right size apart only.
        not facts["first_missing"] if bounded else None,
        run.get("global_state_kept"),
    )


@pytest.fixture(scope="module")
def pool(submission):
    return submission.probe("image_pool", probes.pool_run, POOL_SIZE, POOL_BATCHES, POOL_BATCH)


def _pool_explain(mistakes, run):
    return partial(
        mistakes.explain,
        "image_pool",
        lambda ns: probes.pool_run(ns, POOL_SIZE, POOL_BATCHES, POOL_BATCH),
        run,
        lambda a, b: _signature(a) == _signature(b),
    )


@pytest.mark.property
@pytest.mark.part("image_pool")
def test_the_pool_returns_batches_of_the_images_it_was_given(submission, pool):
    """Does query return a batch of the shape given, each image one that it was given?"""
    ok = pool["shapes_kept"] and all(got is not None for row in pool["returned"] for got in row)
    check(
        ok,
        _(
            "query(images) must return an array of the shape it was given, (B, H, W, C), each "
            "image one given to the pool before or now, unchanged."
        ),
    )


@pytest.mark.part("image_pool")
def test_the_pool_returns_new_images_while_it_fills(submission, pool, mistakes):
    """Are the first `size` images returned as given (and stored)?"""
    facts = _pool_facts(pool)
    check(
        facts["shapes_kept"] and facts["fill_ok"],
        _(
            "While the pool holds fewer than size images, query must return each new image as "
            "it is (and store it); with size {size}, the first {size} images did not all come "
            "back as given."
        ).format(size=POOL_SIZE),
        _pool_explain(mistakes, pool),
    )


@pytest.mark.defining
@pytest.mark.part("image_pool")
def test_a_full_pool_returns_a_stored_image_half_the_time(submission, pool, mistakes):
    """Once full: a stored image for about half the new images, a coin per image?"""
    facts = _pool_facts(pool)
    check(facts["shapes_kept"], _("query must return a batch of the shape it was given."))
    low, high = HISTORY_SHARE
    check(
        low <= facts["share"] <= high,
        _(
            "Once the pool was full, query returned a stored image for {share:.0%} of {count} "
            "new images; expected about half (a coin with probability 1/2 per image)."
        ).format(share=facts["share"], count=POOL_BATCHES * POOL_BATCH - POOL_SIZE),
        _pool_explain(mistakes, pool),
    )
    check(
        facts["mixed"] >= MIXED_BATCHES_MIN,
        _(
            "Only {share:.0%} of the batches mixed new and stored images: toss the coin for "
            "each image of the batch, not once for the whole batch."
        ).format(share=facts["mixed"]),
        _pool_explain(mistakes, pool),
    )


def _check_some_history(facts, mistakes, pool):
    """What a stored image returned shows needs one returned."""
    check(facts["shapes_kept"], _("query must return a batch of the shape it was given."))
    check(
        facts["share"] > 0,
        _(
            "Once the pool was full, query never returned a stored image, so whether the new "
            "image takes a returned one's place cannot be seen: with probability 1/2, read a "
            "random stored image, return it, and store the new image in its place."
        ),
        _pool_explain(mistakes, pool),
    )


@pytest.mark.part("image_pool")
def test_a_returned_image_leaves_the_pool_for_the_new_one(submission, pool, mistakes):
    """Does the new image take the place of the stored one returned (so none comes back twice,
    later images come back too, and the pool keeps `size` images, not all of them)?"""
    facts = _pool_facts(pool)
    _check_some_history(facts, mistakes, pool)
    check(
        facts["recent"] and not facts["repeated"],
        _(
            "A stored image came back {what}: when query returns a stored image, the new image "
            "must take its place in the pool."
        ).format(what=_("twice") if facts["repeated"] else _("only from the first images given")),
        _pool_explain(mistakes, pool),
    )
    missing = facts["first_missing"]
    check(
        not missing,
        _(
            "Of the {size} images that filled the pool, {missing} never came back in {count} "
            "new images: choose the stored image among all of them (rng.integers(n) draws 0 "
            "to n - 1)."
        ).format(size=POOL_SIZE, missing=missing, count=POOL_BATCHES * POOL_BATCH - POOL_SIZE),
        _pool_explain(mistakes, pool),
    )


@pytest.mark.defining
@pytest.mark.part("image_pool")
def test_the_pool_holds_the_recent_images_only(submission, pool, mistakes):
    """Are the stored images returned recent ones (a pool of `size` images, not of all)?"""
    facts = _pool_facts(pool)
    _check_some_history(facts, mistakes, pool)
    age = facts["median_age"]
    check(
        age <= MEDIAN_AGE_MAX,
        _(
            "The stored images query returned were given a median of {age} images before: a "
            "pool of size {size} holds the last few dozen at most. Keep at most size images "
            "(store a new one only in place of the one returned, once full)."
        ).format(age=age, size=POOL_SIZE),
        _pool_explain(mistakes, pool),
    )


@pytest.mark.part("image_pool")
def test_the_pool_draws_from_a_generator_of_its_own(submission, pool, mistakes):
    """Does the pool leave NumPy's global random state alone (its own default_rng())?"""
    check(
        pool.get("global_state_kept", False),
        _(
            "ImagePool changed NumPy's global random state (np.random.seed, np.random.random, "
            "...): draw its coins and choices from a np.random.default_rng() of its own, so "
            "that the pool does not change what the rest of the program draws."
        ),
        _pool_explain(mistakes, pool),
    )


# ---------------------------------------------------------------- cyclegan_steps
STEP_SEED = 7
GENERATOR_NETWORKS, DISCRIMINATOR_NETWORKS = (0, 1), (2, 3)


@pytest.fixture(scope="module")
def steps(submission, reference):
    value = submission.probe("cyclegan_steps", probes.step_effects, STEP_SEED)
    return value, reference.probe("cyclegan_steps", probes.step_effects, STEP_SEED)


def _step_explain(mistakes, value, name):
    return partial(
        mistakes.explain,
        "cyclegan_steps",
        lambda ns: probes.step_effects(ns, STEP_SEED)[f"{name}_after"],
        value[f"{name}_after"],
        _close(),
    )


def _raised(value, name):
    returned = value[f"{name}_returned"]
    if isinstance(returned, dict):
        fail(_("{step} raised {error}.").format(step=name, error=returned["error"]))


def _check_updates(value, expected, name, own, mistakes):
    check(
        value["count"] == 2,
        _("make_cyclegan_steps must return (generator_step, discriminator_step)."),
    )
    _raised(value, name)
    before, after = value[f"{name}_before"], value[f"{name}_after"]
    changed = [
        any(not np.array_equal(b, a) for b, a in zip(b_net, a_net, strict=True))
        for b_net, a_net in zip(before, after, strict=True)
    ]
    wanted = [index in own for index in range(4)]
    names = probes.NETWORK_NAMES
    check(
        changed == wanted,
        _("{step} changed {changed}; it must change {own} only.").format(
            step=name,
            changed=", ".join(n for n, c in zip(names, changed, strict=True) if c) or _("nothing"),
            own=", ".join(names[i] for i in own),
        ),
        _step_explain(mistakes, value, name),
    )
    for index in own:
        for got, want in zip(after[index], expected[f"{name}_after"][index], strict=True):
            assert_close(
                got,
                want,
                _("{network}'s variables after {step} (one SGD step on {loss})").format(
                    network=names[index],
                    step=name,
                    loss=_("the objective's total")
                    if name == "generator_step"
                    else _("loss_a + loss_b"),
                ),
                1e-4,
                1e-6,
                _step_explain(mistakes, value, name),
            )


@pytest.mark.defining
@pytest.mark.part("cyclegan_steps")
def test_the_generator_step_updates_both_generators_only(submission, steps, mistakes):
    """After generator_step: G_AB and G_BA one SGD step on the total, D_A and D_B untouched?"""
    value, expected = steps
    _check_updates(value, expected, "generator_step", GENERATOR_NETWORKS, mistakes)


@pytest.mark.defining
@pytest.mark.part("cyclegan_steps")
def test_the_discriminator_step_updates_both_discriminators_only(submission, steps, mistakes):
    """After discriminator_step: D_A and D_B one SGD step on loss_a + loss_b, G untouched?"""
    value, expected = steps
    _check_updates(value, expected, "discriminator_step", DISCRIMINATOR_NETWORKS, mistakes)


@pytest.mark.part("cyclegan_steps")
def test_the_steps_return_what_they_computed(submission, steps, mistakes):
    """generator_step -> (total, fake_a, fake_b); discriminator_step -> (loss_a, loss_b)?"""
    value, expected = steps
    for name, what in (
        ("generator_step", _("(total, fake_a, fake_b) of the objective before the update")),
        ("discriminator_step", _("(loss_a, loss_b): d_a on real_a and fake_a, d_b on the B pair")),
    ):
        _raised(value, name)
        got, want = value[f"{name}_returned"], expected[f"{name}_returned"]
        check(
            len(got) == len(want),
            _("{step} must return {what}, not {count} value(s).").format(
                step=name, what=what, count=len(got)
            ),
        )
        explain = partial(
            mistakes.explain,
            "cyclegan_steps",
            lambda ns, name=name: probes.step_effects(ns, STEP_SEED)[f"{name}_returned"],
            got,
            _close(),
        )
        for index, (value_got, value_want) in enumerate(zip(got, want, strict=True)):
            assert_close(
                value_got,
                value_want,
                _("value {index} of what {step} returns, {what}").format(
                    index=index + 1, step=name, what=what
                ),
                1e-4,
                1e-6,
                explain,
            )


# ---------------------------------------------------------------- trained_cyclegan
TRAINED_WEIGHTS = ("cyclegan_g_ab.weights.h5", "cyclegan_g_ba.weights.h5")
TRAINED_SETTINGS = "cyclegan_generators.json"
SETTINGS_KEYS = ("filters", "blocks", "channels")
HANDED_IN_IMAGES = 1000
BOOT = 9  # Fashion-MNIST's "Ankle boot"


def _threshold(name):
    from igcourse.config import load_config

    root = Path(__file__).resolve().parents[2]
    return load_config(root).quality.thresholds["ch04_image_translation"][name]


def _test_sneakers_or_skip():
    """1,000 of the test sneakers (domain A), drawn with the grading salt, in [-1, 1]."""
    from igcourse.data.derived import build_unpaired
    from igcourse.data.fashion_mnist import DatasetNotFound

    try:
        test = build_unpaired("sneaker2boot", "test", size=32)
    except DatasetNotFound as error:
        pytest.skip(str(error))
    rows = np.sort(seeded_rng("cyclegan handed-in sneakers").permutation(len(test.a)))
    rows = rows[:HANDED_IN_IMAGES]
    return (test.a[rows].astype(np.float32) / np.float32(127.5) - 1.0)[..., None]


def measure(translated, cycled, sneakers):
    """The translated-class rate (the evaluator's share of "Ankle boot") and the cycle error."""
    import tensorflow as tf

    from igcourse.evaluation import load_evaluator

    translated = np.clip(np.asarray(translated, np.float32), -1, 1)
    small = tf.image.resize((translated + 1) / 2, (28, 28), method="area").numpy()
    _features, probabilities = load_evaluator().features_and_probabilities(small)
    return {
        "boots": float(np.mean(np.argmax(probabilities, axis=1) == BOOT)),
        "cycle": float(np.mean(np.abs(np.asarray(cycled, np.float32) - sneakers))),
    }


@pytest.fixture(scope="module")
def handed_in(submission):
    """The handed-in generators' translations of the test sneakers, measured once."""
    sneakers = _test_sneakers_or_skip()
    result = submission.probe(
        None, probes.handed_in_generators, TRAINED_WEIGHTS, TRAINED_SETTINGS, sneakers, 0
    )
    figures = None
    if "cycled" in result and np.shape(result["cycled"]) == sneakers.shape:
        figures = measure(result["translated"], result["cycled"], sneakers)
    elif "translated" in result:
        result = {"shape_error": list(np.shape(result["translated"]))}
    return result, figures


def _figures_or_fail(handed_in):
    result, figures = handed_in
    fail_unless_loaded(
        result,
        "build_resnet_generator",
        result.get("which", " and ".join(TRAINED_WEIGHTS)),
        TRAINED_SETTINGS,
        SETTINGS_KEYS,
    )
    if figures is None:
        fail(
            _(
                "The handed-in generators map (N, 32, 32, 1) images to shape {shape}; an image "
                "per image, (N, 32, 32, 1), is expected."
            ).format(shape=tuple(result.get("shape_error", ())))
        )
    return figures


@pytest.mark.handed_in
@pytest.mark.part("trained_cyclegan")
def test_the_handed_in_generator_turns_sneakers_into_boots(submission, handed_in):
    """Does the evaluator file G_AB's translations of test sneakers under "Ankle boot"?"""
    figures = _figures_or_fail(handed_in)
    least = _threshold("cyclegan_translated_rate_min")
    check(
        figures["boots"] >= least,
        _(
            "The evaluator reads {share:.0%} of your G_AB's translations of {count} test "
            "sneakers as ankle boots; the course asks for {limit:.0%}. Train longer (the "
            "generators copy their inputs for the first few hundred steps), and check that "
            "the identity term gives G_AB images of B."
        ).format(share=figures["boots"], count=HANDED_IN_IMAGES, limit=least),
    )


@pytest.mark.handed_in
@pytest.mark.part("trained_cyclegan")
def test_the_handed_in_generators_undo_each_other(submission, handed_in):
    """Is mean |a - G_BA(G_AB(a))| on test sneakers below the course's bar?"""
    figures = _figures_or_fail(handed_in)
    most = _threshold("cyclegan_cycle_error_max")
    check(
        figures["cycle"] <= most,
        _(
            "Your G_BA(G_AB(sneaker)) is {error:.3f} from the sneaker (mean absolute difference "
            "in [-1, 1]) on {count} test sneakers; the course asks for at most {limit:.3f}. "
            "Check the cycle term (both directions) and train longer."
        ).format(error=figures["cycle"], count=HANDED_IN_IMAGES, limit=most),
    )
