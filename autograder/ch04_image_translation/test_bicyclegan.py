"""Hidden checks of BicycleGAN: the latent encoder and its sampling, the code joined to the
drawing, the KL and latent-regression losses, the training steps and the trained generator.

Every check gets its values through a probe (probes_bicyclegan.py) and judges them here,
against the reference's values or the mathematics. The steps run with stand-in losses and
sampling (probes_bicyclegan.STAND_INS) on tiny networks built in the probe. Sizes differ from
the notebook's (other code sizes, filters and channels, images that are not square), so code
must be built from its arguments.
"""

from functools import partial
from pathlib import Path

import numpy as np
import probes_bicyclegan as probes
import pytest

from igcourse.grading import architecture
from igcourse.grading.checks import assert_close, check, fail, first_of, seeded_rng
from igcourse.grading.handed_in import fail_unless_loaded
from igcourse.grading.mutants import same_values
from igcourse.grading.public import public_checks_test
from igcourse.i18n import _

PART_NAMES = {
    "latent_encoder": ["build_latent_encoder", "sample_latent"],
    "latent_injection": ["tile_latent", "join_latent"],
    "bicycle_losses": ["kl_divergence", "latent_regression_loss"],
    "bicycle_steps": ["make_bicycle_steps"],
    "trained_bicyclegan": [],  # handed in: graded from the files beside the notebook
}

test_public_checks = public_checks_test("ch04_image_translation", PART_NAMES, probes)

SEED = 5
ENCODER_SIZES = (3, 3, 2)  # (z_dim, filters, channels): not the notebook's


def _close(rtol=1e-4, atol=1e-5):
    """same= for the zoo: equal within tolerance, lists of arrays of any shapes element-wise."""
    return partial(same_values, rtol=rtol, atol=atol)


def _explain(mistakes, part, probe, value, key):
    return partial(mistakes.explain, part, lambda ns: probe(ns)[key], value.get(key), _close())


# ---------------------------------------------------------------- latent_encoder
@pytest.fixture(scope="module")
def encoder(submission, reference):
    value = submission.probe("latent_encoder", probes.encoder_facts, *ENCODER_SIZES, SEED)
    return value, reference.probe("latent_encoder", probes.encoder_facts, *ENCODER_SIZES, SEED)


def _encoder_probe(ns):
    return probes.encoder_facts(ns, *ENCODER_SIZES, SEED)


def _two_outputs(value):
    z_dim = ENCODER_SIZES[0]
    check(
        value["count"] == 2 and value.get("shapes") == [[4, z_dim], [4, z_dim]],
        _(
            "build_latent_encoder({z_dim}, {filters}, {channels}) must return a model with two "
            "outputs, [mu, log_var], each of shape (4, {z_dim}) for 4 shoes; it returned "
            "{count} output(s) of shapes {shapes}."
        ).format(
            z_dim=z_dim,
            filters=ENCODER_SIZES[1],
            channels=ENCODER_SIZES[2],
            count=value["count"],
            shapes=value.get("shapes", "-"),
        ),
    )


@pytest.mark.property
@pytest.mark.part("latent_encoder")
def test_the_encoder_returns_mu_and_log_var(submission, encoder):
    """Two outputs of shape (B, z_dim) for other sizes than the notebook's?"""
    _two_outputs(encoder[0])


@pytest.mark.part("latent_encoder")
def test_the_encoder_has_the_tables_layers(submission, encoder, mistakes):
    """Are the encoder's weights of the table's shapes, in the table's order?"""
    value, expected = encoder
    check(
        value["weight_shapes"] == expected["weight_shapes"],
        _(
            "build_latent_encoder{sizes}'s weights have shapes {got}; the table's are {want}."
        ).format(sizes=ENCODER_SIZES, got=value["weight_shapes"], want=expected["weight_shapes"]),
        first_of(
            _explain(mistakes, "latent_encoder", _encoder_probe, value, "weight_shapes"),
            partial(
                architecture.differences,
                value["plan"],
                expected["plan"],
                _("Your encoder's layers"),
            ),
        ),
    )


@pytest.mark.part("latent_encoder")
def test_the_encoder_computes_the_tables_function(submission, encoder, mistakes):
    """With the same seeded weights as the table's encoder: the same mu and log_var?"""
    value, expected = encoder
    _two_outputs(value)
    for key, what in (("mu", "mu"), ("log_var", "log_var")):
        assert_close(
            value[key],
            expected[key],
            _("the encoder's {what} with the same weights as the table's encoder").format(
                what=what
            ),
            1e-4,
            1e-4,
            first_of(
                _explain(mistakes, "latent_encoder", _encoder_probe, value, key),
                partial(
                    architecture.differences,
                    value["plan"],
                    expected["plan"],
                    _("Your encoder's layers"),
                ),
            ),
        )


SAMPLE_SHAPE = (5, 3)


def _sample_inputs():
    rng = seeded_rng("bicyclegan sample")
    return [rng.normal(size=SAMPLE_SHAPE).astype(np.float32) for _ in range(3)]


@pytest.mark.defining
@pytest.mark.part("latent_encoder")
def test_sample_latent_is_the_reparameterisation(submission, mistakes):
    """z = mu + exp(log_var / 2) * noise, with gradients 1 for mu and z's share for log_var?"""
    mu, log_var, noise = _sample_inputs()
    value = submission.probe("latent_encoder", probes.sample_values, mu, log_var, noise)
    explain = partial(
        mistakes.explain,
        "latent_encoder",
        lambda ns: probes.sample_values(ns, mu, log_var, noise)["z"],
        value["z"],
        _close(),
    )
    check(
        value["repeatable"],
        _(
            "sample_latent gave two different z for the same mu, log_var and noise: use the "
            "noise it is given (the training step draws it), do not draw your own."
        ),
    )
    std = np.exp(0.5 * log_var)
    assert_close(
        value["z"],
        mu + std * noise,
        _(
            "sample_latent(mu, log_var, noise) (mu + exp(log_var / 2) * noise: the standard "
            "deviation is exp(log_var / 2))"
        ),
        1e-4,
        1e-5,
        explain,
    )
    gradients = value["gradients"]
    check(
        all(g is not None for g in gradients),
        _(
            "sample_latent's output has no gradient with respect to mu or log_var: compute it "
            "with TensorFlow or keras.ops from them, so that the encoder can learn."
        ),
        explain,
    )
    assert_close(
        gradients[1],
        0.5 * std * noise,
        _("the gradient of sample_latent with respect to log_var"),
        1e-4,
        1e-5,
        explain,
    )


# ---------------------------------------------------------------- latent_injection
INJECTION_CODE, INJECTION_IMAGES = (3, 4), (3, 5, 6, 2)  # (B, z_dim); (B, H, W, C), H != W


@pytest.fixture(scope="module")
def injection(submission, reference):
    rng = seeded_rng("bicyclegan injection")
    z = rng.normal(size=INJECTION_CODE).astype(np.float32)
    images = rng.uniform(-1, 1, INJECTION_IMAGES).astype(np.float32)
    value = submission.probe("latent_injection", probes.injection_values, z, images)
    expected = reference.probe("latent_injection", probes.injection_values, z, images)
    return value, expected, (z, images)


def _injection_explain(mistakes, value, key, inputs):
    return partial(
        mistakes.explain,
        "latent_injection",
        lambda ns: probes.injection_values(ns, *inputs)[key],
        value[key],
        _close(),
    )


def _raised_in(value, key, call):
    if isinstance(value[key], dict):
        fail(_("{call} raised {error}.").format(call=call, error=value[key]["error"]))


@pytest.mark.defining
@pytest.mark.part("latent_injection")
def test_tile_latent_copies_the_code_to_every_pixel(submission, injection, mistakes):
    """tile_latent(z (3, 4), 5, 6): shape (3, 5, 6, 4), every pixel of sample b holding z[b]?"""
    value, expected, inputs = injection
    _raised_in(value, "tiled", "tile_latent(z of shape (3, 4), 5, 6)")
    got = np.asarray(value["tiled"])
    check(
        got.shape == (3, 5, 6, 4),
        _(
            "tile_latent(z of shape (3, 4), 5, 6) gave shape {shape}, expected (3, 5, 6, 4), "
            "(B, height, width, z_dim): the code repeated over height and width (tf.tile's "
            "multiples [1, height, width, 1] for z reshaped to (B, 1, 1, z_dim))."
        ).format(shape=got.shape),
        _injection_explain(mistakes, value, "tiled", inputs),
    )
    assert_close(
        got,
        expected["tiled"],
        _("tile_latent's output (pixel (i, j) of sample b must hold z[b])"),
        1e-6,
        1e-6,
        _injection_explain(mistakes, value, "tiled", inputs),
    )


@pytest.mark.part("latent_injection")
def test_join_latent_puts_the_image_first_then_the_code(submission, injection, mistakes):
    """join_latent(images (3, 5, 6, 2), z (3, 4)) -> (3, 5, 6, 6): image channels, then z?"""
    value, expected, inputs = injection
    _raised_in(value, "joined", "join_latent(images of shape (3, 5, 6, 2), z of shape (3, 4))")
    got = np.asarray(value["joined"])
    check(
        got.shape == (3, 5, 6, 6),
        _(
            "join_latent(images of shape (3, 5, 6, 2), z of shape (3, 4)) gave shape {shape}, "
            "expected (3, 5, 6, 6): the image's 2 channels and the code's 4 at every pixel."
        ).format(shape=got.shape),
        _injection_explain(mistakes, value, "joined", inputs),
    )
    assert_close(
        got,
        expected["joined"],
        _("join_latent's output (the image's channels first, then the tiled code)"),
        1e-6,
        1e-6,
        _injection_explain(mistakes, value, "joined", inputs),
    )


GENERATOR_SIZES = (3, 2)  # build_bicycle_generator(z_dim, filters)


@pytest.mark.part("latent_injection")
def test_the_generator_reads_the_drawing_and_the_code(submission, reference, mistakes):
    """The notebook's generator, built on join_latent, with seeded weights: 1 + z_dim input
    channels, and the reference's shoes for two codes?"""
    value = submission.probe("latent_injection", probes.generator_codes, *GENERATOR_SIZES, SEED)
    expected = reference.probe("latent_injection", probes.generator_codes, *GENERATOR_SIZES, SEED)
    explain = partial(
        mistakes.explain,
        "latent_injection",
        lambda ns: probes.generator_codes(ns, *GENERATOR_SIZES, SEED).get("shoes"),
        value.get("shoes"),
        _close(),
    )
    if "build_error" in value:
        fail(
            _(
                "build_bicycle_generator({z_dim}, {filters}) raised {error}: it calls your "
                "join_latent on a drawing (B, 32, 32, 1) and a code (B, {z_dim})."
            ).format(
                z_dim=GENERATOR_SIZES[0], filters=GENERATOR_SIZES[1], error=value["build_error"]
            ),
            explain,
        )
    z_dim = GENERATOR_SIZES[0]
    check(
        value["input_channels"] == 1 + z_dim,
        _(
            "The generator's first convolution reads {got} channels; a drawing of 1 channel "
            "joined with a code of {z_dim} gives {want}."
        ).format(got=value["input_channels"], z_dim=z_dim, want=1 + z_dim),
        explain,
    )
    for got, want in zip(value["shoes"], expected["shoes"], strict=True):
        assert_close(
            got,
            want,
            _("the generator's shoes (the same weights as the reference's, two codes)"),
            1e-4,
            1e-5,
            explain,
        )


# ---------------------------------------------------------------- bicycle_losses
@pytest.fixture(scope="module")
def losses(submission, reference):
    rng = seeded_rng("bicyclegan losses")
    inputs = [rng.normal(size=(5, 3)).astype(np.float32) for _ in range(4)]
    value = submission.probe("bicycle_losses", probes.loss_values, *inputs)
    return value, reference.probe("bicycle_losses", probes.loss_values, *inputs), inputs


def _loss_explain(mistakes, value, key, inputs):
    return partial(
        mistakes.explain,
        "bicycle_losses",
        lambda ns: probes.loss_values(ns, *inputs)[key],
        value[key],
        _close(),
    )


@pytest.mark.defining
@pytest.mark.part("bicycle_losses")
def test_the_kl_term_is_exact(submission, losses, mistakes):
    """KL of 5 codes of 3 numbers: 0.5 * sum over the code of (exp(lv) + mu^2 - 1 - lv), the
    mean over the batch, with its gradients?"""
    value, expected, inputs = losses
    explain = _loss_explain(mistakes, value, "kl", inputs)
    assert_close(
        value["kl"],
        expected["kl"],
        _(
            "kl_divergence(mu, log_var) for 5 codes of 3 numbers (0.5 * the sum over the code "
            "of exp(log_var) + mu^2 - 1 - log_var, then the mean over the batch)"
        ),
        1e-4,
        1e-6,
        explain,
    )
    gradients = value["kl_gradients"]
    check(
        all(g is not None for g in gradients),
        _("kl_divergence has no gradient with respect to mu or log_var: use keras.ops or tf."),
        explain,
    )
    for got, want, name in zip(gradients, expected["kl_gradients"], ("mu", "log_var"), strict=True):
        assert_close(
            got,
            want,
            _("the gradient of kl_divergence with respect to {name}").format(name=name),
            1e-4,
            1e-6,
            explain,
        )


@pytest.mark.part("bicycle_losses")
def test_the_latent_regression_is_the_mean_absolute_difference(submission, losses, mistakes):
    """latent_regression_loss(z, mu) = mean |z - mu| over every number?"""
    value, expected, inputs = losses
    assert_close(
        value["latent"],
        expected["latent"],
        _("latent_regression_loss(z, mu) (mean |z - mu| over every number)"),
        1e-4,
        1e-6,
        _loss_explain(mistakes, value, "latent", inputs),
    )


# ---------------------------------------------------------------- bicycle_steps
STEP_SEED = 8
GENERATOR_ENCODER, DISCRIMINATORS = (0, 1), (2, 3)
LATENT_ONLY = {"weights": (0.0, 0.0, 0.7), "adversarial": 0.0}


@pytest.fixture(scope="module")
def steps(submission, reference):
    value = submission.probe("bicycle_steps", probes.step_effects, STEP_SEED)
    return value, reference.probe("bicycle_steps", probes.step_effects, STEP_SEED)


@pytest.fixture(scope="module")
def latent_only(submission, reference):
    value = submission.probe("bicycle_steps", probes.step_effects, STEP_SEED, **LATENT_ONLY)
    return value, reference.probe("bicycle_steps", probes.step_effects, STEP_SEED, **LATENT_ONLY)


# One SGD step on the toy networks agrees between correct steps to about 1e-7.
STEP_RTOL, STEP_ATOL = 1e-4, 1e-5


def _step_explain(mistakes, value, name, options):
    return partial(
        mistakes.explain,
        "bicycle_steps",
        lambda ns: probes.step_effects(ns, STEP_SEED, **options)[f"{name}_after"],
        value[f"{name}_after"],
        _close(STEP_RTOL, STEP_ATOL),
    )


def _raised(value, name):
    returned = value[f"{name}_returned"]
    if isinstance(returned, dict):
        fail(_("{step} raised {error}.").format(step=name, error=returned["error"]))


def _check_updates(value, expected, name, own, mistakes, options=None, what=None):
    options = options or {}
    explain = _step_explain(mistakes, value, name, options)
    check(
        value["count"] == 2,
        _("make_bicycle_steps must return (generator_step, discriminator_step)."),
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
        _("{step} changed {changed}; {what} it must change {own} only.").format(
            step=name,
            changed=", ".join(n for n, c in zip(names, changed, strict=True) if c) or _("nothing"),
            what=what or "",
            own=", ".join(names[i] for i in own),
        ),
        explain,
    )
    for index in own:
        for got, want in zip(after[index], expected[f"{name}_after"][index], strict=True):
            assert_close(
                got,
                want,
                _("{network}'s variables after {step} (one SGD step)").format(
                    network=names[index], step=name
                ),
                STEP_RTOL,
                STEP_ATOL,
                explain,
            )


@pytest.mark.defining
@pytest.mark.part("bicycle_steps")
def test_the_generator_step_updates_the_generator_and_the_encoder(submission, steps, mistakes):
    """After generator_step: G one SGD step on total + latent_weight * latent, E on total
    alone, both discriminators untouched?"""
    value, expected = steps
    _check_updates(value, expected, "generator_step", GENERATOR_ENCODER, mistakes)


@pytest.mark.defining
@pytest.mark.part("bicycle_steps")
def test_the_latent_regression_updates_the_generator_only(submission, latent_only, mistakes):
    """With every term but the latent regression at 0: G moves, E does not?"""
    value, expected = latent_only
    _check_updates(
        value,
        expected,
        "generator_step",
        (0,),
        mistakes,
        LATENT_ONLY,
        _(
            "with every term but the latent regression at 0 (adversarial, image and KL), the "
            "latent regression alone trains the generator:"
        ),
    )


@pytest.mark.defining
@pytest.mark.part("bicycle_steps")
def test_the_discriminator_step_updates_both_discriminators_only(submission, steps, mistakes):
    """After discriminator_step: d_vae and d_lr one SGD step on loss_vae + loss_lr?"""
    value, expected = steps
    _check_updates(value, expected, "discriminator_step", DISCRIMINATORS, mistakes)


@pytest.mark.part("bicycle_steps")
def test_the_steps_return_what_they_computed(submission, steps, mistakes):
    """generator_step -> (total, latent, fake_vae, fake_lr); discriminator_step ->
    (loss_vae, loss_lr)?"""
    value, expected = steps
    for name, what in (
        ("generator_step", _("(total, latent, fake_vae, fake_lr), computed before the update")),
        (
            "discriminator_step",
            _("(loss_vae, loss_lr): d_vae on the shoes and fake_vae, d_lr on them and fake_lr"),
        ),
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
            "bicycle_steps",
            lambda ns, name=name: probes.step_effects(ns, STEP_SEED)[f"{name}_returned"],
            got,
            _close(STEP_RTOL, STEP_ATOL),
        )
        for index, (value_got, value_want) in enumerate(zip(got, want, strict=True)):
            assert_close(
                value_got,
                value_want,
                _("value {index} of what {step} returns, {what}").format(
                    index=index + 1, step=name, what=what
                ),
                STEP_RTOL,
                STEP_ATOL,
                explain,
            )


# ---------------------------------------------------------------- trained_bicyclegan
TRAINED_WEIGHTS = "bicyclegan_generator.weights.h5"
TRAINED_SETTINGS = "bicyclegan_generator.json"
SETTINGS_KEYS = ("z_dim", "filters", "channels")
HANDED_IN_DRAWINGS = 500


def _threshold(name):
    from igcourse.config import load_config

    root = Path(__file__).resolve().parents[2]
    return load_config(root).quality.thresholds["ch04_image_translation"][name]


def _test_drawings_or_skip():
    """500 test drawings (drawn with the grading salt) in [-1, 1], and their shoes' classes."""
    from igcourse.data.derived import build_edges2shoes
    from igcourse.data.fashion_mnist import DatasetNotFound

    try:
        test = build_edges2shoes("test", size=32)
    except DatasetNotFound as error:
        pytest.skip(str(error))
    rows = np.sort(seeded_rng("bicyclegan handed-in drawings").permutation(len(test.edges)))
    rows = rows[:HANDED_IN_DRAWINGS]
    edges = (test.edges[rows].astype(np.float32) / np.float32(127.5) - 1.0)[..., None]
    return edges, test.labels[rows]


def measure(first, second, labels):
    """Diversity (the mean distance in the evaluator's features between the two shoes of a
    drawing) and fidelity (the share of first shoes the evaluator files under the drawing's
    class)."""
    import tensorflow as tf

    from igcourse.evaluation import load_evaluator

    views = []
    for shoes in (first, second):
        shoes = np.clip(np.asarray(shoes, np.float32), -1, 1)
        small = tf.image.resize((shoes + 1) / 2, (28, 28), method="area").numpy()
        views.append(load_evaluator().features_and_probabilities(small))
    (features_1, probabilities_1), (features_2, _probabilities) = views
    return {
        "diversity": float(np.mean(np.linalg.norm(features_1 - features_2, axis=1))),
        "fidelity": float(np.mean(np.argmax(probabilities_1, axis=1) == np.asarray(labels))),
    }


@pytest.fixture(scope="module")
def handed_in(submission):
    """The handed-in generator's shoes for the test drawings with two codes each, measured."""
    edges, labels = _test_drawings_or_skip()
    result = submission.probe(
        None, probes.handed_in_generator, TRAINED_WEIGHTS, TRAINED_SETTINGS, edges, 0
    )
    shoes = result.get("shoes")
    if shoes is None:
        return result, None
    if any(np.shape(batch) != edges.shape for batch in shoes):
        return {"shape_error": list(np.shape(shoes[0]))}, None
    return result, measure(shoes[0], shoes[1], labels)


def _figures_or_fail(handed_in):
    result, figures = handed_in
    fail_unless_loaded(
        result, "build_bicycle_generator", TRAINED_WEIGHTS, TRAINED_SETTINGS, SETTINGS_KEYS
    )
    if figures is None:
        fail(
            _(
                "The handed-in generator maps (N, 32, 32, 1) drawings to shape {shape}; a shoe "
                "per drawing, (N, 32, 32, 1), is expected."
            ).format(shape=tuple(result.get("shape_error", ())))
        )
    return figures


@pytest.mark.handed_in
@pytest.mark.part("trained_bicyclegan")
def test_the_handed_in_generator_draws_other_shoes_for_other_codes(submission, handed_in):
    """Are the shoes that two random codes give a drawing far apart in the evaluator's
    features?"""
    figures = _figures_or_fail(handed_in)
    least = _threshold("bicyclegan_diversity_min")
    check(
        figures["diversity"] >= least,
        _(
            "Two random codes give your generator's shoes for the same drawing that lie "
            "{distance:.2f} apart in the evaluator's features (the mean over {count} test "
            "drawings); the course asks for at least {limit:.2f}. The generator ignores its "
            "code: check join_latent, the latent regression (it trains the generator to keep "
            "the code readable) and the KL term's weight, and train longer."
        ).format(distance=figures["diversity"], count=HANDED_IN_DRAWINGS, limit=least),
    )


@pytest.mark.handed_in
@pytest.mark.part("trained_bicyclegan")
def test_the_handed_in_generator_keeps_the_drawings_kind_of_shoe(submission, handed_in):
    """Does the evaluator file the shoes drawn with random codes under the drawing's class?"""
    figures = _figures_or_fail(handed_in)
    least = _threshold("bicyclegan_fidelity_min")
    check(
        figures["fidelity"] >= least,
        _(
            "The evaluator files {share:.0%} of your generator's shoes (a random code for each "
            "of {count} test drawings) under the drawing's own kind of shoe (sandal, sneaker "
            "or ankle boot); the course asks for {limit:.0%}. Train longer, and check the "
            "image term of the cVAE-GAN path (L1 to the real shoe, image_weight)."
        ).format(share=figures["fidelity"], count=HANDED_IN_DRAWINGS, limit=least),
    )
