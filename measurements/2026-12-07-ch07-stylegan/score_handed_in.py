"""Scores StyleGAN networks the way the hidden check does (RESULTS.md's table).

    .venv/bin/python measurements/2026-12-07-ch07-stylegan/score_handed_in.py [--salts a,b] \
        [--folder LABEL=PATH ...]

Scores the reference's handed-in networks (solutions/ch07_face_generation/), any --folder given
(a folder holding stylegan.weights.h5 and stylegan.json) and two untrained StyleGANs (seeds 0
and 1), each through the hidden check's own probe (probes_stylegan.handed_in_stylegan: 1,000
untruncated items, batches of 250, the border cropped to 28 x 28) and
igcourse.evaluation.evaluate_samples, under each grading salt.
"""

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "solutions/ch07_face_generation"
sys.path.insert(0, str(ROOT / "autograder/ch07_face_generation"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--salts", default="validation,a,b,c")
    parser.add_argument("--folder", action="append", default=[])
    args = parser.parse_args()
    import keras
    import numpy as np
    import probes_stylegan as probes

    from igcourse.evaluation import evaluate_samples
    from igcourse.grading.checks import set_salt

    names = {}
    code = (SOLUTIONS / "stylegan.py").read_text()
    exec(compile(code, "stylegan.py", "exec"), names)  # the reference module's definitions
    with tempfile.TemporaryDirectory() as tmp:
        folders = {"quick mode (the reference's)": SOLUTIONS}
        folders.update(dict(item.split("=", 1) for item in args.folder))
        for seed in (0, 1):
            folder = Path(tmp) / f"untrained{seed}"
            folder.mkdir()
            keras.utils.set_random_seed(seed)
            model = names["build_trained_stylegan"](64, 32, 4)
            model.save_weights(str(folder / "stylegan.weights.h5"))
            shutil.copy(SOLUTIONS / "stylegan.json", folder)
            folders[f"untrained, seed {seed}"] = folder
        for label, folder in folders.items():
            for salt in args.salts.split(","):
                set_salt("" if salt == "validation" else salt)
                ns = SimpleNamespace(folder=Path(folder), **names)
                result = probes.handed_in_stylegan(
                    ns, "stylegan.weights.h5", "stylegan.json", 1000, 0
                )
                pixels = np.clip((result["generated"][:, 2:30, 2:30] + 1) / 2, 0, 1)
                figures = evaluate_samples(pixels.astype(np.float32), kid_subsets=10)
                row = {
                    "networks": label,
                    "salt": salt,
                    "fd": round(figures["fd"], 1),
                    "covered_at_share": figures["classes_covered_at_share"],
                    "styles_used": sum(r > 0 for r in result["style_reach"]),
                }
                print(json.dumps(row), flush=True)


main()
