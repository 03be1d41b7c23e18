"""Probes of CycleGAN's hidden checks: each calls the code under test and returns plain data.

They run in the sandbox worker (igcourse.sandbox): no thresholds, verdicts or reference code
here. A probe's first argument is the namespace of the code under test.
"""

import keras
import numpy as np
import tensorflow as tf

from igcourse.checks.networks import scale_kernels
from igcourse.grading import architecture, gansteps, handed_in
from igcourse.grading.checks import seeded_rng
from igcourse.grading.probing import raise_if_unanswered
from igcourse.grading.public import run_public_checks as public_checks  # noqa: F401
from igcourse.grading.seeded_weights import set_seeded_weights


# ---------------------------------------------------------------- stand-ins
def _stand_in_generator_loss(fake_outputs):
    """Not the task's loss: the mean absolute distance of the scores from 0.7."""
    return tf.reduce_mean(tf.abs(fake_outputs - 0.7))


def _stand_in_objective(
    g_ab, g_ba, d_a, d_b, real_a, real_b, cycle_weight=10.0, identity_weight=5.0
):
    """Not the task's objective: squared distances, one cycle and one identity term."""
    fake_b, fake_a = g_ab(real_a, training=True), g_ba(real_b, training=True)
    total = tf.reduce_mean(tf.square(d_b(fake_b, training=True) - 1.0)) + tf.reduce_mean(
        tf.square(d_a(fake_a, training=True) - 1.0)
    )
    total += cycle_weight * tf.reduce_mean(tf.square(real_a - g_ba(fake_b, training=True)))
    total += identity_weight * tf.reduce_mean(tf.square(real_b - g_ab(real_b, training=True)))
    return total, fake_a, fake_b


def _stand_in_discriminator_loss(real_outputs, fake_outputs):
    """Not the task's loss: absolute distances, real from 1 and fake from -0.5."""
    return tf.reduce_mean(tf.abs(real_outputs - 1.0)) + 0.5 * tf.reduce_mean(
        tf.abs(fake_outputs + 0.5)
    )


STAND_INS = {
    # The objective is graded with another adversarial loss, and the steps with another
    # objective and discriminator loss, so that a mistake in a loss costs its own part alone.
    "cycle_objective": {"lsgan_generator_loss": "_stand_in_generator_loss"},
    "cyclegan_steps": {
        "generator_objective": "_stand_in_objective",
        "lsgan_discriminator_loss": "_stand_in_discriminator_loss",
    },
}


def _images(label, shape):
    return seeded_rng(label).uniform(-1, 1, shape).astype(np.float32)


# ---------------------------------------------------------------- resnet_generator
def block_facts(ns, seed, channels=5):
    """residual_block on (B, 8, 8, channels) inputs with `channels` filters.

    shape, params, plan; output: with seeded weights (training mode); zero_kernels: with every
    kernel zero, how far the output is from the input ("to_input"), from relu(input)
    ("to_relu") and from zero ("to_zero")."""
    keras.utils.set_random_seed(seed)
    inputs = keras.Input((8, 8, channels))
    model = keras.Model(inputs, ns.residual_block(inputs, channels))
    facts = {
        "shape": [d for d in model.output.shape[1:]],
        "params": int(model.count_params()),
        "plan": architecture.layer_plan(model),
    }
    x = _images(f"block {seed}", (3, 8, 8, channels)) * 2
    if facts["shape"] != [8, 8, channels]:
        return facts
    set_seeded_weights(model, f"block weights {seed}")
    facts["output"] = np.asarray(model(tf.constant(x), training=True))
    for variable in model.trainable_variables:
        if len(variable.shape) >= 2:
            variable.assign(np.zeros(tuple(variable.shape), np.float32))
    out = np.asarray(model(tf.constant(x), training=True))
    facts["zero_kernels"] = {
        "to_input": float(np.abs(out - x).max()),
        "to_relu": float(np.abs(out - np.maximum(x, 0)).max()),
        "to_zero": float(np.abs(out).max()),
    }
    return facts


def generator_facts(ns, filters, blocks, channels, seed):
    """build_resnet_generator(filters, blocks, channels) on (4, 32, 32, channels) images.

    weight_shapes, params, plan; output: with seeded weights (training mode); batch_error: how
    far image 0's output alone is from its output in the batch (relative, training mode);
    scaled_min, scaled_max: the output's range with every kernel made large."""
    keras.utils.set_random_seed(seed)
    model = ns.build_resnet_generator(filters, blocks, channels)
    x = _images(f"generator {seed}", (4, 32, 32, channels))
    facts = {
        "weight_shapes": [list(v.shape) for v in model.trainable_variables],
        "params": int(model.count_params()),
        "plan": architecture.layer_plan(model),
    }
    out = np.asarray(model(tf.constant(x), training=True))
    facts["shape"] = list(out.shape)
    if out.shape != x.shape:
        return facts
    set_seeded_weights(model, f"generator weights {seed}")
    out = np.asarray(model(tf.constant(x), training=True))
    facts["output"] = out
    alone = np.asarray(model(tf.constant(x[:1]), training=True))
    scale = float(np.abs(out[0]).max()) or 1.0
    facts["batch_error"] = float(np.abs(alone[0] - out[0]).max()) / scale
    scale_kernels(model, 50.0)
    large = np.asarray(model(tf.constant(x), training=True))
    facts["scaled_min"], facts["scaled_max"] = float(large.min()), float(large.max())
    return facts


# ---------------------------------------------------------------- lsgan_losses
def loss_values(ns, real, fake):
    """lsgan_discriminator_loss(real, fake), lsgan_generator_loss(fake) and the latter's
    gradient with respect to fake."""
    real, fake = tf.constant(np.float32(real)), tf.Variable(np.float32(fake))
    d = gansteps.plain(ns.lsgan_discriminator_loss(real, tf.constant(fake)))
    with tf.GradientTape() as tape:
        g = ns.lsgan_generator_loss(fake)
    gradient = tape.gradient(g, fake)
    return {
        "d": d,
        "g": gansteps.plain(g),
        "g_gradient": None if gradient is None else np.asarray(gradient),
    }


# ---------------------------------------------------------------- cycle_objective
def toy_cyclegan(seed):
    """Four different tiny networks on (B, 8, 8, 1) images, each with batch normalisation
    whose moving statistics are far from a batch's (so that training mode shows); the
    discriminators end in a 2 x 2 grid."""
    keras.utils.set_random_seed(seed)
    layers = keras.layers
    networks = []
    for _network in range(2):
        x = keras.Input((8, 8, 1))
        h = layers.Conv2D(2, 3, padding="same")(x)
        h = layers.BatchNormalization(momentum=0.5)(h)
        networks.append(keras.Model(x, layers.Conv2D(1, 1, activation="tanh")(h)))
    for _network in range(2):
        x = keras.Input((8, 8, 1))
        h = layers.Conv2D(2, 2, strides=2)(x)
        h = layers.BatchNormalization(momentum=0.5)(h)
        networks.append(keras.Model(x, layers.Conv2D(1, 2, strides=2)(h)))
    for index, network in enumerate(networks):
        set_seeded_weights(network, f"toy cyclegan {seed} {index}")
        for variable in network.non_trainable_variables:  # moving statistics far from a batch's
            variable.assign(np.full(tuple(variable.shape), 0.5 + index, np.float32))
    return networks


def objective_inputs(seed):
    rng = seeded_rng(f"cycle objective inputs {seed}")
    real_a = rng.uniform(-1, 1, (3, 8, 8, 1)).astype(np.float32)
    real_b = rng.uniform(-1, 1, (3, 8, 8, 1)).astype(np.float32) * 0.5 + 0.3
    return real_a, real_b


OBJECTIVE_WEIGHTS = ((0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (2.0, 3.0))


def objective_values(ns, seed):
    """generator_objective on toy networks (fresh ones for each call) with the weights of
    OBJECTIVE_WEIGHTS: the totals, and the fakes of the first call."""
    real_a, real_b = (tf.constant(v) for v in objective_inputs(seed))
    facts = {"totals": []}
    for cycle_weight, identity_weight in OBJECTIVE_WEIGHTS:
        networks = toy_cyclegan(seed)
        out = ns.generator_objective(
            *networks, real_a, real_b, cycle_weight=cycle_weight, identity_weight=identity_weight
        )
        values = list(out) if isinstance(out, (tuple, list)) else [out]
        facts["count"] = len(values)
        facts["totals"].append(gansteps.plain(values[0]))
        if "fake_a" not in facts and len(values) == 3:
            facts["fake_a"], facts["fake_b"] = np.asarray(values[1]), np.asarray(values[2])
    return facts


# ---------------------------------------------------------------- image_pool
def pool_run(ns, size, batches, batch_size):
    """ImagePool(size) fed `batches` batches of `batch_size` images, image k filled with the
    number k: the numbers of the images each query returned (None for an image that is no
    given image), whether each came back of the shape it was given, and whether NumPy's global
    random state was left as it was ("global_state_kept")."""
    np.random.seed(20261207)
    untouched = np.random.random()
    np.random.seed(20261207)
    pool = ns.ImagePool(size)
    returned, shapes_kept = [], True
    for index in range(batches):
        numbers = np.arange(index * batch_size, (index + 1) * batch_size, dtype=np.float32)
        batch = np.broadcast_to(numbers[:, None, None, None], (batch_size, 4, 4, 2)).copy()
        out = np.asarray(pool.query(batch), np.float32)
        if out.shape != batch.shape:
            shapes_kept = False
            returned.append([])
            continue
        row = []
        for image in out:
            value = float(image.flat[0])
            whole = bool(np.all(image == value)) and value.is_integer() and 0 <= value
            row.append(int(value) if whole and value < (index + 1) * batch_size else None)
        returned.append(row)
    kept = bool(np.random.random() == untouched)
    return {"returned": returned, "shapes_kept": shapes_kept, "global_state_kept": kept}


# ---------------------------------------------------------------- cyclegan_steps
NETWORK_NAMES = ("g_ab", "g_ba", "d_a", "d_b")


def step_effects(ns, seed, g_rate=0.05, d_rate=0.1):
    """generator_step then discriminator_step (plain SGD, other rates for G and D) on toy
    networks, with the stand-ins of STAND_INS: the trainable variables of the four networks
    before and after each step, and what each step returned ({"error": text} when it raised)."""
    networks = toy_cyclegan(seed)
    steps = ns.make_cyclegan_steps(
        *networks,
        keras.optimizers.SGD(g_rate),
        keras.optimizers.SGD(d_rate),
        cycle_weight=2.0,
        identity_weight=3.0,
    )
    real_a, real_b = (tf.constant(v) for v in objective_inputs(seed))
    fake_a = tf.constant(_images(f"step fake a {seed}", (3, 8, 8, 1)))
    fake_b = tf.constant(_images(f"step fake b {seed}", (3, 8, 8, 1)))
    facts = {"count": len(steps) if isinstance(steps, (tuple, list)) else 1}
    calls = (
        ("generator_step", (real_a, real_b)),
        ("discriminator_step", (real_a, real_b, fake_a, fake_b)),
    )
    for index, (name, arguments) in enumerate(calls):
        facts[f"{name}_before"] = [gansteps.values(n.trainable_variables) for n in networks]
        try:
            out = steps[index](*arguments)
            values = list(out) if isinstance(out, (tuple, list)) else [out]
            facts[f"{name}_returned"] = [np.asarray(v).astype(np.float64) for v in values]
        except Exception as error:  # noqa: BLE001 (what it raised is the evidence)
            raise_if_unanswered(error)
            facts[f"{name}_returned"] = {"error": f"{type(error).__name__}: {error}"[:400]}
        facts[f"{name}_after"] = [gansteps.values(n.trainable_variables) for n in networks]
    return facts


# ---------------------------------------------------------------- the handed-in generators
def handed_in_generators(ns, weights_names, settings_name, sneakers, seed):
    """Both handed-in generators, built with the submission's build_resnet_generator and loaded
    once: G_AB's translations of `sneakers` and G_BA's of those (inference mode).

    {"missing": True}, {"settings_error": type} or {"load_error": type} (with "which": the
    weights file) when one did not load, else {"translated": ..., "cycled": ...}."""
    generators = []
    for weights_name in weights_names:
        generator, sizes = handed_in.load(
            ns,
            "build_resnet_generator",
            weights_name,
            settings_name,
            ("filters", "blocks", "channels"),
            seed,
        )
        if generator is None:
            return {**sizes, "which": weights_name}
        generators.append(generator)

    def run(generator, images):
        return np.concatenate(
            [
                np.asarray(generator(tf.constant(images[i : i + 250]), training=False))
                for i in range(0, len(images), 250)
            ]
        )

    translated = run(generators[0], np.asarray(sneakers, np.float32))
    if translated.shape != np.shape(sneakers):
        return {"translated": translated}
    return {"translated": translated, "cycled": run(generators[1], translated)}
