"""Probes of dcgan: they run the code under test and return plain data only.

Each probe takes the code under test as `ns` (attribute access) and plain arguments, builds
whatever tiny models it needs with Keras, and returns numbers, arrays, lists and dicts. No
thresholds or verdicts live here: the checks in test_dcgan.py judge what comes back.

Parts are graded apart (STAND_INS): the training steps call the losses, so the steps are graded
with stand-in losses that are not the task's (least-squares losses, as in LSGAN): a mistake in
discriminator_loss or generator_loss cannot cost train_steps, and a step is judged on calling
the losses it is given. The steps' networks are built here (tiny dense networks with batch
normalisation, or a small GAN unlike the notebook's for the training run), never with the
student's build_*. The
handed-in generator is judged on the whole submission (part None): it is built with the
student's own build_generator, once, in one probe that returns everything its checks need.
"""

import keras
import numpy as np
import tensorflow as tf

from igcourse.checks.networks import scale_kernels
from igcourse.grading import architecture, gansteps, handed_in, steptrace
from igcourse.grading.checks import seeded_rng
from igcourse.grading.probing import raise_if_unanswered
from igcourse.grading.public import run_public_checks as public_checks  # noqa: F401

# ---------------------------------------------------------------- stand-ins
_stand_in_discriminator_loss = gansteps.stand_in_discriminator_loss
_stand_in_generator_loss = gansteps.stand_in_generator_loss

STAND_INS = {
    "train_steps": {
        "discriminator_loss": "_stand_in_discriminator_loss",
        "generator_loss": "_stand_in_generator_loss",
    },
}


# ---------------------------------------------------------------- losses
def d_loss(ns, real_logits, fake_logits):
    """discriminator_loss on the given logits."""
    real, fake = np.array(real_logits, np.float32), np.array(fake_logits, np.float32)
    value = ns.discriminator_loss(tf.constant(real), tf.constant(fake))
    return gansteps.plain(value)


def _value_or_error(compute):
    """The loss as data, or {"error": type, "message": text} when it raised (logits of a shape
    that the docstring allows but the code does not expect, say)."""
    try:
        return gansteps.plain(compute())
    except Exception as error:  # noqa: BLE001 (which error is the evidence)
        raise_if_unanswered(error)
        return {"error": type(error).__name__, "message": str(error)[:300]}


def d_loss_flat(ns, real_logits, fake_logits):
    """discriminator_loss on logits of shape (B,), or the error it raised."""
    real, fake = np.array(real_logits, np.float32), np.array(fake_logits, np.float32)
    return _value_or_error(lambda: ns.discriminator_loss(tf.constant(real), tf.constant(fake)))


def g_loss_flat(ns, fake_logits):
    """generator_loss on logits of shape (B,), or the error it raised."""
    fake = np.array(fake_logits, np.float32)
    return _value_or_error(lambda: ns.generator_loss(tf.constant(fake)))


def d_loss_gradients(ns, real_logits, fake_logits):
    """Gradients of discriminator_loss with respect to both logit batches (None: no gradient)."""
    real = tf.Variable(np.asarray(real_logits, np.float32))
    fake = tf.Variable(np.asarray(fake_logits, np.float32))
    with tf.GradientTape() as tape:
        loss = ns.discriminator_loss(real, fake)
    return tape.gradient(loss, [real, fake])


def g_loss(ns, fake_logits):
    """generator_loss on the given logits."""
    return gansteps.plain(ns.generator_loss(tf.constant(np.array(fake_logits, np.float32))))


def g_loss_gradient(ns, fake_logits):
    """Gradient of generator_loss with respect to the logits (None: no gradient)."""
    fake = tf.Variable(np.asarray(fake_logits, np.float32))
    with tf.GradientTape() as tape:
        loss = ns.generator_loss(fake)
    return tape.gradient(loss, fake)


# ---------------------------------------------------------------- models
def _build(ns, which, args):
    return ns.build_generator(*args) if which == "generator" else ns.build_discriminator(*args)


def network_facts(ns, which, args, inputs, weights=None, scale=50.0, seed=0):
    """What build_generator(*args) or build_discriminator(*args) builds, as data.

    shape: its output's shape on `inputs` (inference mode); params, trainable: parameter
    counts; layout: [[shape, path]] of model.weights, in order. With `weights` (arrays of the
    layout's shapes, in order) that fit it: the outputs with those weights in inference mode
    and then in training mode (batch statistics). scaled_min, scaled_max: the output range in
    training mode, with the model's own initial weights and every kernel times `scale`, so
    that an output activation (tanh, sigmoid or none) shows at the extremes whatever the
    initialisation.
    """
    inputs = np.asarray(inputs, np.float32)
    keras.utils.set_random_seed(seed)
    model = _build(ns, which, args)
    output = np.asarray(model(inputs, training=False))
    facts = {
        "shape": list(output.shape),
        "params": int(model.count_params()),
        "trainable": int(sum(np.prod(v.shape) for v in model.trainable_variables)),
        "layout": [[list(v.shape), str(getattr(v, "path", v.name))] for v in model.weights],
        "plan": architecture.layer_plan(model),
        "inference": None,
        "training": None,
    }
    scaled = _build(ns, which, args)
    scale_kernels(scaled, scale)
    outputs = np.asarray(scaled(inputs, training=True))
    facts["scaled_min"], facts["scaled_max"] = float(outputs.min()), float(outputs.max())
    if weights is not None:
        shapes = [tuple(np.shape(w)) for w in weights]
        if shapes == [tuple(v.shape) for v in model.weights]:
            for variable, value in zip(model.weights, weights, strict=True):
                variable.assign(np.asarray(value, np.float32))
            facts["inference"] = np.asarray(model(inputs, training=False))
            facts["training"] = np.asarray(model(inputs, training=True))
    return facts


# ---------------------------------------------------------------- training steps
def _tiny_gan(seed):
    """Tiny dense networks with batch normalisation (so that the steps' modes matter)."""
    keras.utils.set_random_seed(seed)
    generator = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(4),
            keras.layers.BatchNormalization(),
            keras.layers.Activation("tanh"),
            keras.layers.Dense(2),
        ]
    )
    discriminator = keras.Sequential(
        [
            keras.Input((2,)),
            keras.layers.Dense(5),
            keras.layers.BatchNormalization(),
            keras.layers.LeakyReLU(0.2),
            keras.layers.Dense(1),
        ]
    )
    return generator, discriminator


def _run_step(step, *args):
    """The step's loss as data; {"no_gradient": True} when it found no gradient at all (the
    loss computed outside its tape, say). Any other error is the student's to read."""
    try:
        return gansteps.plain(step(*args))
    except ValueError as error:
        if "No gradients provided" in str(error):
            return {"no_gradient": True}
        raise


def step_effects(ns, seed, batch=8, d_rate=0.1, g_rate=0.05):
    """One d_step and one g_step, with plain SGD (other learning rates for D and G, so that the
    two optimisers cannot stand in for each other), each on its own copy of the same tiny
    networks with batch normalisation (so that a mistake in d_step does not change g_step's).

    Returns the trainable variables of G and D before, after the d_step (first copy) and after
    the g_step (second copy), what the two steps returned, their inputs, and the calls each
    step made ("d_calls", "g_calls": see igcourse.grading.steptrace).
    """
    log = steptrace.CallLog()

    def steps():
        generator, discriminator = _tiny_gan(seed)
        g_optimizer = steptrace.RecordingSGD(g_rate, "g_optimizer", log)
        d_optimizer = steptrace.RecordingSGD(d_rate, "d_optimizer", log)
        owners = steptrace.owners(generator=generator, discriminator=discriminator)
        g_optimizer.owners = d_optimizer.owners = owners
        d_step, g_step = ns.make_gan_steps(
            steptrace.RecordingNetwork(generator, "generator", log),
            steptrace.RecordingNetwork(discriminator, "discriminator", log),
            g_optimizer,
            d_optimizer,
        )
        return generator, discriminator, d_step, g_step

    generator, discriminator, d_step, _unused = steps()
    rng = seeded_rng(f"step effects {seed}")
    real = rng.normal(size=(batch, 2)).astype(np.float32) + 1.0
    z = rng.normal(size=(batch, 3)).astype(np.float32)
    result = {
        "real": real,
        "z": z,
        "g_before": gansteps.values(generator.trainable_variables),
        "d_before": gansteps.values(discriminator.trainable_variables),
    }
    with steptrace.active(log):
        result["d_loss"] = _run_step(d_step, tf.constant(real), tf.constant(z))
        d_calls = len(log.calls)
        result["g_after_d"] = gansteps.values(generator.trainable_variables)
        result["d_after_d"] = gansteps.values(discriminator.trainable_variables)
        generator, discriminator, _unused, g_step = steps()
        result["g_loss"] = _run_step(g_step, tf.constant(z))
        result["g_after_g"] = gansteps.values(generator.trainable_variables)
        result["d_after_g"] = gansteps.values(discriminator.trainable_variables)
    calls = log.plain()
    result["d_calls"], result["g_calls"] = calls[:d_calls], calls[d_calls:]
    return result


def _small_gan(z_dim, seed):
    """Small convolutional networks unlike the notebook's (3x3 kernels, biases, no batch
    normalisation in D): the training run judges the steps only."""
    keras.utils.set_random_seed(seed)
    layers = keras.layers
    generator = keras.Sequential(
        [
            keras.Input((z_dim,)),
            layers.Dense(7 * 7 * 32),
            layers.BatchNormalization(),
            layers.ReLU(),
            layers.Reshape((7, 7, 32)),
            layers.Conv2DTranspose(16, 3, strides=2, padding="same"),
            layers.BatchNormalization(),
            layers.ReLU(),
            layers.Conv2DTranspose(1, 3, strides=2, padding="same", activation="tanh"),
        ]
    )
    discriminator = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(16, 3, strides=2, padding="same"),
            layers.LeakyReLU(0.2),
            layers.Conv2D(32, 3, strides=2, padding="same"),
            layers.LeakyReLU(0.2),
            layers.Flatten(),
            layers.Dense(1),
        ]
    )
    return generator, discriminator


def train_and_sample(ns, images, steps, batch, z_dim, seed, samples):
    """Train a small GAN with make_gan_steps; samples from fixed noise before and after.

    images: training images in [-1, 1], (N, 28, 28, 1). Adam(1e-3, beta_1=0.5) for both
    networks (the stand-in losses train these small networks slowly at DCGAN's 2e-4), one
    d_step and one g_step per iteration.
    """
    images = np.asarray(images, np.float32)
    generator, discriminator = _small_gan(z_dim, seed)
    d_step, g_step = ns.make_gan_steps(
        generator,
        discriminator,
        keras.optimizers.Adam(1e-3, beta_1=0.5),
        keras.optimizers.Adam(1e-3, beta_1=0.5),
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


# ---------------------------------------------------------------- the handed-in generator
def handed_in_generator(ns, weights_name, settings_name, samples, seed):
    """The handed-in generator, built with the submission's build_generator and loaded once.

    {"missing": True} when its files are not next to the notebook, {"settings_error": text}
    when the settings file is not the JSON the notebook writes, {"load_error": type} when the
    weights do not fit the generator that the settings build, else {"samples": images from
    fixed noise (samples, ...)}. Every check of the handed-in generator reads this one result.
    """
    generator, sizes = handed_in.load(
        ns, "build_generator", weights_name, settings_name, ("z_dim", "filters"), seed
    )
    if generator is None:
        return sizes
    z_dim = sizes[0]
    z = seeded_rng(f"handed in {seed}").normal(size=(samples, z_dim)).astype(np.float32)
    return {"samples": np.asarray(generator(z, training=False))}
