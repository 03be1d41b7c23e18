"""Does the pix2pix recipe train as chapter 4's notebook does?

tests/test_training_recipes.py already runs every recipe for 3 steps on both backends; these
tests check what is particular to this one: the notebook's settings; the jitter written again
in keras.ops crops and flips both images of a pair alike, at every offset the reference's can
take; the losses are the reference's on the jittered pair; the evaluator's 28 x 28 samples are
the area averages the hidden check measures, with the classes of the drawings translated.
"""

import keras
import numpy as np
import pytest
from keras import ops

from igcourse.training import load_recipe, reference
from igcourse.training.pixels import to_range
from igcourse.training.seeds import StepSeed

TF_ONLY = pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="needs TF backend")


def smoke(**extra):
    return load_recipe("pix2pix", {**load_recipe("pix2pix").smoke, **extra})


def module():
    import sys

    smoke()
    return sys.modules["igcourse_recipes.pix2pix"]


def test_settings_and_updates_are_the_notebooks():
    recipe = load_recipe("pix2pix")
    config = recipe.config
    assert (config.filters, config.channels, config.batch_size) == (16, 1, 32)
    assert (config.learning_rate, config.beta_1, config.l1_weight) == (2e-4, 0.5, 100.0)
    assert [(u.objective, u.trains) for u in recipe.updates()] == [
        ("d_loss", ("discriminator",)),
        ("g_loss", ("generator",)),
    ]
    assert recipe.target == ("test_l1", 0.27)


def test_the_jitter_treats_both_images_alike_at_every_offset_and_flip():
    """Each row of a drawing holds its row number and each column its column number; the
    shoe is the drawing plus 1000: after the jitter, shoe - drawing is 1000 everywhere (the
    same crop and flip), and over many seeds the top-left pixel shows every offset 0 to 4 and
    both flips."""
    jitter = module().jitter
    rows = np.arange(32, dtype=np.float32)[:, None] * 100 + np.arange(32, dtype=np.float32)
    drawing = np.broadcast_to(rows[None, :, :, None], (2, 32, 32, 1)).copy()
    corners, flips = set(), set()
    for index in range(60):
        got_drawing, got_shoe = jitter(
            ops.convert_to_tensor(drawing),
            ops.convert_to_tensor(drawing + 1000),
            StepSeed([index, 7]),
        )
        got_drawing, got_shoe = np.asarray(got_drawing), np.asarray(got_shoe)
        assert got_drawing.shape == got_shoe.shape == (2, 32, 32, 1)
        np.testing.assert_array_equal(got_shoe - got_drawing, 1000)
        np.testing.assert_array_equal(got_drawing[0], got_drawing[1])  # one crop per batch
        left_to_right = got_drawing[0, 0, -1, 0] > got_drawing[0, 0, 0, 0]
        flips.add(bool(left_to_right))
        corners.add(float(got_drawing[0, 0, 0, 0] if left_to_right else got_drawing[0, 0, -1, 0]))
    # Nearest resizing to 36 maps 36 rows onto 32: the crops start at source rows 0 to 4 or so;
    # what matters is five different starts in each direction.
    tops = {corner // 100 for corner in corners}
    lefts = {corner % 100 for corner in corners}
    assert flips == {True, False}
    assert len(tops) == 5 and len(lefts) == 5, (sorted(tops), sorted(lefts))


@TF_ONLY
def test_the_losses_are_the_references_on_the_jittered_pair():
    recipe = smoke(filters=4)
    pix2pix = reference("ch04_image_translation", "pix2pix")
    models = recipe.build_models()
    rng = np.random.default_rng(0)
    drawings = rng.integers(0, 256, (4, 32, 32, 1)).astype(np.uint8)
    shoes = rng.integers(0, 256, (4, 32, 32, 1)).astype(np.uint8)
    jittered = recipe._pairs((drawings, shoes), StepSeed([3, 4]))
    generated = models["generator"](jittered[0], training=True)
    fake_logits = models["discriminator"]([jittered[0], generated], training=True)
    expected = pix2pix.generator_loss(fake_logits, generated, jittered[1], 100.0)
    got = recipe.g_loss(models, (drawings, shoes), StepSeed([3, 4]))
    # Dropout in the decoder draws anew: the adversarial part agrees to a tolerance, the L1
    # part is logged on its own and must be the mean absolute difference to the shoe.
    assert float(got["g_loss"]) == pytest.approx(float(expected), rel=0.2)
    assert float(got["l1"]) == pytest.approx(
        float(np.mean(np.abs(np.asarray(jittered[1]) - np.asarray(generated)))), rel=0.2
    )
    d = recipe.d_loss(models, (drawings, shoes), StepSeed([3, 4]))["d_loss"]
    assert np.isfinite(float(d)) and float(d) > 0


def test_samples_are_area_averages_of_the_first_test_translations_with_their_classes():
    import tensorflow as tf

    recipe = smoke()
    models = recipe.build_models()
    drawings, _shoes, labels = module().edges_to_shoes("test")
    samples = np.asarray(recipe.sample(models, 6, StepSeed([0, 0])))
    translated = models["generator"](to_range(drawings[:6]), training=False)
    expected = tf.image.resize((np.asarray(translated) + 1) / 2, (28, 28), method="area")
    np.testing.assert_allclose(samples, expected.numpy(), atol=1e-5)
    np.testing.assert_array_equal(recipe.sample_labels(6), labels[:6])
    assert set(np.unique(labels)) == {5, 7, 9}  # sandals, sneakers, ankle boots
