"""Does the DCGAN recipe train each network on the reference's own loss, alone?

tests/test_training_recipes.py already runs every recipe for 3 steps on both backends; these
tests check what is particular to this one: two updates, the discriminator's and then the
generator's, each minimising the chapter's reference loss over its own network only.
"""

import keras
import numpy as np
import pytest

from igcourse.training import load_recipe, reference
from igcourse.training.seeds import StepSeed


def test_each_update_trains_one_network_on_its_own_loss():
    recipe = load_recipe("dcgan", load_recipe("dcgan").smoke)
    updates = [(u.objective, tuple(u.trains), u.optimizer) for u in recipe.updates()]
    assert updates == [
        ("d_loss", ("discriminator",), "d_adam"),
        ("g_loss", ("generator",), "g_adam"),
    ]
    optimizers = recipe.build_optimizers()
    assert optimizers["d_adam"] is not optimizers["g_adam"]  # no shared Adam moments


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="needs the TF backend")
def test_the_losses_are_the_reference_losses_on_the_step_noise():
    dcgan = reference("ch03_gan", "dcgan")
    recipe = load_recipe("dcgan", load_recipe("dcgan").smoke)
    keras.utils.set_random_seed(0)
    models = recipe.build_models()
    pixels = np.random.default_rng(0).integers(0, 256, size=(6, 28, 28, 1)).astype(np.uint8)
    real = pixels.astype(np.float32) / 127.5 - 1.0

    got = recipe.d_loss(models, (pixels,), StepSeed(np.array([3, 4])))
    z = keras.random.normal((6, recipe.config.z_dim), seed=StepSeed(np.array([3, 4])))
    fake = models["generator"](z, training=True)
    expected = dcgan.discriminator_loss(
        models["discriminator"](real, training=True), models["discriminator"](fake, training=True)
    )
    assert np.isclose(float(got["d_loss"]), float(expected), rtol=1e-5)

    got = recipe.g_loss(models, (pixels,), StepSeed(np.array([5, 6])))
    z = keras.random.normal((6, recipe.config.z_dim), seed=StepSeed(np.array([5, 6])))
    fake_logits = models["discriminator"](models["generator"](z, training=True), training=True)
    assert np.isclose(float(got["g_loss"]), float(dcgan.generator_loss(fake_logits)), rtol=1e-5)


def test_samples_lie_in_the_evaluators_range():
    recipe = load_recipe("dcgan", load_recipe("dcgan").smoke)
    keras.utils.set_random_seed(1)
    models = recipe.build_models()
    images = keras.ops.convert_to_numpy(recipe.sample(models, 5, StepSeed(np.array([1, 2]))))
    assert images.shape == (5, 28, 28, 1)
    assert images.min() >= 0.0 and images.max() <= 1.0
