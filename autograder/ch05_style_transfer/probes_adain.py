"""Probes of AdaIN's hidden checks: each calls the code under test and returns plain data.

They run in the sandbox worker (igcourse.sandbox): no thresholds, verdicts or reference code
here. A probe's first argument is the namespace of the code under test.
"""

import json

import keras
import numpy as np
import tensorflow as tf

from igcourse.data.vgg19 import vgg19_network, vgg19_weights_file
from igcourse.grading import gansteps, handed_in
from igcourse.grading.ch05_adain import (  # noqa: F401 (the stand-ins, by name)
    adain_encoder,
    adain_quality,
    stand_in_adain,
    stand_in_content_loss,
    stand_in_moments,
    stand_in_reflect_conv,
    stand_in_style_loss,
)
from igcourse.grading.checks import seeded_rng
from igcourse.grading.probing import as_array, output_or_error
from igcourse.grading.public import run_public_checks as public_checks  # noqa: F401
from igcourse.grading.seeded_weights import set_seeded_weights

# ---------------------------------------------------------------- stand-ins
# Each part runs with the other parts' functions replaced by the public checks' stand-ins:
# correct by the task text, so that a mistake in one part costs that part alone, and a part that
# computes the same thing in its own code (not calling the other function) loses nothing.
STAND_INS = {
    "adain_decoder": {"reflect_conv": "stand_in_reflect_conv"},
    "adain_losses": {"channel_moments": "stand_in_moments"},
    "adain_step": {
        "channel_moments": "stand_in_moments",
        "adain": "stand_in_adain",
        "adain_content_loss": "stand_in_content_loss",
        "adain_style_loss": "stand_in_style_loss",
    },
    "adain_inference": {"channel_moments": "stand_in_moments", "adain": "stand_in_adain"},
}


def normal(label, shape, scale=1.0, shift=0.0):
    return (shift + scale * seeded_rng(label).standard_normal(shape)).astype(np.float32)


def pixels(label, shape):
    return seeded_rng(label).uniform(0, 1, shape).astype(np.float32)


def _arrays(values):
    return [as_array(v) for v in values]


# ---------------------------------------------------------------- adain
def adain_values(ns, content, style, epsilon):
    """channel_moments of the content (with `epsilon` and with the default), adain(content,
    style, epsilon) and adain(content, style) eagerly, and adain inside a tf.function on
    tensors of unknown batch and size (the step calls it there)."""
    out = {
        "moments": output_or_error(lambda: _arrays(ns.channel_moments(content, epsilon))),
        "moments_default": output_or_error(lambda: _arrays(ns.channel_moments(content))),
        "adain": output_or_error(lambda: as_array(ns.adain(content, style, epsilon))),
        "adain_default": output_or_error(lambda: as_array(ns.adain(content, style))),
    }
    spec = tf.TensorSpec((None, None, None, content.shape[-1]), tf.float32)

    @tf.function(input_signature=[spec, spec])
    def traced(c, s):
        return ns.adain(c, s)

    out["traced"] = output_or_error(
        lambda: as_array(traced(tf.constant(content), tf.constant(style)))
    )
    return out


def adain_gradient(ns, content, style):
    """The gradient of sum(adain(content, style) * weights) with respect to the content, finite
    or not (a constant channel divides by sigma = sqrt(epsilon), never by zero)."""

    def compute():
        c = tf.constant(content)
        weights = tf.constant(pixels("adain gradient weights", content.shape))
        with tf.GradientTape() as tape:
            tape.watch(c)
            total = tf.reduce_sum(ns.adain(c, tf.constant(style)) * weights)
        return as_array(tape.gradient(total, c))

    return output_or_error(compute)


# ---------------------------------------------------------------- reflect_conv
def reflect_conv_values(ns, seed, shape, filters, activation, name):
    """A functional model of reflect_conv(inputs, filters, activation, name) with seeded
    weights: its output on a seeded batch, its Conv2D layers' names and whether the model's
    input and output sizes agree for another size."""

    def compute():
        inputs = keras.Input((None, None, shape[-1]))
        model = keras.Model(inputs, ns.reflect_conv(inputs, filters, activation, name))
        set_seeded_weights(model, f"reflect conv {seed}")
        x = normal(f"reflect conv input {seed}", shape)
        convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
        return {
            "output": as_array(model(x)),
            "names": [layer.name for layer in convs],
            "kernels": [list(layer.kernel_size) for layer in convs],
        }

    return output_or_error(compute)


def reflect_conv_defaults(ns, seed, shape):
    """reflect_conv(inputs, 4) with only the filters given: its output on a seeded batch."""

    def compute():
        inputs = keras.Input((None, None, shape[-1]))
        model = keras.Model(inputs, ns.reflect_conv(inputs, 4))
        set_seeded_weights(model, f"reflect conv defaults {seed}")
        return as_array(model(normal(f"reflect conv defaults input {seed}", shape)))

    return output_or_error(compute)


# ---------------------------------------------------------------- adain_decoder
def _decoder_plan(decoder):
    plan = []
    for layer in decoder.layers:
        if isinstance(layer, keras.layers.Conv2DTranspose):
            plan.append(["transposed", layer.filters, list(layer.strides)])
        elif isinstance(layer, keras.layers.Conv2D):
            activation = getattr(layer.activation, "__name__", str(layer.activation))
            plan.append(["conv", layer.filters, activation, layer.padding])
        elif isinstance(layer, keras.layers.UpSampling2D):
            plan.append(["up", layer.interpolation])
    return plan


def decoder_facts(ns, seed, channels, shape):
    """build_adain_decoder(channels) (build_adain_decoder() when channels is None) with seeded
    weights: whether it is a keras.Model, its layers' plan, its input's shape and its output on
    seeded features of `shape` ({"error": ...} where the build or the call raised)."""

    def build():
        keras.utils.set_random_seed(seed)
        decoder = ns.build_adain_decoder() if channels is None else ns.build_adain_decoder(channels)
        set_seeded_weights(decoder, f"adain decoder {seed}")
        return decoder

    decoder = output_or_error(build)
    if isinstance(decoder, dict):
        return decoder
    facts = {"is_model": isinstance(decoder, keras.Model), "plan": _decoder_plan(decoder)}
    facts["input_shape"] = output_or_error(
        lambda: [None if size is None else int(size) for size in decoder.inputs[0].shape]
    )
    # Features of a ReLU layer (as block4_conv1's): non-negative, of varied sizes.
    features = np.abs(normal(f"decoder features {seed}", shape))
    facts["output"] = output_or_error(lambda: as_array(decoder(features)))
    return facts


# ---------------------------------------------------------------- adain_losses
def loss_values(ns, seed, epsilon):
    """adain_content_loss on seeded features; adain_style_loss on three layers of other sizes
    (with `epsilon`, with the default, and of a list against itself)."""
    content = normal(f"content features {seed}", (2, 3, 5, 4))
    target = normal(f"content target {seed}", (2, 3, 5, 4))
    shapes = [(2, 8, 6, 3), (2, 4, 3, 5), (2, 2, 2, 6)]
    styled = [normal(f"styled {seed} {k}", s, 1.0 + k) for k, s in enumerate(shapes)]
    style = [
        normal(f"style {seed} {k}", (2, s[1] + 2, s[2] + 3, s[3]), 2.0, 0.5 * k)
        for k, s in enumerate(shapes)
    ]
    # A flat channel (a ReLU that never fires): its sigma is sqrt(epsilon), so epsilon shows.
    styled[0][:, :, :, 1] = 0.0
    return {
        "content": output_or_error(lambda: as_array(ns.adain_content_loss(content, target))),
        "style": output_or_error(lambda: as_array(ns.adain_style_loss(styled, style, epsilon))),
        "style_default": output_or_error(lambda: as_array(ns.adain_style_loss(styled, style))),
        "style_of_itself": output_or_error(
            lambda: as_array(ns.adain_style_loss(style, style, epsilon))
        ),
    }


# ---------------------------------------------------------------- adain_step, adain_inference
def tiny_encoder(seed, trainable):
    """images (B, H, W, 3) -> three activations (ReLU convolutions, the last two after
    poolings), seeded weights: the step's and the inference's encoder."""
    layers = keras.layers
    images = keras.Input((None, None, 3))
    first = layers.Conv2D(3, 3, padding="same", activation="relu")(images)
    second = layers.Conv2D(4, 3, padding="same", activation="relu")(layers.MaxPooling2D(2)(first))
    third = layers.Conv2D(5, 3, padding="same", activation="relu")(layers.MaxPooling2D(2)(second))
    encoder = keras.Model(images, [first, second, third])
    set_seeded_weights(encoder, f"tiny encoder {seed}")
    encoder.trainable = trainable
    return encoder


def tiny_decoder(seed, channels=5):
    """features (B, h, w, channels) -> images (B, 4h, 4w, 3): nonlinear (tanh), seeded."""
    layers = keras.layers
    features = keras.Input((None, None, channels))
    x = layers.Conv2D(4, 1, activation="tanh")(layers.UpSampling2D(2)(features))
    images = layers.Conv2D(3, 3, padding="same", activation="sigmoid")(layers.UpSampling2D(2)(x))
    decoder = keras.Model(features, images)
    set_seeded_weights(decoder, f"tiny decoder {seed}")
    return decoder


def step_effects(ns, seed, style_weight=3.0, rate=0.05):
    """make_adain_step on a tiny encoder left trainable (so that updating it shows) and a tiny
    decoder, plain SGD: whether it returned a tf.function, what one step returned, the
    decoder's variables after it and whether the encoder's changed."""
    encoder, decoder = tiny_encoder(seed, trainable=True), tiny_decoder(seed)
    content = pixels(f"step content {seed}", (2, 8, 12, 3))
    style = pixels(f"step style {seed}", (2, 8, 12, 3)) ** 3  # darker, other statistics
    encoder_before = gansteps.values(encoder.weights)
    step = ns.make_adain_step(encoder, decoder, keras.optimizers.SGD(rate), style_weight)
    facts = {"is_function": isinstance(step, tf.types.experimental.PolymorphicFunction)}
    facts["returned"] = output_or_error(
        lambda: _arrays(step(tf.constant(content), tf.constant(style)))
    )
    facts["decoder"] = np.concatenate(  # one vector of every variable, in order
        [value.ravel() for value in gansteps.values(decoder.trainable_variables)]
    )
    facts["encoder_kept"] = not any(
        gansteps.changed(encoder_before, gansteps.values(encoder.weights))
    )
    return facts


def inference_values(ns, seed, alphas, weights):
    """stylize for each alpha (and with alpha left out) and interpolate_styles with `weights`
    over three styles, on a tiny encoder and a tiny nonlinear decoder; content and styles of
    different sizes."""
    encoder, decoder = tiny_encoder(seed, trainable=False), tiny_decoder(seed)
    content = pixels(f"inference content {seed}", (2, 8, 12, 3))
    styles = [pixels(f"inference style {seed} {k}", (2, 12, 8, 3)) ** (1 + k) for k in range(3)]
    out = {
        "stylized": [
            output_or_error(
                lambda a=a: as_array(ns.stylize(encoder, decoder, content, styles[0], a))
            )
            for a in alphas
        ],
        "default": output_or_error(
            lambda: as_array(ns.stylize(encoder, decoder, content, styles[0]))
        ),
        "mixed": output_or_error(
            lambda: as_array(
                ns.interpolate_styles(encoder, decoder, content, styles, list(weights))
            )
        ),
    }
    return out


# ---------------------------------------------------------------- trained_adain
def handed_in_decoder(ns, weights_name, settings_name, contents, styles, seed):
    """The handed-in decoder, built with the submission's build_adain_decoder and loaded once,
    measured by adain_quality on `contents` and `styles` with the checks' own encoder (VGG19
    with ImageNet's weights if the settings say it was trained with them, else the seeded
    random weights): {"style_ratio": ..., "reconstruction": ...}. {"missing": True},
    {"settings_error": type} or {"load_error": type} when it did not load; {"channels": n}
    when it does not take block4_conv1's 512 channels; {"no_imagenet_weights": True} when it
    was trained with ImageNet's weights and this machine has none."""
    decoder, sizes = handed_in.load(
        ns, "build_adain_decoder", weights_name, settings_name, ("channels",), seed
    )
    if decoder is None:
        return sizes
    if sizes[0] != 512:
        return {"channels": sizes[0]}
    settings = json.loads((ns.folder / settings_name).read_text(encoding="utf-8"))
    weights_file = vgg19_weights_file() if settings.get("pretrained") is True else None
    if settings.get("pretrained") is True and weights_file is None:
        return {"no_imagenet_weights": True}
    encoder = adain_encoder(vgg19_network(weights_file))

    def measure():
        figures = adain_quality(encoder, decoder, tf.constant(contents), tf.constant(styles))
        return {name: float(value) for name, value in figures.items()}

    return output_or_error(measure)
