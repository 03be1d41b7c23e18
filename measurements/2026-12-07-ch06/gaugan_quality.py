"""The handed-in GauGAN generator's two figures, measured as the hidden check does.

300 test label maps picked with the grading salt (seeded_rng("gaugan handed-in maps")), z from
seeded_rng("handed-in z 0"), generated in batches of 100 with training=False; the evaluator's
share of items filed under the map's class (32 -> 28 with cv2's INTER_AREA) and the mean IoU
of the pixels above the cut (-0.5; -0.8 shown beside it) with the map's item mask.

Usage (from the worktree's root):
    PYTHONPATH=. /work/main/.venv/bin/python measurements/2026-12-07-ch06/gaugan_quality.py \
        FOLDER [FOLDER ...] [--untrained SEED ...] [--salts validation,a,b,c]
FOLDER holds gaugan_generator.weights.h5 and gaugan_generator.json (a notebook's run);
--untrained builds quick mode's generator (filters 16, hidden 32) with Keras seed SEED, untrained.
"""

import argparse
import json
import runpy
from pathlib import Path

import cv2
import numpy as np

from igcourse.data.derived.segmentation import NUM_LABELS, build_label_maps
from igcourse.evaluation.classifier import load_evaluator
from igcourse.evaluation.consistency import class_consistency
from igcourse.grading import checks

KEYS = ("num_labels", "z_dim", "filters", "image_size", "channels", "hidden")
CUTS = (-0.5, -0.8)


def figures(generator, z_dim, maps, salt):
    checks.set_salt(salt)
    chosen = checks.seeded_rng("gaugan handed-in maps").choice(len(maps.labels), 300, False)
    labels = maps.labels[chosen]
    one_hot = np.eye(NUM_LABELS, dtype=np.float32)[labels]
    z = checks.seeded_rng("handed-in z 0").standard_normal((300, z_dim)).astype(np.float32)
    images = np.concatenate(
        [
            np.asarray(generator([z[i : i + 100], one_hot[i : i + 100]], training=False))
            for i in range(0, 300, 100)
        ]
    )[..., 0]
    small = np.stack([cv2.resize(i, (28, 28), interpolation=cv2.INTER_AREA) for i in images])
    pixels = np.clip((small + 1.0) / 2.0, 0.0, 1.0)[..., None]
    _features, probabilities = load_evaluator().features_and_probabilities(pixels)
    out = {"consistency": class_consistency(probabilities, maps.classes[chosen]).accuracy}
    masks = labels > 0
    for cut in CUTS:
        foreground = images > cut
        overlap = (foreground & masks).sum(axis=(1, 2))
        union = np.maximum((foreground | masks).sum(axis=(1, 2)), 1)
        out[f"iou{cut}"] = float(np.mean(overlap / union))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folders", nargs="*")
    parser.add_argument("--untrained", nargs="*", type=int, default=[])
    parser.add_argument("--real", action="store_true", help="the real test items themselves")
    parser.add_argument("--salts", default="validation,salt-a,salt-b,salt-c")
    args = parser.parse_args()
    import keras

    ns = runpy.run_path("solutions/ch06_ai_painter/gaugan.py")
    build = ns["build_gaugan_generator"]
    maps = build_label_maps("test", size=32, seed=0)
    runs = []
    for folder in args.folders:
        settings = json.loads((Path(folder) / "gaugan_generator.json").read_text())
        generator = build(*(settings[key] for key in KEYS))
        generator.load_weights(str(Path(folder) / "gaugan_generator.weights.h5"))
        runs.append((folder, generator, settings["z_dim"]))
    for seed in args.untrained:
        keras.utils.set_random_seed(seed)
        runs.append((f"untrained, seed {seed}", build(NUM_LABELS, 64, 16, 32, 1, 32), 64))
    if args.real:
        runs.append(("real test items", None, 64))
    for name, generator, z_dim in runs:
        for salt in args.salts.split(","):
            if generator is None:  # the test items behind the picked maps, 100 at a time
                checks.set_salt(salt)
                chosen = checks.seeded_rng("gaugan handed-in maps").choice(10_000, 300, False)
                items = (maps.images[chosen].astype(np.float32) / 127.5 - 1.0)[..., None]
                served = []

                def serve(inputs, training=False, items=items, served=served):
                    served.append(len(inputs[1]))
                    return items[sum(served[:-1]) : sum(served)]

                result = figures(serve, z_dim, maps, salt)
            else:
                result = figures(generator, z_dim, maps, salt)
            print(
                f"{name:40s} salt {salt:10s} consistency {result['consistency']:.3f}  "
                + "  ".join(f"IoU(cut {cut}) {result[f'iou{cut}']:.3f}" for cut in CUTS),
                flush=True,
            )


if __name__ == "__main__":
    main()
