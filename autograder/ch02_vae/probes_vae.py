"""Probes of the vae notebook: they run the code under test and return plain data only.

Each probe takes the code under test (`ns`) and plain arguments, builds the tiny models it
needs, and returns numbers and NumPy arrays; the checks in test_vae.py judge them.

STAND_INS grade a part apart from the parts it builds on. They are written for the checks and
are no part's solution: a sampler that adds a counted shift, a KL-like term and a loss that
are not the task's. The checks compute their expected values through the same probes, so with
the same stand-ins.
"""

import json
import re

import keras
import numpy as np
import tensorflow as tf

from igcourse.grading import architecture
from igcourse.grading.checks import seeded_rng
from igcourse.grading.public import run_public_checks

STAND_INS = {
    # vae_loss is checked with a kl_divergence that is not the KL: a mistake in the student's
    # kl_divergence costs that part only, and the kl term shows whether vae_loss calls it.
    "vae_loss": {"kl_divergence": "stand_in_kl_divergence"},
    # The step is checked with a sampler and a loss that are not the task's (the public check
    # of the part builds them too): a mistake in GaussianSampling or vae_loss costs those parts
    # only, and the counted shift shows whether the step decodes the sampler's z of one call.
    "train_step": {
        "GaussianSampling": "CountedShiftSampling",
        "vae_loss": "stand_in_vae_loss",
    },
}


def _numpy(value):
    return np.asarray(keras.ops.convert_to_numpy(value))


def public_checks(ns, chapter, part):
    """Probe: the part's public checks on ns (igcourse.grading.public.run_public_checks).

    Defined here, not imported, so that it runs in this module's worker, on the code of the
    part with this module's STAND_INS, like every other probe of the part."""
    return run_public_checks(ns, chapter, part)


# ---------------------------------------------------------------- stand-ins
class CountedShiftSampling(keras.layers.Layer):
    """Not GaussianSampling: z = mean + exp(0.5 * logvar) * epsilon + 0.5 * k on the k-th call.

    Honours the layer's contract: (mean, logvar) of one shape (B, D), as a tuple or a list,
    in, z of that shape and the layer's compute dtype out; epsilon depends on the seed and the
    call's number only, so two layers made with one seed draw alike."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self._noise_seed = 0 if seed is None else int(seed)
        self.calls = tf.Variable(0, dtype=tf.int32, trainable=False)  # counts calls, not traces

    def call(self, inputs):
        mean, logvar = inputs
        mean = tf.cast(mean, self.compute_dtype)
        logvar = tf.cast(logvar, self.compute_dtype)
        count = self.calls.assign_add(1)
        epsilon = tf.random.stateless_normal(
            tf.shape(mean), seed=tf.stack([self._noise_seed, count]), dtype=mean.dtype
        )
        return mean + tf.exp(0.5 * logvar) * epsilon + 0.5 * tf.cast(count, mean.dtype)


def stand_in_kl_divergence(mean, logvar):
    """Not the KL: a smooth scalar of (mean, logvar), averaged over the images."""
    mean = tf.convert_to_tensor(mean)
    logvar = tf.cast(logvar, mean.dtype)
    per_dim = 0.3 * tf.square(mean - 0.5) + 0.2 * tf.exp(-0.5 * logvar)
    return tf.reduce_mean(tf.reduce_sum(per_dim, axis=-1)) + 1.25


def stand_in_vae_loss(images, reconstructions, mean, logvar):
    """Not the negative ELBO: (loss, reconstruction, kl) of another smooth loss, as scalars."""
    reconstructions = tf.convert_to_tensor(reconstructions)
    images = tf.cast(images, reconstructions.dtype)
    axes = tf.range(1, tf.rank(images))
    reconstruction = tf.reduce_mean(
        tf.reduce_sum(2.5 * tf.square(images - reconstructions) + 0.1 * reconstructions, axes)
    )
    kl = stand_in_kl_divergence(mean, logvar)
    return reconstruction + kl, reconstruction, kl


# ---------------------------------------------------------------- sampling_layer
def sampling_draws(ns, mean, logvar, seed, calls=2):
    """`calls` consecutive outputs of one GaussianSampling(seed=seed) layer on (mean, logvar)."""
    layer = ns.GaussianSampling(seed=seed)
    inputs = (tf.constant(mean, tf.float32), tf.constant(logvar, tf.float32))
    return [_numpy(layer(inputs)) for _call in range(calls)]


def sampling_traced_draws(ns, mean, logvar, seed):
    """Two outputs of one layer called through one tf.function (traced once), as a training
    step calls it."""
    layer = ns.GaussianSampling(seed=seed)
    traced = tf.function(lambda m, v: layer((m, v)))
    inputs = (tf.constant(mean, tf.float32), tf.constant(logvar, tf.float32))
    return [_numpy(traced(*inputs)) for _call in range(2)]


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
        "z_dtype": str(np.dtype(_numpy(z).dtype)),
        "d_mean": None if d_mean is None else _numpy(d_mean),
        "d_logvar": None if d_logvar is None else _numpy(d_logvar),
        "theoretical": [np.asarray(t) for t in theoretical],
        "numerical": [np.asarray(n) for n in numerical],
    }


def sampling_dtypes(ns, mean, logvar, seed):
    """For layers whose compute dtype is float16 (policy mixed_float16) and float64, on float32
    inputs: z's dtype and the mean and standard deviation of its values, or the error the
    layer raised."""
    out = {}
    for policy in ("mixed_float16", "float64"):
        layer = ns.GaussianSampling(seed=seed, dtype=policy)
        try:
            z = layer((tf.constant(mean, tf.float32), tf.constant(logvar, tf.float32)))
            values = _numpy(z).astype(np.float64)
            out[policy] = {
                "dtype": keras.backend.standardize_dtype(z.dtype),
                "mean": float(values.mean()),
                "std": float(values.std()),
            }
        except Exception as error:  # noqa: BLE001 (which error is the evidence)
            text = re.sub(r"\x1b\[[0-9;]*m", "", str(error)).strip().splitlines()
            # TensorFlow's line that names the two dtypes, where there is one.
            named = [line for line in text if "expected to be a" in line] or text[-1:]
            line = re.sub(r"\s*name:\s*$", "", named[0].strip()) if named else ""
            out[policy] = {"error": f"{type(error).__name__}: {line[:200]}"}
    return out


# ---------------------------------------------------------------- kl_divergence
def kl_value(ns, mean, logvar):
    """kl_divergence(mean, logvar) as an array (a scalar when it is one)."""
    out = ns.kl_divergence(tf.constant(mean, tf.float32), tf.constant(logvar, tf.float32))
    return _numpy(out).astype(np.float64)


def _one_number(value):
    """float(value) when value is one number, else None."""
    try:
        array = np.asarray(_numpy(value), np.float64)
    except (TypeError, ValueError):
        return None
    return float(array) if array.size == 1 else None


def kl_gradients(ns, mean, logvar):
    """The gradients of kl_divergence(mean, logvar) with respect to mean and logvar, from a
    tf.GradientTape in eager mode (None where none flows, or an error's type name), its value
    there (None unless one number), and its value inside a tf.function (where the inputs are
    symbolic), or that error's type name."""
    mean = tf.constant(mean, tf.float32)
    logvar = tf.constant(logvar, tf.float32)
    result = {"d_mean": None, "d_logvar": None, "gradient_error": None, "value": None}
    try:
        with tf.GradientTape() as tape:
            tape.watch([mean, logvar])
            kl = ns.kl_divergence(mean, logvar)
        gradients = tape.gradient(kl, [mean, logvar])
        result["value"] = _one_number(kl)
        result["d_mean"], result["d_logvar"] = (
            None if g is None else _numpy(g).astype(np.float64) for g in gradients
        )
    except Exception as error:  # noqa: BLE001 (a NumPy result is no tape target: measured)
        result["gradient_error"] = type(error).__name__
    try:

        @tf.function
        def graph(m, lv):
            return ns.kl_divergence(m, lv)

        result["graph_value"] = _numpy(graph(mean, logvar)).astype(np.float64)
        result["graph_error"] = None
    except Exception as error:  # noqa: BLE001 (NumPy on a symbolic tensor raises: measured)
        result["graph_value"] = None
        result["graph_error"] = type(error).__name__
    return result


# ---------------------------------------------------------------- vae_networks
def networks(ns, latent_dim, filters, images, codes):
    """Encoder outputs on `images`, decoder outputs on `codes`, parameter counts and the two
    networks' layers as steps."""
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
        "plans": [architecture.layer_plan(encoder), architecture.layer_plan(decoder)],
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
    """vae_loss(...) as a list of arrays (it should be three scalars: loss, reconstruction, kl)."""
    arrays = [np.array(a, np.float32) for a in (images, reconstructions, mean, logvar)]
    out = ns.vae_loss(*(tf.constant(a) for a in arrays))
    values = list(out) if isinstance(out, (list, tuple)) else [out]
    return [_numpy(v).astype(np.float64) for v in values]


# ---------------------------------------------------------------- train_step
def _tiny_vae(seed):
    """A dense encoder with batch normalisation and a dense decoder, (28, 28, 1) images and 3
    latent dimensions: the step must run both in training mode."""
    keras.utils.set_random_seed(seed)
    images = keras.Input((28, 28, 1))
    h = keras.layers.Dense(6)(keras.layers.Flatten()(images))
    h = keras.layers.Activation("tanh")(keras.layers.BatchNormalization(momentum=0.5)(h))
    encoder = keras.Model(images, [keras.layers.Dense(3)(h), keras.layers.Dense(3)(h)])
    z = keras.Input((3,))
    h = keras.layers.Dense(6, activation="tanh")(z)
    out = keras.layers.Dense(28 * 28, activation="sigmoid")(h)
    return encoder, keras.Model(z, keras.layers.Reshape((28, 28, 1))(out))


def _terms_in_training_mode(ns, encoder, decoder, images, code):
    """vae_loss's three terms in training mode, decoding z = code(mean, logvar); the
    batch-normalisation statistics are put back as they were."""
    state = encoder.non_trainable_weights + decoder.non_trainable_weights
    saved = [_numpy(v) for v in state]
    mean, logvar = encoder(images, training=True)
    terms = ns.vae_loss(images, decoder(code(mean, logvar), training=True), mean, logvar)
    terms = [float(_numpy(term)) for term in terms]
    for variable, value in zip(state, saved, strict=True):
        variable.assign(value)
    return terms


def _loss_with_noise_of(ns, encoder, decoder, images, seed):
    """The loss in training mode with the first draw of a fresh sampler (the step's own noise)."""
    sampler = ns.GaussianSampling(seed=seed)
    return _terms_in_training_mode(ns, encoder, decoder, images, lambda m, v: sampler((m, v)))[0]


class _RecordingSGD(keras.optimizers.SGD):
    """SGD that notes the variables it is given without a gradient (None): the tape did not
    record the loss's computation through them (a network run outside the tape)."""

    def __init__(self, learning_rate):
        # Named as SGD: a name scope may not start with the class's underscore.
        super().__init__(learning_rate, name="SGD")
        self.without_gradient = []

    def apply(self, grads, trainable_variables=None):
        if trainable_variables is not None:
            grads, trainable_variables = list(grads), list(trainable_variables)
            self.without_gradient += [
                v for g, v in zip(grads, trainable_variables, strict=False) if g is None
            ]
        return super().apply(grads, trainable_variables)


def one_train_step(ns, images, model_seed, noise_seed, learning_rate=0.05):
    """One SGD step of make_train_step on a tiny VAE: what it returns, the weights and the
    batch-normalisation statistics after, the sampler's calls, and the loss before and after
    the step with the noise of the step's first draw."""
    images = tf.constant(images, tf.float32)
    encoder, decoder = _tiny_vae(model_seed)
    variables = encoder.trainable_variables + decoder.trainable_variables
    state = encoder.non_trainable_weights + decoder.non_trainable_weights
    state_before = [_numpy(v) for v in state]
    weights_before = [_numpy(v) for v in variables]
    before = _loss_with_noise_of(ns, encoder, decoder, images, noise_seed)
    # The reconstruction term of a step that decodes the mean: a hint names that slip only
    # where the step returns this value.
    mean_reconstruction = _terms_in_training_mode(ns, encoder, decoder, images, lambda m, v: m)[1]
    sampler = ns.GaussianSampling(seed=noise_seed)
    optimizer = _RecordingSGD(learning_rate)
    step = ns.make_train_step(encoder, decoder, sampler, optimizer)
    out = step(images)
    values = list(out) if isinstance(out, (list, tuple)) else [out]
    calls = getattr(sampler, "calls", None)
    functions = (tf.types.experimental.PolymorphicFunction, tf.types.experimental.ConcreteFunction)
    return {
        "tf_function": isinstance(step, functions),
        "returned": [_numpy(v).astype(np.float64) for v in values],
        "weights": [_numpy(v) for v in variables],
        "weights_before": weights_before,
        "encoder_variables": len(encoder.trainable_variables),
        "names": [v.path for v in variables],
        "state_before": state_before,
        "state": [_numpy(v) for v in state],
        "sampler_calls": None if calls is None else int(_numpy(calls)),
        "without_gradient": [
            i for i, v in enumerate(variables) if any(v is w for w in optimizer.without_gradient)
        ],
        "before": before,
        "mean_reconstruction": mean_reconstruction,
        "after": _loss_with_noise_of(ns, encoder, decoder, images, noise_seed),
    }


# ---------------------------------------------------------------- generation
CODE_SCALE = 4.0  # a code decoder's pixel k is sigmoid(z_k / CODE_SCALE)


def code_decoder(latent_dim):
    """A decoder as the task describes one, codes (B, D) -> images (B, 28, 28, 1) in (0, 1),
    whose images show their codes: pixel k (row-major) is sigmoid(z_k / 4) for k < D, the
    others 0.5. The checks read the codes back with 4 * logit."""
    z = keras.Input((latent_dim,))
    dense = keras.layers.Dense(28 * 28, activation="sigmoid")
    decoder = keras.Model(z, keras.layers.Reshape((28, 28, 1))(dense(z)))
    kernel = np.zeros((latent_dim, 28 * 28), np.float32)
    kernel[np.arange(latent_dim), np.arange(latent_dim)] = 1.0 / CODE_SCALE
    dense.kernel.assign(kernel)
    dense.bias.assign(np.zeros(28 * 28, np.float32))
    return decoder


def prior_codes(ns, n, latent_dim, seeds):
    """sample_prior with a code decoder, once per seed: the images' type name and the images."""
    decoder = code_decoder(latent_dim)
    out = []
    for seed in seeds:
        images = ns.sample_prior(decoder, n, seed=seed)
        out.append([type(images).__module__ + "." + type(images).__name__, _numpy(images)])
    return out


def prior_draw(ns, n, latent_dim, seed):
    """sample_prior with a code decoder and one seed: the images (whose codes a check reads)."""
    return _numpy(ns.sample_prior(code_decoder(latent_dim), n, seed=seed))


def _dense_encoder(latent_dim, label, certain=False):
    """A small seeded encoder; `certain`: its logvar is -40 whatever the image (the same means),
    so that a sampled code equals the mean to 1e-9."""
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
    if certain:
        heads[1].kernel.assign(np.zeros(tuple(heads[1].kernel.shape)))
        heads[1].bias.assign(np.full(tuple(heads[1].bias.shape), -40.0))
    return encoder


def _sigmoid_decoder(latent_dim, label):
    z = keras.Input((latent_dim,))
    dense = keras.layers.Dense(28 * 28, activation="sigmoid")
    decoder = keras.Model(z, keras.layers.Reshape((28, 28, 1))(dense(z)))
    dense.kernel.assign(seeded_rng(label).normal(0, 2.0, size=tuple(dense.kernel.shape)))
    return decoder


def interpolation(ns, image_a, image_b, steps, latent_dim, label, code_images=False, certain=False):
    """interpolate(...) with a seeded dense encoder (`certain`: of variance near zero) and a
    sigmoid (or code) decoder; the images, their type name, and whether image_a and image_b
    were left unchanged."""
    encoder = _dense_encoder(latent_dim, label, certain)
    if code_images:
        decoder = code_decoder(latent_dim)
    else:
        decoder = _sigmoid_decoder(latent_dim, label + " decoder")
    a = np.array(image_a, np.float32)
    b = np.array(image_b, np.float32)
    out = ns.interpolate(encoder, decoder, a, b, steps=steps)
    return {
        "type": type(out).__module__ + "." + type(out).__name__,
        "images": _numpy(out),
        "inputs_unchanged": bool(np.array_equal(a, image_a) and np.array_equal(b, image_b)),
    }


# ---------------------------------------------------------------- trained_vae
def handed_in_vae(ns, names, images, noise, codes, order):
    """The handed-in VAE, built and loaded once, measured on everything its checks judge.

    names: the settings file and the two weight files. The encoder runs on `images`; the
    decoder then decodes, in one sequence in the given `order` (a permutation), the noisy
    codes mean + exp(0.5 * logvar) * noise, the means, and the prior `codes`: it cannot tell
    which check uses which decoding. Returns {"missing": [names]} when files are absent and
    {"error": ...} when they do not load into the networks build_encoder and build_decoder make.
    """
    # The student's own build_encoder and build_decoder are the only networks the weights fit;
    # a mistake in vae_networks that still loads is judged by the figures of that very model.
    folder = ns.folder  # where the files handed in with the code lie, or None
    missing = [n for n in names if folder is None or not (folder / n).is_file()]
    if missing:
        return {"missing": missing}
    settings_name, encoder_name, decoder_name = names
    try:
        settings = json.loads((folder / settings_name).read_text(encoding="utf-8"))
        latent_dim, filters = int(settings["latent_dim"]), int(settings["filters"])
    except Exception as error:  # noqa: BLE001 (a settings file that is not what the cell saves)
        return {"error": type(error).__name__, "where": settings_name}
    encoder = ns.build_encoder(latent_dim, filters)
    decoder = ns.build_decoder(latent_dim, filters)
    try:
        encoder.load_weights(str(folder / encoder_name))
        decoder.load_weights(str(folder / decoder_name))
    except Exception as error:  # noqa: BLE001 (weights of another architecture, say)
        return {"error": type(error).__name__, "where": "weights", "latent_dim": latent_dim}
    if np.shape(noise)[-1] != latent_dim:
        noise = seeded_rng("handed-in noise").normal(size=(len(images), latent_dim))
        codes = seeded_rng("handed-in codes").normal(size=(len(codes), latent_dim))
    means, logvars = [], []
    for first in range(0, len(images), 250):
        mean, logvar = encoder(tf.constant(images[first : first + 250], tf.float32), training=False)
        means.append(_numpy(mean))
        logvars.append(_numpy(logvar))
    mean, logvar = np.concatenate(means), np.concatenate(logvars)
    noisy = mean + np.exp(0.5 * logvar) * np.asarray(noise, np.float32)
    everything = np.concatenate([noisy, mean, np.asarray(codes, np.float32)]).astype(np.float32)
    order = np.asarray(order)
    decoded = np.empty((len(everything), 28, 28, 1), np.float32)
    for first in range(0, len(order), 250):
        chunk = order[first : first + 250]
        decoded[chunk] = _numpy(decoder(tf.constant(everything[chunk]), training=False)).reshape(
            len(chunk), 28, 28, 1
        )
    n = len(images)
    return {
        "latent_dim": latent_dim,
        "mean": mean,
        "logvar": logvar,
        "reconstructions": decoded[:n],
        "decoded_means": decoded[n : 2 * n],
        "samples": decoded[2 * n :],
    }
