"""Do the WGAN and WGAN-GP recipes train as the chapter's reference says, on both backends?

tests/test_training_recipes.py already runs every recipe for 3 steps on both backends; these
tests check what is particular to these two: n_critic critic updates on their own real
images, then one generator update; WGAN's clipping of the critic's kernels (and only them),
kept through training; WGAN-GP's penalty computed per sample, equal to the reference's
penalty on a fixed batch and epsilon, on TensorFlow and on JAX.
"""

import json
import sys

import keras
import numpy as np
import pytest

from igcourse.training import TrainConfig, load_recipe, reference
from igcourse.training.testing import run_code

TF_ONLY = pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="needs TF backend")


def smoke(name, **extra):
    return load_recipe(name, {**load_recipe(name).smoke, **extra})


def test_updates_optimisers_and_clipping_are_the_papers():
    for name, kind, settings in (
        ("wgan", keras.optimizers.RMSprop, {"learning_rate": 5e-5}),
        ("wgan_gp", keras.optimizers.Adam, {"learning_rate": 1e-4, "beta_1": 0.5, "beta_2": 0.9}),
    ):
        recipe = load_recipe(name)
        assert recipe.config.n_critic == 5
        updates = [(u.objective, tuple(u.trains), u.optimizer) for u in recipe.updates()]
        assert updates == [("c_loss", ("critic",), "c_opt")] * 5 + [
            ("g_loss", ("generator",), "g_opt")
        ]
        optimizers = recipe.build_optimizers()
        assert optimizers["c_opt"] is not optimizers["g_opt"]
        for optimizer in optimizers.values():
            assert isinstance(optimizer, kind)
            for key, value in settings.items():
                assert np.isclose(float(getattr(optimizer, key)), value)
    assert load_recipe("wgan").config.clip_value == 0.01
    assert load_recipe("wgan_gp").config.gp_weight == 10.0


def test_clipping_constrains_the_kernels_the_reference_clips_and_nothing_else():
    wgan = reference("ch03_gan", "wgan")
    recipe = smoke("wgan")
    keras.utils.set_random_seed(0)
    critic = recipe.build_models()["critic"]
    constrained = [v for v in critic.variables if v.constraint is not None]
    values = [keras.ops.convert_to_numpy(v) for v in critic.variables]
    wgan.clip_critic_weights(critic, 0.01)
    changed = [
        v
        for v, before in zip(critic.variables, values, strict=True)
        if not np.array_equal(keras.ops.convert_to_numpy(v), before)
    ]
    assert [v.path for v in constrained] == [v.path for v in changed]  # the kernels: 3 layers
    assert len(constrained) == 3 and all(v.path.endswith("kernel") for v in constrained)
    for variable, before in zip(critic.variables, values, strict=True):
        if variable.constraint is not None:
            expected = keras.ops.convert_to_numpy(variable.constraint(before))
            assert np.array_equal(keras.ops.convert_to_numpy(variable), expected)


def fixed_batch(rng):
    real = rng.uniform(-1, 1, size=(6, 28, 28, 1)).astype(np.float32)
    fake = rng.uniform(-1, 1, size=(6, 28, 28, 1)).astype(np.float32)
    epsilon = rng.uniform(0, 1, size=(6, 1, 1, 1)).astype(np.float32)
    return real, fake, epsilon


# Run in a JAX process without TensorFlow: trains both recipes a few steps, checks the clipped
# kernels, and computes the penalty with the critic weights and batch the TF test saved.
JAX_CODE = """
import json, sys
import numpy as np, keras
from igcourse.training import TrainConfig, load_recipe
from igcourse.training.loop import Trainer
folder = sys.argv[1] if len(sys.argv) > 1 else {folder!r}
report = {{}}
for name in ("wgan", "wgan_gp"):
    recipe = load_recipe(name, {{**load_recipe(name).smoke, "z_dim": 4}})
    config = TrainConfig(out=folder + "/" + name, steps=2, log_every=1, sample_every=0,
                         eval_every=0, checkpoint_every=0, progress=False)
    trainer = Trainer(recipe, config)
    result = trainer.run()
    kernels = [v for v in trainer.models["critic"].variables if v.constraint is not None]
    report[name] = {{"last": result.last,
                     "kernel_max": [float(np.abs(np.asarray(k)).max()) for k in kernels]}}
gp = sys.modules["igcourse_recipes.wgan_gp"]
recipe = load_recipe("wgan_gp", load_recipe("wgan_gp").smoke)
critic = recipe.build_models()["critic"]
critic.load_weights(folder + "/critic.weights.h5")
data = np.load(folder + "/batch.npz")
penalty = gp.gradient_penalty(critic, data["real"], data["fake"], data["epsilon"], 10.0)
report["penalty"] = float(penalty)
print("REPORT " + json.dumps(report))
"""


@pytest.fixture(scope="module")
def reference_penalty(tmp_path_factory):
    """A critic's weights, a fixed batch and epsilon saved in a folder, and the reference's
    penalty on them: the reference draws its epsilon from TensorFlow's global generator, so
    the same global seed gives the epsilon it used."""
    import tensorflow as tf

    wgan = reference("ch03_gan", "wgan")
    folder = tmp_path_factory.mktemp("penalty")
    keras.utils.set_random_seed(3)
    critic = smoke("wgan_gp").build_models()["critic"]
    critic.save_weights(folder / "critic.weights.h5")
    real, fake, _ = fixed_batch(np.random.default_rng(0))
    tf.random.set_seed(7)
    expected = float(wgan.gradient_penalty(critic, real, fake, 10.0))
    tf.random.set_seed(7)
    epsilon = tf.random.uniform((6, 1, 1, 1), 0.0, 1.0).numpy()
    np.savez(folder / "batch.npz", real=real, fake=fake, epsilon=epsilon)
    return folder, critic, (real, fake, epsilon), expected


@TF_ONLY
def test_the_penalty_is_the_references_and_per_sample(reference_penalty):
    import tensorflow as tf

    gp = sys.modules["igcourse_recipes.wgan_gp"]
    _, critic, (real, fake, epsilon), expected = reference_penalty
    got = float(gp.gradient_penalty(critic, real, fake, epsilon, 10.0))
    assert np.isclose(got, expected, rtol=1e-5)
    # Per sample: the batch's penalty is the mean of each sample's own penalty, and not the
    # penalty of the whole batch's gradient norm (the book's bug, book-notes section 3.2-1).
    alone = [
        float(gp.gradient_penalty(critic, real[i : i + 1], fake[i : i + 1], epsilon[i : i + 1]))
        for i in range(6)
    ]
    assert np.isclose(got, np.mean(alone), rtol=1e-5)
    with tf.GradientTape() as tape:
        x = tf.constant(epsilon * real + (1 - epsilon) * fake)
        tape.watch(x)
        scores = critic(x, training=True)
    whole = float(tf.norm(tape.gradient(scores, x)))
    assert not np.isclose(got, 10.0 * (whole - 1.0) ** 2, rtol=1e-2)


@TF_ONLY
@pytest.mark.parametrize("name", ["wgan", "wgan_gp"])
def test_a_few_steps_on_tensorflow_keep_the_kernels_clipped(name, tmp_path):
    from igcourse.training.loop import Trainer

    # XLA is what test_training_recipes.py runs; a plain tf.function compiles faster.
    config = TrainConfig(
        out=str(tmp_path),
        steps=2,
        log_every=1,
        sample_every=0,
        eval_every=0,
        checkpoint_every=0,
        progress=False,
        tf_compile="graph",
    )
    trainer = Trainer(smoke(name, z_dim=4), config)
    result = trainer.run()
    assert all(np.isfinite(v) for v in result.last.values()), result.last
    kernels = [v for v in trainer.models["critic"].variables if v.constraint is not None]
    highest = [float(np.abs(keras.ops.convert_to_numpy(k)).max()) for k in kernels]
    if name == "wgan":
        assert len(kernels) == 3 and max(highest) <= 0.01 + 1e-7
    else:
        assert not kernels and set(result.last) >= {"c_penalty", "c_wasserstein"}


@TF_ONLY  # the expected penalty comes from the TensorFlow reference
def test_on_jax_the_kernels_stay_clipped_and_the_penalty_is_the_references(reference_penalty):
    folder, _, _, expected = reference_penalty
    done = run_code(JAX_CODE.format(folder=str(folder)), "jax", timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    line = [x for x in done.stdout.splitlines() if x.startswith("REPORT ")][-1]
    report = json.loads(line.removeprefix("REPORT "))
    for name in ("wgan", "wgan_gp"):
        assert all(np.isfinite(v) for v in report[name]["last"].values()), report
    assert len(report["wgan"]["kernel_max"]) == 3
    assert max(report["wgan"]["kernel_max"]) <= 0.01 + 1e-7
    assert report["wgan_gp"]["kernel_max"] == []
    assert np.isclose(report["penalty"], expected, rtol=1e-4)
