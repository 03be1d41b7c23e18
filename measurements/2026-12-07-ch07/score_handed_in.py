"""Scores ProGAN generators the way the hidden check does (RESULTS.md's table).

    .venv/bin/python measurements/2026-12-07-ch07/score_handed_in.py [--salts a,b,...]

Scores the reference's handed-in generator (solutions/ch07_face_generation/) and two untrained
ones (seeds 0 and 1), each through the hidden check's own probe (probes_progan.
handed_in_generator: 1,000 items at stage 3, batches of 250, the border cropped to 28 x 28) and
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
sys.path.insert(0, str(ROOT / "autograder/ch07_face_generation"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--salts", default="validation,a,b,c")
    args = parser.parse_args()
    import numpy as np
    import probes_progan as probes

    from igcourse.evaluation import evaluate_samples
    from igcourse.grading.checks import set_salt

    code = (ROOT / "solutions/ch07_face_generation/progan.py").read_text()
    names = {}
    exec(compile(code, "progan.py", "exec"), names)  # the reference module's definitions
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folders = {"quick mode (the reference's)": ROOT / "solutions/ch07_face_generation"}
        for seed in (0, 1):
            folder = Path(tmp) / f"untrained{seed}"
            folder.mkdir()
            import keras

            keras.utils.set_random_seed(seed)
            names["build_trained_generator"](64, 16, 3).save_weights(
                str(folder / "progan_generator.weights.h5")
            )
            shutil.copy(ROOT / "solutions/ch07_face_generation/progan_generator.json", folder)
            folders[f"untrained, seed {seed}"] = folder
        for label, folder in folders.items():
            for salt in args.salts.split(","):
                set_salt("" if salt == "validation" else salt)
                ns = SimpleNamespace(folder=folder, **names)
                result = probes.handed_in_generator(
                    ns, "progan_generator.weights.h5", "progan_generator.json", 1000, 0
                )
                pixels = np.clip((result["generated"][:, 2:30, 2:30] + 1) / 2, 0, 1)
                figures = evaluate_samples(pixels.astype(np.float32), kid_subsets=10)
                row = {
                    "generator": label,
                    "salt": salt,
                    "fd": round(figures["fd"], 1),
                    "covered_at_share": figures["classes_covered_at_share"],
                    "fade_gap": result["fade_gap"],
                }
                rows.append(row)
                print(json.dumps(row), flush=True)


main()
