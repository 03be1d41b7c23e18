"""Probes of the vae notebook: they run the code under test and return plain data only.

Each probe takes the code under test (`ns`) and plain arguments, builds the tiny models it
needs, and returns numbers and NumPy arrays; the checks in test_vae.py judge them.
"""

import json

import keras
import numpy as np
import tensorflow as tf

from igcourse.grading.checks import seeded_rng
from igcourse.grading.public import run_public_checks as public_checks  # noqa: F401


def _numpy(value):
    return np.asarray(keras.ops.convert_to_numpy(value))


# ---------------------------------------------------------------- sampling_layer
def sampling_draws(ns, mean, logvar, seed, calls=2):
    """`calls` consecutive outputs of one GaussianSampling(seed=seed) layer on (mean, logvar)."""
    layer = ns.GaussianSampling(seed=seed)
    inputs = (tf.constant(mean, tf.float32), tf.constant(logvar, tf.float32))
    return [_numpy(layer(inputs)) for _call in range(calls)]


def sampling_first_draws(ns, mean, logvar, seed):
    """The first output of two separate layers made with the same seed."""
    return [sampling_draws(ns, mean, logvar, seed, calls=1)[0] for _layer in range(2)]


def sampling_gradients(ns, mean, logvar, seed):
    """In float64: z, dz/dmean and dz/dlogvar (autodiff Jacobians, (N, D, N, D) each), and the
    autodiff and finite-difference Jacobians of (mean, logvar) -> z with the noise held fixed
    (a fresh layer with the same seed on every evaluation)."""
    mean = tf.constant(mean, tf.float64)
    logvar = tf.constant(logvar, tf.float64)
    layer = ns.GaussianSampling(seed=seed, dtype="float64")
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([mean, logvar])
        z = layer((mean, logvar))
    d_mean = tape.jacobian(z, mean)
    d_logvar = tape.jacobian(z, logvar)

    def fixed_noise(m, lv):
        return ns.GaussianSampling(seed=seed, dtype="float64")((m, lv))

    theoretical, numerical = tf.test.compute_gradient(fixed_noise, [mean, logvar], delta=1e-4)
    return {
        "z": _numpy(z),
        "d_mean": None if d_mean is None else _numpy(d_mean),
        "d_logvar": None if d_logvar is None else _numpy(d_logvar),
        "theoretical": [np.asarray(t) for t in theoretical],
        "numerical": [np.asarray(n) for n in numerical],
    }


# ---------------------------------------------------------------- kl_divergence
def kl_value(ns, mean, logvar):
    """kl_divergence(mean, logvar) as a float."""
    out = ns.kl_divergence(tf.constant(mean, tf.float32), tf.constant(logvar, tf.float32))
    return float(_numpy(out))


# ---------------------------------------------------------------- vae_networks
def networks(ns, latent_dim, filters, images, codes):
    """Encoder outputs on `images`, decoder outputs on `codes`, and parameter counts."""
    keras.utils.set_random_seed(3)
    encoder = ns.build_encoder(latent_dim, filters)
    decoder = ns.build_decoder(latent_dim, filters)
    out = encoder(tf.constant(images, tf.float32))
    outputs = list(out) if isinstance(out, (list, tuple)) else [out]
    result = {
        "encoder_outputs": [_numpy(o) for o in outputs],
        "decoded": _numpy(decoder(tf.constant(codes, tf.float32))),
        "encoder_parameters": int(encoder.count_params()),
        "decoder_parameters": int(decoder.count_params()),
    }
    # The same seeded values for every weight, in the order of model.weights: two networks
    # built as the table says then compute the same function.
    rng = seeded_rng("networks weights")
    for weight in encoder.weights + decoder.weights:
        weight.assign(rng.normal(0, 0.1, size=tuple(weight.shape)).astype(np.float32))
    out = encoder(tf.constant(images, tf.float32))
    outputs = list(out) if isinstance(out, (list, tuple)) else [out]
    result["seeded_encoder_outputs"] = [_numpy(o) for o in outputs]
    result["seeded_decoded"] = _numpy(decoder(tf.constant(codes, tf.float32)))
    return result


# ---------------------------------------------------------------- vae_loss
def loss_terms(ns, images, reconstructions, mean, logvar):
    """vae_loss(...) as a list of floats (it should be (loss, reconstruction, kl))."""
    out = ns.vae_loss(
        *(tf.constant(a, tf.float32) for a in (images, reconstructions, mean, logvar))
    )
    if not isinstance(out, (list, tuple)):
        return [float(_numpy(out))]
    return [float(_numpy(v)) for v in out]


# ---------------------------------------------------------------- train_step
def _tiny_vae(seed):
    """A dense encoder and decoder for (4, 4, 1) images and 3 latent dimensions."""
    keras.utils.set_random_seed(seed)
    images = keras.Input((4, 4, 1))
    h = keras.layers.Dense(6, activation="tanh")(keras.layers.Flatten()(images))
    encoder = keras.Model(images, [keras.layers.Dense(3)(h), keras.layers.Dense(3)(h)])
    z = keras.Input((3,))
    out = keras.layers.Dense(16, activation="sigmoid")(keras.layers.Dense(6, activation="tanh")(z))
    return encoder, keras.Model(z, keras.layers.Reshape((4, 4, 1))(out))


def _loss_with_noise_of(ns, encoder, decoder, images, seed):
    """vae_loss with the first draw of a fresh GaussianSampling(seed): the step's own noise."""
    mean, logvar = encoder(images)
    z = ns.GaussianSampling(seed=seed)((mean, logvar))
    return float(_numpy(ns.vae_loss(images, decoder(z), mean, logvar)[0]))


def one_train_step(ns, images, model_seed, noise_seed, learning_rate=0.05):
    """One SGD step of make_train_step on a tiny VAE: what it returns, the weights after, and
    the loss before and after the step with the noise of the step's first draw."""
    images = tf.constant(images, tf.float32)
    encoder, decoder = _tiny_vae(model_seed)
    variables = encoder.trainable_variables + decoder.trainable_variables
    before = _loss_with_noise_of(ns, encoder, decoder, images, noise_seed)
    step = ns.make_train_step(
        encoder,
        decoder,
        ns.GaussianSampling(seed=noise_seed),
        keras.optimizers.SGD(learning_rate),
    )
    out = step(images)
    returned = [float(_numpy(v)) for v in out] if isinstance(out, (list, tuple)) else [out]
    return {
        "returned": returned,
        "weights": [_numpy(v) for v in variables],
        "names": [v.path for v in variables],
        "before": before,
        "after": _loss_with_noise_of(ns, encoder, decoder, images, noise_seed),
    }


# ---------------------------------------------------------------- generation
def _identity_decoder(latent_dim):
    z = keras.Input((latent_dim,))
    return keras.Model(z, keras.layers.Identity()(z))


def prior_codes(ns, n, latent_dim, seeds):
    """sample_prior with a decoder that returns its input: the codes, once per seed."""
    decoder = _identity_decoder(latent_dim)
    return [_numpy(ns.sample_prior(decoder, n, seed=seed)) for seed in seeds]


def _dense_encoder(latent_dim, label):
    images = keras.Input((28, 28, 1))
    hidden = keras.layers.Dense(
        8, activation="tanh"
    )  # nonlinear: mixing pixels is not mixing codes
    h = hidden(keras.layers.Flatten()(images))
    heads = [keras.layers.Dense(latent_dim), keras.layers.Dense(latent_dim)]
    encoder = keras.Model(images, [head(h) for head in heads])
    rng = seeded_rng(label)
    for head in [hidden, *heads]:
        head.kernel.assign(rng.normal(0, 0.05, size=tuple(head.kernel.shape)))
        head.bias.assign(rng.normal(0, 0.5, size=tuple(head.bias.shape)))
    hidden.kernel.assign(rng.normal(0, 0.2, size=tuple(hidden.kernel.shape)))
    return encoder


def _sigmoid_decoder(latent_dim, label):
    z = keras.Input((latent_dim,))
    dense = keras.layers.Dense(28 * 28, activation="sigmoid")
    decoder = keras.Model(z, keras.layers.Reshape((28, 28, 1))(dense(z)))
    dense.kernel.assign(seeded_rng(label).normal(0, 2.0, size=tuple(dense.kernel.shape)))
    return decoder


def interpolation(ns, image_a, image_b, steps, latent_dim, label, identity_decoder=False):
    """interpolate(...) with a seeded dense encoder and a sigmoid (or identity) decoder."""
    encoder = _dense_encoder(latent_dim, label)
    if identity_decoder:
        decoder = _identity_decoder(latent_dim)
    else:
        decoder = _sigmoid_decoder(latent_dim, label + " decoder")
    a = np.asarray(image_a, np.float32)
    b = np.asarray(image_b, np.float32)
    return _numpy(ns.interpolate(encoder, decoder, a, b, steps=steps))


# ---------------------------------------------------------------- the handed-in model
def handed_in_model(ns, settings_name, encoder_name, decoder_name, images, noise, codes):
    """Rebuild the handed-in networks and run them: encoder outputs on `images`, decodings of
    mean + exp(0.5 * logvar) * noise, and decodings of the prior `codes`.

    Returns {"missing": [file names]} when files are absent, {"error": ...} when the weights
    do not fit the networks.
    """
    folder = ns.folder  # where the files handed in with the code lie, or None
    names = (settings_name, encoder_name, decoder_name)
    missing = [n for n in names if folder is None or not (folder / n).is_file()]
    if missing:
        return {"missing": missing}
    settings = json.loads((folder / settings_name).read_text(encoding="utf-8"))
    latent_dim, filters = int(settings["latent_dim"]), int(settings["filters"])
    encoder = ns.build_encoder(latent_dim, filters)
    decoder = ns.build_decoder(latent_dim, filters)
    try:
        encoder.load_weights(str(folder / encoder_name))
        decoder.load_weights(str(folder / decoder_name))
    except Exception as error:  # noqa: BLE001 (weights of another architecture, say)
        return {"error": type(error).__name__, "latent_dim": latent_dim}
    if np.shape(noise)[-1] != latent_dim:
        noise = seeded_rng("handed-in noise").normal(size=(len(images), latent_dim))
        codes = seeded_rng("handed-in codes").normal(size=(len(codes), latent_dim))
    means, logvars, reconstructions, samples = [], [], [], []
    for first in range(0, len(images), 250):
        chunk = tf.constant(images[first : first + 250], tf.float32)
        mean, logvar = encoder(chunk, training=False)
        eps = tf.constant(noise[first : first + 250], tf.float32)
        z = mean + tf.exp(0.5 * logvar) * eps
        means.append(_numpy(mean))
        logvars.append(_numpy(logvar))
        reconstructions.append(_numpy(decoder(z, training=False)))
    for first in range(0, len(codes), 250):
        chunk = tf.constant(codes[first : first + 250], tf.float32)
        samples.append(_numpy(decoder(chunk, training=False)))
    return {
        "latent_dim": latent_dim,
        "mean": np.concatenate(means),
        "logvar": np.concatenate(logvars),
        "reconstructions": np.concatenate(reconstructions),
        "samples": np.concatenate(samples),
    }
