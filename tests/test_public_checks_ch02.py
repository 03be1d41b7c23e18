"""Do chapter 2's public checks pass the reference, and fail stubs and wrong answers helpfully?"""

from pathlib import Path

import pytest

from igcourse.checks import check_part, public_checks
from igcourse.export import read_notebook, reference_module_source, submission_module_source
from igcourse.grading.course import chapter_parts

CHAPTER = "ch02_vae"
ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "source" / CHAPTER
ZOO = ROOT / "autograder" / CHAPTER / "mutants"
PARTS = chapter_parts(ROOT, CHAPTER)
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
    """A namespace holding the reference (or stub) definitions, then `patch` run on top."""
    source = sources[NOTEBOOK_OF[part]][kind] + "\n\n" + patch
    return _execute(source, tmp_path / f"{NOTEBOOK_OF[part]}_{kind}.py")


def _run(part, namespace, capsys):
    """(passed, printed report) of check_part on a namespace."""
    try:
        check_part(CHAPTER, part, namespace)
    except AssertionError:
        return False, capsys.readouterr().out
    return True, capsys.readouterr().out


def test_every_part_has_public_checks():
    """Do the public checks cover exactly the parts of course_config.py?"""
    assert sorted(public_checks(CHAPTER)) == sorted(ALL_PARTS)


def test_check_cells_call_their_part():
    """Does each public check cell of the source notebooks run the checks of its own part?"""
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
    """Does the reference implementation pass every public check of each part?"""
    passed, report = _run(part, _namespace(sources, tmp_path, part), capsys)
    assert passed, report
    assert "\u2717" not in report


@pytest.mark.parametrize("part", ALL_PARTS)
def test_release_stub_fails(part, sources, tmp_path, capsys):
    """Does the untouched release stub fail each part, saying it is not implemented yet?"""
    passed, report = _run(part, _namespace(sources, tmp_path, part, kind="stub"), capsys)
    assert not passed
    assert "not implemented yet" in report


def test_missing_name_says_what_to_define(capsys):
    """Does a part whose class is missing ask the student to define it?"""
    passed, report = _run("sampling_layer", {}, capsys)
    assert not passed
    assert "define `GaussianSampling` in the cell above" in report


# Zoo mutants (autograder/ch02_vae/mutants) that the public checks catch too, with a phrase
# the report must contain so that the student knows what to fix.
CAUGHT = {
    "means_from_logvar": "not logvar",
    "means_drop_last_batch": "including the last",
    "statistics_per_image": "one value per latent dimension",
    "statistics_variance": "standard deviation should be",
    "vectors_one_batch": "first batch only",
    "vectors_minus_overall_mean": "all other images",
    "vectors_swapped": "all other images",
    "edit_subtracts": "add sum_c strengths[c] * vectors[c]",
    "edit_ignores_strengths": "add sum_c strengths[c] * vectors[c]",
    "samples_variance_as_std": "mean + std * epsilon",
    "samples_from_prior": "mean + std * epsilon",
    "ae_encoder_relu_code": "never negative",
    "ae_encoder_stride_one": "parameters",
    "ae_encoder_no_flatten": "should give codes (5, 2)",
    "ae_decoder_no_sigmoid": "sigmoid",
    "ae_decoder_wrong_strides": "(3, 28, 28, 1)",
    "ae_autoencoder_fresh_networks": "not from new ones",
    "grid_rows_bottom_up": "u[n - 1 - i]",
    "grid_transposed": "u[n - 1 - i]",
    "grid_misses_high": "u[n - 1 - i]",
    "sampling_sigma_exp_logvar": "exp(0.5 * logvar)",
    "sampling_noise_at_build": "draw new noise in call()",
    "sampling_zero_noise": "exactly 0",
    "sampling_one_noise_per_batch": "same noise",
    "sampling_unseeded": "SeedGenerator(seed)",
    "kl_wrong_sign": "check the sign",
    "kl_mean_over_latent": "averaged over the latent dimensions",
    "kl_summed_over_batch": "summed over the batch",
    "kl_without_one": "should be 0",
    "networks_decoder_no_sigmoid": "sigmoid",
    "networks_one_head": "own Dense layer",
    "networks_decoder_wrong_strides": "(2, 28, 28, 1)",
    "loss_reconstruction_mean_over_pixels": "averaged over the pixels",
    "loss_reconstruction_summed_over_batch": "summed over the batch",
    "train_decoder_fed_mean": "not the mean",
    "train_decoder_only": "did not change",
    "prior_uniform": "standard normal prior",
    "interpolate_misses_the_end": "np.linspace(0, 1, steps)",
}


@pytest.mark.parametrize("mutant", sorted(CAUGHT))
def test_zoo_mutant_fails_with_a_hint(mutant, sources, tmp_path, capsys):
    """Does each known wrong answer fail its part publicly, with a hint at the fix?"""
    from igcourse.grading.mutants import read_mutant

    path = ZOO / f"{mutant}.py"
    part = read_mutant(path).part
    namespace = _namespace(sources, tmp_path, part, patch=path.read_text())
    passed, report = _run(part, namespace, capsys)
    assert not passed, report
    assert CAUGHT[mutant] in report, report
