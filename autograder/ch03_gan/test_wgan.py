"""Hidden checks of wgan: Wasserstein losses, weight clipping, the n_critic step, the penalty.

Every check gets its values through a probe (probes_wgan.py) and judges them here, against
the reference's values or the mathematics: a linear critic's penalty is exactly
weight * (||w|| - 1)^2 whatever the epsilons, and a quadratic critic's gradient at each
interpolate is known, so the penalty can be recomputed from the points the critic was shown.
The training step is graded with the probes' stand-ins of the other three parts
(probes_wgan.STAND_INS), and so is the reference it is compared with. Inputs are drawn with
seeded_rng: every submission gets its own, and each check holds for any of them.
"""

import math

import numpy as np
import probes_wgan as probes
import pytest

from igcourse.grading import steptrace
from igcourse.grading.checks import assert_close, check, fail, first_of, seeded_rng
from igcourse.grading.public import public_checks_test
from igcourse.i18n import _

PART_NAMES = {
    "wasserstein_losses": ["critic_loss", "wgan_generator_loss"],
    "weight_clipping": ["clip_critic_weights"],
    "wgan_train_step": ["make_wgan_train_step"],
    "gradient_penalty": ["gradient_penalty"],
}

# Every public check of a part counts in its hidden grade too.
test_public_checks = public_checks_test("ch03_gan", PART_NAMES, probes)


def _close(rtol=1e-4, atol=1e-6):
    def same(a, b):
        if isinstance(a, dict) and isinstance(b, dict):
            return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
        if a is None or b is None:
            return a is None and b is None
        if isinstance(a, list) and isinstance(b, list):
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
        try:
            a, b = np.asarray(a, float), np.asarray(b, float)
        except (TypeError, ValueError):
            return False
        return a.shape == b.shape and bool(np.allclose(a, b, rtol, atol))  # no broadcasting

    return same


def _named(mistakes, part, probe, *args, key=None, same=None):
    """explain= for a check: the zoo's mistakes whose probe gives the same value (or its key)."""

    def explain(observed):
        def run(ns):
            value = probe(ns, *args)
            return value[key] if key is not None else value

        return lambda: mistakes.explain(part, run, observed, same or _close())

    return explain


def _scalar(value):
    try:
        array = np.asarray(value, np.float64)
    except (TypeError, ValueError):
        return math.nan
    return float(array.reshape(())) if array.size == 1 else math.nan


# ---------------------------------------------------------------- wasserstein_losses
@pytest.mark.part("wasserstein_losses")
def test_wasserstein_losses_match_the_reference(submission, reference, mistakes):
    """Are the losses mean(fake) - mean(real) and -mean(fake), on raw scores of any size?"""
    rng = seeded_rng("wasserstein scores")
    real = (20 * rng.normal(size=(7, 1))).astype(np.float32)
    fake = (20 * rng.normal(size=(5, 1))).astype(np.float32)
    value = submission.probe("wasserstein_losses", probes.wasserstein, real, fake)
    expected = reference.probe("wasserstein_losses", probes.wasserstein, real, fake)
    explain = _named(mistakes, "wasserstein_losses", probes.wasserstein, real, fake, key=None)
    assert_close(
        value["critic"],
        expected["critic"],
        _(
            "critic_loss on scores of size about 20 (it should be mean(fake_scores) - "
            "mean(real_scores), on the raw scores)"
        ),
        1e-4,
        1e-4,
        explain=explain(value),
    )
    assert_close(
        value["generator"],
        expected["generator"],
        _("wgan_generator_loss on the same scores (it should be -mean(fake_scores))"),
        1e-4,
        1e-4,
        explain=explain(value),
    )


def _gradient_summary(result):
    """What the differentiability check compares: gradients (None where none) and the graph's
    values (None where it failed)."""
    return {key: result[key] for key in ("d_real", "d_fake", "d_generator", "graph_values")}


@pytest.mark.part("wasserstein_losses")
def test_wasserstein_losses_are_differentiable_in_a_tf_function(submission, mistakes):
    """Do gradients of both losses reach the scores under a tf.GradientTape (-1/B for a real
    score, +1/B for a fake one in the critic's loss, -1/B in the generator's), and do the
    losses run inside a tf.function, where the training step calls them?"""
    rng = seeded_rng("wasserstein gradients")
    real = rng.normal(size=(6, 1)).astype(np.float32)
    fake = rng.normal(size=(4, 1)).astype(np.float32)
    out = submission.probe("wasserstein_losses", probes.wasserstein_gradients, real, fake)

    def explain():
        return mistakes.explain(
            "wasserstein_losses",
            lambda ns: _gradient_summary(probes.wasserstein_gradients(ns, real, fake)),
            _gradient_summary(out),
            _close(1e-4, 1e-6),
        )

    check(
        out.get("forward_error") is None,
        _(
            "On 6 real and 4 generated scores (batches of different sizes, shape (B, 1)) your "
            "losses raised {error}; mean(fake) - mean(real) takes each batch's own mean."
        ).format(error=out.get("forward_error")),
    )
    missing = [
        name
        for name, key in (
            (_("critic_loss's real_scores"), "d_real"),
            (_("critic_loss's fake_scores"), "d_fake"),
            (_("wgan_generator_loss's fake_scores"), "d_generator"),
        )
        if out[key] is None
    ]
    check(
        not missing,
        _(
            "Under a tf.GradientTape, no gradient of your losses reaches {names}{error}: the "
            "losses could not train the networks.{hint}"
        ).format(
            names=", ".join(missing),
            error=(
                _(" (tape.gradient raised {error})").format(error=out["gradient_error"])
                if out["gradient_error"]
                else ""
            ),
            hint=_(
                " Your losses return NumPy numbers, which the tape cannot follow: use "
                "tf.reduce_mean or keras.ops.mean, not np.mean."
            )
            if out.get("numpy_values")
            else "",
        ),
        explain,
    )
    for key, scores, sign, what in (
        ("d_real", real, -1.0, _("critic_loss with respect to real_scores (-1/B each)")),
        ("d_fake", fake, 1.0, _("critic_loss with respect to fake_scores (+1/B each)")),
        ("d_generator", fake, -1.0, _("wgan_generator_loss with respect to fake_scores (-1/B)")),
    ):
        assert_close(
            out[key],
            np.full(scores.shape, sign / len(scores)),
            _("The gradient of {what}").format(what=what),
            1e-4,
            1e-6,
            explain=explain,
        )
    check(
        out["graph_error"] is None,
        _(
            "Inside a tf.function (where the training step calls them, on symbolic tensors) "
            "your losses raise {error}. Use TensorFlow (or keras.ops) operations, not NumPy "
            "functions, which need concrete values."
        ).format(error=out["graph_error"]),
        explain,
    )
    expected = [float(np.mean(fake) - np.mean(real)), float(-np.mean(fake))]
    assert_close(
        out["graph_values"],
        expected,
        _("The losses computed inside a tf.function (critic_loss, wgan_generator_loss)"),
        1e-4,
        1e-6,
        explain=explain,
    )


# ---------------------------------------------------------------- weight_clipping
def _clip_value(label):
    return float(np.round(seeded_rng(label).uniform(0.2, 0.6), 3))


@pytest.fixture(scope="module")
def clipped(submission):
    clip_value = _clip_value("clip value")
    return clip_value, submission.probe("weight_clipping", probes.clipping, clip_value, 1)


@pytest.mark.part("weight_clipping")
def test_clipping_bounds_every_kernel(submission, clipped, mistakes):
    """Is every kernel clipped elementwise to [-c, c] (and left alone where already inside)?"""
    clip_value, result = clipped
    explain = _named(mistakes, "weight_clipping", probes.clipping, clip_value, 1)
    for before, after in zip(result["before"]["kernels"], result["after"]["kernels"], strict=True):
        assert_close(
            after,
            np.clip(before, -clip_value, clip_value),
            _("A kernel of the critic after clip_critic_weights(critic, {c})").format(c=clip_value),
            1e-6,
            1e-7,
            explain=explain(result),
        )


@pytest.mark.part("weight_clipping")
def test_clipping_leaves_everything_else_alone(submission, clipped, mistakes):
    """With the kernels clipped, are the biases and batch normalisation left as they were?"""
    clip_value, result = clipped
    explain = _named(mistakes, "weight_clipping", probes.clipping, clip_value, 1)
    kernels = zip(result["before"]["kernels"], result["after"]["kernels"], strict=True)
    check(
        any(not np.array_equal(b, a) for b, a in kernels),
        _(
            "clip_critic_weights(critic, {c}) left every kernel as it was, although their "
            "entries reach about 2: assign the clipped values to each layer's kernel."
        ).format(c=clip_value),
        explain(result),
    )
    for key, message in (
        (
            "batch_norm_statistics",
            _(
                "clip_critic_weights changed batch normalisation's moving mean or variance. They "
                "are statistics of the data, not weights (the book's code clips everything "
                "get_weights() returns, and they are among it): clip the layers' kernels only."
            ),
        ),
        (
            "batch_norm_parameters",
            _(
                "clip_critic_weights changed batch normalisation's scale (gamma) or offset "
                "(beta); clipping gamma to c shrinks every activation of the layer. Clip the "
                "layers' kernels only."
            ),
        ),
        (
            "biases",
            _(
                "clip_critic_weights changed the layers' biases; the task clips the kernels, the "
                "weights that multiply the inputs, and leaves the biases as they are."
            ),
        ),
    ):
        same = all(
            np.array_equal(b, a)
            for b, a in zip(result["before"][key], result["after"][key], strict=True)
        )
        check(same, message, explain(result))


# ---------------------------------------------------------------- wgan_train_step
def _with_stand_ins(ns):
    """A zoo mutant, under the stand-ins its part is graded with."""
    return ns.for_part("wgan_train_step", probes)


def _step_named(mistakes, args, observed, key=None):
    def run(ns):
        value = probes.wgan_step(_with_stand_ins(ns), *args)
        return value if key is None else value[key]

    return lambda: mistakes.explain("wgan_train_step", run, observed, _close())


STEP_NOTE = _(
    "In this check critic_loss, wgan_generator_loss, clip_critic_weights and gradient_penalty "
    "are replaced by other functions, so that the step is judged on its own."
)
NETWORKS = ("generator", "critic")
STEP = _("the training step")


def _step_calls(value):
    n = len(value["real"])
    known = [(f"real_batches[{i}]", value["real"][i]) for i in range(n)]
    known += [(f"critic_z[{i}]", value["critic_z"][i]) for i in range(n)]
    known.append(("generator_z", value["generator_z"]))
    return steptrace.label_calls(value["calls"], known)


def _critic_loss_finding(calls, n_critic):
    losses = steptrace.of(calls, "critic_loss")
    if len(losses) != n_critic:
        found = _(
            "With n_critic={n} the training step made {count} call(s) of critic_loss; each "
            "critic update calls it once."
        ).format(n=n_critic, count=len(losses))
        if abs(len(losses) - n_critic) == 1 and n_critic > 1 and len(losses) != 1:
            found += " " + _(
                "That is one critic update {which}: the loop over the critic updates must run "
                "exactly n_critic times (range(n_critic)), once per batch of real_batches and "
                "critic_z."
            ).format(which=_("too few") if len(losses) < n_critic else _("too many"))
        return found
    for i, call in enumerate(losses):
        wanted = (f"critic(real_batches[{i}])", f"critic(generator(critic_z[{i}]))")
        update = _("critic update {number}").format(number=i + 1)
        found = steptrace.loss_finding(update, [call], "critic_loss", wanted)
        if found:
            return found
    return ""


def _penalty_finding(calls, n_critic, gp_weight):
    penalties = steptrace.of(calls, "gradient_penalty")
    if not gp_weight:
        return ""
    if len(penalties) != n_critic:
        return _(
            "With n_critic={n} and gp_weight={weight:g} the training step made {count} call(s) "
            "of gradient_penalty; each critic update adds it once."
        ).format(n=n_critic, weight=gp_weight, count=len(penalties))
    for i, call in enumerate(penalties):
        weight = float(np.ravel(call["values"][2])[0]) if len(call["values"]) > 3 else None
        if weight is not None and not math.isclose(weight, gp_weight, rel_tol=1e-6):
            return _(
                "The training step called gradient_penalty with weight {got:g}; pass it "
                "gp_weight ({weight:g})."
            ).format(got=weight, weight=gp_weight)
        wanted = (f"real_batches[{i}]", f"generator(critic_z[{i}])")
        got = tuple(call["inputs"][:2])
        if all(steptrace.traced(name) for name in got) and got != wanted:
            return _(
                "Critic update {number} called gradient_penalty on ({got}); it should be "
                "called on ({wanted})."
            ).format(number=i + 1, got=", ".join(got), wanted=", ".join(wanted))
    return ""


def _clip_finding(calls, n_critic, clip_value):
    clips = [call for call in calls if call["who"].startswith("clip_critic_weights(")]
    on_generator = [call for call in clips if call["who"] == "clip_critic_weights(generator)"]
    if on_generator:
        return _(
            "The training step called clip_critic_weights on the generator; clip only the critic."
        )
    if clip_value is None:
        if clips:
            return _("With clip_value=None the training step still called clip_critic_weights.")
        return ""
    if len(clips) != n_critic:
        return _(
            "With n_critic={n} and clip_value={clip:g} the training step made {count} call(s) "
            "of clip_critic_weights; it clips once after each critic update."
        ).format(n=n_critic, clip=clip_value, count=len(clips))
    first_update = next(
        (k for k, c in enumerate(calls) if c["who"].startswith("c_optimizer.apply_gradients")),
        None,
    )
    if first_update is not None and calls.index(clips[0]) < first_update:
        return _(
            "The training step clipped the critic before applying its first update; clip after "
            "each update's c_optimizer.apply_gradients."
        )
    return ""


def _generator_input_finding(calls):
    for call in steptrace.of(calls, "generator"):
        if not all(steptrace.traced(name) for name in call["inputs"]):
            return _(
                "The training step called the generator on a tensor that is none of critic_z[i] "
                "and generator_z (new noise, say): use the noise the step is given."
            )
    return ""


def _returned_critic_loss_finding(value, returned, gp_weight):
    """Which of the step's own values the returned critic loss is, where the log shows it."""

    def returns(who):  # what each call of a stand-in returned, in order (no labels needed)
        return [float(np.ravel(c["values"][-1])[0]) for c in steptrace.of(value["calls"], who)]

    losses, penalties = returns("critic_loss"), returns("gradient_penalty")

    def near(a, b):
        return math.isclose(a, b, rel_tol=1e-4, abs_tol=1e-6)

    for i, loss in enumerate(losses[:-1]):
        if near(returned, loss) or (i < len(penalties) and near(returned, loss + penalties[i])):
            return _(
                "That is the loss of critic update {number} of {count}: return the last one's."
            ).format(number=i + 1, count=len(losses))
    if len(losses) > 1 and near(returned, float(np.mean(losses))):
        return _("That is the mean of the {count} critic losses: return the last one's.").format(
            count=len(losses)
        )
    if losses and penalties and near(returned, losses[-1] + gp_weight * penalties[-1]):
        return _(
            "That is critic_loss + {weight:g} * gradient_penalty(...): gradient_penalty already "
            "multiplies by the weight it is given, so add its value as it is."
        ).format(weight=gp_weight)
    return ""


def _step_findings(value, args):
    """What the step's own calls show to be off, as sentences (none where nothing is). A step
    that loops over tf.range is traced once per loop body: nothing is said about it."""
    _seed, n_critic, clip_value, gp_weight = args[:4]
    calls = _step_calls(value)
    if not steptrace.counts_are_known(calls):
        return (
            [steptrace.training_finding(STEP, calls, NETWORKS)]
            if steptrace.not_training(calls, NETWORKS)
            else []
        )
    returned = (value.get("losses") or [None, None])[1]
    found = (
        _generator_input_finding(calls),
        _critic_loss_finding(calls, n_critic),
        steptrace.loss_finding(
            _("the generator update"),
            steptrace.of(calls, "wgan_generator_loss"),
            "wgan_generator_loss",
            ("critic(generator(generator_z))",),
            returned,
        ),
        _penalty_finding(calls, n_critic, gp_weight),
        steptrace.update_finding(
            STEP, calls, {"c_optimizer": "critic", "g_optimizer": "generator"}
        ),
        _clip_finding(calls, n_critic, clip_value),
        steptrace.training_finding(STEP, calls, NETWORKS),
    )
    return [sentence for sentence in found if sentence]


def _step_explain(mistakes, args, value, observed=None, key=None, then=None):
    """explain= for a step check: what the step's calls show, else what `then()` says, else a
    known mistake, else the calls themselves (evidence, without a verdict)."""
    zoo = _step_named(mistakes, args, value if observed is None else observed, key)

    def explain():
        found = _step_findings(value, args)
        if found:
            return " ".join(found)
        named = zoo()
        if named:
            return named
        # then() says the calls were as asked: only where the log counts every call (a loop
        # over tf.range is traced once, so its log shows one pass of it).
        calls = _step_calls(value)
        if then is not None and steptrace.counts_are_known(calls) and then():
            return then()
        return " ".join((steptrace.describe(STEP, calls, NETWORKS), STEP_NOTE))

    return explain


def _no_gradient(value):
    if value.get("no_gradient"):
        fail(
            _(
                "The training step found no gradient for any variable of one of its updates: "
                "the tape recorded no path from them to the loss. Each update's network outputs "
                "and loss belong inside its `with tf.GradientTape() as tape:` block, with "
                "nothing (such as tf.stop_gradient) cutting the path; tape.gradient(loss, "
                "variables) and apply_gradients come after it."
            )
        )


def _compare_step(submission, reference, mistakes, args, what):
    value = submission.probe("wgan_train_step", probes.wgan_step, *args)
    expected = reference.probe("wgan_train_step", probes.wgan_step, *args)
    _no_gradient(value)
    for key, network in (("c_after", _("critic")), ("g_after", _("generator"))):
        for got, want in zip(value[key], expected[key], strict=True):
            assert_close(
                got,
                want,
                what.format(network=network),
                1e-4,
                1e-6,
                explain=_step_explain(mistakes, args, value),
            )
    return value, expected


@pytest.mark.part("wgan_train_step")
def test_n_critic_updates_then_one_generator_update(submission, reference, mistakes):
    """With n_critic=3 and no clipping, do both networks end where the reference's do?"""
    _compare_step(
        submission,
        reference,
        mistakes,
        (3, 3, None, 0.0),
        _(
            "The {network}'s trainable variables after one training step with n_critic=3 and "
            "SGD (3 critic updates, one per batch of real_batches and critic_z, then one "
            "generator update with generator_z)"
        ),
    )


@pytest.mark.part("wgan_train_step")
def test_the_step_clips_after_each_critic_update(submission, reference, mistakes):
    """With clip_value given, is the critic clipped after each of its updates, the G never?"""
    _compare_step(
        submission,
        reference,
        mistakes,
        (4, 2, 0.02, 0.0),
        _(
            "The {network}'s trainable variables after one training step with n_critic=2 and "
            "clip_value=0.02 (clip_critic_weights(critic, clip_value) after each critic update, "
            "never on the generator)"
        ),
    )


@pytest.mark.defining
@pytest.mark.part("wgan_train_step")
def test_each_update_changes_only_its_network(submission, mistakes):
    """With one optimiser's learning rate 0, does the other network's update leave it alone?"""
    frozen_g = submission.probe("wgan_train_step", probes.wgan_step, 5, 2, None, 0.0, 0.0, 0.05)
    frozen_c = submission.probe("wgan_train_step", probes.wgan_step, 5, 2, None, 0.0, 0.05, 0.0)
    _no_gradient(frozen_g)
    _no_gradient(frozen_c)
    check(
        all(
            np.array_equal(b, a)
            for b, a in zip(frozen_g["g_before"], frozen_g["g_after"], strict=True)
        ),
        _(
            "With the generator's optimiser at learning rate 0, the training step still changed "
            "the generator, so another optimiser changed it: each update applies its own "
            "optimiser to its own network's trainable variables."
        ),
        _step_explain(mistakes, (5, 2, None, 0.0, 0.0, 0.05), frozen_g),
    )
    check(
        all(
            np.array_equal(b, a)
            for b, a in zip(frozen_c["c_before"], frozen_c["c_after"], strict=True)
        ),
        _(
            "With the critic's optimiser at learning rate 0, the training step still changed the "
            "critic, so another optimiser changed it: each update applies its own optimiser to "
            "its own network's trainable variables."
        ),
        _step_explain(mistakes, (5, 2, None, 0.0, 0.05, 0.0), frozen_c),
    )


# seed, n_critic, clip_value, gp_weight: a weight other than gradient_penalty's default (10),
# so that a step which leaves the weight at its default shows.
PENALISED = (6, 2, None, 7.0)


@pytest.fixture(scope="module")
def penalised_step(submission, reference):
    value = submission.probe("wgan_train_step", probes.wgan_step, *PENALISED)
    expected = reference.probe("wgan_train_step", probes.wgan_step, *PENALISED)
    return value, expected


@pytest.mark.part("wgan_train_step")
def test_the_step_adds_the_penalty_when_asked(submission, penalised_step, mistakes):
    """With gp_weight=7, is gradient_penalty(critic, real, fake, 7) part of the critic's loss?"""
    value, expected = penalised_step
    _no_gradient(value)
    for got, want in zip(value["c_after"], expected["c_after"], strict=True):
        assert_close(
            got,
            want,
            _(
                "The critic's trainable variables after one training step with n_critic=2 and "
                "gp_weight={weight:g}: each critic update minimises critic_loss plus "
                "gradient_penalty(critic, real_images, fake_images, gp_weight), inside its tape"
            ).format(weight=PENALISED[3]),
            1e-4,
            1e-6,
            explain=_step_explain(mistakes, PENALISED, value, then=_penalty_use),
        )


def _penalty_use():
    """Said when the step called everything as asked and the penalised updates still differ."""
    return _(
        "The step called gradient_penalty as asked, yet the critic's updates are not those of "
        "critic_loss + gradient_penalty(...): add the value gradient_penalty returns, as it is, "
        "to the critic's loss inside the update's tape."
    )


@pytest.mark.part("wgan_train_step")
def test_the_step_returns_its_losses(submission, penalised_step, mistakes):
    """Does the step return the last critic loss (with or without the penalty) and G's loss?"""
    value, expected = penalised_step
    _no_gradient(value)
    losses = value["losses"]
    check(
        isinstance(losses, list) and len(losses) == 2,
        _("The training step should return two values, (critic loss, generator loss)."),
    )
    critic, generator = (_scalar(v) for v in losses)
    with_penalty = _scalar(expected["losses"][0])
    without = with_penalty - (expected["last"]["penalty"] or 0.0)
    check(
        any(math.isclose(critic, v, rel_tol=1e-4, abs_tol=1e-6) for v in (with_penalty, without)),
        _(
            "With n_critic=2 and gp_weight={weight:g} the step returned {got:.6g} as the critic "
            "loss; the last critic update's loss is {with_penalty:.6g} with the penalty and "
            "{without:.6g} without it (either is accepted)."
        ).format(weight=PENALISED[3], got=critic, with_penalty=with_penalty, without=without),
        first_of(
            lambda: _returned_critic_loss_finding(value, critic, PENALISED[3]),
            _step_explain(mistakes, PENALISED, value, losses, key="losses"),
        ),
    )
    assert_close(
        generator,
        _scalar(expected["losses"][1]),
        _("The generator loss the step returns (wgan_generator_loss before its update)"),
        1e-4,
        1e-6,
        explain=_step_explain(mistakes, PENALISED, value, losses, key="losses"),
    )


# ---------------------------------------------------------------- gradient_penalty
def _images(label, scales=None):
    """Images (6, 28, 28, 1) in [-1, 1], each times its scale (different gradient norms)."""
    rng = seeded_rng(label)
    images = rng.uniform(-1, 1, size=(6, 28, 28, 1))
    if scales is not None:
        images = images * np.asarray(scales)[:, None, None, None]
    return images.astype(np.float32)


def _no_penalty_gradient(result):
    if result.get("no_gradient"):
        fail(
            _(
                "gradient_penalty got no gradient of the critic's scores with respect to the "
                "interpolated images: call the critic on them inside the inner "
                "`with tf.GradientTape() as tape:` block, after tape.watch(interpolates)."
            )
        )


@pytest.mark.part("gradient_penalty")
def test_penalty_of_a_linear_critic_is_exact(submission, mistakes):
    """For f(x) = <w, x>, is the penalty weight * (||w|| - 1)^2, whatever the epsilons?"""
    rng = seeded_rng("gp linear w")
    w = rng.normal(size=(1, 28, 28, 1))
    w = (w / np.linalg.norm(w) * rng.uniform(0.3, 0.7)).astype(np.float32)
    real, fake = _images("gp linear real"), _images("gp linear fake")
    args = ("linear", w, real, fake, 10.0)
    result = submission.probe("gradient_penalty", probes.penalty_with_critic, *args)
    _no_penalty_gradient(result)
    norm = float(np.linalg.norm(w))
    expected = 10.0 * (norm - 1.0) ** 2
    check(
        math.isclose(_scalar(result["value"]), expected, rel_tol=1e-3),
        _(
            "For a linear critic f(x) = <w, x> with ||w|| = {norm:.4f}, every gradient is w, so "
            "gradient_penalty(..., weight=10) should be 10 * (||w|| - 1)^2 = {expected:.5f}; "
            "yours is {value:.5f}."
        ).format(norm=norm, expected=expected, value=_scalar(result["value"])),
        _named(mistakes, "gradient_penalty", probes.penalty_with_critic, *args, key="value")(
            result["value"]
        ),
    )


# The quadratic critic f(x) = 0.5 * sum(W x^2): its gradient at x is W x. With images of about
# 16 in norm (784 pixels in [-1, 1]) and per-sample scales from 0.25 to 2, the gradient norms
# of the interpolates range from about 0.2 to 2.7: on both sides of 1, so that every formula
# below gives another value.
W_QUADRATIC = 1.0 / 12.0
SCALES = (0.25, 0.5, 0.8, 1.2, 1.6, 2.0)


def _quadratic_args(label):
    scales = seeded_rng(f"{label} scales").permutation(SCALES)
    real, fake = _images(f"{label} real", scales), _images(f"{label} fake", scales)
    return ("quadratic", np.full((1, 28, 28, 1), W_QUADRATIC, np.float32), real, fake, 10.0)


def _segment(points, start, end):
    """(eps, residual): the least-squares eps of points = end + eps (start - end), per sample."""
    direction = (start - end).reshape(len(start), -1)
    offset = (points - end).reshape(len(points), -1)
    eps = np.sum(offset * direction, axis=1) / np.maximum(np.sum(direction**2, axis=1), 1e-12)
    residual = np.abs(offset - eps[:, None] * direction).max()
    return eps, residual


def _between_real_images(points, real):
    """Whether each point lies on a segment between its real image and another real image."""
    for i, point in enumerate(points):
        others = [j for j in range(len(real)) if j != i]
        residuals = [_segment(point[None], real[i][None], real[j][None])[1] for j in others]
        if min(residuals) > 1e-4:
            return False
    return True


def _interpolate_kind(result, real, fake):
    """What the critic was shown: 'per_sample', 'per_pixel', 'one_for_batch', 'two_real', 'real',
    'fake', 'range', 'shape', 'other' or 'calls:N'."""
    seen = [np.asarray(x, np.float64) for x in result["seen"]]
    if len(seen) != 1:
        return f"calls:{len(seen)}"
    points = seen[0]
    real, fake = np.asarray(real, np.float64), np.asarray(fake, np.float64)
    if points.shape != real.shape:
        return "shape"
    if np.allclose(points, real, atol=1e-5):
        return "real"
    if np.allclose(points, fake, atol=1e-5):
        return "fake"
    eps, residual = _segment(points, real, fake)
    if residual < 1e-4:
        if eps.min() < -1e-4 or eps.max() > 1 + 1e-4:
            return "range"
        return "one_for_batch" if np.ptp(eps) < 1e-6 else "per_sample"
    gap = real - fake
    usable = np.abs(gap) > 1e-3
    ratio = np.where(usable, (points - fake) / np.where(usable, gap, 1.0), 0.5)
    if ratio.min() > -1e-4 and ratio.max() < 1 + 1e-4:
        return "per_pixel"
    if _between_real_images(points, real):
        return "two_real"
    return "other"


def _penalty_kind(result, real, fake):
    """Which formula the value follows at the points the critic saw (from the result and the
    images the probe passed)."""
    seen = [np.asarray(x, np.float64) for x in result["seen"]]
    if not seen or result.get("value") is None:
        return "no_call", math.nan
    norms = np.sqrt(np.sum((W_QUADRATIC * seen[-1]) ** 2, axis=(1, 2, 3)))
    value = _scalar(result["value"])
    candidates = {
        "per_sample": 10.0 * float(np.mean((norms - 1.0) ** 2)),
        "whole_batch": 10.0 * (float(np.sqrt(np.sum(norms**2))) - 1.0) ** 2,
        "squared": 10.0 * float(np.mean((norms**2 - 1.0) ** 2)),
        "mean_first": 10.0 * (float(np.mean(norms)) - 1.0) ** 2,
        "one_sided": 10.0 * float(np.mean(np.maximum(norms - 1.0, 0.0) ** 2)),
        # the root of the mean of the squared gradient entries, not of their sum
        "root_mean_square": 10.0 * float(np.mean((norms / np.sqrt(seen[-1][0].size) - 1.0) ** 2)),
    }
    # After the task's formula: a correct penalty is never named as another one.
    if seen[-1].shape == np.shape(real):
        # The gradient with respect to real_images (or fake_images) is eps_i (or 1 - eps_i)
        # times the critic's gradient at the interpolate.
        eps, residual = _segment(
            seen[-1], np.asarray(real, np.float64), np.asarray(fake, np.float64)
        )
        if residual < 1e-4 and np.ptp(eps) > 1e-3:
            candidates["wrt_real"] = 10.0 * float(np.mean((eps * norms - 1.0) ** 2))
            candidates["wrt_fake"] = 10.0 * float(np.mean(((1.0 - eps) * norms - 1.0) ** 2))
    for kind, expected in candidates.items():
        if math.isclose(value, expected, rel_tol=1e-3):
            return kind, candidates["per_sample"]
    return "other", candidates["per_sample"]


def _same_kind(kind_of):
    """Two results alike when they show the same known kind; an unknown one names nothing."""
    return lambda a, b: kind_of(a) == kind_of(b) and kind_of(a) not in ("other", "no_call")


@pytest.mark.part("gradient_penalty")
def test_interpolates_have_one_epsilon_per_sample(submission, mistakes):
    """Is the critic called once on eps_i * real_i + (1 - eps_i) * fake_i, eps_i in [0, 1]?"""
    args = _quadratic_args("gp epsilon")
    real, fake = args[2], args[3]
    result = submission.probe("gradient_penalty", probes.penalty_with_critic, *args)
    kind = _interpolate_kind(result, real, fake)
    if kind == "per_sample":
        return
    messages = {
        "real": _(
            "The critic was called on the real images themselves; the penalty belongs at random "
            "points between real and generated images: eps * real + (1 - eps) * fake."
        ),
        "fake": _(
            "The critic was called on the generated images themselves; the penalty belongs at "
            "random points between real and generated images: eps * real + (1 - eps) * fake."
        ),
        "per_pixel": _(
            "The interpolated images mix real and generated pixels with a different epsilon for "
            "each pixel; draw one epsilon per sample, of shape (batch, 1, 1, 1), so that each "
            "point lies on the segment between its two images."
        ),
        "one_for_batch": _(
            "Every interpolated image uses the same epsilon; draw one epsilon for each sample, "
            "of shape (batch, 1, 1, 1), not one for the whole batch."
        ),
        "two_real": _(
            "The critic was called on points between two real images; the penalty belongs on "
            "the segments between each real image and its generated image: "
            "eps * real_images + (1 - eps) * fake_images."
        ),
        "range": _(
            "The interpolates lie on the lines through each real and generated image, but with "
            "an epsilon outside [0, 1]: draw epsilon uniformly in [0, 1] "
            "(tf.random.uniform((batch, 1, 1, 1)))."
        ),
        "shape": _(
            "The critic was called on a batch of another shape than the images; call it on the "
            "interpolated images, of the images' shape (batch, 28, 28, 1)."
        ),
        "other": _(
            "The critic was called on points that are not between each real image and its "
            "generated image (observed: not of the form eps * real + (1 - eps) * fake for any "
            "eps); expected eps_i * real_i + (1 - eps_i) * fake_i with one eps_i in [0, 1] per "
            "sample."
        ),
    }
    message = messages.get(kind) or _(
        "gradient_penalty called the critic {count} times (eagerly); call it once, on the "
        "interpolated images."
    ).format(count=kind.partition(":")[2])
    fail(
        message,
        lambda: mistakes.explain(
            "gradient_penalty",
            lambda ns: probes.penalty_with_critic(ns, *args),
            result,
            _same_kind(lambda r: _interpolate_kind(r, real, fake)),
        ),
    )


@pytest.mark.part("gradient_penalty")
def test_the_norm_is_taken_per_sample(submission, mistakes):
    """With gradient norms on both sides of 1, is it weight * mean_i (||g_i|| - 1)^2?"""
    args = _quadratic_args("gp norms")
    result = submission.probe("gradient_penalty", probes.penalty_with_critic, *args)
    _no_penalty_gradient(result)
    kind, expected = _penalty_kind(result, args[2], args[3])
    if kind == "per_sample":
        return
    if kind == "no_call":
        fail(_("gradient_penalty did not call the critic (eagerly) on a batch of interpolates."))
    details = {
        "whole_batch": _(
            " That is one norm over the whole batch (the book's bug: the gradient of a list of "
            "inputs comes back as a list, and summing over axes 1 to 4 then sums over the "
            "batch too)."
        ),
        "squared": _(" That is the penalty on the squared norm; use (||g|| - 1)^2."),
        "mean_first": _(
            " That is the mean norm of the batch compared with 1; penalise each sample's norm, "
            "then take the mean."
        ),
        "one_sided": _(
            " That penalises only norms above 1 (the one-sided penalty); the task's penalty is "
            "two-sided, (||g|| - 1)^2 for every sample."
        ),
        "root_mean_square": _(
            " That is the penalty on the root of the MEAN of each sample's squared gradient "
            "entries; the norm is the root of their SUM, sqrt(sum(g^2)) over axes 1 to 3."
        ),
        "wrt_real": _(
            " That is the penalty of eps_i times each gradient: the gradient was taken with "
            "respect to real_images (through eps_i * real_i), not the interpolates; take it with "
            "respect to the interpolates the critic was called on."
        ),
        "wrt_fake": _(
            " That is the penalty of (1 - eps_i) times each gradient: the gradient was taken "
            "with respect to fake_images, not the interpolates; take it with respect to the "
            "interpolates the critic was called on."
        ),
    }
    fail(
        _(
            "For a critic whose gradient norm differs from sample to sample (from below 1 to "
            "above 1), gradient_penalty returned {value:.5f}, but weight * mean_i "
            "(||g_i|| - 1)^2 at the points your critic was called on is {expected:.5f}.{detail}"
        ).format(value=_scalar(result["value"]), expected=expected, detail=details.get(kind, "")),
        lambda: mistakes.explain(
            "gradient_penalty",
            lambda ns: probes.penalty_with_critic(ns, *args),
            result,
            _same_kind(lambda r: _penalty_kind(r, args[2], args[3])[0]),
        ),
    )


@pytest.mark.part("gradient_penalty")
def test_the_penalty_trains_the_critic(submission, mistakes):
    """Does the penalty's gradient reach the critic's weights (a gradient of a gradient)?"""
    rng = seeded_rng("gp kernel")
    kernel = rng.normal(size=(28 * 28, 1))
    kernel = (kernel / np.linalg.norm(kernel) * rng.uniform(0.3, 0.7)).astype(np.float32)
    real, fake = _images("gp grad real"), _images("gp grad fake")
    args = (kernel, real, fake, 10.0)
    result = submission.probe("gradient_penalty", probes.penalty_kernel_gradient, *args)
    norm = float(np.linalg.norm(kernel))
    expected = 2 * 10.0 * (norm - 1.0) * kernel / norm  # d/dw of 10 (||w|| - 1)^2
    explain = _named(
        mistakes,
        "gradient_penalty",
        probes.penalty_kernel_gradient,
        *args,
        key="gradient",
        same=lambda a, b: (a is None and b is None) or _close(1e-3, 1e-5)(a, b),
    )
    if result["gradient"] is None:
        right_value = math.isclose(_scalar(result["value"]), 10.0 * (norm - 1.0) ** 2, rel_tol=1e-3)
        fail(
            _(
                "The penalty has no gradient with respect to the critic's weights, so it cannot "
                "train the critic. It has one when the inner gradient (of the critic's scores "
                "with respect to the interpolated images) is taken with a tape and stays a "
                "TensorFlow tensor all the way to the penalty."
            ),
            # Many mistakes leave no gradient; a known one is named only where the penalty's
            # value is right, as it is for a gradient stopped after computing it.
            explain(None) if right_value else None,
        )
    assert_close(
        result["gradient"],
        expected,
        _(
            "The gradient of the penalty with respect to a linear critic's kernel (it should be "
            "the derivative of weight * (||w|| - 1)^2)"
        ),
        1e-3,
        1e-5,
        explain=explain(result["gradient"]),
    )


def _linear_critic(label, channels, norms):
    """A linear critic's weights (1, 28, 28, channels) whose channel c has norm norms[c]."""
    rng = seeded_rng(label)
    w = rng.normal(size=(1, 28, 28, channels))
    w = w / np.sqrt(np.sum(w**2, axis=(0, 1, 2), keepdims=True)) * np.asarray(norms)
    return w.astype(np.float32)


@pytest.mark.part("gradient_penalty")
def test_the_penalty_scales_with_its_weight(submission, mistakes):
    """For f(x) = <w, x>, is gradient_penalty(..., weight) weight * (||w|| - 1)^2 for weights
    other than 10?"""
    rng = seeded_rng("gp weights")
    weights = [float(np.round(rng.uniform(0.5, 4.0), 2)), float(np.round(rng.uniform(20, 60), 1))]
    w = _linear_critic("gp weight w", 1, [rng.uniform(0.3, 0.7)])
    norm = float(np.linalg.norm(w))
    real, fake = _images("gp weight real"), _images("gp weight fake")
    for weight in weights:
        args = ("linear", w, real, fake, weight)
        result = submission.probe("gradient_penalty", probes.penalty_with_critic, *args)
        _no_penalty_gradient(result)
        value, expected = _scalar(result["value"]), weight * (norm - 1.0) ** 2
        ignored = math.isclose(value, 10.0 * (norm - 1.0) ** 2, rel_tol=1e-3)
        check(
            math.isclose(value, expected, rel_tol=1e-3),
            _(
                "For a linear critic f(x) = <w, x> with ||w|| = {norm:.4f}, "
                "gradient_penalty(..., weight={weight}) should be weight * (||w|| - 1)^2 = "
                "{expected:.5f}; yours is {value:.5f}.{detail}"
            ).format(
                norm=norm,
                weight=weight,
                expected=expected,
                value=value,
                detail=_(" That is the value for weight 10: use the weight argument.")
                if ignored
                else "",
            ),
            _named(mistakes, "gradient_penalty", probes.penalty_with_critic, *args, key="value")(
                result["value"]
            ),
        )


@pytest.mark.part("gradient_penalty")
def test_the_norm_covers_every_channel(submission, mistakes):
    """For images with 3 channels and f(x) = <w, x>, is the penalty weight * (||w|| - 1)^2,
    the norm over every axis but the batch (1, 2, 3), not one norm per channel?"""
    rng = seeded_rng("gp channels")
    norms = rng.uniform(0.15, 0.5, size=3)
    w = _linear_critic("gp channels w", 3, norms)
    images = seeded_rng("gp channels images").uniform(-1, 1, size=(2, 6, 28, 28, 3))
    real, fake = images.astype(np.float32)
    args = ("linear", w, real, fake, 10.0)
    result = submission.probe("gradient_penalty", probes.penalty_with_critic, *args)
    _no_penalty_gradient(result)
    norm = float(np.linalg.norm(w))
    value, expected = _scalar(result["value"]), 10.0 * (norm - 1.0) ** 2
    per_channel = 10.0 * float(np.mean((norms - 1.0) ** 2))
    check(
        math.isclose(value, expected, rel_tol=1e-3),
        _(
            "For images of shape (batch, 28, 28, 3) and a linear critic f(x) = <w, x> with "
            "||w|| = {norm:.4f} over all its axes, gradient_penalty(..., weight=10) should be "
            "10 * (||w|| - 1)^2 = {expected:.5f}; yours is {value:.5f}.{detail}"
        ).format(
            norm=norm,
            expected=expected,
            value=value,
            detail=_(
                " That is one norm per channel (the sum over axes 1 and 2 only): take the "
                "norm over every axis but the batch, (1, 2, 3)."
            )
            if math.isclose(value, per_channel, rel_tol=1e-3)
            else "",
        ),
        _named(mistakes, "gradient_penalty", probes.penalty_with_critic, *args, key="value")(
            result["value"]
        ),
    )


def _traced_kind(result):
    """'error:<name>', 'same' (the two calls of one traced function agree) or 'differ'."""
    if result.get("error"):
        return f"error:{result['error']}"
    first, second = (_scalar(v) for v in result["values"])
    if not (math.isfinite(first) and math.isfinite(second)):
        return "no_value"
    if first != second:
        return "differ"
    direct = result.get("direct")
    if direct and _scalar(direct[0]) == _scalar(direct[1]):
        return "same_everywhere"  # no random epsilon at all, traced or not
    return "same"


@pytest.mark.part("gradient_penalty")
def test_epsilon_is_drawn_anew_in_a_tf_function(submission, mistakes):
    """Called twice through one tf.function (as in the training step), does the penalty draw
    new epsilons each call (tf.random.uniform), not ones frozen when it was traced?"""
    args = _quadratic_args("gp traced")
    result = submission.probe("gradient_penalty", probes.penalty_in_tf_function, *args)
    kind = _traced_kind(result)
    if kind == "differ":
        return
    explain = lambda: mistakes.explain(  # noqa: E731
        "gradient_penalty",
        lambda ns: _traced_kind(probes.penalty_in_tf_function(ns, *args)),
        kind,
        lambda a, b: a == b,
    )
    if kind == "same":
        fail(
            _(
                "Called twice through one tf.function on the same images (with a critic whose "
                "penalty depends on epsilon), gradient_penalty returned the same value "
                "{value:.6g} both times: its epsilons were drawn once, when TensorFlow traced "
                "the function (NumPy's random functions run only then). Draw epsilon with "
                "tf.random.uniform, so that every call of the training step gets new ones."
            ).format(value=_scalar(result["values"][0])),
            explain,
        )
    if kind == "same_everywhere":
        fail(
            _(
                "Called twice on the same images, directly and through one tf.function (with "
                "a critic whose penalty depends on epsilon), gradient_penalty returned the same "
                "value {value:.6g} every time: it does not depend on a random epsilon drawn "
                "anew for each call."
            ).format(value=_scalar(result["values"][0])),
            explain,
        )
    if kind == "no_value":
        fail(
            _(
                "Called through a tf.function, gradient_penalty returned no finite scalar "
                "penalty (a scalar tensor is expected)."
            ),
            explain,
        )
    fail(
        _(
            "Inside a tf.function (where the training step calls it) gradient_penalty raised "
            "{error}. There every step works on symbolic tensors, whose values (and sometimes "
            "sizes) are unknown while tracing: TensorFlow operations only (no NumPy function, "
            "no .numpy()), and tf.shape(x) for a size."
        ).format(error=kind.partition(":")[2]),
        explain,
    )
