"""Do chapter 3's public checks pass the reference, and fail stubs and wrong answers helpfully?"""

import textwrap
from pathlib import Path

import pytest

from igcourse.checks import check_part, public_checks
from igcourse.export import read_notebook, reference_module_source, submission_module_source
from igcourse.grading.course import chapter_parts

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = "ch03_gan"
SOURCE = ROOT / "source" / CHAPTER
PARTS = {notebook: list(parts) for notebook, parts in chapter_parts(ROOT, CHAPTER).items()}
NOTEBOOK_OF = {part: notebook for notebook, parts in PARTS.items() for part in parts}
ALL_PARTS = [part for parts in PARTS.values() for part in parts]


def _execute(source, path):
    """Run module source from a real file, so that tf.function's autograph can read it."""
    path.write_text(source)
    namespace = {"__name__": path.stem}
    exec(compile(source, str(path), "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def sources():
    """The reference module of each notebook, and the module of its untouched release stub."""
    from nbgrader.preprocessors import ClearSolutions

    result = {}
    for notebook in PARTS:
        master = read_notebook(SOURCE / f"{notebook}.ipynb")
        reference = reference_module_source(master, notebook)
        released, _ = ClearSolutions().preprocess(read_notebook(SOURCE / f"{notebook}.ipynb"), {})
        result[notebook] = {"reference": reference, "stub": submission_module_source(released)}
    return result


def _namespace(sources, tmp_path, part, kind="reference", patch=""):
    source = sources[NOTEBOOK_OF[part]][kind] + "\n\n" + textwrap.dedent(patch)
    return _execute(source, tmp_path / f"{NOTEBOOK_OF[part]}_{kind}.py")


def _run(part, namespace, capsys):
    try:
        check_part(CHAPTER, part, namespace)
    except AssertionError:
        return False, capsys.readouterr().out
    return True, capsys.readouterr().out


def test_every_part_has_public_checks():
    assert sorted(public_checks(CHAPTER)) == sorted(ALL_PARTS)


def test_check_cells_call_their_part():
    for notebook, parts in PARTS.items():
        found = {}
        for cell in read_notebook(SOURCE / f"{notebook}.ipynb").cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            if grade_id.endswith("_check"):
                found[grade_id[: -len("_check")]] = cell.source
        assert sorted(found) == sorted(parts)
        for part, source in found.items():
            assert source == f'check_part("{CHAPTER}", "{part}", globals())'


@pytest.mark.parametrize("part", ALL_PARTS)
def test_reference_passes(part, sources, tmp_path, capsys):
    passed, report = _run(part, _namespace(sources, tmp_path, part), capsys)
    assert passed, report
    assert "\u2717" not in report


@pytest.mark.parametrize("part", ALL_PARTS)
def test_release_stub_fails(part, sources, tmp_path, capsys):
    passed, report = _run(part, _namespace(sources, tmp_path, part, kind="stub"), capsys)
    assert not passed
    assert "not implemented yet" in report


# Each mutant: (part, a realistic wrong answer run on top of the reference, a phrase the report
# must contain so that the student knows what to fix).
MUTANTS = {
    "d_loss_swapped_labels": (
        "discriminator_loss",
        """
        _reference_d_loss = discriminator_loss
        def discriminator_loss(real_logits, fake_logits):
            return _reference_d_loss(-real_logits, -fake_logits)
        """,
        "labels look swapped",
    ),
    "d_loss_sigmoid_first": (
        "discriminator_loss",
        """
        _reference_d_loss = discriminator_loss
        def discriminator_loss(real_logits, fake_logits):
            return _reference_d_loss(tf.sigmoid(real_logits), tf.sigmoid(fake_logits))
        """,
        "sigmoid was applied",
    ),
    "d_loss_log_sigmoid": (
        "discriminator_loss",
        """
        def discriminator_loss(real_logits, fake_logits):
            real = -tf.reduce_mean(tf.math.log(tf.sigmoid(real_logits)))
            return real - tf.reduce_mean(tf.math.log(1 - tf.sigmoid(fake_logits)))
        """,
        "not log(sigmoid(l))",
    ),
    "g_loss_saturating": (
        "generator_loss",
        """
        def generator_loss(fake_logits):
            return tf.reduce_mean(tf.math.log(1 - tf.sigmoid(fake_logits)))
        """,
        "saturating minimax loss",
    ),
    "g_loss_sigmoid_first": (
        "generator_loss",
        """
        _reference_g_loss = generator_loss
        def generator_loss(fake_logits):
            return _reference_g_loss(tf.sigmoid(fake_logits))
        """,
        "sigmoid was applied",
    ),
    "generator_sigmoid_output": (
        "dcgan_models",
        """
        _reference_generator = build_generator
        def build_generator(z_dim=100, filters=32):
            g = _reference_generator(z_dim, filters)
            return keras.Model(g.inputs, keras.layers.Activation("sigmoid")(g.layers[-2].output))
        """,
        "tanh",
    ),
    "discriminator_sigmoid_output": (
        "dcgan_models",
        """
        _reference_discriminator = build_discriminator
        def build_discriminator(filters=32):
            d = _reference_discriminator(filters)
            return keras.Model(d.inputs, keras.layers.Activation("sigmoid")(d.outputs[0]))
        """,
        "without an activation",
    ),
    "g_step_updates_both": (
        "train_steps",
        """
        _reference_steps = make_gan_steps
        def make_gan_steps(generator, discriminator, g_optimizer, d_optimizer):
            d_step, _g = _reference_steps(generator, discriminator, g_optimizer, d_optimizer)
            @tf.function
            def g_step(z):
                with tf.GradientTape() as tape:
                    loss = generator_loss(discriminator(generator(z, training=True)))
                variables = generator.trainable_variables + discriminator.trainable_variables
                g_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
                return loss
            return d_step, g_step
        """,
        "g_step changed the discriminator",
    ),
}


@pytest.mark.parametrize("mutant", sorted(MUTANTS))
def test_mutant_fails_with_a_hint(mutant, sources, tmp_path, capsys):
    part, patch, phrase = MUTANTS[mutant]
    passed, report = _run(part, _namespace(sources, tmp_path, part, patch=patch), capsys)
    assert not passed, report
    assert phrase in report, report


WGAN_MUTANTS = {
    "critic_loss_flipped": (
        "wasserstein_losses",
        """
        def critic_loss(real_scores, fake_scores):
            return tf.reduce_mean(real_scores) - tf.reduce_mean(fake_scores)
        """,
        "sign is flipped",
    ),
    "clip_batch_norm_statistics": (
        "weight_clipping",
        """
        def clip_critic_weights(critic, clip_value):
            for layer in critic.layers:
                weights = layer.get_weights()
                layer.set_weights([np.clip(w, -clip_value, clip_value) for w in weights])
        """,
        "moving mean or variance",
    ),
    "wgan_step_one_critic_update": (
        "wgan_train_step",
        """
        _reference_step = make_wgan_train_step
        def make_wgan_train_step(generator, critic, g_optimizer, c_optimizer, n_critic=5,
                                 clip_value=None, gp_weight=0.0):
            return _reference_step(generator, critic, g_optimizer, c_optimizer, 1, clip_value,
                                   gp_weight)
        """,
        "3 SGD steps",
    ),
    "gp_whole_batch_norm": (
        "gradient_penalty",
        """
        def gradient_penalty(critic, real_images, fake_images, weight=10.0):
            epsilon = tf.random.uniform((real_images.shape[0], 1, 1, 1))
            interpolates = epsilon * real_images + (1 - epsilon) * fake_images
            with tf.GradientTape() as tape:
                tape.watch(interpolates)
                scores = critic(interpolates, training=True)
            gradients = tape.gradient(scores, [interpolates])
            norm = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=[1, 2, 3, 4]))
            return weight * tf.reduce_mean((norm - 1.0) ** 2)
        """,
        "one norm over the whole batch",
    ),
    "gp_epsilon_per_pixel": (
        "gradient_penalty",
        """
        _reference_gp = gradient_penalty
        def gradient_penalty(critic, real_images, fake_images, weight=10.0):
            epsilon = tf.random.uniform(tf.shape(real_images))
            interpolates = epsilon * real_images + (1 - epsilon) * fake_images
            with tf.GradientTape() as tape:
                tape.watch(interpolates)
                scores = critic(interpolates, training=True)
            norms = tf.norm(tf.reshape(tape.gradient(scores, interpolates), (len(scores), -1)),
                            axis=1)
            return weight * tf.reduce_mean((norms - 1.0) ** 2)
        """,
        "shape (batch, 1, 1, 1)",
    ),
}


@pytest.mark.parametrize("mutant", sorted(WGAN_MUTANTS))
def test_wgan_mutant_fails_with_a_hint(mutant, sources, tmp_path, capsys):
    part, patch, phrase = WGAN_MUTANTS[mutant]
    passed, report = _run(part, _namespace(sources, tmp_path, part, patch=patch), capsys)
    assert not passed, report
    assert phrase in report, report


MODE_MUTANTS = {
    "mixture_covariance_as_factor": (
        "mixture_sampling",
        """
        def sample_mixture(n, means, covariances, seed):
            rng = np.random.default_rng(seed)
            components = rng.integers(0, len(means), size=n)
            noise = rng.standard_normal((n, 2))
            points = means[components] + np.einsum("nij,nj->ni", covariances[components], noise)
            return points.astype(np.float32), components
        """,
        "not the covariance itself",
    ),
    "mixture_without_validation": (
        "mixture_sampling",
        """
        def sample_mixture(n, means, covariances, seed):
            rng = np.random.default_rng(seed)
            components = rng.integers(0, len(means), size=n)
            draws = [rng.multivariate_normal(means[k], covariances[k]) for k in components]
            points = np.stack(draws)
            return points.astype(np.float32), components
        """,
        "eigenvalues are -0.52 and 5.72",
    ),
    "coverage_ignores_min_share": (
        "mode_coverage",
        """
        def modes_covered(samples, means, radius, min_share=0.01):
            d = np.linalg.norm(samples[:, None] - means[None], axis=-1)
            return int((d <= radius).any(axis=0).sum())
        """,
        "min_share=0.1",
    ),
}


@pytest.mark.parametrize("mutant", sorted(MODE_MUTANTS))
def test_mode_collapse_mutant_fails_with_a_hint(mutant, sources, tmp_path, capsys):
    part, patch, phrase = MODE_MUTANTS[mutant]
    passed, report = _run(part, _namespace(sources, tmp_path, part, patch=patch), capsys)
    assert not passed, report
    assert phrase in report, report
