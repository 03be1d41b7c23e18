"""Score DCGAN generator weights the way the hidden check does (RESULTS.md's table).

    .venv/bin/python autograder/ch03_gan/score_generators.py WEIGHTS [WEIGHTS ...]
    .venv/bin/python autograder/ch03_gan/score_generators.py --untrained

Each file is loaded into the reference's build_generator(100, 32) by the hidden check's own
probe (probes_dcgan.handed_in_generator); its 1,000 samples, from noise drawn with the
validation salt, are scored with igcourse.evaluation.evaluate_samples.
"""

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

KEYS = ("fd", "fd_floor", "classes_covered", "classes_covered_at_share", "copies_flagged", "kid")


def score(reference, weights):
    import numpy as np
    import probes_dcgan as probes

    from igcourse.evaluation import evaluate_samples
    from igcourse.grading.implementations import Implementation

    with tempfile.TemporaryDirectory() as folder:  # the files as the check finds them
        shutil.copyfile(weights, Path(folder) / "dcgan_generator.weights.h5")
        (Path(folder) / "dcgan_generator.json").write_text(
            json.dumps({"z_dim": 100, "filters": 32})
        )
        handed_in = Implementation("weights", reference._chunks, folder=folder)
        result = handed_in.probe(
            None,
            probes.handed_in_generator,
            "dcgan_generator.weights.h5",
            "dcgan_generator.json",
            1000,
            0,
        )
    pixels = np.clip((np.asarray(result["samples"]) + 1) / 2, 0, 1)
    result = evaluate_samples(pixels, kid_subsets=10)
    return {key: result[key] for key in KEYS}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("weights", nargs="*", type=Path)
    parser.add_argument("--untrained", action="store_true", help="also score seed 0, untrained")
    args = parser.parse_args(argv)
    import keras

    from igcourse.grading.implementations import load_reference

    reference = load_reference(ROOT, "ch03_gan", "dcgan")
    files = list(args.weights)
    if args.untrained:
        keras.utils.set_random_seed(0)
        path = Path(tempfile.mkdtemp()) / "untrained.weights.h5"
        reference.build_generator(100, 32).save_weights(str(path))
        files.append(path)
    for path in files:
        print(path, json.dumps(score(reference, path)), flush=True)


if __name__ == "__main__":
    main()
