"""The evaluator: a small CNN classifier whose penultimate layer is the metrics' feature space.

Its weights are trained by scripts/train_evaluator.py and committed under weights/, so
loading it never trains. Written with keras.layers only, so it runs on TensorFlow and JAX.
"""

import functools
from pathlib import Path

import numpy as np

from igcourse.evaluation.images import as_images
from igcourse.i18n import _

WEIGHTS_DIR = Path(__file__).parent / "weights"
FEATURE_LAYER = "embedding"
FEATURE_DIM = 128
NUM_CLASSES = 10
BATCH_SIZE = 1000  # big batches: the per-call overhead, not the arithmetic, dominates small ones


def build_classifier(num_classes=NUM_CLASSES):
    """The evaluator's architecture: (B, 28, 28, 1) images in [0, 1] -> (B, classes) logits."""
    import keras
    from keras import layers

    def conv_block(h, filters, name):
        h = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_conv")(h)
        h = layers.BatchNormalization(name=f"{name}_bn")(h)
        h = layers.ReLU(name=f"{name}_relu")(h)
        return layers.MaxPooling2D(name=f"{name}_pool")(h)

    images = keras.Input((28, 28, 1), name="images")
    h = conv_block(images, 32, "block1")  # (B, 14, 14, 32)
    h = conv_block(h, 64, "block2")  # (B, 7, 7, 64)
    h = conv_block(h, 64, "block3")  # (B, 3, 3, 64)
    h = layers.Flatten(name="flatten")(h)  # (B, 576)
    features = layers.Dense(FEATURE_DIM, activation="relu", name=FEATURE_LAYER)(h)
    h = layers.Dropout(0.3, name="dropout")(features)
    logits = layers.Dense(num_classes, name="logits")(h)
    return keras.Model(images, logits, name="evaluator")


def weights_file(domain="fashion_mnist"):
    """Where the committed weights of `domain`'s evaluator live."""
    return WEIGHTS_DIR / f"{domain}_evaluator.weights.h5"


def record_file(domain="fashion_mnist"):
    """The JSON record written beside the weights: accuracy, command, date, versions."""
    return WEIGHTS_DIR / f"{domain}_evaluator.json"


def compile_for_inference(model):
    """Compile without XLA on TensorFlow: on CPU its convolutions ran several times slower."""
    import keras

    jit = False if keras.backend.backend() == "tensorflow" else "auto"
    model.compile(jit_compile=jit)
    return model


class Evaluator:
    """A trained classifier giving features and class probabilities for batches of images."""

    def __init__(self, classifier, domain="fashion_mnist"):
        import keras

        self.domain = domain
        self.classifier = classifier
        self._model = compile_for_inference(
            keras.Model(
                classifier.inputs,
                [classifier.get_layer(FEATURE_LAYER).output, classifier.output],
            )
        )

    def features_and_probabilities(self, images, batch_size=BATCH_SIZE):
        """(N, 128) float32 features and (N, classes) float64 probabilities of `images`."""
        from keras import ops

        images = as_images(images)
        features, logits = [], []
        for start in range(0, len(images), batch_size):
            f, z = self._model.predict_on_batch(images[start : start + batch_size])
            features.append(ops.convert_to_numpy(f))
            logits.append(ops.convert_to_numpy(z))
        logits = np.concatenate(logits).astype(np.float64)
        logits -= logits.max(axis=1, keepdims=True)
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        return np.concatenate(features).astype(np.float32), probabilities


@functools.cache
def load_evaluator(domain="fashion_mnist"):
    """The evaluator of `domain` with its committed weights (cached; never trains)."""
    path = weights_file(domain)
    if not path.exists():
        raise FileNotFoundError(
            _(
                "no evaluator weights for {domain} at {path}; train them with: "
                "python scripts/train_evaluator.py --dataset {domain}"
            ).format(domain=domain, path=path)
        )
    classifier = build_classifier()
    classifier.load_weights(path)
    return Evaluator(classifier, domain)
