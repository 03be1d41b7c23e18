"""Probes of the autoencoder notebook: they run the code under test and return plain data only."""

import keras
import numpy as np
import tensorflow as tf

from igcourse.grading.checks import seeded_rng
from igcourse.grading.public import run_public_checks as public_checks  # noqa: F401


def _numpy(value):
    return np.asarray(keras.ops.convert_to_numpy(value))


def _seeded_weights(model, label):
    """Give every weight seeded values, in order: two builds of one architecture compare equal."""
    rng = seeded_rng(label)
    for weight in model.weights:
        weight.assign(rng.normal(0, 0.15, size=tuple(weight.shape)).astype(np.float32))


def network(ns, which, latent_dim, filters, inputs, label):
    """build_encoder or build_decoder (`which`) with seeded weights: their shapes and output."""
    keras.utils.set_random_seed(1)
    build = ns.build_encoder if which == "encoder" else ns.build_decoder
    model = build(latent_dim, filters)
    _seeded_weights(model, label)
    return {
        "weight_shapes": [list(w.shape) for w in model.weights],
        "output": _numpy(model(tf.constant(inputs, tf.float32))),
    }


def _tiny_networks():
    images = keras.Input((28, 28, 1))
    encoder = keras.Model(
        images,
        keras.layers.Dense(2)(
            keras.layers.Dense(5, activation="tanh")(keras.layers.Flatten()(images))
        ),
    )
    z = keras.Input((2,))
    out = keras.layers.Dense(28 * 28, activation="sigmoid")(z)
    decoder = keras.Model(z, keras.layers.Reshape((28, 28, 1))(out))
    return encoder, decoder


def composition(ns, images):
    """build_autoencoder on tiny networks whose weights change afterwards: the autoencoder's
    output and decoder(encoder(images)) with the new weights."""
    keras.utils.set_random_seed(2)
    encoder, decoder = _tiny_networks()
    autoencoder = ns.build_autoencoder(encoder, decoder)
    _seeded_weights(encoder, "composition encoder")
    _seeded_weights(decoder, "composition decoder")
    x = tf.constant(images, tf.float32)
    return {
        "output": _numpy(autoencoder(x)),
        "composed": _numpy(decoder(encoder(x))),
        "shared_weights": len(autoencoder.weights),
    }


def grid(ns, low, high, n, identity=True):
    """latent_grid with a decoder that returns its codes (or a seeded sigmoid decoder)."""
    z = keras.Input((2,))
    if identity:
        decoder = keras.Model(z, keras.layers.Identity()(z))
    else:
        dense = keras.layers.Dense(28 * 28, activation="sigmoid")
        decoder = keras.Model(z, keras.layers.Reshape((28, 28, 1))(dense(z)))
        _seeded_weights(decoder, "grid decoder")
    return _numpy(ns.latent_grid(decoder, low, high, n))
