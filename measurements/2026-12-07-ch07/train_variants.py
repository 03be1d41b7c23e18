"""Trains the quick-mode ProGAN of the notebook in variants and scores each as the hidden check does.

    .venv/bin/python measurements/2026-12-07-ch07/train_variants.py seed1 no_penalty ...

Variants: `seed1` (the reference code, training seed 1 instead of 0), and any mutant of the
zoo by name (its part's code replaces the reference's, as a student's would): the same schedule as
the notebook's quick mode (250 steps a phase, batch 32, Adam 1e-3, betas (0, 0.99)). Each trained
generator is saved under /tmp and scored by probes_progan.handed_in_generator with
evaluate_samples (1,000 items, the validation salt): one JSON line per variant.
"""

import json
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "autograder/ch07_face_generation"))

import keras  # noqa: E402
import numpy as np  # noqa: E402

from igcourse.data.fashion_mnist import load_fashion_mnist  # noqa: E402
from igcourse.evaluation import evaluate_samples  # noqa: E402


def namespace(variant):
    names = {}
    exec(compile((ROOT / "solutions/ch07_face_generation/progan.py").read_text(), "ref", "exec"), names)
    if variant.startswith("seed"):
        return names, int(variant[4:])
    mutant = ROOT / "autograder/ch07_face_generation/mutants" / f"{variant}.py"
    exec(compile(mutant.read_text(), str(mutant), "exec"), names)
    return names, 0


def train(ns, seed, steps=250, batch=32):
    images, _labels = load_fashion_mnist("train")
    real = np.pad(images.astype(np.float32) / 127.5 - 1.0, ((0, 0), (2, 2), (2, 2)),
                  constant_values=-1.0)[..., None]
    rng = np.random.default_rng(seed)
    keras.utils.set_random_seed(seed)
    generator, critic = ns["ProGenerator"](), ns["ProDiscriminator"]()
    for stage in range(4):
        size = 4 * 2**stage
        adam = [keras.optimizers.Adam(1e-3, beta_1=0.0, beta_2=0.99, epsilon=1e-8) for _ in "gc"]
        step = ns["make_progan_step"](generator, critic, adam[0], adam[1], stage)
        for phase in ["stable"] if stage == 0 else ["fade-in", "stable"]:
            for i in range(steps):
                alpha = (i + 1) / steps if phase == "fade-in" else 1.0
                picked = real[rng.integers(0, len(real), batch)]
                factor = 32 // size
                new = picked.reshape(batch, size, factor, size, factor, 1).mean(axis=(2, 4))
                if stage and alpha < 1.0:
                    half = size // 2
                    old = picked.reshape(batch, half, 2 * factor, half, 2 * factor, 1).mean(axis=(2, 4))
                    old = old.repeat(2, axis=1).repeat(2, axis=2)
                    new = old + alpha * (new - old)
                step(new, rng.normal(size=(batch, 64)).astype(np.float32),
                     rng.normal(size=(batch, 64)).astype(np.float32),
                     rng.uniform(size=(batch, 1, 1, 1)).astype(np.float32), np.float32(alpha))
    return generator


def main():
    import probes_progan as probes

    for variant in sys.argv[1:]:
        ns, seed = namespace(variant)
        generator = train(ns, seed)
        with tempfile.TemporaryDirectory() as folder:
            generator.save_weights(f"{folder}/progan_generator.weights.h5")
            Path(folder, "progan_generator.json").write_text(
                json.dumps({"latent_dim": 64, "filters": 16, "stage": 3}))
            result = probes.handed_in_generator(
                SimpleNamespace(folder=Path(folder), **ns), "progan_generator.weights.h5",
                "progan_generator.json", 1000, 0)
        pixels = np.clip((result["generated"][:, 2:30, 2:30] + 1) / 2, 0, 1).astype(np.float32)
        figures = evaluate_samples(pixels, kid_subsets=10)
        print(json.dumps({"variant": variant, "fd": round(figures["fd"], 1),
                          "covered_at_share": figures["classes_covered_at_share"]}), flush=True)


main()
