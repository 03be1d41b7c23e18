"""Probes of the autoencoder notebook: they run the code under test and return plain data only."""

import keras
import numpy as np
import tensorflow as tf

from igcourse.grading import architecture
from igcourse.grading.checks import seeded_rng
from igcourse.grading.public import run_public_checks


def _numpy(value):
    return np.asarray(keras.ops.convert_to_numpy(value))


def public_checks(ns, chapter, part):
    """Probe: the part's public checks on ns (igcourse.grading.public.run_public_checks).

    Defined here, not imported, so that it runs in this module's worker, on the code of the
    part with this module's STAND_INS, like every other probe of the part."""
    return run_public_checks(ns, chapter, part)


def _seeded_weights(model, label):
    """Give every weight seeded values, in order: two builds of one architecture compare equal."""
    rng = seeded_rng(label)
    for weight in model.weights:
        weight.assign(rng.normal(0, 0.15, size=tuple(weight.shape)).astype(np.float32))


def network(ns, which, latent_dim, filters, inputs, label):
    """build_encoder or build_decoder (`which`) with seeded weights: their shapes, output and
    layers as steps."""
    keras.utils.set_random_seed(1)
    build = ns.build_encoder if which == "encoder" else ns.build_decoder
    model = build(latent_dim, filters)
    _seeded_weights(model, label)
    return {
        "weight_shapes": [list(w.shape) for w in model.weights],
        "output": _numpy(model(tf.constant(inputs, tf.float32))),
        "plan": architecture.layer_plan(model),
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
    output before and after the change, and decoder(encoder(images)) with the new weights."""
    keras.utils.set_random_seed(2)
    encoder, decoder = _tiny_networks()
    autoencoder = ns.build_autoencoder(encoder, decoder)
    x = tf.constant(images, tf.float32)
    before = _numpy(autoencoder(x))
    _seeded_weights(encoder, "composition encoder")
    _seeded_weights(decoder, "composition decoder")
    return {
        "before": before,
        "output": _numpy(autoencoder(x)),
        "composed": _numpy(decoder(encoder(x))),
        "shared_weights": len(autoencoder.weights),
    }


def training_updates(ns, images, learning_rate=0.5):
    """One step of Keras training (compile and train_on_batch, as the notebook's fit) of the
    autoencoder that build_autoencoder makes from tiny seeded networks: how far the weights of
    the given encoder and decoder moved (the largest absolute change of each network), and
    whether build_autoencoder left either of them frozen (trainable False)."""
    keras.utils.set_random_seed(4)
    encoder, decoder = _tiny_networks()
    _seeded_weights(encoder, "training encoder")
    _seeded_weights(decoder, "training decoder")
    before = [[_numpy(w).copy() for w in net.weights] for net in (encoder, decoder)]
    autoencoder = ns.build_autoencoder(encoder, decoder)
    frozen = [not net.trainable for net in (encoder, decoder)]  # as build_autoencoder left them
    autoencoder.compile(optimizer=keras.optimizers.SGD(learning_rate), loss="binary_crossentropy")
    x = np.asarray(images, np.float32)
    autoencoder.train_on_batch(x, x)
    moved = []
    for net, old in zip((encoder, decoder), before, strict=True):
        changes = [
            float(np.max(np.abs(_numpy(w) - b))) for w, b in zip(net.weights, old, strict=True)
        ]
        moved.append(max(changes, default=0.0))
    return {
        "encoder_moved": moved[0],
        "decoder_moved": moved[1],
        "encoder_frozen": frozen[0],
        "decoder_frozen": frozen[1],
    }


def grid_kind(ns, low, high, n):
    """The type (module.name) of what latent_grid returns, with a seeded sigmoid decoder."""
    z = keras.Input((2,))
    dense = keras.layers.Dense(28 * 28, activation="sigmoid")
    decoder = keras.Model(z, keras.layers.Reshape((28, 28, 1))(dense(z)))
    _seeded_weights(decoder, "grid decoder")
    out = ns.latent_grid(decoder, low, high, n)
    return type(out).__module__ + "." + type(out).__name__


def grid(ns, low, high, n, code_images=True):
    """latent_grid with a decoder whose images show their codes (pixel k is sigmoid(z_k / 4),
    k < 2), or with a seeded sigmoid decoder."""
    z = keras.Input((2,))
    dense = keras.layers.Dense(28 * 28, activation="sigmoid")
    decoder = keras.Model(z, keras.layers.Reshape((28, 28, 1))(dense(z)))
    if code_images:
        kernel = np.zeros((2, 28 * 28), np.float32)
        kernel[[0, 1], [0, 1]] = 0.25
        dense.kernel.assign(kernel)
        dense.bias.assign(np.zeros(28 * 28, np.float32))
    else:
        _seeded_weights(decoder, "grid decoder")
    return _numpy(ns.latent_grid(decoder, low, high, n))
