"""Probes of the latent_editing notebook: they run the code under test, return plain data only.

attribute_vectors is checked with an encode_means that is not the task's (STAND_INS): it adds
a constant to every code, which the difference of two means cancels, so that a mistake in the
student's encode_means costs that part only.
"""

import keras
import numpy as np
import tensorflow as tf

from igcourse.grading.checks import seeded_rng
from igcourse.grading.public import run_public_checks

STAND_INS = {"attribute_vectors": {"encode_means": "shifted_encode_means"}}
CODE_SCALE = 4.0  # a code decoder's pixel k is sigmoid(z_k / CODE_SCALE)


def shifted_encode_means(encoder, images, batch_size=500):
    """Not encode_means: the encoder's means of every image, in batches, plus 0.75."""
    means = []
    for first in range(0, len(images), batch_size):
        mean, _logvar = encoder(images[first : first + batch_size], training=False)
        means.append(keras.ops.convert_to_numpy(mean))
    return np.concatenate(means) + 0.75


def code_decoder(latent_dim):
    """A decoder as the task describes one, codes (B, D) -> images (B, 28, 28, 1) in (0, 1),
    whose images show their codes: pixel k (row-major) is sigmoid(z_k / 4) for k < D."""
    z = keras.Input((latent_dim,))
    dense = keras.layers.Dense(28 * 28, activation="sigmoid")
    decoder = keras.Model(z, keras.layers.Reshape((28, 28, 1))(dense(z)))
    kernel = np.zeros((latent_dim, 28 * 28), np.float32)
    kernel[np.arange(latent_dim), np.arange(latent_dim)] = 1.0 / CODE_SCALE
    dense.kernel.assign(kernel)
    dense.bias.assign(np.zeros(28 * 28, np.float32))
    return decoder


def _numpy(value):
    return np.asarray(keras.ops.convert_to_numpy(value))


def public_checks(ns, chapter, part):
    """Probe: the part's public checks on ns (igcourse.grading.public.run_public_checks).

    Defined here, not imported, so that it runs in this module's worker, on the code of the
    part with this module's STAND_INS, like every other probe of the part."""
    return run_public_checks(ns, chapter, part)


class BatchRecorder(keras.layers.Layer):
    """Passes images through unchanged and records the largest batch it saw (in eager calls
    and in the batches of predict alike), and whether it was ever called in training mode."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.largest = tf.Variable(0, dtype=tf.int32, trainable=False)
        self.in_training = tf.Variable(False, trainable=False)

    def call(self, images, training=None):
        self.largest.assign(tf.maximum(self.largest, tf.shape(images)[0]))
        if training:
            self.in_training.assign(True)
        return tf.identity(images)

    def compute_output_spec(self, images):
        return keras.KerasTensor(images.shape, images.dtype)


def _encoder(latent_dim, label, recorder=None):
    """A seeded encoder (28, 28, 1) -> [mean, logvar] with a nonlinear hidden layer; with a
    BatchRecorder, that records the batches it encodes."""
    images = keras.Input((28, 28, 1))
    hidden = keras.layers.Dense(8, activation="tanh")
    heads = [keras.layers.Dense(latent_dim), keras.layers.Dense(latent_dim)]
    seen = images if recorder is None else recorder(images)
    h = hidden(keras.layers.Flatten()(seen))
    encoder = keras.Model(images, [head(h) for head in heads])
    rng = seeded_rng(label)
    for layer in (hidden, *heads):
        layer.kernel.assign(rng.normal(0, 0.1, size=tuple(layer.kernel.shape)))
        layer.bias.assign(rng.normal(0, 0.5, size=tuple(layer.bias.shape)))
    return encoder


def _kind(value):
    return type(value).__module__ + "." + type(value).__name__


def encoded(ns, images, batch_size, latent_dim, label):
    """encode_means with a seeded encoder that records its batches: the codes, their type, the
    largest batch the encoder saw, whether it ran in training mode, and the encoder's own means
    of all images at once."""
    recorder = BatchRecorder()
    encoder = _encoder(latent_dim, label, recorder)
    out = ns.encode_means(encoder, np.asarray(images, np.float32), batch_size)
    largest = int(recorder.largest.numpy())
    return {
        "codes": _numpy(out),
        "type": _kind(out),
        "largest_batch": largest,
        "training": bool(recorder.in_training.numpy()),
        "means": _numpy(encoder(np.asarray(images, np.float32))[0]),
    }


def statistics(ns, codes):
    """latent_statistics on a copy of codes, as a list of arrays (a mutant that edits its input
    in place must not change the codes that the next one is matched on)."""
    return [_numpy(v) for v in ns.latent_statistics(np.array(codes))]


def statistics_leave_codes(ns, codes):
    """Whether latent_statistics(codes) left the caller's array as it was."""
    given = np.array(codes, dtype=np.float64)
    ns.latent_statistics(given)
    return bool(np.array_equal(given, codes))


def vectors(ns, images, labels, num_classes, batch_size, latent_dim, label):
    """attribute_vectors with a seeded encoder that records its batches: the vectors and the
    largest batch the encoder saw."""
    recorder = BatchRecorder()
    encoder = _encoder(latent_dim, label, recorder)
    out = ns.attribute_vectors(
        encoder, np.asarray(images, np.float32), np.asarray(labels), num_classes, batch_size
    )
    return {"vectors": _numpy(out), "largest_batch": int(recorder.largest.numpy())}


def edited(ns, codes, vectors, strengths):
    """edit_codes(codes, vectors, strengths) on copies, and whether it left them unchanged."""
    given = [np.array(a, np.float64) for a in (codes, vectors, strengths)]
    out = _numpy(ns.edit_codes(*given))
    changed = [
        name
        for name, a, b in zip(
            ("codes", "vectors", "strengths"), given, (codes, vectors, strengths), strict=True
        )
        if not np.array_equal(a, b)
    ]
    return {"codes": out, "inputs_unchanged": not changed, "changed": ", ".join(changed)}


def statistics_samples(ns, mean, std, n, seeds):
    """sample_from_statistics with a code decoder, once per seed: the decoded images."""
    decoder = code_decoder(len(mean))
    return [
        _numpy(ns.sample_from_statistics(decoder, np.asarray(mean), np.asarray(std), n, seed=s))
        for s in seeds
    ]


def statistics_draw(ns, mean, std, n, seed):
    """sample_from_statistics with a code decoder, one seed: the images and their type."""
    decoder = code_decoder(len(mean))
    out = ns.sample_from_statistics(decoder, np.asarray(mean), np.asarray(std), n, seed=seed)
    return {"type": _kind(out), "images": _numpy(out)}
