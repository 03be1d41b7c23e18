"""Public checks of chapter 2: autoencoders and variational autoencoders.

Each check is light (tiny inputs, a second or two) and says what to fix when it fails. The
hidden checks in autograder/ch02_vae/ test the same functions more thoroughly, on other inputs.
TensorFlow and Keras are imported inside the checks, so that importing this module stays cheap.
"""

import math

import numpy as np

from igcourse.checks import N_, describe, expect, expect_unchanged, require, rounded
from igcourse.checks.relation import with_relation
from igcourse.i18n import _


def _frameworks():
    import keras
    import tensorflow as tf

    return tf, keras


def _numpy(value):
    _tf, keras = _frameworks()
    return np.asarray(keras.ops.convert_to_numpy(value))


def _kl_rows(mean, logvar):
    """The closed-form KL of each row (float64)."""
    return -0.5 * np.sum(1.0 + logvar - mean**2 - np.exp(logvar), axis=-1)


# ------------------------------------------------------------------ vae: sampling_layer


def _draw(ns, mean, logvar, seed=0):
    GaussianSampling = require(ns, "GaussianSampling")
    layer = GaussianSampling(seed=seed)
    return layer, _numpy(layer((mean.astype(np.float32), logvar.astype(np.float32))))


@describe(N_("returns z of the shape of mean; zero log-variance gives unit spread"))
def sampling_shape(ns):
    mean = np.zeros((4, 3))
    _layer, z = _draw(ns, mean, np.zeros((4, 3)))
    expect(
        z.shape == (4, 3),
        _(
            "GaussianSampling()((mean, logvar)) for inputs of shape (4, 3) returned shape {got}"
        ).format(got=z.shape),
    )
    expect(
        np.all(z != 0),
        _(
            "with mean 0 the samples should be the noise itself, but some are exactly 0: draw "
            "epsilon with keras.random.normal and add exp(0.5 * logvar) * epsilon to the mean"
        ),
    )


@describe(N_("draws follow N(mean, exp(logvar))"))
def sampling_statistics(ns):
    n = 20_000
    mean = np.tile([[1.5, -2.0, 0.0]], (n, 1))
    logvar = np.tile([[math.log(0.25), math.log(4.0), math.log(9.0)]], (n, 1))
    _layer, z = _draw(ns, mean, logvar, seed=3)
    got_mean, got_std = z.mean(axis=0), z.std(axis=0)
    expected_std = np.array([0.5, 2.0, 3.0])
    hint = ""
    if np.allclose(got_std, expected_std**2, rtol=0.05):
        hint = _(" (it looks like exp(logvar): the standard deviation is exp(0.5 * logvar))")
    expect(
        np.allclose(got_mean, mean[0], atol=0.1) and np.allclose(got_std, expected_std, rtol=0.05),
        _(
            "for mean {mean} and variance {var}, 20,000 draws have mean {got_mean} and standard "
            "deviation {got_std}, expected standard deviation {std}{hint}"
        ).format(
            mean=mean[0].tolist(),
            var=[0.25, 4.0, 9.0],
            got_mean=rounded(got_mean, 3),
            got_std=rounded(got_std, 3),
            std=expected_std.tolist(),
            hint=hint,
        ),
    )


@describe(N_("new noise on every call and for every row, reproducible from the seed"))
def sampling_fresh_noise(ns):
    mean, logvar = np.zeros((3, 2), np.float32), np.zeros((3, 2), np.float32)
    layer, first = _draw(ns, mean, logvar, seed=5)
    second = _numpy(layer((mean, logvar)))
    _other, again = _draw(ns, mean, logvar, seed=5)
    expect(
        not np.allclose(first, second),
        _(
            "two calls of the same layer gave the same z: each call must draw new noise with "
            "seed=self.seed_generator (a SeedGenerator gives new numbers on every call; noise "
            "drawn once in __init__ or build, or a fixed integer seed, repeats them)"
        ),
    )
    expect(
        not np.allclose(first[0], first[1]),
        _("all rows of a batch got the same noise: draw noise of the shape of mean"),
    )
    expect(
        np.allclose(first, again),
        _(
            "two layers made with seed=5 gave different first draws: create a "
            "keras.random.SeedGenerator(seed) in __init__ and pass it to keras.random.normal"
        ),
    )


# ------------------------------------------------------------------ vae: kl_divergence


def _kl(ns, mean, logvar):
    kl_divergence = require(ns, "kl_divergence")
    value = _numpy(kl_divergence(mean.astype(np.float32), logvar.astype(np.float32)))
    expect(
        value.shape == (),
        _(
            "kl_divergence for inputs of shape {shape} should return one number, not an array "
            "of shape {got}: sum over the latent dimensions, then average them over the images"
        ).format(shape=mean.shape, got=value.shape),
    )
    return float(value)


@describe(N_("zero at the prior, positive elsewhere"))
def kl_prior(ns):
    zero = _kl(ns, np.zeros((2, 3)), np.zeros((2, 3)))
    expect(
        abs(zero) < 1e-6,
        _("kl_divergence of mean 0 and logvar 0 (the prior itself) should be 0, not {got}").format(
            got=zero
        ),
    )
    positive = _kl(ns, np.ones((2, 3)), np.ones((2, 3)))
    expect(
        positive > 0,
        _(
            "kl_divergence of mean 1 and logvar 1 should be positive, not {got:.4f}: check the "
            "sign, KL = -0.5 * sum(1 + logvar - mean^2 - exp(logvar))"
        ).format(got=positive),
    )


@describe(N_("summed over latent dimensions, averaged over the batch"))
def kl_values(ns):
    rng = np.random.default_rng(2)
    mean, logvar = rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
    expected = float(np.mean(_kl_rows(mean, logvar)))
    got = _kl(ns, mean, logvar)
    hint = ""
    if math.isclose(got, expected / 5, rel_tol=1e-4):
        hint = _(" (you averaged over the latent dimensions: sum over them instead)")
    elif math.isclose(got, expected * 4, rel_tol=1e-4):
        hint = _(" (you summed over the batch: average over it instead)")
    elif math.isclose(got, -expected, rel_tol=1e-4):
        hint = _(" (the sign is wrong)")
    expect(
        math.isclose(got, expected, rel_tol=1e-4),
        _(
            "for random mean and logvar of shape (4, 5) kl_divergence returned {got:.5f}, "
            "expected {expected:.5f}{hint}"
        ).format(got=got, expected=expected, hint=hint),
    )


# ------------------------------------------------------------------ vae: vae_networks


@describe(N_("encoder gives [mean, logvar], decoder gives (B, 28, 28, 1) in (0, 1)"))
def networks_shapes(ns):
    _tf, keras = _frameworks()
    build_encoder = require(ns, "build_encoder")
    build_decoder = require(ns, "build_decoder")
    keras.utils.set_random_seed(0)
    encoder, decoder = build_encoder(3, 4), build_decoder(3, 4)
    x = np.random.default_rng(0).random((2, 28, 28, 1)).astype(np.float32)
    out = encoder(x)
    expect(
        isinstance(out, (list, tuple)) and len(out) == 2,
        _("the encoder must return two outputs [mean, logvar], not {kind}").format(
            kind=type(out).__name__
        ),
    )
    mean, logvar = (_numpy(o) for o in out)
    expect(
        mean.shape == (2, 3) and logvar.shape == (2, 3),
        _("for latent_dim=3 mean and logvar should have shape (2, 3), not {a} and {b}").format(
            a=mean.shape, b=logvar.shape
        ),
    )
    expect(
        not np.allclose(mean, logvar),
        _("mean and logvar are equal: give each its own Dense layer"),
    )
    images = _numpy(decoder(np.random.default_rng(1).normal(size=(2, 3)).astype(np.float32)))
    expect(
        images.shape == (2, 28, 28, 1),
        _(
            "the decoder should return images of shape (2, 28, 28, 1), not {got}: two "
            "Conv2DTranspose layers with strides=2 take 7x7 to 28x28"
        ).format(got=images.shape),
    )
    expect(
        images.min() > 0 and images.max() < 1,
        _("the decoder's outputs should lie in (0, 1): end with a sigmoid activation"),
    )


# ------------------------------------------------------------------ vae: vae_loss


def _bce_per_image(images, reconstructions):
    low, high = np.float32(1e-7), np.float32(1 - 1e-7)
    p = np.clip(reconstructions.astype(np.float32), low, high).astype(np.float64)
    return -(images * np.log(p) + (1 - images) * np.log(1 - p)).reshape(len(images), -1).sum(1)


@describe(N_("reconstruction summed over pixels, plus the KL, averaged over images"))
def loss_values(ns):
    vae_loss = require(ns, "vae_loss")
    kl_divergence = require(ns, "kl_divergence")
    rng = np.random.default_rng(4)
    # Like Fashion-MNIST: many pixels exactly 0, some exactly 1, so that swapping the images
    # and the reconstructions in the cross-entropy moves the term far.
    kind = rng.random((3, 4, 4, 1))
    images = np.where(kind < 0.5, 0.0, np.where(kind < 0.65, 1.0, rng.random((3, 4, 4, 1))))
    images = images.astype(np.float32)
    recon = rng.uniform(0.05, 0.95, size=(3, 4, 4, 1)).astype(np.float32)
    mean = rng.normal(size=(3, 2)).astype(np.float32)
    logvar = rng.normal(size=(3, 2)).astype(np.float32)
    out = vae_loss(images, recon, mean, logvar)
    expect(
        isinstance(out, (list, tuple)) and len(out) == 3,
        _("vae_loss must return (loss, reconstruction, kl), not {kind}").format(
            kind=type(out).__name__
        ),
    )
    shapes = [tuple(_numpy(v).shape) for v in out]
    expect(
        all(shape == () for shape in shapes),
        _(
            "vae_loss must return three scalars, but for a batch of 3 images the shapes of "
            "(loss, reconstruction, kl) are {shapes}: average the per-image terms over the images"
        ).format(shapes=shapes),
    )
    loss, rec, kl = (float(_numpy(v)) for v in out)
    expected_rec = float(np.mean(_bce_per_image(images.astype(np.float64), recon)))
    # The kl term is whatever kl_divergence returns: vae_loss is checked on its own.
    expected_kl = float(_numpy(kl_divergence(mean, logvar)))
    hint = ""
    if math.isclose(rec, expected_rec / 16, rel_tol=1e-3):
        hint = _(" (you averaged over the pixels: sum over each image's pixels)")
    elif math.isclose(rec, expected_rec * 3, rel_tol=1e-3):
        hint = _(" (you summed over the batch: average over the images)")
    expect(
        math.isclose(rec, expected_rec, rel_tol=1e-3),
        _(
            "the reconstruction term is {got:.4f}, expected {expected:.4f}: binary cross-entropy "
            "summed over each image's pixels, averaged over the images{hint}"
        ).format(got=rec, expected=expected_rec, hint=hint),
    )
    expect(
        math.isclose(kl, expected_kl, rel_tol=1e-3),
        _("the kl term is {got:.4f}, expected kl_divergence(mean, logvar) = {expected:.4f}").format(
            got=kl, expected=expected_kl
        ),
    )
    expect(
        math.isclose(loss, rec + kl, rel_tol=1e-4),
        _("loss is {got:.4f}, expected reconstruction + kl = {expected:.4f}").format(
            got=loss, expected=rec + kl
        ),
    )


# ------------------------------------------------------------------ vae: train_step


def _toy_vae(keras, seed):
    """Small dense networks for the task's images, (B, 28, 28, 1), and 2 latent dimensions."""
    keras.utils.set_random_seed(seed)
    image_input = keras.Input((28, 28, 1))
    h = keras.layers.Flatten()(image_input)
    encoder = keras.Model(image_input, [keras.layers.Dense(2)(h), keras.layers.Dense(2)(h)])
    z = keras.Input((2,))
    out = keras.layers.Reshape((28, 28, 1))(keras.layers.Dense(28 * 28, activation="sigmoid")(z))
    return encoder, keras.Model(z, out)


@describe(N_("make_train_step returns a tf.function"))
def train_step_compiled(ns):
    tf, keras = _frameworks()
    make_train_step = require(ns, "make_train_step")
    GaussianSampling = require(ns, "GaussianSampling")
    encoder, decoder = _toy_vae(keras, 1)
    step = make_train_step(encoder, decoder, GaussianSampling(seed=9), keras.optimizers.SGD(0.01))
    functions = (tf.types.experimental.PolymorphicFunction, tf.types.experimental.ConcreteFunction)
    expect(
        isinstance(step, functions),
        _(
            "make_train_step must return a tf.function (decorate step with @tf.function, or "
            "return tf.function(step)), not {kind}"
        ).format(kind=type(step).__name__),
    )


def _other_reconstructions(vae_loss, sampling_layer, images, decoder, mean, logvar):
    """The reconstruction term when the step decodes the mean, and when it decodes the
    sampler's second draw (a step that calls the sampler twice), before any update."""
    sampler = sampling_layer(seed=9)
    sampler((mean, logvar))
    second = sampler((mean, logvar))
    return {
        "mean": float(_numpy(vae_loss(images, decoder(mean), mean, logvar)[1])),
        "second": float(_numpy(vae_loss(images, decoder(second), mean, logvar)[1])),
    }


def _reconstruction_hint(got, reconstructions):
    """Advice for a step whose KL term is right and whose reconstruction term is not, naming
    a slip only where the value is that slip's."""
    if math.isclose(got, reconstructions["mean"], rel_tol=1e-4):
        return _(
            " (the reconstruction is that of the decoded mean: decode z = sampler((mean, logvar)))"
        )
    if math.isclose(got, reconstructions["second"], rel_tol=1e-4):
        return _(
            " (the reconstruction is that of the sampler's second draw: call the sampler once "
            "and decode that z)"
        )
    return _(" (the KL term is right, the reconstruction term is not: look at what is decoded)")


@describe(N_("returns (loss, reconstruction, kl) and updates both networks"))
def train_step_update(ns):
    tf, keras = _frameworks()
    make_train_step = require(ns, "make_train_step")
    GaussianSampling = require(ns, "GaussianSampling")
    vae_loss = require(ns, "vae_loss")
    encoder, decoder = _toy_vae(keras, 1)
    images = np.random.default_rng(3).random((5, 28, 28, 1)).astype(np.float32)
    mean, logvar = encoder(images)
    z = GaussianSampling(seed=9)((mean, logvar))
    expected = [float(_numpy(v)) for v in vae_loss(images, decoder(z), mean, logvar)]
    reconstructions = _other_reconstructions(
        vae_loss, GaussianSampling, images, decoder, mean, logvar
    )
    before = [_numpy(w).copy() for w in encoder.trainable_variables + decoder.trainable_variables]
    step = make_train_step(encoder, decoder, GaussianSampling(seed=9), keras.optimizers.SGD(0.01))
    try:
        out = step(tf.constant(images))
    except ValueError as error:
        expect(
            "No gradients provided" not in str(error),
            _(
                "the optimizer got no gradient for any variable: compute the encoder, the "
                "sampler, the decoder and vae_loss inside `with tf.GradientTape() as tape:`"
            ),
        )
        raise
    expect(
        isinstance(out, (list, tuple)) and len(out) == 3,
        _("step(images) must return (loss, reconstruction, kl), not {kind}").format(
            kind=type(out).__name__
        ),
    )
    got = [float(_numpy(v)) for v in out]
    hint = ""
    if math.isclose(got[2], expected[2], rel_tol=1e-4) and not math.isclose(
        got[1], expected[1], rel_tol=1e-4
    ):
        hint = _reconstruction_hint(got[1], reconstructions)
    expect(
        np.allclose(got, expected, rtol=1e-4),
        _(
            "step(images) returned {got}, expected {expected} (vae_loss of the batch before the "
            "update, with z drawn once by the sampler){hint}"
        ).format(got=rounded(got, 4), expected=rounded(expected, 4), hint=hint),
    )
    after = [_numpy(w) for w in encoder.trainable_variables + decoder.trainable_variables]
    unchanged = [i for i, (a, b) in enumerate(zip(after, before, strict=True)) if np.allclose(a, b)]
    expect(
        not unchanged,
        _(
            "{count} of the {total} variables of the encoder and decoder did not change: each "
            "needs a gradient of the loss computed under the tape (encoder, sampler, decoder "
            "and vae_loss inside it), applied to encoder.trainable_variables + "
            "decoder.trainable_variables"
        ).format(count=len(unchanged), total=len(after)),
    )


# ------------------------------------------------------------------ vae: generation


CODE_SCALE = 4.0


def _code_decoder(keras, latent_dim):
    """A decoder as the task describes one, codes (B, D) -> images (B, 28, 28, 1) in (0, 1),
    whose images show their codes: pixel k (row-major) is sigmoid(z_k / 4), k < D."""
    z = keras.Input(shape=(latent_dim,))
    dense = keras.layers.Dense(28 * 28, activation="sigmoid")
    decoder = keras.Model(z, keras.layers.Reshape((28, 28, 1))(dense(z)))
    kernel = np.zeros((latent_dim, 28 * 28), np.float32)
    kernel[np.arange(latent_dim), np.arange(latent_dim)] = 1.0 / CODE_SCALE
    dense.kernel.assign(kernel)
    dense.bias.assign(np.zeros(28 * 28, np.float32))
    return decoder


def _codes_of(images, latent_dim):
    """The codes that a _code_decoder wrote into its images."""
    p = np.asarray(images, np.float64).reshape(len(images), -1)[:, :latent_dim]
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return CODE_SCALE * np.log(p / (1 - p))


@describe(N_("sample_prior decodes N(0, I) codes, reproducible from the seed"))
def prior_samples(ns):
    _tf, keras = _frameworks()
    sample_prior = require(ns, "sample_prior")
    decoder = _code_decoder(keras, 3)
    images = sample_prior(decoder, 5000, seed=2)
    expect(
        isinstance(images, np.ndarray) and images.shape == (5000, 28, 28, 1),
        _(
            "sample_prior(decoder, 5000) should return a NumPy array of images of shape "
            "(5000, 28, 28, 1), not {kind} {got}: convert the decoder's output with "
            "keras.ops.convert_to_numpy"
        ).format(kind=type(images).__name__, got=tuple(getattr(images, "shape", ()))),
    )
    codes = _codes_of(images, 3)
    expect(
        np.allclose(codes.mean(axis=0), 0, atol=0.1)
        and np.allclose(codes.std(axis=0), 1, atol=0.1),
        _(
            "the codes have mean {mean} and standard deviation {std}; draw them from the "
            "standard normal prior with keras.random.normal"
        ).format(
            mean=rounded(codes.mean(axis=0), 3),
            std=rounded(codes.std(axis=0), 3),
        ),
    )
    again = _codes_of(np.asarray(sample_prior(decoder, 5000, seed=2)), 3)
    expect(
        np.allclose(codes, again, atol=1e-4),
        _("two calls with seed=2 gave different codes: pass seed=seed to keras.random.normal"),
    )


@describe(N_("interpolate decodes the straight line between the two means, ends included"))
def interpolation_line(ns):
    _tf, keras = _frameworks()
    interpolate = require(ns, "interpolate")
    keras.utils.set_random_seed(0)
    images = keras.Input(shape=(28, 28, 1))
    h = keras.layers.Flatten()(images)
    encoder = keras.Model(images, [keras.layers.Dense(2)(h), keras.layers.Dense(2)(h)])
    decoder = _code_decoder(keras, 2)
    rng = np.random.default_rng(5)
    a, b = (rng.random((28, 28, 1)).astype(np.float32) for _i in range(2))
    images = np.asarray(interpolate(encoder, decoder, a, b, steps=5))
    expect(
        images.shape == (5, 28, 28, 1),
        _(
            "interpolate(..., steps=5) should return images of shape (5, 28, 28, 1), not {got}"
        ).format(got=images.shape),
    )
    got = _codes_of(images, 2)
    means = _numpy(encoder(np.stack([a, b]))[0])
    t = np.linspace(0, 1, 5)[:, None]
    expected = (1 - t) * means[0] + t * means[1]
    message = _(
        "with a decoder whose images show their codes, interpolate(..., steps=5) decoded the "
        "codes {got}, expected {expected}: encode both images, take their means and decode "
        "(1 - t) * mean_a + t * mean_b for t = np.linspace(0, 1, steps)"
    ).format(got=rounded(got, 3), expected=rounded(expected, 3))
    expect(
        np.allclose(got, expected, atol=1e-4),
        with_relation(message, got, expected, atol=1e-4),
    )


# ------------------------------------------------------------------ vae: trained_vae

HANDED_IN_FILES = ("vae.json", "vae_encoder.weights.h5", "vae_decoder.weights.h5")


@describe(N_("the trained model is saved next to the notebook and loads into your networks"))
def handed_in_files(ns):
    import json
    from pathlib import Path

    build_encoder = require(ns, "build_encoder")
    build_decoder = require(ns, "build_decoder")
    folder = Path.cwd()  # the notebook's folder, where the cell above saves the files
    missing = [name for name in HANDED_IN_FILES if not (folder / name).is_file()]
    expect(
        not missing,
        _(
            "{files} not in this notebook's folder: train the model, run the cell above, which "
            "saves it, and submit the three files with the notebook"
        ).format(files=", ".join(missing)),
    )
    try:
        saved = json.loads((folder / HANDED_IN_FILES[0]).read_text(encoding="utf-8"))
        latent_dim, filters = int(saved["latent_dim"]), int(saved["filters"])
    except (ValueError, KeyError, TypeError) as error:
        expect(
            False,
            _(
                "{name} is not the settings file the notebook saves ({error}): run the cell "
                "above again"
            ).format(name=HANDED_IN_FILES[0], error=error),
        )
    encoder, decoder = build_encoder(latent_dim, filters), build_decoder(latent_dim, filters)
    try:
        encoder.load_weights(str(folder / HANDED_IN_FILES[1]))
        decoder.load_weights(str(folder / HANDED_IN_FILES[2]))
    except Exception as error:  # noqa: BLE001 (any reason the weights do not load)
        expect(
            False,
            _(
                "the saved weights do not load into build_encoder({d}, {f}) and "
                "build_decoder({d}, {f}) ({error}): save both networks of the same run, with "
                "the settings they were built with"
            ).format(d=latent_dim, f=filters, error=type(error).__name__),
        )


# ------------------------------------------------------------------ autoencoder


def _random_weights(model, label):
    """Give every weight of a model seeded random values (so that two builds compare equal)."""
    rng = np.random.default_rng(sum(map(ord, label)))
    for weight in model.weights:
        weight.assign(rng.normal(0, 0.1, size=tuple(weight.shape)).astype(np.float32))


@describe(N_("maps (B, 28, 28, 1) images to (B, latent_dim) codes that can be negative"))
def ae_encoder_shapes(ns):
    _tf, keras = _frameworks()
    build_encoder = require(ns, "build_encoder")
    keras.utils.set_random_seed(0)
    encoder = build_encoder(2, 4)
    x = np.random.default_rng(0).random((5, 28, 28, 1)).astype(np.float32)
    codes = _numpy(encoder(x))
    expect(
        codes.shape == (5, 2),
        _(
            "build_encoder(2, 4) on images (5, 28, 28, 1) should give codes (5, 2), not {got}"
        ).format(got=codes.shape),
    )
    convolutions = 4 * 9 + 4 + 8 * 9 * 4 + 8
    expected, got = convolutions + 7 * 7 * 8 * 2 + 2, encoder.count_params()
    hint = ""
    if got == convolutions + 6 * 6 * 8 * 2 + 2:  # what padding="valid" leaves: 28 -> 13 -> 6
        hint = _(
            "; yours flattens 6x6 maps, not 7x7: the convolutions need padding='same' "
            "(28 -> 14 -> 7)"
        )
    expect(
        got == expected,
        _(
            "build_encoder(2, 4) has {got} parameters, the table's network {expected}: two 3x3 "
            "convolutions with strides 2 (F and 2F filters), Flatten, Dense(latent_dim){hint}"
        ).format(got=got, expected=expected, hint=hint),
    )
    # A linear last layer gives negative codes for most random weights, though not for every
    # one: only never over several draws says that an activation clips the codes.
    lowest = np.inf
    for draw in range(8):
        _random_weights(encoder, f"encoder {draw}")
        lowest = min(lowest, float(_numpy(encoder(x)).min()))
    expect(
        lowest < 0,
        _(
            "the codes are never negative, with any of 8 random sets of weights: the last Dense "
            "layer of the encoder needs no activation"
        ),
    )


@describe(N_("maps (B, latent_dim) codes to (B, 28, 28, 1) images in (0, 1)"))
def ae_decoder_shapes(ns):
    _tf, keras = _frameworks()
    build_decoder = require(ns, "build_decoder")
    keras.utils.set_random_seed(0)
    decoder = build_decoder(2, 4)
    images = _numpy(decoder(np.random.default_rng(1).normal(0, 5, size=(3, 2)).astype(np.float32)))
    expect(
        images.shape == (3, 28, 28, 1),
        _(
            "build_decoder(2, 4) on codes (3, 2) should give images (3, 28, 28, 1), not {got}: "
            "two Conv2DTranspose layers with strides=2 take 7x7 to 28x28"
        ).format(got=images.shape),
    )
    expect(
        images.min() >= 0 and images.max() <= 1,
        _("the decoder's outputs should lie in [0, 1]: end with a sigmoid activation"),
    )


@describe(N_("composes the given encoder and decoder (shared weights)"))
def ae_composes(ns):
    _tf, keras = _frameworks()
    build_autoencoder = require(ns, "build_autoencoder")
    keras.utils.set_random_seed(0)
    codes_in = keras.Input((28, 28, 1))
    encoder = keras.Model(codes_in, keras.layers.Dense(2)(keras.layers.Flatten()(codes_in)))
    z = keras.Input((2,))
    dense = keras.layers.Dense(28 * 28, activation="sigmoid")
    decoder = keras.Model(z, keras.layers.Reshape((28, 28, 1))(dense(z)))
    autoencoder = build_autoencoder(encoder, decoder)
    x = np.random.default_rng(2).random((4, 28, 28, 1)).astype(np.float32)
    before = _numpy(autoencoder(x))
    _random_weights(encoder, "ae encoder")
    _random_weights(decoder, "ae decoder")
    got = _numpy(autoencoder(x))
    expected = _numpy(decoder(encoder(x)))
    expect(
        not (before.shape == got.shape and np.allclose(before, got, atol=1e-6)),
        _(
            "after changing the weights of the encoder and decoder, the autoencoder's output is "
            "the same as before: build the model from the two networks you are given "
            "(keras.Model(images, decoder(encoder(images)))), not from new ones"
        ),
    )
    expect(
        got.shape == expected.shape and np.allclose(got, expected, atol=1e-5),
        _(
            "the autoencoder follows the networks' weights, but its output is not "
            "decoder(encoder(x)): it should return the decoder's output as it is"
        ),
    )


@describe(N_("decodes the n x n grid in the documented order"))
def grid_order(ns):
    _tf, keras = _frameworks()
    latent_grid = require(ns, "latent_grid")
    decoder = _code_decoder(keras, 2)
    images = np.asarray(latent_grid(decoder, -1.0, 1.0, 3))
    expect(
        images.shape == (9, 28, 28, 1),
        _(
            "latent_grid(decoder, -1, 1, 3) should return the 9 decoded images, shape "
            "(9, 28, 28, 1), not {got}"
        ).format(got=images.shape),
    )
    got = _codes_of(images, 2)
    u = np.linspace(-1, 1, 3)
    expected = np.array([(u[j], u[2 - i]) for i in range(3) for j in range(3)])
    message = _(
        "with a decoder whose images show their codes, latent_grid(decoder, -1, 1, 3) decoded "
        "the codes {got}, expected {expected}: image i * n + j decodes (u[j], u[n - 1 - i]) "
        "with u = np.linspace(low, high, n)"
    ).format(got=rounded(got, 3), expected=expected.tolist())
    expect(
        np.allclose(got, expected, atol=1e-4),
        with_relation(message, got, expected, atol=1e-4),
    )


# ------------------------------------------------------------------ latent_editing


def _two_head_encoder(keras, latent_dim=3):
    keras.utils.set_random_seed(4)
    images = keras.Input(shape=(28, 28, 1))
    h = keras.layers.Dense(6, activation="tanh")(keras.layers.Flatten()(images))
    return keras.Model(
        images, [keras.layers.Dense(latent_dim)(h), keras.layers.Dense(latent_dim)(h)]
    )


@describe(N_("encodes every image, in batches, to the encoder's means"))
def means_all_batches(ns):
    _tf, keras = _frameworks()
    encode_means = require(ns, "encode_means")
    encoder = _two_head_encoder(keras)
    images = np.random.default_rng(6).random((7, 28, 28, 1)).astype(np.float32)
    got = np.asarray(encode_means(encoder, images, batch_size=3))
    expected = _numpy(encoder(images)[0])
    advice = ""  # only where the rows say which: fewer is a dropped batch, twice both outputs
    if got.ndim == 2 and got.shape[0] in (6, 3):
        advice = _(": encode every batch, including the last, smaller one, and concatenate")
    elif got.ndim == 2 and got.shape[0] == 14:
        advice = _(
            ": twice the rows, as if both outputs of the encoder were joined; keep the first "
            "output (mean) only"
        )
    expect(
        got.shape == expected.shape,
        _(
            "encode_means on 7 images with batch_size=3 returned shape {got}, expected "
            "{expected}{advice}"
        ).format(got=got.shape, expected=expected.shape, advice=advice),
    )
    expect(
        np.allclose(got, expected, atol=1e-5),
        _(
            "encode_means did not return the encoder's means in the order of the images: use the "
            "first output of the encoder (mean), not logvar or a sample"
        ),
    )


@describe(N_("mean and standard deviation per latent dimension"))
def statistics_per_dimension(ns):
    latent_statistics = require(ns, "latent_statistics")
    given = np.array([[0.0, 1.0, 4.0], [2.0, 1.0, -2.0], [4.0, 1.0, 1.0], [2.0, 1.0, 1.0]])
    codes = given.copy()
    mean, std = (np.asarray(v) for v in latent_statistics(given))
    expect_unchanged(given, codes, "latent_statistics", "codes")
    expect(
        mean.shape == (3,) and np.allclose(mean, codes.mean(axis=0)),
        _(
            "for codes {codes} the mean should be {expected} (one value per latent dimension, "
            "over the codes), not {got}"
        ).format(codes=codes.tolist(), expected=codes.mean(axis=0).tolist(), got=mean.tolist()),
    )
    expect(
        std.shape == (3,) and np.allclose(std, codes.std(axis=0)),
        with_relation(
            _("the standard deviation should be {expected}, not {got}").format(
                expected=rounded(codes.std(axis=0), 4), got=rounded(std, 4)
            ),
            std,
            codes.std(axis=0),
        ),
    )


@describe(N_("class mean minus the mean of the other images, over every batch"))
def vectors_values(ns):
    _tf, keras = _frameworks()
    attribute_vectors = require(ns, "attribute_vectors")
    encoder = _two_head_encoder(keras)
    rng = np.random.default_rng(7)
    images = rng.random((9, 28, 28, 1)).astype(np.float32)
    labels = np.array([0, 1, 2, 0, 1, 2, 2, 2, 1])
    got = np.asarray(attribute_vectors(encoder, images, labels, 3, batch_size=4))
    codes = _numpy(encoder(images)[0])
    expected = np.stack([codes[labels == c].mean(0) - codes[labels != c].mean(0) for c in range(3)])
    hint = ""
    first = codes[:4]
    one_batch = [first[labels[:4] == c].mean(0) - first[labels[:4] != c].mean(0) for c in range(3)]
    if got.shape == expected.shape and np.allclose(got, np.stack(one_batch), atol=1e-5):
        hint = _(" (these are the vectors of the first batch only: use every batch)")
    message = _(
        "attribute_vectors on 9 images of 3 classes (batch_size=4) returned {got}, expected "
        "{expected}: for each class, the mean code of its images minus the mean code of all "
        "other images{hint}"
    ).format(got=rounded(got, 4), expected=rounded(expected, 4), hint=hint)
    expect(
        got.shape == expected.shape and np.allclose(got, expected, atol=1e-5),
        with_relation(message, got, expected, atol=1e-5, explained=bool(hint)),
    )


@describe(N_("adds the strength-weighted sum of the vectors to every code"))
def arithmetic_values(ns):
    edit_codes = require(ns, "edit_codes")
    codes = np.array([[0.0, 0.0], [1.0, -1.0], [2.0, 3.0]])
    vectors = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    strengths = np.array([0.5, -1.0, 0.0])
    given = codes.copy()
    expected = codes + strengths @ vectors
    got = np.asarray(edit_codes(codes, vectors, strengths))
    expect_unchanged(codes, given, "edit_codes", "codes")
    message = _(
        "edit_codes({codes}, {vectors}, {strengths}) returned {got}, expected {expected}: "
        "add sum_c strengths[c] * vectors[c] to every code"
    ).format(
        codes=given.tolist(),
        vectors=vectors.tolist(),
        strengths=strengths.tolist(),
        got=rounded(got, 4),
        expected=expected.tolist(),
    )
    expect(
        got.shape == expected.shape and np.allclose(got, expected),
        with_relation(message, got, expected),
    )


@describe(N_("draws codes mean + std * epsilon, reproducible from the seed"))
def statistics_samples(ns):
    _tf, keras = _frameworks()
    sample_from_statistics = require(ns, "sample_from_statistics")
    decoder = _code_decoder(keras, 2)
    mean, std = np.array([2.0, -1.0]), np.array([0.5, 3.0])
    images = np.asarray(sample_from_statistics(decoder, mean, std, 5000, seed=4))
    expect(
        images.shape == (5000, 28, 28, 1),
        _(
            "sample_from_statistics(decoder, mean, std, 5000) should return the decoded images, "
            "shape (5000, 28, 28, 1), not {got}"
        ).format(got=images.shape),
    )
    codes = _codes_of(images, 2)
    expect(
        np.allclose(codes.mean(axis=0), mean, atol=0.15)
        and np.allclose(codes.std(axis=0), std, rtol=0.05),
        _(
            "with a decoder whose images show their codes, mean {mean} and std {std}, the codes "
            "have mean {got_mean} and std {got_std}; mean + std * epsilon has the given mean "
            "and std"
        ).format(
            mean=mean.tolist(),
            std=std.tolist(),
            got_mean=rounded(codes.mean(axis=0), 3),
            got_std=rounded(codes.std(axis=0), 3),
        ),
    )
    again = _codes_of(np.asarray(sample_from_statistics(decoder, mean, std, 5000, seed=4)), 2)
    expect(
        np.allclose(codes, again, atol=1e-4),
        _("two calls with seed=4 gave different codes: pass seed=seed to keras.random.normal"),
    )


PUBLIC_CHECKS = {
    # autoencoder.ipynb
    "encoder": [ae_encoder_shapes],
    "decoder": [ae_decoder_shapes],
    "autoencoder": [ae_composes],
    "latent_grid": [grid_order],
    # vae.ipynb
    "sampling_layer": [sampling_shape, sampling_statistics, sampling_fresh_noise],
    "kl_divergence": [kl_prior, kl_values],
    "vae_networks": [networks_shapes],
    "vae_loss": [loss_values],
    "train_step": [train_step_compiled, train_step_update],
    "generation": [prior_samples, interpolation_line],
    "trained_vae": [handed_in_files],
    # latent_editing.ipynb
    "encode_means": [means_all_batches],
    "latent_statistics": [statistics_per_dimension],
    "attribute_vectors": [vectors_values],
    "latent_arithmetic": [arithmetic_values],
    "sample_from_statistics": [statistics_samples],
}
