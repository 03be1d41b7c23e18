"""Train the evaluator classifier of a domain and write its weights and a JSON record.

    python scripts/train_evaluator.py                      # Fashion-MNIST (offline)
    python scripts/train_evaluator.py --dataset mnist      # needs $IGCOURSE_MNIST_DIR

Seeded and backend-neutral (keras.layers, Keras' own fit loop): the same command runs on
TensorFlow and JAX. The weights land in igcourse/evaluation/weights/ unless --out-dir says
otherwise; the record beside them holds the test accuracy, the command, the date, the
seconds it took, the machine's load and the versions.
"""

import argparse
import hashlib
import json
import os
import platform
import resource
import shlex
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from igcourse.evaluation.classifier import (  # noqa: E402
    WEIGHTS_DIR,
    build_classifier,
    record_file,
    weights_file,
)
from igcourse.evaluation.domains import DOMAINS, DomainNotAvailable, get_domain  # noqa: E402
from igcourse.evaluation.images import from_uint8  # noqa: E402
from igcourse.i18n import _  # noqa: E402


def parse_args(argv):
    parser = argparse.ArgumentParser(description=_("Train the evaluator classifier of a domain."))
    parser.add_argument("--dataset", default="fashion_mnist", choices=sorted(DOMAINS))
    parser.add_argument("--epochs", type=int, default=8, help=_("passes over the training split"))
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--learning-rate", type=float, default=2e-3, help=_("peak, cosine-decayed"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--limit", type=int, default=None, help=_("train on the first N images (smoke tests)")
    )
    parser.add_argument(
        "--out-dir", type=Path, default=WEIGHTS_DIR, help=_("where the weights and record go")
    )
    return parser.parse_args(argv)


def _seed_everything(seed):
    keras.utils.set_random_seed(seed)  # Python, NumPy and the backend
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()


def _cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _versions():
    backend = keras.backend.backend()
    module = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}.get(backend)
    backend_version = __import__(module).__version__ if module else None
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "keras": keras.__version__,
        "backend": backend,
        "backend_version": backend_version,
    }


def train(args):
    domain = get_domain(args.dataset)
    train_images, train_labels = domain.load("train")
    test_images, test_labels = domain.load("test")
    if args.limit:
        train_images, train_labels = train_images[: args.limit], train_labels[: args.limit]
    x_train, y_train = from_uint8(train_images), train_labels.astype("int32")
    x_test, y_test = from_uint8(test_images), test_labels.astype("int32")

    _seed_everything(args.seed)
    model = build_classifier(len(domain.classes))
    steps = args.epochs * -(-len(x_train) // args.batch_size)
    schedule = keras.optimizers.schedules.CosineDecay(args.learning_rate, decay_steps=steps)
    model.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
        # XLA made this CPU's convolutions about 7x slower; JAX always compiles.
        jit_compile=False if keras.backend.backend() == "tensorflow" else "auto",
    )
    model.fit(
        x_train, y_train, batch_size=args.batch_size, epochs=args.epochs, shuffle=True, verbose=2
    )
    test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size=1000, verbose=0)
    return model, float(test_loss), float(test_accuracy), len(x_train), len(x_test)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    load_start, started, cpu_start = os.getloadavg(), time.perf_counter(), _cpu_seconds()
    try:
        model, test_loss, test_accuracy, n_train, n_test = train(args)
    except DomainNotAvailable as error:
        print(error, file=sys.stderr)
        return 2
    seconds, cpu_seconds = time.perf_counter() - started, _cpu_seconds() - cpu_start

    args.out_dir.mkdir(parents=True, exist_ok=True)
    weights = args.out_dir / weights_file(args.dataset).name
    # a fresh, uncompiled copy: saving the trained model would add Adam's moments (3x the size)
    inference = build_classifier(model.output.shape[-1])
    inference.set_weights(model.get_weights())
    inference.save_weights(weights)
    record = {
        "dataset": args.dataset,
        "test_accuracy": round(test_accuracy, 5),
        "test_loss": round(test_loss, 5),
        "train_images": n_train,
        "test_images": n_test,
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "learning_rate": args.learning_rate,
        "seed": args.seed,
        "parameters": int(model.count_params()),
        "weights_file": weights.name,
        "weights_bytes": weights.stat().st_size,
        "weights_sha256": hashlib.sha256(weights.read_bytes()).hexdigest(),
        "command": shlex.join(["python", "scripts/train_evaluator.py", *argv]),
        "date_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(seconds, 1),
        # CPU time of all threads: unlike the wall time it hardly depends on other users' load
        "cpu_seconds": round(cpu_seconds, 1),
        "load_average_1min_start_end": [round(load_start[0], 2), round(os.getloadavg()[0], 2)],
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "versions": _versions(),
    }
    path = args.out_dir / record_file(args.dataset).name
    path.write_text(json.dumps(record, indent=2) + "\n")
    print(
        _("{dataset}: test accuracy {accuracy:.4f} after {seconds:.0f} s; wrote {weights}").format(
            dataset=args.dataset, accuracy=test_accuracy, seconds=seconds, weights=weights
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
