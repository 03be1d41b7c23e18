"""Probes of cgan: they run the code under test and return plain data only.

Each probe takes the code under test as `ns` (attribute access) and plain arguments, builds
whatever tiny models it needs with Keras, and returns numbers, arrays, lists and dicts. No
thresholds or verdicts live here: the checks in test_cgan.py judge what comes back.

Parts are graded apart (STAND_INS): the training steps are graded with stand-in losses that are
not the task's (least squares, as in LSGAN) and on tiny networks built here, never with the
student's build_*; class_grid runs on a small generator built here. The handed-in generator is
judged on the whole submission (part None): built with the student's own
build_conditional_generator, once, in one probe that returns everything its checks need.
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
    "cgan_steps": {
        "discriminator_loss": "_stand_in_discriminator_loss",
        "generator_loss": "_stand_in_generator_loss",
    },
}


def _output_or_error(compute):
    """The output as an array, or {"error": type, "message": text} when it raised (a label the
    network was not built for, say)."""
    try:
        return np.asarray(compute())
    except Exception as error:  # noqa: BLE001 (which error is the evidence)
        raise_if_unanswered(error)
        return {"error": type(error).__name__, "message": str(error)[:300]}


# ---------------------------------------------------------------- networks
def _build(ns, which, args):
    if which == "generator":
        return ns.build_conditional_generator(*args)
    return ns.build_conditional_discriminator(*args)


def network_facts(ns, which, args, first, other_first, num_classes, seed, scale=50.0):
    """What build_conditional_generator(*args) or build_conditional_discriminator(*args) builds.

    first: the network's first input (noise or images) for a batch; the labels are given by
    the probe. shape: the output's shape on [first, labels 0, 1, 2, ...] (inference mode);
    per_label: for each label k < num_classes, the output on [first, k for every row] (or the
    error it raised); other: the output on [other_first, label 0 for every row]; scaled_min,
    scaled_max: the output range in training mode with every kernel times `scale`;
    params; plan: the layer plan (None for a subclassed model).
    """
    first = np.asarray(first, np.float32)
    other_first = np.asarray(other_first, np.float32)
    count = len(first)
    keras.utils.set_random_seed(seed)
    model = _build(ns, which, args)

    def run(inputs, labels, training=False, network=model):
        return network([tf.constant(inputs), tf.constant(labels, tf.int32)], training=training)

    mixed = np.arange(count, dtype=np.int32) % num_classes
    output = np.asarray(run(first, mixed))
    facts = {
        "shape": list(output.shape),
        "params": int(model.count_params()),
        "plan": architecture.layer_plan(model),
        "per_label": [
            _output_or_error(lambda k=k: run(first, np.full(count, k, np.int32)))
            for k in range(num_classes)
        ],
        "other": _output_or_error(lambda: run(other_first, np.zeros(count, np.int32))),
    }
    scaled = _build(ns, which, args)
    scale_kernels(scaled, scale)
    outputs = np.asarray(run(first, mixed, training=True, network=scaled))
    facts["scaled_min"], facts["scaled_max"] = float(outputs.min()), float(outputs.max())
    return facts


def shared_noise_shift(ns, args, z, labels, shift, seed):
    """The generator's images in training mode for noise z and for z + shift (the same vector
    added to every row), labels as given: {"plain": ..., "shifted": ...}."""
    keras.utils.set_random_seed(seed)
    model = _build(ns, "generator", args)
    z = np.asarray(z, np.float32)
    labels = tf.constant(labels, tf.int32)
    return {
        key: np.asarray(model([tf.constant(noise), labels], training=True))
        for key, noise in (("plain", z), ("shifted", z + np.asarray(shift, np.float32)))
    }


def parameter_counts(ns, which, arg_sets):
    """count_params() of the network built with each argument tuple, in order."""
    counts = []
    for args in arg_sets:
        keras.utils.set_random_seed(0)
        counts.append(int(_build(ns, which, args).count_params()))
    return counts


# ---------------------------------------------------------------- training steps
STEP_Z_DIM = 64  # the notebook's Z_DIM: a step with an input_signature may fix it


def _tiny_conditional_gan(seed):
    """Tiny dense conditional networks on the notebook's image shape (B, 28, 28, 1) (a step
    with an input_signature may fix it), with batch normalisation (so that the steps' modes
    matter) and label embeddings (so that the labels each call is given matter)."""
    keras.utils.set_random_seed(seed)
    layers = keras.layers
    init = keras.initializers.RandomNormal(0.0, 1.0)
    z = keras.Input((STEP_Z_DIM,))
    labels = keras.Input((), dtype="int32")
    x = layers.Concatenate()([z, layers.Embedding(3, 3, embeddings_initializer=init)(labels)])
    x = layers.Activation("tanh")(layers.BatchNormalization()(layers.Dense(4)(x)))
    generator = keras.Model([z, labels], layers.Reshape((28, 28, 1))(layers.Dense(28 * 28)(x)))
    images = keras.Input((28, 28, 1))
    labels = keras.Input((), dtype="int32")
    label_vector = layers.Embedding(3, 2, embeddings_initializer=init)(labels)
    x = layers.Concatenate()([layers.Flatten()(images), label_vector])
    x = layers.LeakyReLU(0.2)(layers.BatchNormalization()(layers.Dense(5)(x)))
    discriminator = keras.Model([images, labels], layers.Dense(1)(x))
    return generator, discriminator


def _run_step(step, *args):
    """The step's loss as data; {"no_gradient": True} when it found no gradient at all."""
    try:
        return gansteps.plain(step(*args))
    except ValueError as error:
        if "No gradients provided" in str(error):
            return {"no_gradient": True}
        raise


def step_inputs(seed, batch=8):
    """A step's inputs: real images with their labels, noise, and labels for the generated
    images that differ from the real ones in every row (so that the log tells them apart)."""
    rng = seeded_rng(f"cgan step inputs {seed}")
    real_labels = rng.integers(0, 3, batch).astype(np.int32)
    fake_labels = ((real_labels + rng.integers(1, 3, batch)) % 3).astype(np.int32)
    real = rng.normal(size=(batch, 28, 28, 1)).astype(np.float32) + 1.0
    z = rng.normal(size=(batch, STEP_Z_DIM)).astype(np.float32)
    return real, real_labels, z, fake_labels


def step_effects(ns, seed, d_rate=0.1, g_rate=0.05):
    """One d_step and one g_step with plain SGD (other rates for D and G), each on its own copy
    of the same tiny networks. Returns the trainable variables of G and D before, after the
    d_step (first copy) and after the g_step (second copy), what the steps returned, their
    inputs, and the calls each step made ("d_calls", "g_calls": igcourse.grading.steptrace)."""
    log = steptrace.CallLog()

    def steps():
        generator, discriminator = _tiny_conditional_gan(seed)
        g_optimizer = steptrace.RecordingSGD(g_rate, "g_optimizer", log)
        d_optimizer = steptrace.RecordingSGD(d_rate, "d_optimizer", log)
        owners = steptrace.owners(generator=generator, discriminator=discriminator)
        g_optimizer.owners = d_optimizer.owners = owners
        d_step, g_step = ns.make_cgan_steps(
            steptrace.RecordingNetwork(generator, "generator", log),
            steptrace.RecordingNetwork(discriminator, "discriminator", log),
            g_optimizer,
            d_optimizer,
        )
        return generator, discriminator, d_step, g_step

    real, real_labels, z, fake_labels = step_inputs(seed)
    generator, discriminator, d_step, _unused = steps()
    result = {
        "g_before": gansteps.values(generator.trainable_variables),
        "d_before": gansteps.values(discriminator.trainable_variables),
    }
    with steptrace.active(log):
        result["d_loss"] = _run_step(
            d_step,
            tf.constant(real),
            tf.constant(real_labels),
            tf.constant(z),
            tf.constant(fake_labels),
        )
        d_calls = len(log.calls)
        result["g_after_d"] = gansteps.values(generator.trainable_variables)
        result["d_after_d"] = gansteps.values(discriminator.trainable_variables)
        generator, discriminator, _unused, g_step = steps()
        result["g_loss"] = _run_step(g_step, tf.constant(z), tf.constant(fake_labels))
        result["g_after_g"] = gansteps.values(generator.trainable_variables)
        result["d_after_g"] = gansteps.values(discriminator.trainable_variables)
    calls = log.plain()
    result["d_calls"], result["g_calls"] = calls[:d_calls], calls[d_calls:]
    return result


# ---------------------------------------------------------------- class_grid
def _grid_generator(z_dim, num_classes, seed):
    """A small conditional generator with batch normalisation whose moving statistics are not
    the batch's, so that inference and training mode draw different images."""
    keras.utils.set_random_seed(seed)
    layers = keras.layers
    z = keras.Input((z_dim,))
    labels = keras.Input((), dtype="int32")
    init = keras.initializers.RandomNormal(0.0, 1.0)
    label_vector = layers.Embedding(num_classes, 4, embeddings_initializer=init)(labels)
    x = layers.Dense(28 * 28)(layers.Concatenate()([z, label_vector]))
    norm = layers.BatchNormalization()
    x = layers.Activation("tanh")(norm(x))
    generator = keras.Model([z, labels], layers.Reshape((28, 28, 1))(x))
    rng = np.random.default_rng(seed)
    norm.moving_mean.assign(rng.normal(0.0, 0.5, 28 * 28).astype(np.float32))
    norm.moving_variance.assign(rng.uniform(0.5, 2.0, 28 * 28).astype(np.float32))
    return generator


def grid(ns, z, num_classes, seed):
    """class_grid(a small generator, z, num_classes) as an array, and the number of times it
    called the generator."""
    z = np.asarray(z, np.float32)
    log = steptrace.CallLog()
    generator = steptrace.RecordingNetwork(
        _grid_generator(z.shape[1], num_classes, seed), "generator", log
    )
    images = ns.class_grid(generator, z, num_classes)
    return {"images": np.asarray(images, np.float32), "calls": len(log.calls)}


def grid_cells(z, num_classes, seed):
    """The small generator's image of every (class, column) pair alone, [class][column]."""
    z = np.asarray(z, np.float32)
    generator = _grid_generator(z.shape[1], num_classes, seed)
    return [
        [
            np.asarray(generator([z[j : j + 1], np.array([c], np.int32)], training=False))[0]
            for j in range(len(z))
        ]
        for c in range(num_classes)
    ]


# ---------------------------------------------------------------- the handed-in generator
def handed_in_generator(ns, weights_name, settings_name, per_class, seed):
    """The handed-in generator, built with the submission's build_conditional_generator and
    loaded once.

    {"missing": True} when its files are not next to the notebook, {"settings_error": text}
    when the settings file is not the JSON the notebook writes, {"load_error": type} when the
    weights do not fit the generator that the settings build, else {"samples": per_class images
    of each class, in [-1, 1] as the generator draws them, "labels": the class asked for each}.
    """
    generator, sizes = handed_in.load(
        ns,
        "build_conditional_generator",
        weights_name,
        settings_name,
        ("z_dim", "num_classes", "filters"),
        seed,
    )
    if generator is None:
        return sizes
    z_dim, num_classes, _filters = sizes
    labels = np.repeat(np.arange(min(num_classes, 10), dtype=np.int32), per_class)
    z = seeded_rng(f"handed in {seed}").normal(size=(len(labels), z_dim)).astype(np.float32)
    samples = np.asarray(generator([tf.constant(z), tf.constant(labels)], training=False))
    return {"samples": samples, "labels": labels}
