"""Chapter 4 validated end to end (slow), and a handed-in generator that must fail does.

The slow test runs `igcourse validate ch04_image_translation`: the reference must score full
marks, the release and trivial answers zero, every answer set full marks, and every mutant must
lose points on its part with its mistake named. The fast ones hand in an untrained generator,
and one that ignores its labels (the weights of the reference's training run, loaded into a
generator whose label never reaches the image). The questions every chapter answers are in
tests/test_chapters.py.
"""

import json
import shutil

import pytest
from hidden_checks import ROOT, run_hidden_checks, with_reference
from proved import proved_once, run_or_skip

from igcourse.grading.validate import run_validation

CHAPTER = "ch04_image_translation"
SETTINGS = {"z_dim": 64, "num_classes": 10, "filters": 32}


@pytest.mark.slow
def test_validation_of_chapter_4_passes():
    """Reference full marks, release zero, every mutant caught and named (a few minutes; skipped
    when proofs/ records a pass for exactly this content)."""
    # A pytest run of half a notebook's mutants takes about 600 s when the machine is busy.
    run_or_skip(
        CHAPTER,
        "validate",
        lambda: run_validation(CHAPTER, ROOT, workers=2, timeout=1500),
        __file__,
    )


def _master_with(tmp_path, extra_cell=None, notebook="cgan"):
    master = json.loads(
        (ROOT / "source" / CHAPTER / f"{notebook}.ipynb").read_text(encoding="utf-8")
    )
    if extra_cell:
        master["cells"].append(
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "extra",
                "metadata": {},
                "outputs": [],
                "source": extra_cell,
            }
        )
    (tmp_path / f"{notebook}.ipynb").write_text(json.dumps(master), encoding="utf-8")
    return tmp_path / f"{notebook}.ipynb"


LABELS_IGNORED = """
def build_conditional_generator(z_dim=64, num_classes=10, filters=32):
    layers = keras.layers
    z = keras.Input((z_dim,))
    labels = keras.Input((), dtype="int32")
    same = layers.Lambda(lambda y: keras.ops.zeros_like(y))(labels)
    x = layers.Concatenate()([z, layers.Embedding(num_classes, LABEL_DIM)(same)])
    x = layers.Dense(7 * 7 * 4 * filters, use_bias=False)(x)
    x = layers.ReLU()(layers.BatchNormalization()(x))
    x = layers.Reshape((7, 7, 4 * filters))(x)
    x = layers.Conv2DTranspose(2 * filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = layers.ReLU()(layers.BatchNormalization()(x))
    images = layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(x)
    return keras.Model([z, labels], images)
"""


FIRST_BLOCK_BLIND = """
def encoder_block(x, filters, normalize=True):
    if not normalize:  # the first block: the drawing never reaches the U-Net
        x = keras.layers.Lambda(lambda t: keras.ops.zeros_like(t))(x)
    x = keras.layers.Conv2D(filters, 4, strides=2, padding="same", use_bias=False)(x)
    if normalize:
        x = instance_norm()(x)
    return keras.layers.LeakyReLU(0.2)(x)
"""


def test_an_untrained_handed_in_generator_fails_the_thresholds(tmp_path):
    """The master notebook's code with an untrained generator beside it: far from real images
    and no class recognisable."""
    with proved_once(CHAPTER, "an untrained handed in generator fails the thresholds", __file__):
        notebook = _master_with(tmp_path)
        with_reference(
            CHAPTER,
            "cgan",
            f"r.build_conditional_generator(64, 10, 32).save_weights(r'{tmp_path}/"
            "cgan_generator.weights.h5')\n",
        )
        (tmp_path / "cgan_generator.json").write_text(json.dumps(SETTINGS))
        done = run_hidden_checks(CHAPTER, "cgan", notebook, "handed_in", tmp_path)
        assert done.returncode == 1, done.stdout[-2000:]
        assert "2 failed" in done.stdout, done.stdout[-2000:]
        assert "the asked class in" in done.stdout, done.stdout[-2000:]


def test_a_trained_generator_that_ignores_its_labels_fails_the_class_check(tmp_path):
    """The reference's trained weights loaded into a generator that replaces every label by 0
    before its embedding (a layer without weights, so the weights fit): one class only, so the
    evaluator finds the asked class about once in ten (the reference's weights: 89%)."""
    with proved_once(
        CHAPTER, "a trained generator that ignores its labels fails the class check", __file__
    ):
        notebook = _master_with(tmp_path, LABELS_IGNORED)
        for name in ("cgan_generator.weights.h5", "cgan_generator.json"):
            shutil.copyfile(ROOT / "solutions" / CHAPTER / name, tmp_path / name)
        done = run_hidden_checks(CHAPTER, "cgan", notebook, "handed_in", tmp_path)
        assert done.returncode == 1, done.stdout[-2000:]
        assert "2 failed" in done.stdout, done.stdout[
            -2000:
        ]  # one class is far from real images too
        assert "the asked class in 11% of your" in done.stdout, done.stdout[-2000:]


def test_an_untrained_handed_in_pix2pix_generator_fails_both_bars(tmp_path):
    """The pix2pix master's code with an untrained U-Net beside it: far from the real shoes, and
    no kind of shoe recognisable."""
    with proved_once(CHAPTER, "an untrained handed in pix2pix generator fails both bars", __file__):
        notebook = _master_with(tmp_path, notebook="pix2pix")
        with_reference(
            CHAPTER,
            "pix2pix",
            f"r.build_unet(16, 1).save_weights(r'{tmp_path}/pix2pix_generator.weights.h5')\n",
        )
        (tmp_path / "pix2pix_generator.json").write_text(json.dumps({"filters": 16, "channels": 1}))
        done = run_hidden_checks(CHAPTER, "pix2pix", notebook, "handed_in", tmp_path)
        assert done.returncode == 1, done.stdout[-2000:]
        assert "2 failed" in done.stdout, done.stdout[-2000:]
        assert "from the real ones" in done.stdout, done.stdout[-2000:]


def test_a_trained_pix2pix_generator_that_never_sees_the_drawing_fails(tmp_path):
    """The reference's trained weights behind a U-Net whose first block gets zeros instead of
    the drawing (a layer without weights, so the weights fit): one shoe for every drawing."""
    with proved_once(
        CHAPTER, "a trained pix2pix generator that never sees the drawing fails", __file__
    ):
        notebook = _master_with(tmp_path, FIRST_BLOCK_BLIND, notebook="pix2pix")
        for name in ("pix2pix_generator.weights.h5", "pix2pix_generator.json"):
            shutil.copyfile(ROOT / "solutions" / CHAPTER / name, tmp_path / name)
        done = run_hidden_checks(CHAPTER, "pix2pix", notebook, "handed_in", tmp_path)
        assert done.returncode == 1, done.stdout[-2000:]
        assert "2 failed" in done.stdout, done.stdout[-2000:]
        assert "the right kind of shoe" in done.stdout, done.stdout[-2000:]


def test_untrained_handed_in_cyclegan_generators_fail_both_bars(tmp_path):
    """The CycleGAN master's code with untrained generators beside it: no boots, and no way
    back to the sneakers."""
    with proved_once(CHAPTER, "untrained handed in cyclegan generators fail both bars", __file__):
        notebook = _master_with(tmp_path, notebook="cyclegan")
        with_reference(
            CHAPTER,
            "cyclegan",
            "".join(
                f"r.build_resnet_generator(16, 3, 1).save_weights(r'{tmp_path}/{name}')\n"
                for name in ("cyclegan_g_ab.weights.h5", "cyclegan_g_ba.weights.h5")
            ),
        )
        settings = {"filters": 16, "blocks": 3, "channels": 1}
        (tmp_path / "cyclegan_generators.json").write_text(json.dumps(settings))
        done = run_hidden_checks(CHAPTER, "cyclegan", notebook, "handed_in", tmp_path)
        assert done.returncode == 1, done.stdout[-2000:]
        assert "2 failed" in done.stdout, done.stdout[-2000:]
        assert "as ankle boots" in done.stdout, done.stdout[-2000:]


def test_the_trained_g_ab_handed_in_for_both_generators_fails_the_cycle(tmp_path):
    """The reference's trained G_AB saved under both names (a slip in the saving cell): its
    boots pass, but G_AB(G_AB(sneaker)) is no sneaker."""
    with proved_once(
        CHAPTER, "the trained g_ab handed in for both generators fails the cycle", __file__
    ):
        notebook = _master_with(tmp_path, notebook="cyclegan")
        trained = ROOT / "solutions" / CHAPTER
        for name in ("cyclegan_g_ab.weights.h5", "cyclegan_g_ba.weights.h5"):
            shutil.copyfile(trained / "cyclegan_g_ab.weights.h5", tmp_path / name)
        shutil.copyfile(trained / "cyclegan_generators.json", tmp_path / "cyclegan_generators.json")
        done = run_hidden_checks(CHAPTER, "cyclegan", notebook, "handed_in", tmp_path)
        assert done.returncode == 1, done.stdout[-2000:]
        assert "1 failed" in done.stdout, done.stdout[-2000:]
        assert "from the sneaker" in done.stdout, done.stdout[-2000:]


def test_an_untrained_handed_in_bicyclegan_generator_fails_both_bars(tmp_path):
    """The BicycleGAN master's code with an untrained generator beside it: its shoes change with
    the code too little, and are no kind of shoe."""
    with proved_once(
        CHAPTER, "an untrained handed in bicyclegan generator fails both bars", __file__
    ):
        notebook = _master_with(tmp_path, notebook="bicyclegan")
        with_reference(
            CHAPTER,
            "bicyclegan",
            "r.build_bicycle_generator(8, 16, 1).save_weights("
            f"r'{tmp_path}/bicyclegan_generator.weights.h5')\n",
        )
        settings = {"z_dim": 8, "filters": 16, "channels": 1}
        (tmp_path / "bicyclegan_generator.json").write_text(json.dumps(settings))
        done = run_hidden_checks(CHAPTER, "bicyclegan", notebook, "handed_in", tmp_path)
        assert done.returncode == 1, done.stdout[-2000:]
        assert "2 failed" in done.stdout, done.stdout[-2000:]
        assert "ignores its code" in done.stdout, done.stdout[-2000:]


CODE_DROPPED = """
def join_latent(images, z):
    height, width = images.shape[1], images.shape[2]
    silent = keras.ops.zeros_like(tile_latent(z, height, width))
    return keras.ops.concatenate([images, silent], axis=-1)
"""


def test_the_trained_bicyclegan_generator_fails_diversity_when_join_latent_drops_the_code(
    tmp_path,
):
    """The reference's trained generator, rebuilt by a submission whose join_latent joins zeros
    in place of the code: the right kind of shoes, but one shoe per drawing."""
    with proved_once(
        CHAPTER, "a trained bicyclegan generator whose code is dropped fails diversity", __file__
    ):
        notebook = _master_with(tmp_path, CODE_DROPPED, notebook="bicyclegan")
        trained = ROOT / "solutions" / CHAPTER
        for name in ("bicyclegan_generator.weights.h5", "bicyclegan_generator.json"):
            shutil.copyfile(trained / name, tmp_path / name)
        done = run_hidden_checks(CHAPTER, "bicyclegan", notebook, "handed_in", tmp_path)
        assert done.returncode == 1, done.stdout[-2000:]
        assert "1 failed" in done.stdout, done.stdout[-2000:]
        assert "ignores its code" in done.stdout, done.stdout[-2000:]
