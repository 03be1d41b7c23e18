"""Probes of neural style transfer's hidden checks: each calls the code under test and returns
plain data.

They run in the sandbox worker (igcourse.sandbox): no thresholds, verdicts or reference code
here. A probe's first argument is the namespace of the code under test.
"""

import keras
import numpy as np
import tensorflow as tf

from igcourse.grading import gansteps
from igcourse.grading.checks import seeded_rng
from igcourse.grading.probing import as_array, output_or_error
from igcourse.grading.public import run_public_checks as public_checks  # noqa: F401
from igcourse.grading.seeded_weights import set_seeded_weights


# ---------------------------------------------------------------- stand-ins
def _stand_in_preprocess(images):
    """Not the task's preprocessing: a map whose use (once, twice, not at all) shows."""
    return images * 3.0 - 0.5


def _stand_in_gram(features):
    """Not the task's Gram matrix: the outer product of the channels' spatial means, plus 0.1."""
    means = tf.reduce_mean(features, axis=[1, 2])
    return means[:, :, None] * means[:, None, :] + 0.1


def _stand_in_transfer_loss(features, images, content_targets, style_targets, cw, sw, tw):
    """Not the task's loss: absolute errors against the targets, and a spread term whose
    descent pushes every pixel away from 0.5, so that pixels at 0 and 1 leave [0, 1] unless the
    step clips them, whatever the grading salt draws."""
    content = tf.add_n(
        [
            tf.reduce_mean(tf.abs(f - t))
            for f, t in zip(features["content"], content_targets, strict=True)
        ]
    )
    style = tf.add_n(
        [
            tf.reduce_mean(tf.abs(tf.reduce_mean(f, axis=[1, 2]) - t))
            for f, t in zip(features["style"], style_targets, strict=True)
        ]
    )
    spread = -tf.reduce_sum(tf.square(images - 0.5))
    return cw * content + sw * style + tw * spread, content, style, spread


STAND_INS = {
    # Each part runs with the others' work replaced, so that a mistake costs its own part alone.
    "feature_extractor": {"vgg_preprocess": "_stand_in_preprocess"},
    "nst_losses": {"gram_matrix": "_stand_in_gram"},
    "transfer_step": {"transfer_loss": "_stand_in_transfer_loss"},
}


def pixels(label, shape):
    return seeded_rng(label).uniform(0, 1, shape).astype(np.float32)


def normal(label, shape):
    return seeded_rng(label).standard_normal(shape).astype(np.float32)


# ---------------------------------------------------------------- vgg_preprocess
def preprocess_values(ns, images):
    """vgg_preprocess on a NumPy batch, and on the same batch as a symbolic tensor inside a
    tf.function (the extractor calls it inside a model)."""
    out = {"eager": output_or_error(lambda: as_array(ns.vgg_preprocess(images)))}

    @tf.function(input_signature=[tf.TensorSpec((None, None, None, 3), tf.float32)])
    def traced(batch):
        return ns.vgg_preprocess(batch)

    out["traced"] = output_or_error(lambda: as_array(traced(tf.constant(images))))
    return out


# ---------------------------------------------------------------- feature_extractor
# A network with VGG19's layer names (3 to 6 filters a layer): the extractor must take the
# layers it is asked for from the network it is given.
TINY_VGG = (
    ("block1_conv1", 3),
    ("block1_conv2", 4),
    ("block1_pool", 0),
    ("block2_conv1", 4),
    ("block2_pool", 0),
    ("block3_conv1", 5),
    ("block4_conv1", 5),
    ("block4_conv2", 6),
    ("block5_conv1", 6),
)


def tiny_vgg(seed):
    layers = keras.layers
    inputs = keras.Input((None, None, 3))
    x = inputs
    for name, filters in TINY_VGG:
        if filters:
            x = layers.Conv2D(filters, 3, padding="same", activation="relu", name=name)(x)
        else:
            x = layers.MaxPooling2D(2, name=name)(x)
    vgg = keras.Model(inputs, x, name="vgg19")
    set_seeded_weights(vgg, f"tiny vgg {seed}")
    return vgg


def extractor_facts(ns, seed, content_layers, style_layers, sizes):
    """build_feature_extractor on a tiny VGG-named network with seeded weights, for the given
    layers: its outputs on images of each (H, W) of `sizes` ({"error": ...} where it raised),
    and whether it left the network's weights as they were."""
    vgg = tiny_vgg(seed)
    before = gansteps.values(vgg.weights)
    extractor = ns.build_feature_extractor(vgg, tuple(content_layers), tuple(style_layers))
    facts = {"is_model": isinstance(extractor, keras.Model), "outputs": []}
    for height, width in sizes:
        images = pixels(f"extractor images {seed} {height} {width}", (2, height, width, 3))
        facts["outputs"].append(output_or_error(lambda images=images: _features(extractor(images))))
    facts["weights_kept"] = not any(gansteps.changed(before, gansteps.values(vgg.weights)))
    return facts


def _features(features):
    """{"content": [...], "style": [...]} as arrays; anything else described."""
    if not isinstance(features, dict) or set(features) != {"content", "style"}:
        kind = sorted(features) if isinstance(features, dict) else type(features).__name__
        return {"not_a_dict": str(kind)}
    return {group: [as_array(f) for f in features[group]] for group in ("content", "style")}


# ---------------------------------------------------------------- gram_matrix
def gram_values(ns, features):
    """gram_matrix of a batch, its gradient's first value, and each sample's Gram alone."""
    value = tf.constant(features)
    out = {"gram": output_or_error(lambda: as_array(ns.gram_matrix(value)))}
    out["single"] = output_or_error(
        lambda: [as_array(ns.gram_matrix(value[b : b + 1]))[0] for b in range(features.shape[0])]
    )
    return out


# ---------------------------------------------------------------- nst_losses
def loss_values(ns, seed):
    """content_loss, style_loss (with the stand-in Gram matrix), total_variation (also of a
    tf.Variable inside a tf.function, as the step calls it) and transfer_loss on seeded lists of
    activations of two layers and a batch of two images."""
    content = [normal(f"content {seed} {k}", (2, 4 + k, 5, 3 + k)) for k in range(2)]
    content_targets = [
        normal(f"content targets {seed} {k}", f.shape) for k, f in enumerate(content)
    ]
    style = [normal(f"style {seed} {k}", (2, 6 - k, 3 + k, 2 + k)) for k in range(3)]
    style_targets = [
        normal(f"style targets {seed} {k}", (1, f.shape[-1], f.shape[-1]))
        for k, f in enumerate(style)
    ]
    images = pixels(f"loss images {seed}", (2, 6, 7, 3))
    features = {"content": content, "style": style}
    variable = tf.Variable(images)  # as the step passes its image

    @tf.function
    def tv_of_the_variable():
        return ns.total_variation(variable)

    weights = (0.7, 1.9, 0.4)
    return {
        "content": output_or_error(lambda: as_array(ns.content_loss(content, content_targets))),
        "style": output_or_error(lambda: as_array(ns.style_loss(style, style_targets))),
        "tv": output_or_error(lambda: as_array(ns.total_variation(images))),
        "tv_of_a_variable": output_or_error(lambda: as_array(tv_of_the_variable())),
        "transfer": output_or_error(
            lambda: [
                as_array(v)
                for v in ns.transfer_loss(
                    features, images, content_targets, style_targets, *weights
                )
            ]
        ),
    }


# ---------------------------------------------------------------- transfer_step
def tiny_extractor(seed):
    """images (B, 8, 8, 3) -> {"content": [a 3 x 3 convolution], "style": [a 1 x 1 one, then
    a strided one]}, seeded weights."""
    layers = keras.layers
    images = keras.Input((8, 8, 3))
    first = layers.Conv2D(4, 3, padding="same", activation="tanh")(images)
    point = layers.Conv2D(3, 1)(images)
    strided = layers.Conv2D(2, 2, strides=2)(first)
    extractor = keras.Model(images, {"content": [first], "style": [point, strided]})
    set_seeded_weights(extractor, f"tiny extractor {seed}")
    return extractor


def step_effects(ns, seed, weights=(1.0, 2.0, 0.5), rate=0.2):
    """make_transfer_step with the stand-in loss, plain SGD, on a tiny extractor: the image
    after one step (two rows start at 0 and 1 and are pushed out, so clipping shows), what the
    step returned and whether the extractor's weights changed."""
    extractor = tiny_extractor(seed)
    start = pixels(f"step image {seed}", (1, 8, 8, 3))
    start[0, :2] = np.where(start[0, :2] > 0.5, 1.0, 0.0)  # pushed out by the spread term
    content_targets = [normal(f"step content {seed}", (1, 8, 8, 4))]
    style_targets = [normal(f"step style {seed} {k}", (1, c)) for k, c in enumerate((3, 2))]
    before = gansteps.values(extractor.weights)
    image = tf.Variable(start)
    step = ns.make_transfer_step(
        extractor, content_targets, style_targets, keras.optimizers.SGD(rate), *weights
    )
    facts = {"is_function": isinstance(step, tf.types.experimental.PolymorphicFunction)}
    facts["returned"] = output_or_error(lambda: [as_array(v) for v in step(image)])
    facts["image"] = as_array(image.numpy())
    facts["weights_kept"] = not any(gansteps.changed(before, gansteps.values(extractor.weights)))
    return facts


def run_effects(ns, seed, steps, rate, weights=(1.0, 2.0, 0.0)):
    """make_transfer_step with the stand-in loss (its spread term off), Adam, on a tiny
    extractor, run for `steps` steps from a seeded image: what each step returned, and the
    stand-in loss of the image at the end ({"error": ...} where the run raised)."""
    extractor = tiny_extractor(seed)
    content_targets = [normal(f"run content {seed}", (1, 8, 8, 4))]
    style_targets = [normal(f"run style {seed} {k}", (1, c)) for k, c in enumerate((3, 2))]
    image = tf.Variable(pixels(f"run image {seed}", (1, 8, 8, 3)))
    targets = (content_targets, style_targets)
    step = ns.make_transfer_step(extractor, *targets, keras.optimizers.Adam(rate), *weights)

    def run():
        returned = [[float(v) for v in step(image)] for _ in range(steps)]
        end = ns.transfer_loss(extractor(image), image, *targets, *weights)
        return {"returned": returned, "end": [float(v) for v in end]}

    return output_or_error(run)
