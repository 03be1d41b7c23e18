"""Probes of dcgan: they run the code under test and return plain data only.

Each probe takes the code under test as `ns` (attribute access) and plain arguments, builds
whatever tiny models it needs with Keras, and returns numbers, arrays, lists and dicts. No
thresholds or verdicts live here: the checks in test_dcgan.py judge what comes back.
"""

import json

import keras
import numpy as np
import tensorflow as tf

from igcourse.grading.checks import seeded_rng
from igcourse.grading.public import run_public_checks as public_checks  # noqa: F401


def _plain(value):
    """A tensor as a NumPy array, a 0-d one as a float (the wire keeps scalars scalar)."""
    if value is None:
        return None
    array = np.asarray(value)
    return float(array) if array.ndim == 0 and array.dtype.kind in "biuf" else array


def _values(variables):
    return [np.array(keras.ops.convert_to_numpy(v)) for v in variables]


# ---------------------------------------------------------------- losses
def d_loss(ns, real_logits, fake_logits):
    """discriminator_loss on the given logits."""
    return _plain(
        ns.discriminator_loss(
            tf.constant(real_logits, tf.float32), tf.constant(fake_logits, tf.float32)
        )
    )


def d_loss_gradients(ns, real_logits, fake_logits):
    """Gradients of discriminator_loss with respect to both logit batches (None: no gradient)."""
    real = tf.Variable(np.asarray(real_logits, np.float32))
    fake = tf.Variable(np.asarray(fake_logits, np.float32))
    with tf.GradientTape() as tape:
        loss = ns.discriminator_loss(real, fake)
    return tape.gradient(loss, [real, fake])


def g_loss(ns, fake_logits):
    """generator_loss on the given logits."""
    return _plain(ns.generator_loss(tf.constant(fake_logits, tf.float32)))


def g_loss_gradient(ns, fake_logits):
    """Gradient of generator_loss with respect to the logits (None: no gradient)."""
    fake = tf.Variable(np.asarray(fake_logits, np.float32))
    with tf.GradientTape() as tape:
        loss = ns.generator_loss(fake)
    return tape.gradient(loss, fake)


# ---------------------------------------------------------------- models
def _scale_last_kernel(model, factor):
    weighted = [layer for layer in model.layers if getattr(layer, "kernel", None) is not None]
    if weighted:
        weighted[-1].kernel.assign(weighted[-1].kernel * factor)


def generator_facts(ns, z_dim, filters, seed, batch=6, scale=50.0):
    """Output shape and parameter counts of build_generator, and its output range.

    The range is taken after the last layer's kernel is multiplied by `scale`, so that the
    output activation (tanh, sigmoid or none) shows at the extremes.
    """
    keras.utils.set_random_seed(seed)
    model = ns.build_generator(z_dim, filters)
    z = seeded_rng(f"generator facts {seed}").normal(size=(batch, z_dim)).astype(np.float32)
    images = np.asarray(model(z, training=False))
    _scale_last_kernel(model, scale)
    scaled = np.asarray(model(z, training=False))
    return {
        "shape": list(images.shape),
        "params": int(model.count_params()),
        "trainable": int(sum(np.prod(v.shape) for v in model.trainable_variables)),
        "scaled_min": float(scaled.min()),
        "scaled_max": float(scaled.max()),
    }


def discriminator_facts(ns, filters, seed, batch=6, scale=50.0):
    """Output shape and parameter counts of build_discriminator, and its output range."""
    keras.utils.set_random_seed(seed)
    model = ns.build_discriminator(filters)
    rng = seeded_rng(f"discriminator facts {seed}")
    images = rng.uniform(-1, 1, size=(batch, 28, 28, 1)).astype(np.float32)
    logits = np.asarray(model(images, training=False))
    _scale_last_kernel(model, scale)
    scaled = np.asarray(model(images, training=False))
    return {
        "shape": list(logits.shape),
        "params": int(model.count_params()),
        "trainable": int(sum(np.prod(v.shape) for v in model.trainable_variables)),
        "scaled_min": float(scaled.min()),
        "scaled_max": float(scaled.max()),
    }


# ---------------------------------------------------------------- training steps
def _tiny_gan(seed):
    keras.utils.set_random_seed(seed)
    generator = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(4, activation="tanh"), keras.layers.Dense(2)]
    )
    discriminator = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(5, activation="tanh"), keras.layers.Dense(1)]
    )
    return generator, discriminator


def step_effects(ns, seed, batch=8, learning_rate=0.1):
    """One d_step, then one g_step, with plain SGD on tiny dense networks.

    Returns the variables of G and D before, after the d_step and after the g_step, and the
    losses the two steps returned.
    """
    generator, discriminator = _tiny_gan(seed)
    steps = ns.make_gan_steps(
        generator,
        discriminator,
        keras.optimizers.SGD(learning_rate),
        keras.optimizers.SGD(learning_rate),
    )
    d_step, g_step = steps
    rng = seeded_rng(f"step effects {seed}")
    real = rng.normal(size=(batch, 2)).astype(np.float32) + 1.0
    z = rng.normal(size=(batch, 3)).astype(np.float32)
    result = {
        "g_before": _values(generator.variables),
        "d_before": _values(discriminator.variables),
    }
    result["d_loss"] = _plain(d_step(tf.constant(real), tf.constant(z)))
    result["g_after_d"] = _values(generator.variables)
    result["d_after_d"] = _values(discriminator.variables)
    result["g_loss"] = _plain(g_step(tf.constant(z)))
    result["g_after_g"] = _values(generator.variables)
    result["d_after_g"] = _values(discriminator.variables)
    return result


def train_and_sample(ns, images, steps, batch, z_dim, filters, seed, samples):
    """Train build_generator/build_discriminator with make_gan_steps; samples before and after.

    images: training images in [-1, 1], (N, 28, 28, 1). Adam(2e-4, beta_1=0.5) for both
    networks, one d_step and one g_step per iteration. Returns generated images (samples,
    28, 28, 1) from the same fixed noise, before and after training.
    """
    images = np.asarray(images, np.float32)
    keras.utils.set_random_seed(seed)
    generator = ns.build_generator(z_dim, filters)
    discriminator = ns.build_discriminator(filters)
    d_step, g_step = ns.make_gan_steps(
        generator,
        discriminator,
        keras.optimizers.Adam(2e-4, beta_1=0.5),
        keras.optimizers.Adam(2e-4, beta_1=0.5),
    )
    rng = seeded_rng(f"training {seed}")
    fixed = rng.normal(size=(samples, z_dim)).astype(np.float32)
    before = np.asarray(generator(fixed, training=False))
    for _step in range(steps):
        real = images[rng.integers(0, len(images), batch)]
        d_step(tf.constant(real), tf.constant(rng.normal(size=(batch, z_dim)), tf.float32))
        g_step(tf.constant(rng.normal(size=(batch, z_dim)), tf.float32))
    after = np.asarray(generator(fixed, training=False))
    return {"before": before, "after": after}


def handed_in_samples(ns, weights_name, settings_name, samples, seed):
    """Samples of the handed-in generator, from fixed noise.

    {"missing": True} when its files are not next to the notebook, {"load_error": type} when
    the weights do not fit the generator that the settings build, else {"samples": images}.
    """
    folder = ns.folder
    weights = folder / weights_name if folder else None
    settings = folder / settings_name if folder else None
    if weights is None or not weights.is_file() or not settings.is_file():
        return {"missing": True}
    build = json.loads(settings.read_text(encoding="utf-8"))
    z_dim, filters = int(build["z_dim"]), int(build["filters"])
    keras.utils.set_random_seed(seed)
    generator = ns.build_generator(z_dim, filters)
    try:
        generator.load_weights(str(weights))
    except Exception as error:  # noqa: BLE001 (a file from another architecture, say)
        return {"load_error": type(error).__name__}
    z = seeded_rng(f"handed in {seed}").normal(size=(samples, z_dim)).astype(np.float32)
    return {"samples": np.asarray(generator(z, training=False))}
