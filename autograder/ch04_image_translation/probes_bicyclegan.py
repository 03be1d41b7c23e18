"""Probes of BicycleGAN's hidden checks: each calls the code under test and returns plain data.

They run in the sandbox worker (igcourse.sandbox): no thresholds, verdicts or reference code
here. A probe's first argument is the namespace of the code under test.
"""

import keras
import numpy as np
import tensorflow as tf

from igcourse.grading import architecture, gansteps, handed_in
from igcourse.grading.checks import seeded_rng
from igcourse.grading.probing import raise_if_unanswered
from igcourse.grading.public import run_public_checks as public_checks  # noqa: F401
from igcourse.grading.seeded_weights import set_seeded_weights

# The stand-in adversarial loss's weight: a probe sets it to 0 to see the latent regression
# alone (the stand-ins are looked up when a step is traced, inside the probe's call).
ADVERSARIAL = {"scale": 1.0}


# ---------------------------------------------------------------- stand-ins
def _stand_in_sample_latent(mu, log_var, noise):
    """Not the task's sampling: z = mu + 0.5 * noise * (1 + tanh(log_var))."""
    return mu + 0.5 * noise * (1.0 + tf.tanh(log_var))


def _stand_in_generator_loss(fake_scores):
    """Not the task's loss: the mean absolute distance of the scores from 0.7, times a scale."""
    return ADVERSARIAL["scale"] * tf.reduce_mean(tf.abs(fake_scores - 0.7))


def _stand_in_discriminator_loss(real_scores, fake_scores):
    """Not the task's loss: absolute distances, real from 1 and fake from -0.5."""
    return tf.reduce_mean(tf.abs(real_scores - 1.0)) + 0.5 * tf.reduce_mean(
        tf.abs(fake_scores + 0.5)
    )


def _stand_in_kl(mu, log_var):
    """Not the task's KL: mean of mu^2 + (log_var - 0.2)^2."""
    return tf.reduce_mean(tf.square(mu) + tf.square(log_var - 0.2))


def _stand_in_latent_regression(z, mu):
    """Not the task's loss: the mean squared distance."""
    return tf.reduce_mean(tf.square(z - mu))


STAND_INS = {
    # The steps run with other losses and another sampling, so that a mistake in a loss or in
    # sample_latent costs its own part alone.
    "bicycle_steps": {
        "sample_latent": "_stand_in_sample_latent",
        "lsgan_generator_loss": "_stand_in_generator_loss",
        "lsgan_discriminator_loss": "_stand_in_discriminator_loss",
        "kl_divergence": "_stand_in_kl",
        "latent_regression_loss": "_stand_in_latent_regression",
    },
}
NETWORK_NAMES = ("generator", "encoder", "d_vae", "d_lr")


def _images(label, shape):
    return seeded_rng(label).uniform(-1, 1, shape).astype(np.float32)


def _normal(label, shape):
    return seeded_rng(label).standard_normal(shape).astype(np.float32)


def _output_or_error(compute):
    try:
        return compute()
    except Exception as error:  # noqa: BLE001 (what it raised is the evidence)
        raise_if_unanswered(error)
        return {"error": f"{type(error).__name__}: {error}"[:400]}


# ---------------------------------------------------------------- latent_encoder
def encoder_facts(ns, z_dim, filters, channels, seed):
    """build_latent_encoder(z_dim, filters, channels) on (4, 32, 32, channels) shoes.

    count (outputs), shapes, params, plan, weight_shapes; mu, log_var: with seeded weights
    (training mode); other_mu: mu for other shoes."""
    keras.utils.set_random_seed(seed)
    model = ns.build_latent_encoder(z_dim, filters, channels)
    shoes = _images(f"encoder {seed}", (4, 32, 32, channels))
    outputs = model(tf.constant(shoes), training=True)
    count = len(outputs) if isinstance(outputs, (tuple, list)) else 1
    facts = {
        "count": count,
        "params": int(model.count_params()),
        "plan": architecture.layer_plan(model),
        "weight_shapes": [list(v.shape) for v in model.trainable_variables],
    }
    if count != 2:
        return facts
    facts["shapes"] = [list(np.shape(output)) for output in outputs]
    set_seeded_weights(model, f"encoder weights {seed}")
    mu, log_var = model(tf.constant(shoes), training=True)
    other = _images(f"other shoes {seed}", (4, 32, 32, channels))
    facts.update(
        mu=np.asarray(mu),
        log_var=np.asarray(log_var),
        other_mu=np.asarray(model(tf.constant(other), training=True)[0]),
    )
    return facts


def sample_values(ns, mu, log_var, noise):
    """sample_latent(mu, log_var, noise), and its gradients with respect to mu and log_var of
    the sum of its output; repeatable: whether a second call gives the same z."""
    mu, log_var = tf.constant(mu), tf.constant(log_var)
    with tf.GradientTape() as tape:
        tape.watch([mu, log_var])
        z = ns.sample_latent(mu, log_var, tf.constant(noise))
        total = tf.reduce_sum(z)
    gradients = tape.gradient(total, [mu, log_var])
    again = np.asarray(ns.sample_latent(mu, log_var, tf.constant(noise)))
    return {
        "repeatable": bool(np.array_equal(again, np.asarray(z))),
        "z": np.asarray(z),
        "gradients": [None if g is None else np.asarray(g) for g in gradients],
    }


# ---------------------------------------------------------------- latent_injection
def injection_values(ns, z, images):
    """tile_latent(z, H, W) for the images' H and W, and join_latent(images, z)."""
    height, width = images.shape[1], images.shape[2]
    return {
        "tiled": _output_or_error(
            lambda: np.asarray(ns.tile_latent(tf.constant(z), height, width))
        ),
        "joined": _output_or_error(
            lambda: np.asarray(ns.join_latent(tf.constant(images), tf.constant(z)))
        ),
    }


def generator_codes(ns, z_dim, filters, seed):
    """The notebook's build_bicycle_generator (which calls join_latent) with seeded weights:
    its shoes for one batch of drawings and two batches of codes (inference mode), and its
    input's width (the first kernel's input channels)."""
    keras.utils.set_random_seed(seed)
    model = _output_or_error(lambda: ns.build_bicycle_generator(z_dim, filters, 1))
    if isinstance(model, dict):
        return {"build_error": model["error"]}
    set_seeded_weights(model, f"generator weights {seed}")
    edges = tf.constant(_images(f"edges {seed}", (3, 32, 32, 1)))
    codes = [_normal(f"codes {seed} {k}", (3, z_dim)) for k in range(2)]
    shoes = [np.asarray(model([edges, tf.constant(code)], training=False)) for code in codes]
    kernels = [v for v in model.trainable_variables if len(v.shape) == 4]
    return {"shoes": shoes, "input_channels": int(kernels[0].shape[2])}


# ---------------------------------------------------------------- bicycle_losses
def loss_values(ns, mu, log_var, z, mu_back):
    """kl_divergence(mu, log_var) with its gradients, latent_regression_loss(z, mu_back)."""
    mu, log_var = tf.constant(mu), tf.constant(log_var)
    with tf.GradientTape() as tape:
        tape.watch([mu, log_var])
        kl = ns.kl_divergence(mu, log_var)
    gradients = tape.gradient(kl, [mu, log_var])
    return {
        "kl": np.asarray(kl),
        "kl_gradients": [None if g is None else np.asarray(g) for g in gradients],
        "latent": np.asarray(ns.latent_regression_loss(tf.constant(z), tf.constant(mu_back))),
    }


# ---------------------------------------------------------------- bicycle_steps
def toy_bicyclegan(seed, z_dim=2):
    """A tiny generator ([edges, z] -> tanh of a 1 x 1 convolution of the edges plus a map read
    from z), encoder (4 x 4 patches, two Dense heads) and two discriminators (a 4 x 4 patch
    convolution), on 8 x 8 images, with seeded weights. No layer minds the training flag, as in
    the notebook's networks."""
    layers = keras.layers
    keras.utils.set_random_seed(seed)
    edges, z = keras.Input((8, 8, 1)), keras.Input((z_dim,))
    from_z = layers.Reshape((8, 8, 1))(layers.Dense(64)(z))
    from_edges = layers.Conv2D(1, 1)(edges)
    drawn = layers.Activation("tanh")(layers.Add()([from_edges, from_z]))
    shoes = keras.Input((8, 8, 1))
    features = layers.Flatten()(layers.Conv2D(2, 4, strides=4)(shoes))
    networks = [
        keras.Model([edges, z], drawn),
        keras.Model(shoes, [layers.Dense(z_dim)(features), layers.Dense(z_dim)(features)]),
    ]
    for _critic in range(2):
        images = keras.Input((8, 8, 1))
        scores = layers.Conv2D(1, 4, strides=4)(images)
        networks.append(keras.Model(images, scores))
    for index, network in enumerate(networks):
        set_seeded_weights(network, f"toy bicyclegan {seed} {index}")
    return networks


def step_inputs(seed, z_dim=2):
    edges, shoes = (_images(f"step {name} {seed}", (3, 8, 8, 1)) for name in ("edges", "shoes"))
    noise, random_z = (_normal(f"step {name} {seed}", (3, z_dim)) for name in ("noise", "z"))
    return edges, shoes, noise, random_z


def step_effects(ns, seed, weights=(2.0, 0.3, 0.7), adversarial=1.0, g_rate=0.05, d_rate=0.1):
    """generator_step then discriminator_step (plain SGD, other rates for G and D) on toy
    networks, with the stand-ins of STAND_INS (the adversarial one times `adversarial`): the
    trainable variables of the four networks before and after each step, and what each step
    returned ({"error": text} when it raised)."""
    ADVERSARIAL["scale"] = adversarial
    # The steps run eagerly here (in the order their lines are written): traced, TensorFlow may
    # update the encoder before its second call (on fake_lr) has used the weights it read, since
    # no loss that trains the encoder waits for that call, and then a correct step returned
    # another latent value, and gave G another update, from one run to the next (up to 3%).
    # The public check runs the steps traced, as tf.functions.
    was_eager = tf.config.functions_run_eagerly()
    tf.config.run_functions_eagerly(True)
    try:
        networks = toy_bicyclegan(seed)
        steps = ns.make_bicycle_steps(
            *networks, keras.optimizers.SGD(g_rate), keras.optimizers.SGD(d_rate), *weights
        )
        edges, shoes, noise, random_z = (tf.constant(v) for v in step_inputs(seed))
        fake_vae = tf.constant(_images(f"step fake vae {seed}", (3, 8, 8, 1)))
        fake_lr = tf.constant(_images(f"step fake lr {seed}", (3, 8, 8, 1)))
        facts = {"count": len(steps) if isinstance(steps, (tuple, list)) else 1}
        calls = (
            ("generator_step", (edges, shoes, noise, random_z)),
            ("discriminator_step", (shoes, fake_vae, fake_lr)),
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
    finally:
        ADVERSARIAL["scale"] = 1.0
        tf.config.run_functions_eagerly(was_eager)


# ---------------------------------------------------------------- the handed-in generator
def handed_in_generator(ns, weights_name, settings_name, edges, seed):
    """The handed-in generator, built with the notebook's build_bicycle_generator (the
    submission's join_latent) and loaded once: its shoes for `edges` with two batches of
    random codes of its z_dim, drawn with the grading salt (inference mode). {"missing": True},
    {"settings_error": type} or {"load_error": type} when it did not load, else {"shoes":
    [first, second]}."""
    keys = ("z_dim", "filters", "channels")
    generator, sizes = handed_in.load(
        ns, "build_bicycle_generator", weights_name, settings_name, keys, seed
    )
    if generator is None:
        return sizes
    edges = np.asarray(edges, np.float32)
    rng = seeded_rng("bicyclegan handed-in codes")
    shoes = []
    for _batch in range(2):
        codes = rng.standard_normal((len(edges), sizes[0])).astype(np.float32)
        parts = [
            np.asarray(
                generator(
                    [tf.constant(edges[i : i + 250]), tf.constant(codes[i : i + 250])],
                    training=False,
                )
            )
            for i in range(0, len(edges), 250)
        ]
        shoes.append(np.concatenate(parts))
    return {"shoes": shoes}
