"""Do the committed evaluator weights load without training and reach 92% test accuracy?"""

import hashlib
import json
import os
import subprocess
import sys
import time

import numpy as np
import pytest

from igcourse.evaluation.classifier import FEATURE_DIM, load_evaluator, record_file, weights_file
from igcourse.evaluation.domains import DomainNotAvailable, load_split
from igcourse.evaluation.images import as_images
from igcourse.evaluation.reference import reference_features


@pytest.fixture(scope="module")
def test_split():
    try:
        return load_split("fashion_mnist", "test")
    except DomainNotAvailable as error:
        pytest.skip(str(error))


def test_the_weights_are_small_and_match_their_record():
    weights, record = weights_file(), json.loads(record_file().read_text())
    assert weights.stat().st_size < 1_000_000
    assert record["weights_sha256"] == hashlib.sha256(weights.read_bytes()).hexdigest()
    assert record["command"].startswith("python scripts/train_evaluator.py")


def test_test_accuracy_from_the_committed_weights_is_at_least_92_percent(test_split):
    started = time.perf_counter()
    features, probabilities, labels = reference_features("fashion_mnist")
    seconds = time.perf_counter() - started
    accuracy = (probabilities.argmax(axis=1) == labels).mean()
    print(f"evaluator test accuracy {accuracy:.4f} on {len(labels)} images in {seconds:.1f} s")
    assert len(labels) == 10_000 and accuracy >= 0.92
    assert features.shape == (10_000, FEATURE_DIM) and features.dtype == np.float32
    recorded = json.loads(record_file().read_text())["test_accuracy"]
    assert accuracy == pytest.approx(recorded, abs=2e-3)


def test_features_do_not_depend_on_the_batch_they_are_computed_in(test_split):
    images = test_split[0][:64][..., None] / 255.0
    evaluator = load_evaluator()
    one_batch, _p = evaluator.features_and_probabilities(images)
    small_batches, _p = evaluator.features_and_probabilities(images, batch_size=7)
    np.testing.assert_allclose(one_batch, small_batches, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize(
    ("images", "message"),
    [
        (np.zeros((4, 32, 32)), "expected shape"),
        (np.zeros((4, 28, 28), np.uint8), "divide by 255"),
        (np.full((4, 28, 28), 255.0), "divided by 255"),
        (-np.ones((4, 28, 28)), r"\(x \+ 1\) / 2"),
        (np.full((4, 28, 28), np.nan), "NaN"),
        (np.zeros((0, 28, 28)), "no images"),
    ],
)
def test_images_in_the_wrong_form_are_refused_with_a_hint(images, message):
    with pytest.raises(ValueError, match=message):
        as_images(images)


JAX_CHECK = """
import sys
import numpy as np
from igcourse.evaluation.classifier import load_evaluator
from igcourse.evaluation.domains import load_split
images, labels = load_split("fashion_mnist", "test")
features, _probabilities = load_evaluator().features_and_probabilities(images[:2000] / 255.0)
np.save(sys.argv[1], features)
"""


@pytest.mark.slow
def test_the_jax_backend_gives_the_same_features(test_split, tmp_path):
    """The weights are backend-neutral: on JAX they give TensorFlow's features."""
    pytest.importorskip("jax")
    out = tmp_path / "features.npy"
    run = subprocess.run(
        [sys.executable, "-c", JAX_CHECK, str(out)],
        env={**os.environ, "KERAS_BACKEND": "jax"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    jax_features = np.load(out)
    tf_features = reference_features("fashion_mnist")[0][:2000]
    np.testing.assert_allclose(jax_features, tf_features, rtol=1e-3, atol=1e-3)
