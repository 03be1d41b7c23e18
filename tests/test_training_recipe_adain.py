"""Does the AdaIN recipe train the reference's decoder on the reference's losses, on TensorFlow
and on JAX?

tests/test_training_recipes.py already runs every recipe for 3 steps on both backends; these
tests check what is particular to this one: its loss is the notebook's content loss plus the
weighted style loss of the decoder's images, the encoder stays frozen, and a short run lowers
the reconstruction error that the check of a handed-in decoder bounds.
"""

import json

import keras
import numpy as np
import pytest

from igcourse.training import load_recipe, reference
from igcourse.training.reporting import read_metrics
from igcourse.training.seeds import StepSeed
from igcourse.training.testing import run_code, train_command_code

SHORT_RUN = {"crop": 32, "pairs": 64, "test_pairs": 8, "batch_size": 4, "learning_rate": 1e-3}
STEPS = 60


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="needs the TF backend")
def test_the_loss_is_the_references_content_plus_weighted_style():
    adain = reference("ch05_style_transfer", "adain")
    recipe = load_recipe("adain", {**load_recipe("adain").smoke, "style_weight": 2.5})
    keras.utils.set_random_seed(0)
    models = recipe.build_models()
    rng = np.random.default_rng(0)
    batch = tuple(rng.integers(0, 256, size=(2, 32, 32, 3)).astype(np.uint8) for _ in range(2))
    got = recipe.loss(models, batch, StepSeed(np.array([3, 4])))

    contents, styles = (images.astype(np.float32) / 255.0 for images in batch)
    encoder, decoder = models["encoder"], models["decoder"]
    style_features = encoder(styles)
    target = adain.adain(encoder(contents)[-1], style_features[-1])
    features = encoder(decoder(target))
    content = adain.adain_content_loss(features[-1], target)
    style = adain.adain_style_loss(features, style_features)
    expected = {"loss": content + 2.5 * style, "content": content, "style": style}
    for name, value in expected.items():
        assert np.isclose(float(got[name]), float(value), rtol=1e-4), name
    assert not models["encoder"].trainable_variables  # only the decoder learns


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["tensorflow", "jax"])
def test_a_short_run_lowers_the_reconstruction_error(backend, tmp_path):
    """60 steps of batch 4 on 32-pixel crops from the command line, evaluated every 20."""
    argv = ["adain", "--backend", backend, "--steps", str(STEPS), "--out", str(tmp_path)]
    argv += ["--log-every", "20", "--eval-every", "20", "--sample-every", str(STEPS)]
    argv += ["--no-progress"]
    for key, value in {**load_recipe("adain").smoke, **SHORT_RUN}.items():
        argv += ["--set", f"{key}={value}"]
    done = run_code(train_command_code(argv), backend, timeout=400)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads((tmp_path / "config.json").read_text())["backend"] == backend
    evals = [r for r in read_metrics(tmp_path / "metrics.jsonl") if r["kind"] == "eval"]
    assert len(evals) >= 2, evals
    first, last = evals[0]["reconstruction"], evals[-1]["reconstruction"]
    assert np.isfinite(last) and last < first, (first, last)
