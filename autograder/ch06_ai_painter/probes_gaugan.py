"""Probes of GauGAN's hidden checks: each calls the code under test and returns plain data.

They run in the sandbox worker (igcourse.sandbox): no thresholds, verdicts or reference code
here. A probe's first argument is the namespace of the code under test.

Label maps given to whole networks are constant on blocks as large as the largest resizing
(8 x 8 where a 32-pixel map meets the 4 x 4 start): every resizing that keeps a block's label
(nearest neighbour in any of its conventions) gives the same map, so no correct answer loses
by its convention; the SPADE part alone measures the interpolation, by enlarging a map.
"""

import keras
import numpy as np
import tensorflow as tf

from igcourse.checks.networks import scale_kernels
from igcourse.grading import gansteps, handed_in, steptrace
from igcourse.grading.ch06_gaugan import (  # noqa: F401 (the stand-ins, by name)
    StandInSPADE,
    StandInSPADEResBlock,
    stand_in_discriminator_hinge_loss,
    stand_in_feature_matching_loss,
    stand_in_generator_hinge_loss,
    stand_in_kl_divergence,
    stand_in_sample_style,
)
from igcourse.grading.checks import seeded_rng
from igcourse.grading.probing import as_array, output_or_error
from igcourse.grading.public import run_public_checks as public_checks  # noqa: F401
from igcourse.grading.seeded_weights import set_seeded_weights

# ---------------------------------------------------------------- stand-ins
# Each part runs with the other parts' code replaced by correct stand-ins, so that a mistake in
# one part costs that part alone.
STAND_INS = {
    "spade_block": {"SPADE": "StandInSPADE"},
    "gaugan_generator": {"SPADE": "StandInSPADE", "SPADEResBlock": "StandInSPADEResBlock"},
    "gaugan_step": {
        "sample_style": "stand_in_sample_style",
        "discriminator_hinge_loss": "stand_in_discriminator_hinge_loss",
        "generator_hinge_loss": "stand_in_generator_hinge_loss",
        "feature_matching_loss": "stand_in_feature_matching_loss",
        "kl_divergence": "stand_in_kl_divergence",
    },
}

SPADE_CONVS = ("shared", "gamma_conv", "beta_conv")
BLOCK_CONVS = ("conv_1", "conv_2", "conv_skip")
BLOCK_SPADES = ("spade_1", "spade_2", "spade_skip")


def normal(label, shape, scale=1.0, shift=0.0):
    return (shift + scale * seeded_rng(label).standard_normal(shape)).astype(np.float32)


def label_maps(label, count, size, labels, block=1):
    """One-hot maps (count, height, width, labels), size an int (square) or (height, width),
    each label constant on block x block squares."""
    height, width = (size, size) if isinstance(size, int) else size
    cells = seeded_rng(label).integers(0, labels, (count, height // block, width // block))
    cells = np.repeat(np.repeat(cells, block, axis=1), block, axis=2)
    return np.eye(labels, dtype=np.float32)[cells]


def _assign_seeded(variable, label):
    """A kernel or a bias from a seeded draw (the kernel scaled by its fan-in, the bias by 0.1)."""
    shape = tuple(variable.shape)
    draw = seeded_rng(f"{label} {shape}").standard_normal(shape)
    scale = 0.1 if len(shape) == 1 else 1.0 / np.sqrt(np.prod(shape[:-1]))
    variable.assign((draw * scale).astype(np.float32))


def _set_conv(conv, label):
    """A convolution's kernel and bias from seeded draws."""
    for variable in conv.weights:
        _assign_seeded(variable, f"{label} {variable.path.split('/')[-1]}")


def _zero(conv):
    for variable in conv.weights:
        variable.assign(np.zeros(variable.shape, np.float32))


def _set_spade(layer, label):
    for name in SPADE_CONVS:
        _set_conv(getattr(layer, name), f"{label} {name}")


def _sizes(layer):
    return {
        "trainable": len(layer.trainable_weights),
        "params": int(sum(np.prod(v.shape) for v in layer.trainable_weights)),
    }


# ---------------------------------------------------------------- spade
def spade_values(ns, seed, x, maps, hidden, epsilon):
    """SPADE(hidden, epsilon) on x and each label map of `maps` (other sizes than x's), its
    three convolutions set from seeded draws: the outputs (training and inference), the output
    with every convolution zero, its variables, and its config."""

    def compute():
        layer = ns.SPADE(hidden=hidden, epsilon=epsilon)
        layer(x, maps[0])  # builds it
        _set_spade(layer, f"spade {seed}")
        out = {
            "outputs": [as_array(layer(x, m)) for m in maps],
            "inference": as_array(layer(x, maps[0], training=False)),
            "sizes": _sizes(layer),
        }
        config = layer.get_config()
        out["config"] = [config.get("hidden"), config.get("epsilon")]
        for name in SPADE_CONVS:
            _zero(getattr(layer, name))
        out["zero"] = as_array(layer(x, maps[0]))
        return out

    return output_or_error(compute)


def spade_constant_map(ns, x, label):
    """SPADE(hidden=3) with seeded convolutions on x and a label map of one label everywhere
    (half x's size): its output, with x's batch normalisation for the check to compare."""

    def compute():
        height, width = x.shape[1] // 2, x.shape[2] // 2
        label_map = np.zeros((x.shape[0], height, width, 4), np.float32)
        label_map[..., label] = 1.0
        layer = ns.SPADE(hidden=3)
        layer(x, label_map)
        _set_spade(layer, "spade constant map")
        return as_array(layer(x, label_map))

    return output_or_error(compute)


def spade_default_epsilon(ns, x, label_map):
    """SPADE(hidden=4) with its convolutions zero: the plain normalisation with the default
    epsilon."""

    def compute():
        layer = ns.SPADE(hidden=4)
        layer(x, label_map)
        for name in SPADE_CONVS:
            _zero(getattr(layer, name))
        return as_array(layer(x, label_map))

    return output_or_error(compute)


def spade_gradient_reach(ns, x, label_map, row, column):
    """Which label-map pixels the output pixel (row, column) has gradients from (summed over
    channels and labels): SPADE's label path is local, two 3 x 3 convolutions wide."""

    def compute():
        layer = ns.SPADE(hidden=3)
        m = tf.constant(label_map)
        layer(x, m)
        _set_spade(layer, "spade reach")
        with tf.GradientTape() as tape:
            tape.watch(m)
            total = tf.reduce_sum(layer(tf.constant(x), m)[:, row, column, :])
        return as_array(tf.reduce_sum(tf.abs(tape.gradient(total, m)), axis=(0, 3)) > 0)

    return output_or_error(compute)


# ---------------------------------------------------------------- spade_block
def block_values(ns, seed, x, label_map, filters, hidden):
    """SPADEResBlock(filters, hidden) on x (SPADE is a stand-in), its layers set from seeded
    draws: the output, the output with conv_2 zero (the shortcut alone), whether it has a
    shortcut, the middle convolution's filters and its variables."""

    def compute():
        block = ns.SPADEResBlock(filters, hidden=hidden)
        block(x, label_map)
        for name in BLOCK_SPADES:
            if getattr(block, name, None) is not None:
                _set_spade(getattr(block, name), f"block {seed} {name}")
        for name in BLOCK_CONVS:
            if getattr(block, name, None) is not None:
                _set_conv(getattr(block, name), f"block {seed} {name}")
        out = {
            "output": as_array(block(x, label_map)),
            "shortcut": [block.spade_skip is not None, block.conv_skip is not None],
            "middle": int(block.conv_1.filters),
            "sizes": _sizes(block),
        }
        _zero(block.conv_2)
        out["shortcut_alone"] = as_array(block(x, label_map))
        return out

    return output_or_error(compute)


# ---------------------------------------------------------------- gaugan_generator
def generator_values(ns, seed, num_labels, z_dim, filters, image_size, hidden, count):
    """build_gaugan_generator(...) with seeded weights (SPADE and SPADEResBlock are stand-ins):
    its images for seeded z and block-constant label maps, its layer plan, and its output range
    with every kernel 50 times larger."""

    def compute():
        keras.utils.set_random_seed(seed)
        model = ns.build_gaugan_generator(num_labels, z_dim, filters, image_size, 1, hidden)
        set_seeded_weights(model, f"generator {seed}")
        z = normal(f"generator z {seed}", (count, z_dim))
        maps = label_maps(f"generator maps {seed}", count, image_size, num_labels, image_size // 4)
        images = as_array(model([z, maps], training=True))
        out = {
            "images": images,
            "blocks": [int(layer.filters) for layer in model.layers if _is_block(layer)],
            "layers": [_layer_kind(layer) for layer in model.layers if not _is_block(layer)],
        }
        scale_kernels(model, 50.0)
        scaled = as_array(model([z, maps], training=True))
        out["scaled_range"] = [float(scaled.min()), float(scaled.max())]
        return out

    return output_or_error(compute)


def _is_block(layer):
    return isinstance(layer, StandInSPADEResBlock)


def _layer_kind(layer):
    """A layer's class, with what tells a generator's plan apart: upsampling's interpolation,
    a convolution's or dense layer's activation."""
    kind = type(layer).__name__
    if hasattr(layer, "interpolation"):
        return f"{kind}({layer.interpolation})"
    activation = getattr(layer, "activation", None)
    if activation is not None and kind != "Activation":
        return f"{kind}({getattr(activation, '__name__', str(activation))})"
    if kind == "Activation":
        return f"Activation({getattr(layer.activation, '__name__', '?')})"
    return kind


def generator_shapes(ns, num_labels, z_dim, filters, image_size, channels):
    """The output shape of build_gaugan_generator for other sizes and channels."""

    def compute():
        model = ns.build_gaugan_generator(num_labels, z_dim, filters, image_size, channels, 4)
        z = normal("generator shapes z", (2, z_dim))
        maps = label_maps("generator shapes", 2, image_size, num_labels, image_size // 4)
        return list(np.shape(model([z, maps])))

    return output_or_error(compute)


# ---------------------------------------------------------------- style_encoder
def encoder_values(ns, seed, z_dim, filters, image_size, channels, count):
    """build_style_encoder(...) with seeded weights: [mean, log_var] of seeded images."""

    def compute():
        keras.utils.set_random_seed(seed)
        model = ns.build_style_encoder(z_dim, filters, image_size, channels)
        set_seeded_weights(model, f"encoder {seed}")
        images = normal(f"encoder images {seed}", (count, image_size, image_size, channels))
        return [as_array(v) for v in model(images)]

    return output_or_error(compute)


def style_samples(ns, mean, log_var, draws):
    """`draws` calls of sample_style(mean, log_var, seed) with one SeedGenerator: every draw."""

    def compute():
        generator = keras.random.SeedGenerator(7)
        return as_array(
            [
                ns.sample_style(tf.constant(mean), tf.constant(log_var), generator)
                for _ in range(draws)
            ]
        )

    return output_or_error(compute)


# ---------------------------------------------------------------- multiscale_discriminator
def discriminator_values(ns, seed, num_labels, filters, channels, scales, size, count):
    """build_multiscale_discriminator(...), each scale's variables set alike from seeded draws
    (whatever order the scales were made in): every feature map of every scale on seeded inputs,
    and the variables per scale."""

    def compute():
        keras.utils.set_random_seed(seed)
        model = ns.build_multiscale_discriminator(num_labels, filters, channels, scales)
        variables = model.trainable_variables
        per_scale = len(variables) // max(1, scales)
        for index, variable in enumerate(variables):
            place = index % per_scale if per_scale else index
            _assign_seeded(variable, f"discriminator {seed} {place}")
        maps = label_maps(f"discriminator maps {seed}", count, size, num_labels, 2)
        images = normal(f"discriminator images {seed}", (count, size, size, channels))
        outputs = model([maps, images])
        return {
            "features": [[as_array(f) for f in scale] for scale in outputs],
            "variables": len(variables),
            "params": int(sum(np.prod(v.shape) for v in variables)),
            "scales": len(outputs),
        }

    return output_or_error(compute)


def patch_shapes(ns, num_labels, filters, channels, sizes):
    """build_patch_discriminator(...) on inputs of each (height, width): its features' shapes."""

    def compute():
        model = ns.build_patch_discriminator(num_labels, filters, channels)
        shapes = []
        for height, width in sizes:
            maps = np.zeros((2, height, width, num_labels), np.float32)
            images = normal(f"patch {height} {width}", (2, height, width, channels))
            shapes.append([list(np.shape(f)) for f in model([maps, images])])
        return shapes

    return output_or_error(compute)


# ---------------------------------------------------------------- gaugan_losses
def fake_outputs(label, scales, shapes):
    """A multiscale discriminator's outputs made up: per scale, features of `shapes` (halved
    per scale), the last one the logits."""
    return [
        [normal(f"{label} {s} {k}", (2, h >> s, w >> s, c)) for k, (h, w, c) in enumerate(shapes)]
        for s in range(scales)
    ]


def loss_values(ns, seed):
    """The four losses on made-up discriminator outputs and encoder outputs, the feature
    matching loss's gradients, and the perceptual loss with a tiny extractor."""
    shapes = [(8, 8, 4), (4, 4, 6), (4, 4, 1)]
    real = fake_outputs(f"real {seed}", 2, shapes)
    fake = fake_outputs(f"fake {seed}", 2, shapes)
    mean = normal(f"kl mean {seed}", (4, 5))
    log_var = normal(f"kl log_var {seed}", (4, 5), 0.5)

    def constants(outputs):
        return [[tf.constant(f) for f in scale] for scale in outputs]

    def matching_gradients():
        real_t, fake_t = constants(real), constants(fake)
        with tf.GradientTape(persistent=True) as tape:
            for scale in real_t + fake_t:
                for feature in scale:
                    tape.watch(feature)
            loss = ns.feature_matching_loss(real_t, fake_t)
        real_grads = tape.gradient(loss, real_t)
        fake_grads = tape.gradient(loss, fake_t)

        def norm(grads):
            return [
                [0.0 if g is None else float(tf.reduce_sum(tf.abs(g))) for g in s] for s in grads
            ]

        return {"real": norm(real_grads), "fake": norm(fake_grads)}

    def extractor(images):
        return [images * 2.0, tf.nn.avg_pool2d(images, 2, 2, "VALID")]

    images = normal(f"perceptual real {seed}", (2, 4, 4, 3))
    others = normal(f"perceptual fake {seed}", (2, 4, 4, 3))
    return {
        "d": output_or_error(lambda: as_array(ns.discriminator_hinge_loss(real, fake))),
        "g": output_or_error(lambda: as_array(ns.generator_hinge_loss(fake))),
        "fm": output_or_error(lambda: as_array(ns.feature_matching_loss(real, fake))),
        "fm_gradients": output_or_error(matching_gradients),
        "kl": output_or_error(lambda: as_array(ns.kl_divergence(mean, log_var))),
        "perceptual": output_or_error(
            lambda: as_array(ns.perceptual_loss(extractor, images, others, [0.5, 2.0]))
        ),
    }


# ---------------------------------------------------------------- gaugan_step
def _tiny_networks(seed, size, labels, z_dim):
    """A generator ([z, map] -> image), an encoder (image -> [mean, log_var], log_var -30 so
    that z is the mean whatever the noise) and a two-scale discriminator ([map, image] -> per
    scale [feature, logits]), plain layers with seeded weights."""
    z = keras.Input((z_dim,))
    maps = keras.Input((size, size, labels))
    seeds = keras.layers.Reshape((size, size, 1))(keras.layers.Dense(size * size)(z))
    joined = keras.layers.Concatenate()([seeds, maps])
    hidden = keras.layers.Conv2D(4, 3, padding="same", activation="relu")(joined)
    image = keras.layers.Conv2D(1, 3, padding="same", activation="tanh")(hidden)
    generator = keras.Model([z, maps], image, name="generator")

    pictures = keras.Input((size, size, 1))
    flat = keras.layers.Flatten()(keras.layers.Conv2D(3, 3, strides=2, padding="same")(pictures))
    mean = keras.layers.Dense(z_dim)(flat)
    log_var = keras.layers.Dense(z_dim, kernel_initializer="zeros", bias_initializer="zeros")(flat)
    encoder = keras.Model(pictures, [mean, log_var], name="encoder")

    d_maps, d_images = keras.Input((size, size, labels)), keras.Input((size, size, 1))
    x = keras.layers.Concatenate()([d_maps, d_images])
    outputs = []
    for scale in range(2):
        if scale:
            x = keras.layers.AveragePooling2D(2)(x)
        feature = keras.layers.LeakyReLU(0.2)(keras.layers.Conv2D(3, 3, padding="same")(x))
        outputs.append([feature, keras.layers.Conv2D(1, 3, padding="same")(feature)])
    discriminator = keras.Model([d_maps, d_images], outputs, name="discriminator")
    for network in (generator, encoder, discriminator):
        set_seeded_weights(network, f"step {seed} {network.name}")
    encoder.layers[-1].bias.assign(np.full(z_dim, -30.0, np.float32))  # z is the mean
    encoder.layers[-1].kernel.assign(np.zeros(encoder.layers[-1].kernel.shape, np.float32))
    return generator, encoder, discriminator


def step_effects(ns, seed, weights, with_perceptual):
    """One step of make_gaugan_step on tiny networks with SGD (rate 0.05 for both): each
    network's variables after it, what it returned, the calls of apply_gradients, and whether
    it is a tf.function. weights: (feature_weight, kl_weight, perceptual_weight)."""
    size, labels, z_dim = 8, 3, 4
    generator, encoder, discriminator = _tiny_networks(seed, size, labels, z_dim)
    log = steptrace.CallLog()
    g_optimizer = steptrace.RecordingSGD(0.05, "g_optimizer", log)
    d_optimizer = steptrace.RecordingSGD(0.05, "d_optimizer", log)
    owners = steptrace.owners(generator=generator, encoder=encoder, discriminator=discriminator)
    g_optimizer.owners = d_optimizer.owners = owners
    feature_weight, kl_weight, perceptual_weight = weights

    def perceptual(real, fake):  # the real held constant, as perceptual_loss holds its features
        return tf.reduce_mean(tf.abs(tf.stop_gradient(real) - fake)) * 3.0

    step = ns.make_gaugan_step(
        generator,
        encoder,
        discriminator,
        g_optimizer,
        d_optimizer,
        feature_weight=feature_weight,
        kl_weight=kl_weight,
        perceptual=perceptual if with_perceptual else None,
        perceptual_weight=perceptual_weight,
        seed=keras.random.SeedGenerator(seed),
    )
    images = normal(f"step images {seed}", (2, size, size, 1)).clip(-1, 1)
    maps = label_maps(f"step maps {seed}", 2, size, labels)
    with steptrace.active(log):
        returned = output_or_error(
            lambda: {
                k: float(v) for k, v in dict(step(tf.constant(images), tf.constant(maps))).items()
            }
        )
    return {
        "returned": returned,
        "generator": _flat(generator.trainable_variables),
        "encoder": _flat(encoder.trainable_variables),
        "discriminator": _flat(discriminator.trainable_variables),
        "updates": [c["who"] for c in log.plain() if "apply_gradients" in c["who"]],
        "is_function": isinstance(step, tf.types.experimental.PolymorphicFunction),
    }


def _flat(variables):
    """Every variable's values in one vector, in order."""
    return np.concatenate([np.ravel(v) for v in gansteps.values(variables)])


# ---------------------------------------------------------------- the handed-in generator
SETTINGS_KEYS = ("num_labels", "z_dim", "filters", "image_size", "channels", "hidden")


def handed_in_generator(ns, weights_name, settings_name, maps, seed):
    """The handed-in generator, built with the submission's build_gaugan_generator and loaded
    once, on one-hot label maps with z from N(0, 1) (inference mode): {"generated": images}, or
    what stopped it ({"missing": True}, {"settings_error": type}, {"load_error": type},
    {"sizes": the settings} when they do not fit the maps)."""
    generator, sizes = handed_in.load(
        ns, "build_gaugan_generator", weights_name, settings_name, SETTINGS_KEYS, seed
    )
    if generator is None:
        return sizes
    num_labels, z_dim, _filters, image_size, channels, _hidden = sizes
    if num_labels != maps.shape[-1] or image_size != maps.shape[1] or channels != 1:
        return {"sizes": list(sizes)}
    z = normal(f"handed-in z {seed}", (len(maps), z_dim))
    batches = [
        as_array(generator([z[i : i + 100], maps[i : i + 100]], training=False))
        for i in range(0, len(maps), 100)
    ]
    return output_or_error(lambda: {"generated": np.concatenate(batches)})
