"""Does the BicycleGAN recipe train as chapter 4's notebook does?

tests/test_training_recipes.py already runs every recipe for 3 steps on both backends; these
tests check what is particular to this one: the notebook's settings and order of updates; one
objective whose gradients are the notebook's two (the generator's of total + latent_weight *
latent, the encoder's of total alone, the latent regression reading the shoe through an
encoder whose weights it cannot move); the losses are the reference's; the evaluations draw
what the hidden checks measure.
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
    return load_recipe("bicyclegan", {**load_recipe("bicyclegan").smoke, **extra})


def module():
    import sys

    smoke()
    return sys.modules["igcourse_recipes.bicyclegan"]


def test_settings_and_updates_are_the_notebooks():
    recipe = load_recipe("bicyclegan")
    config = recipe.config
    assert (config.z_dim, config.filters, config.batch_size) == (8, 16, 32)
    assert (config.learning_rate, config.beta_1) == (2e-4, 0.5)
    assert (config.image_weight, config.kl_weight, config.latent_weight) == (10.0, 0.01, 0.5)
    assert [(u.objective, u.trains, u.optimizer) for u in recipe.updates()] == [
        ("g_loss", ("generator", "encoder"), "g_adam"),
        ("d_loss", ("d_vae", "d_lr"), "d_adam"),
    ]
    assert recipe.target == ("class_consistency", 0.45, "at_least")


def _batch():
    rng = np.random.default_rng(0)
    return tuple(rng.integers(0, 256, (4, 32, 32, 1)).astype(np.uint8) for _ in range(2))


def _notebook_losses(recipe, models, batch, seed):
    """total and latent as the notebook's generator_step computes them, with the draws the
    recipe makes for `seed`."""
    bicyclegan = reference("ch04_image_translation", "bicyclegan")
    config = recipe.config
    drawings, shoes = (to_range(images) for images in batch)
    noise, random_z = recipe._codes(batch, seed)
    mu, log_var = models["encoder"](shoes, training=True)
    z = bicyclegan.sample_latent(mu, log_var, noise)
    fake_vae = models["generator"]([drawings, z], training=True)
    fake_lr = models["generator"]([drawings, random_z], training=True)
    total = (
        bicyclegan.lsgan_generator_loss(models["d_vae"](fake_vae, training=True))
        + bicyclegan.lsgan_generator_loss(models["d_lr"](fake_lr, training=True))
        + config.image_weight * ops.mean(ops.abs(shoes - fake_vae))
        + config.kl_weight * bicyclegan.kl_divergence(mu, log_var)
    )
    mu_lr, _log_var = models["encoder"](fake_lr, training=True)
    return total, bicyclegan.latent_regression_loss(random_z, mu_lr)


@TF_ONLY
def test_one_objective_gives_the_notebooks_two_gradients():
    """The gradients of g_loss: the generator's are those of total + latent_weight * latent,
    the encoder's those of total alone (the latent regression never moves the encoder)."""
    import tensorflow as tf

    recipe = smoke(filters=4, z_dim=3)
    models = recipe.build_models()
    batch = _batch()
    g_vars = models["generator"].trainable_variables
    e_vars = models["encoder"].trainable_variables
    with tf.GradientTape(persistent=True) as tape:
        got = recipe.g_loss(models, batch, StepSeed([3, 4]))
        total, latent = _notebook_losses(recipe, models, batch, StepSeed([3, 4]))
        for_generator = total + recipe.config.latent_weight * latent
    assert float(got["total"]) == pytest.approx(float(total), rel=1e-5)
    assert float(got["latent"]) == pytest.approx(float(latent), rel=1e-5)
    pairs = (
        (tape.gradient(got["g_loss"], g_vars), tape.gradient(for_generator, g_vars)),
        (tape.gradient(got["g_loss"], e_vars), tape.gradient(total, e_vars)),
    )
    for got_gradients, want_gradients in pairs:
        for got_gradient, want_gradient in zip(got_gradients, want_gradients, strict=True):
            np.testing.assert_allclose(got_gradient, want_gradient, rtol=1e-4, atol=1e-6)
    # The latent regression alone does move the encoder when it is not frozen: the test can fail.
    latent_to_encoder = tape.gradient(latent, e_vars)
    assert any(float(tf.reduce_max(tf.abs(g))) > 0 for g in latent_to_encoder if g is not None)


@TF_ONLY
def test_the_discriminators_judge_the_real_shoes_against_each_paths_shoes():
    bicyclegan = reference("ch04_image_translation", "bicyclegan")
    recipe = smoke(filters=4, z_dim=3)
    models = recipe.build_models()
    batch = _batch()
    got = recipe.d_loss(models, batch, StepSeed([5, 6]))
    _drawings, shoes, *_rest, fake_vae, fake_lr = recipe._shoes(models, batch, StepSeed([5, 6]))
    for name, fake in (("d_vae", fake_vae), ("d_lr", fake_lr)):
        critic = models[name]
        want = bicyclegan.lsgan_discriminator_loss(
            critic(shoes, training=True), critic(fake, training=True)
        )
        assert float(got[f"{name}_loss"]) == pytest.approx(float(want), rel=1e-5)
    assert float(got["d_loss"]) == pytest.approx(
        float(got["d_vae_loss"]) + float(got["d_lr_loss"]), rel=1e-6
    )


@TF_ONLY
def test_the_evaluations_draw_what_the_hidden_checks_measure():
    import tensorflow as tf

    recipe = smoke()
    models = recipe.build_models()
    drawings, _shoes, labels = module().edges_to_shoes("test")
    samples = np.asarray(recipe.sample(models, 6, StepSeed([0, 0])))
    codes = keras.random.normal((6, recipe.config.z_dim), seed=StepSeed([0, 0]))
    shoes = models["generator"]([to_range(drawings[:6]), codes], training=False)
    expected = tf.image.resize((np.asarray(shoes) + 1) / 2, (28, 28), method="area")
    np.testing.assert_allclose(samples, expected.numpy(), atol=1e-5)
    np.testing.assert_array_equal(recipe.sample_labels(6), labels[:6])
    metrics = recipe.test_metrics(models, (drawings[:8], _shoes[:8]), StepSeed([0, 0]))
    assert set(metrics) == {"test_reconstruction", "test_code_distance"}
    assert all(np.isfinite(float(value)) for value in metrics.values())
