"""Probes of pix2pix's hidden checks: each calls the code under test and returns plain data.

They run in the sandbox worker (igcourse.sandbox): no thresholds, verdicts or reference code
here. A probe's first argument is the namespace of the code under test.
"""

import keras
import numpy as np
import tensorflow as tf

from igcourse.checks.networks import gradient_window, scale_kernels
from igcourse.grading import gansteps, handed_in, steptrace
from igcourse.grading.checks import seeded_rng
from igcourse.grading.probing import raise_if_unanswered
from igcourse.grading.public import run_public_checks as public_checks  # noqa: F401

# ---------------------------------------------------------------- stand-in losses of the step
# The discriminator's is chapter 3's least-squares stand-in: it takes logits of any shape.
_stand_in_discriminator_loss = gansteps.stand_in_discriminator_loss


def _stand_in_generator_loss(fake_logits, generated, targets, l1_weight=100.0):
    """Not the task's loss: least squares plus l1_weight times the mean squared distance."""
    loss = 0.5 * tf.reduce_mean(tf.square(fake_logits - 1.0)) + l1_weight * tf.reduce_mean(
        tf.square(targets - generated)
    )
    return steptrace.logged("generator_loss", fake_logits, generated, targets, loss)


# ---------------------------------------------------------------- stand-in blocks of the U-Net
def _stand_in_encoder_block(x, filters, normalize=True):
    """Not the task's block: average pooling, then a 3 x 3 convolution with bias, layer
    normalisation when asked, tanh; it halves the size, as encoder_block does."""
    x = keras.layers.Conv2D(filters, 3, padding="same")(keras.layers.AveragePooling2D(2)(x))
    if normalize:
        x = keras.layers.LayerNormalization()(x)
    return keras.layers.Activation("tanh")(x)


def _stand_in_decoder_block(x, skip, filters, dropout=False):
    """Not the task's block: nearest upsampling, a 3 x 3 convolution with bias, dropout when
    asked, tanh, then the skip joined after it, as decoder_block does."""
    x = keras.layers.Conv2D(filters, 3, padding="same")(keras.layers.UpSampling2D(2)(x))
    if dropout:
        x = keras.layers.Dropout(0.5)(x)
    x = keras.layers.Activation("tanh")(x)
    return keras.layers.Concatenate()([x, skip])


STAND_INS = {
    # build_unet is graded with these blocks, so a mistake in the student's blocks costs the
    # unet_blocks part alone.
    "unet": {
        "encoder_block": "_stand_in_encoder_block",
        "decoder_block": "_stand_in_decoder_block",
    },
    "pix2pix_step": {
        "discriminator_loss": "_stand_in_discriminator_loss",
        "generator_loss": "_stand_in_generator_loss",
    },
}


def _images(label, shape):
    return seeded_rng(label).uniform(-1, 1, shape).astype(np.float32)


def _run(model, x, training):
    return np.asarray(model(x, training=training))


def _relative(a, b):
    """max |a - b| over max |b| (0 when both are 0)."""
    scale = float(np.abs(b).max())
    return float(np.abs(a - b).max()) / scale if scale > 0 else float(np.abs(a).max())


# ---------------------------------------------------------------- unet_blocks
def encoder_facts(ns, seed):
    """What encoder_block does on (B, 8, 8, 3) inputs with 5 filters.

    shape: the symbolic output shape; params: count with normalize True and False;
    scaled_error: for normalize=False, how far encoder(10 x) is from 10 encoder(x) (relative);
    slope: for normalize=False, the median of -encoder(-x) / encoder(x) where encoder(x) > 0 (a
    LeakyReLU's slope); invariance_error: for normalize=True, how far encoder(1000 x) is from
    encoder(100 x) (inputs so large that the epsilon does not count); batch_error: for
    normalize=True, how far image 0's output alone is from its output in a batch of 4
    (training mode); channel_mean: for normalize=True, the median over images and channels of
    a channel's mean over the image (training mode)."""
    x = _images(f"encoder {seed}", (4, 8, 8, 3))
    facts = {}
    for normalize in (True, False):
        keras.utils.set_random_seed(seed)
        inputs = keras.Input((8, 8, 3))
        model = keras.Model(inputs, ns.encoder_block(inputs, 5, normalize=normalize))
        facts[f"shape_{normalize}"] = [d for d in model.output.shape[1:]]
        facts[f"params_{normalize}"] = int(model.count_params())
        small = _run(model, tf.constant(x), True)
        large = _run(model, tf.constant(10 * x), True)
        if normalize:  # at large inputs, where the normalisation's epsilon does not count
            facts["invariance_error"] = _relative(
                _run(model, tf.constant(1000 * x), True), _run(model, tf.constant(100 * x), True)
            )
            alone = _run(model, tf.constant(x[:1]), True)
            facts["batch_error"] = _relative(alone[0], small[0])
            # Normalised, then a LeakyReLU: each channel's mean over the image is above zero;
            # the other way round, the normalisation sets it to zero.
            facts["channel_mean"] = float(np.median(small.mean(axis=(1, 2))))
        else:
            facts["scaled_error"] = _relative(large, 10 * small)
            negative = _run(model, tf.constant(-x), True)
            positive = small > 1e-3
            facts["slope"] = (
                float(np.median(-negative[positive] / small[positive])) if positive.any() else None
            )
    return facts


def decoder_facts(ns, seed):
    """What decoder_block does on x (B, 4, 4, 6) and skip (B, 8, 8, 3) with 5 filters.

    shape, params; skip_error: how far the last 3 channels are from the skip; own_min: the
    smallest of the block's own 5 channels; invariance_error: how far the own channels for
    1000 x are from those for 100 x (instance norm makes them equal); batch_error: image 0
    alone against in a batch; repeat_error: two training-mode calls of the dropout=False block;
    dropout_training_differs, dropout_inference_differs: for dropout=True, whether two calls in
    that mode differ."""
    x = _images(f"decoder x {seed}", (4, 4, 4, 6))
    skip = _images(f"decoder skip {seed}", (4, 8, 8, 3))
    facts = {}
    for dropout in (False, True):
        keras.utils.set_random_seed(seed)
        x_in, skip_in = keras.Input((4, 4, 6)), keras.Input((8, 8, 3))
        model = keras.Model([x_in, skip_in], ns.decoder_block(x_in, skip_in, 5, dropout=dropout))
        facts[f"shape_{dropout}"] = [d for d in model.output.shape[1:]]
        facts[f"params_{dropout}"] = int(model.count_params())

        def run(x_value, skip_value, training, model=model):
            return _run(model, [tf.constant(x_value), tf.constant(skip_value)], training)

        if not dropout:
            out = run(x, skip, False)
            if out.shape[-1] != 8:
                return facts
            facts["skip_error"] = float(np.abs(out[..., 5:] - skip).max())
            facts["own_min"] = float(out[..., :5].min())
            large = run(1000 * x, skip, True)[..., :5]  # large: epsilon does not count
            facts["invariance_error"] = _relative(large, run(100 * x, skip, True)[..., :5])
            alone = run(x[:1], skip[:1], True)
            facts["batch_error"] = _relative(alone[0], run(x, skip, True)[0])
            facts["repeat_error"] = _relative(run(x, skip, True), run(x, skip, True))
        else:
            twice = [run(x, skip, True)[..., :5] for _ in range(2)]
            facts["dropout_training_differs"] = not np.allclose(*twice)
            inference = [run(x, skip, False) for _ in range(2)]
            facts["dropout_inference_differs"] = not np.allclose(*inference)
    return facts


# ---------------------------------------------------------------- unet
class _Tap(keras.layers.Layer):
    """Adds a trainable offset (zero at first) to a skip connection, so that the gradient of the
    U-Net's output with respect to that offset is the gradient reaching the skip."""

    def build(self, shape):
        self.offset = self.add_weight(shape=tuple(shape[1:]), initializer="zeros", name="tap")

    def call(self, x):
        return x + self.offset


def _traced_unet(ns, filters, channels):
    """build_unet with its encoder_block and decoder_block calls recorded and a tap on every skip
    it passes to decoder_block. Returns (model, encoder calls, decoder calls, taps)."""
    names = getattr(ns.build_unet, "__globals__", None)
    encoders, decoders, taps, outputs = [], [], [], {}
    if names is None or "encoder_block" not in names or "decoder_block" not in names:
        return ns.build_unet(filters, channels), None, None, []
    encoder_block, decoder_block = names["encoder_block"], names["decoder_block"]

    def traced_encoder(x, block_filters, normalize=True):
        out = encoder_block(x, block_filters, normalize=normalize)
        outputs[id(out)] = len(encoders)
        encoders.append({"filters": int(block_filters), "normalize": bool(normalize)})
        return out

    def traced_decoder(x, skip, block_filters, dropout=False):
        tap = _Tap()
        taps.append(tap)
        decoders.append(
            {
                "filters": int(block_filters),
                "dropout": bool(dropout),
                "skip": outputs.get(id(skip)),
                "x": outputs.get(id(x)),
            }
        )
        return decoder_block(x, tap(skip), block_filters, dropout=dropout)

    names["encoder_block"], names["decoder_block"] = traced_encoder, traced_decoder
    try:
        model = ns.build_unet(filters, channels)
    finally:
        names["encoder_block"], names["decoder_block"] = encoder_block, decoder_block
    return model, encoders, decoders, taps


def unet_facts(ns, filters, channels, seed):
    """What build_unet(filters, channels) builds (with the stand-in blocks of STAND_INS).

    shape, params (built as it is); encoders, decoders: the blocks' calls in order (filters,
    normalize or dropout, and for a decoder which encoder call's output it got as skip), None
    when build_unet does not call them from the notebook's names; skip_gradients: for each
    decoder call, the norm of the gradient of the output's sum (inference mode) reaching its
    skip; stochastic: whether two training-mode outputs differ, deterministic: whether two
    inference-mode outputs agree; scaled_min, scaled_max: the output range in training mode
    with every kernel times 50."""
    x = _images(f"unet {seed}", (2, 32, 32, channels))
    keras.utils.set_random_seed(seed)
    plain = ns.build_unet(filters, channels)
    output = _run(plain, tf.constant(x), False)
    facts = {"shape": list(output.shape), "params": int(plain.count_params())}
    facts["deterministic"] = bool(np.array_equal(output, _run(plain, tf.constant(x), False)))
    facts["stochastic"] = not np.allclose(
        _run(plain, tf.constant(x), True), _run(plain, tf.constant(x), True)
    )
    keras.utils.set_random_seed(seed)
    model, encoders, decoders, taps = _traced_unet(ns, filters, channels)
    facts["encoders"], facts["decoders"] = encoders, decoders
    offsets = [tap.offset for tap in taps if getattr(tap, "offset", None) is not None]
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(model(tf.constant(x), training=False))
    gradients = tape.gradient(total, offsets) if offsets else []
    facts["skip_gradients"] = [0.0 if g is None else float(tf.norm(g).numpy()) for g in gradients]
    keras.utils.set_random_seed(seed)
    scaled = ns.build_unet(filters, channels)
    scale_kernels(scaled, 50.0)
    outputs = _run(scaled, tf.constant(x), True)
    facts["scaled_min"], facts["scaled_max"] = float(outputs.min()), float(outputs.max())
    return facts


# ---------------------------------------------------------------- patch_discriminator
def patch_facts(ns, filters, channels, cells, seed):
    """What build_patch_discriminator(filters, channels) builds: shape of its output on a pair
    of (2, 32, 32, channels) batches, params, windows: for each cell, the window of each input
    its logit has gradients from (igcourse.checks.networks.gradient_window), fixed_output: the
    output with weights the probe sets (_with_fixed_weights), scaled_min, scaled_max: the
    output range with every kernel times 50 (training mode)."""
    shape = (2, 32, 32, channels)
    pair = [_images(f"patch a {seed}", shape), _images(f"patch b {seed}", shape)]
    keras.utils.set_random_seed(seed)
    model = ns.build_patch_discriminator(filters, channels)
    output = _run(model, [tf.constant(p) for p in pair], False)
    facts = {"shape": list(output.shape), "params": int(model.count_params())}
    if output.ndim == 4 and all(r < output.shape[1] and c < output.shape[2] for r, c in cells):
        facts["windows"] = [gradient_window(model, [p[:1] for p in pair], cell) for cell in cells]
    facts["fixed_output"] = _with_fixed_weights(model, channels)
    keras.utils.set_random_seed(seed)
    scaled = ns.build_patch_discriminator(filters, channels)
    scale_kernels(scaled, 50.0)
    outputs = _run(scaled, [tf.constant(p) for p in pair], True)
    facts["scaled_min"], facts["scaled_max"] = float(outputs.min()), float(outputs.max())
    return facts


def _with_fixed_weights(model, channels):
    """The output on a pair of all-ones images once the check sets every weight (None unless
    the model has three kernels and three biases, as the table's): the first kernel -0.05, the
    others +0.05, the biases 0. Every pre-activation is then negative, so the output is the
    product of the two activations' slopes for negative values, times a fixed number."""
    variables = model.trainable_variables
    if len(variables) != 6 or [len(v.shape) for v in variables] != [4, 1] * 3:
        return None
    for index, variable in enumerate(variables):
        value = 0.0 if index % 2 else (-0.05 if index == 0 else 0.05)
        variable.assign(np.full(tuple(variable.shape), value, np.float32))
    ones = tf.ones((1, 32, 32, channels))
    return _run(model, [ones, ones], False)


# ---------------------------------------------------------------- pix2pix_losses
def loss_values(ns, real, fake, generated, targets, weights):
    """discriminator_loss(real, fake), and generator_loss(fake, generated, targets, w) for each
    weight w with its gradient with respect to `generated`."""
    real, fake = tf.constant(np.float32(real)), tf.constant(np.float32(fake))
    targets = tf.constant(np.float32(targets))
    result = {"d": gansteps.plain(ns.discriminator_loss(real, fake)), "g": [], "g_gradient": []}
    for weight in weights:
        image = tf.Variable(np.float32(generated))
        with tf.GradientTape() as tape:
            loss = ns.generator_loss(fake, image, targets, weight)
        gradient = tape.gradient(loss, image)
        result["g"].append(gansteps.plain(loss))
        result["g_gradient"].append(None if gradient is None else np.asarray(gradient))
    return result


# ---------------------------------------------------------------- random_jitter
def jitter_facts(ns, seed, calls=24):
    """random_jitter on a batch whose targets are 0.5 - 0.7 * inputs, pixel by pixel.

    shapes: of the first call's pair; pair_error: the largest distance from that relation
    after the jitter; distinct: how many different results; flips: which way round the
    left-to-right ramp came out ([dark left?] over the calls); new_values: the share of output
    pixels whose value is in no input pixel (nearest neighbour copies pixels); end_rows_seen:
    whether, in 48 more calls, some crop kept the first row and some the last row of the
    enlarged image (offsets 0 and 4); swapped: how many calls returned some pair's target as
    its input and its input as its target (those pairs count for nothing else)."""
    ramp = np.tile(np.linspace(-1, 1, 32, dtype=np.float32), (32, 1))
    noise = _images(f"jitter {seed}", (2, 32, 32))
    inputs = (0.6 * ramp + 0.4 * noise)[..., None].astype(np.float32)
    targets = (0.5 - 0.7 * inputs).astype(np.float32)
    known = np.unique(inputs)
    facts = {"pair_error": 0.0, "flips": [], "new_values": 0.0}
    seen = set()
    for call in range(calls):
        out = ns.random_jitter(tf.constant(inputs), tf.constant(targets))
        a, b = np.asarray(out[0]), np.asarray(out[1])
        if call == 0:
            facts["shapes"] = [list(a.shape), list(b.shape)]
        if a.shape != inputs.shape or b.shape != inputs.shape:
            return facts
        # Pairs that came back swapped (the target as the input) count for nothing else.
        swapped = [
            np.allclose(a[i], 0.5 - 0.7 * b[i], atol=1e-4)
            and not np.allclose(b[i], 0.5 - 0.7 * a[i], atol=1e-4)
            for i in range(len(a))
        ]
        facts["swapped"] = facts.get("swapped", 0) + int(any(swapped))
        kept = [i for i in range(len(a)) if not swapped[i]]
        if not kept:
            continue
        a, b = a[kept], b[kept]
        facts["pair_error"] = max(facts["pair_error"], float(np.abs(b - (0.5 - 0.7 * a)).max()))
        seen.add(a.tobytes())
        facts["flips"].append(bool(a[0, :, :4].mean() > a[0, :, -4:].mean()))
        position = np.clip(np.searchsorted(known, a.ravel()), 0, len(known) - 1)
        nearest = np.minimum(
            np.abs(known[position] - a.ravel()), np.abs(known[position - 1] - a.ravel())
        )
        facts["new_values"] = max(facts["new_values"], float(np.mean(nearest > 1e-6)))
    facts["distinct"] = len(seen)
    # Rows 0 and 31 marked: after a nearest resize to 36 x 36 they are the first and the last
    # rows, which a 32 x 32 crop keeps only at offsets 0 and 4 (flips are left to right).
    marked = np.zeros((2, 32, 32, 1), np.float32)
    marked[:, 0], marked[:, -1] = -1.0, 1.0
    first = last = False
    for _call in range(48):
        out = np.asarray(ns.random_jitter(tf.constant(marked), tf.constant(marked))[0])
        first, last = first or bool((out == -1.0).any()), last or bool((out == 1.0).any())
    facts["end_rows_seen"] = [first, last]
    facts.update(_colour_jitter(ns, inputs))
    return facts


def _colour_jitter(ns, grey):
    """random_jitter on three-channel images (the facades' photos): the shapes it returned
    ("colour_shapes"), then how far the targets are from 0.5 - 0.7 * inputs
    ("colour_pair_error"), or the error it raised ("colour_error")."""
    colour = np.concatenate([grey, -grey, 0.3 * grey], axis=-1)
    try:
        out = ns.random_jitter(tf.constant(colour), tf.constant(0.5 - 0.7 * colour))
        a, b = np.asarray(out[0]), np.asarray(out[1])
    except Exception as error:  # noqa: BLE001 (which error is the evidence)
        raise_if_unanswered(error)
        return {"colour_error": f"{type(error).__name__}: {str(error)[:200]}"}
    facts = {"colour_shapes": [list(a.shape), list(b.shape)]}
    if a.shape == b.shape == colour.shape:
        facts["colour_pair_error"] = float(np.abs(b - (0.5 - 0.7 * a)).max())
    return facts


# ---------------------------------------------------------------- pix2pix_step
def _tiny_pix2pix(seed):
    """Small convolutional networks with batch normalisation (so that the step's training flag
    matters): G a convolution with tanh, D a strided convolution on the pair."""
    keras.utils.set_random_seed(seed)
    layers = keras.layers
    x = keras.Input((8, 8, 1))
    h = layers.BatchNormalization()(layers.Conv2D(2, 3, padding="same")(x))
    generator = keras.Model(x, layers.Conv2D(1, 3, padding="same", activation="tanh")(h))
    a, b = keras.Input((8, 8, 1)), keras.Input((8, 8, 1))
    h = layers.Conv2D(2, 2, strides=2)(layers.Concatenate()([a, b]))
    discriminator = keras.Model(
        [a, b], layers.Conv2D(1, 2, strides=2)(layers.BatchNormalization()(h))
    )
    return generator, discriminator


def step_inputs(seed, batch=4):
    rng = seeded_rng(f"pix2pix step inputs {seed}")
    inputs = rng.uniform(-1, 1, (batch, 8, 8, 1)).astype(np.float32)
    targets = rng.uniform(-1, 1, (batch, 8, 8, 1)).astype(np.float32)
    return inputs, targets


def step_effects(ns, seed, l1_weight=3.0, g_rate=0.05, d_rate=0.1):
    """One train_step with plain SGD (other rates for G and D) on tiny networks. Returns the
    trainable variables of G and D before and after, what the step returned ("g_loss",
    "d_loss"; {"no_gradient": True} when it found none, {"error": text} when it raised), and
    the calls it made ("calls": igcourse.grading.steptrace), those before an error included."""
    log = steptrace.CallLog()
    generator, discriminator = _tiny_pix2pix(seed)
    g_optimizer = steptrace.RecordingSGD(g_rate, "g_optimizer", log)
    d_optimizer = steptrace.RecordingSGD(d_rate, "d_optimizer", log)
    owners = steptrace.owners(generator=generator, discriminator=discriminator)
    g_optimizer.owners = d_optimizer.owners = owners
    step = ns.make_pix2pix_step(
        steptrace.RecordingNetwork(generator, "generator", log),
        steptrace.RecordingNetwork(discriminator, "discriminator", log),
        g_optimizer,
        d_optimizer,
        l1_weight,
    )
    inputs, targets = step_inputs(seed)
    result = {
        "g_before": gansteps.values(generator.trainable_variables),
        "d_before": gansteps.values(discriminator.trainable_variables),
    }
    with steptrace.active(log):
        try:
            returned = step(tf.constant(inputs), tf.constant(targets))
        except Exception as error:  # noqa: BLE001 (the calls made before it are the evidence)
            raise_if_unanswered(error)
            if "No gradients provided" in str(error):
                returned = ({"no_gradient": True},) * 2
            else:
                returned = ({"error": f"{type(error).__name__}: {error}"[:600]},) * 2
    pair = list(returned) if isinstance(returned, (tuple, list)) else [returned]
    loss = [value if isinstance(value, dict) else gansteps.plain(value) for value in pair]
    result["g_loss"], result["d_loss"] = loss[0], loss[1] if len(loss) > 1 else None
    result["returned_count"] = len(pair)
    result["g_after"] = gansteps.values(generator.trainable_variables)
    result["d_after"] = gansteps.values(discriminator.trainable_variables)
    result["calls"] = log.plain()
    return result


# ---------------------------------------------------------------- the handed-in generator
def handed_in_generator(ns, weights_name, settings_name, edges, seed):
    """The handed-in generator, built with the submission's build_unet and loaded once, applied
    to `edges` (inference mode).

    {"missing": True} when its files are not next to the notebook, {"settings_error": type}
    when the settings file is not the JSON the notebook writes, {"load_error": type} when the
    weights do not fit the generator the settings build, else {"generated": images in [-1, 1]
    as the generator draws them}."""
    generator, sizes = handed_in.load(
        ns, "build_unet", weights_name, settings_name, ("filters", "channels"), seed
    )
    if generator is None:
        return sizes
    edges = np.asarray(edges, np.float32)
    parts = [
        np.asarray(generator(tf.constant(edges[i : i + 250]), training=False))
        for i in range(0, len(edges), 250)
    ]
    return {"generated": np.concatenate(parts)}
