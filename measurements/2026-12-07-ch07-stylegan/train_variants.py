"""Trains the StyleGAN notebook's quick mode (800 steps) with variants and scores each as the
hidden check does, with the variant's own code (RESULTS.md's table of variants).

    .venv/bin/python measurements/2026-12-07-ch07-stylegan/train_variants.py OUT_FOLDER

Variants: the reference with training seed 1; the reference step with the mapping network left
out of the trained variables (the book's bug, mutant step_mapping_not_trained); the synthesis
network giving every layer ws[:, 0] (mutant generator_one_style_for_all). Each run saves its
StyleGAN into OUT_FOLDER/<variant>/ and prints its figures under the validation salt.
"""

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "autograder/ch07_face_generation"))
MUTANTS = ROOT / "autograder/ch07_face_generation/mutants"


def main():
    out = Path(sys.argv[1])
    import keras
    import numpy as np

    import probes_stylegan as probes

    from igcourse.data.fashion_mnist import load_fashion_mnist
    from igcourse.evaluation import evaluate_samples
    from types import SimpleNamespace

    images, _labels = load_fashion_mnist("train")
    real = np.pad(images.astype(np.float32) / 127.5 - 1.0, ((0, 0), (2, 2), (2, 2)),
                  constant_values=-1.0)[..., None]
    variants = {"seed 1": (None, 1), "step_mapping_not_trained": ("step_mapping_not_trained", 0),
                "generator_one_style_for_all": ("generator_one_style_for_all", 0)}
    for label, (mutant, seed) in variants.items():
        names = {}
        exec(compile((ROOT / "solutions/ch07_face_generation/stylegan.py").read_text(),
                     "stylegan.py", "exec"), names)
        if mutant:
            exec(compile((MUTANTS / f"{mutant}.py").read_text(), mutant, "exec"), names)
        rng = np.random.default_rng(seed)
        keras.utils.set_random_seed(seed)
        mapping, generator = names["MappingNetwork"](), names["StyleGenerator"]()
        critic = names["make_critic"]()
        adam = lambda: keras.optimizers.Adam(2e-3, beta_1=0.0, beta_2=0.99, epsilon=1e-8)  # noqa: E731
        step = names["make_stylegan_step"](mapping, generator, critic, adam(), adam())
        start = time.perf_counter()
        for _ in range(800):
            batch = real[rng.integers(0, len(real), 32)]
            step(batch, rng.normal(size=(32, 64)).astype(np.float32),
                 rng.normal(size=(32, 64)).astype(np.float32))
        folder = out / label.replace(" ", "_")
        folder.mkdir(parents=True, exist_ok=True)
        model = names["StyleGAN"](mapping, generator)
        model(np.zeros((1, 64), np.float32))
        model.save_weights(str(folder / "stylegan.weights.h5"))
        (folder / "stylegan.json").write_text(
            json.dumps({"latent_dim": 64, "filters": 32, "mapping_layers": 4}))
        seconds = time.perf_counter() - start
        ns = SimpleNamespace(folder=folder, **names)
        result = probes.handed_in_stylegan(ns, "stylegan.weights.h5", "stylegan.json", 1000, 0)
        pixels = np.clip((result["generated"][:, 2:30, 2:30] + 1) / 2, 0, 1)
        figures = evaluate_samples(pixels.astype(np.float32), kid_subsets=10)
        row = {"variant": label, "seconds": round(seconds), "fd": round(figures["fd"], 1),
               "covered_at_share": figures["classes_covered_at_share"],
               "styles_used": sum(r > 0 for r in result["style_reach"])}
        print(json.dumps(row), flush=True)


main()
