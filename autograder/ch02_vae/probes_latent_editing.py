"""Probes of the latent_editing notebook: they run the code under test, return plain data only."""

import keras
import numpy as np

from igcourse.grading.checks import seeded_rng
from igcourse.grading.public import run_public_checks as public_checks  # noqa: F401


def _numpy(value):
    return np.asarray(keras.ops.convert_to_numpy(value))


def _encoder(latent_dim, label):
    """A seeded encoder (28, 28, 1) -> [mean, logvar] with a nonlinear hidden layer."""
    images = keras.Input((28, 28, 1))
    hidden = keras.layers.Dense(8, activation="tanh")
    heads = [keras.layers.Dense(latent_dim), keras.layers.Dense(latent_dim)]
    h = hidden(keras.layers.Flatten()(images))
    encoder = keras.Model(images, [head(h) for head in heads])
    rng = seeded_rng(label)
    for layer in (hidden, *heads):
        layer.kernel.assign(rng.normal(0, 0.1, size=tuple(layer.kernel.shape)))
        layer.bias.assign(rng.normal(0, 0.5, size=tuple(layer.bias.shape)))
    return encoder


def encoded(ns, images, batch_size, latent_dim, label):
    """encode_means with a seeded encoder, and the encoder's own means of all images at once."""
    encoder = _encoder(latent_dim, label)
    return {
        "codes": _numpy(ns.encode_means(encoder, np.asarray(images, np.float32), batch_size)),
        "means": _numpy(encoder(np.asarray(images, np.float32))[0]),
    }


def statistics(ns, codes):
    """latent_statistics(codes) as a list of arrays."""
    return [_numpy(v) for v in ns.latent_statistics(np.asarray(codes))]


def vectors(ns, images, labels, num_classes, batch_size, latent_dim, label):
    """attribute_vectors with a seeded encoder."""
    encoder = _encoder(latent_dim, label)
    out = ns.attribute_vectors(
        encoder, np.asarray(images, np.float32), np.asarray(labels), num_classes, batch_size
    )
    return _numpy(out)


def edited(ns, codes, vectors, strengths):
    """edit_codes(codes, vectors, strengths)."""
    return _numpy(ns.edit_codes(np.asarray(codes), np.asarray(vectors), np.asarray(strengths)))


def statistics_samples(ns, mean, std, n, seeds):
    """sample_from_statistics with a decoder that returns its codes, once per seed."""
    z = keras.Input((len(mean),))
    decoder = keras.Model(z, keras.layers.Identity()(z))
    return [
        _numpy(ns.sample_from_statistics(decoder, np.asarray(mean), np.asarray(std), n, seed=s))
        for s in seeds
    ]
