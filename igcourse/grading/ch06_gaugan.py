"""GauGAN's correct stand-ins and the measure of a trained generator, for grading and training.

Correct by the task text, written here in keras.ops: the hidden checks give each part these in
place of the other parts' code (probes_gaugan.STAND_INS), so that a mistake costs its own part
alone and a part that computes the same thing inline loses nothing; `gaugan_quality` judges a
handed-in generator's images (and the recipe's, alike). Never shipped to students
(igcourse.grading stays behind): a correct stand-in is an answer.
"""

import keras
from keras import ops

EPS = 1e-5  # the notebook's SPADE epsilon


class StandInSPADE(keras.layers.Layer):
    """SPADE as the task text says: batch statistics over (B, H, W) without learned scale or
    offset, the label map resized by nearest neighbour, gamma centred at one."""

    def __init__(self, hidden=64, epsilon=EPS, **kwargs):
        super().__init__(**kwargs)
        self.hidden, self.epsilon = hidden, epsilon

    def build(self, input_shape):
        channels = input_shape[-1]
        self.shared = keras.layers.Conv2D(self.hidden, 3, padding="same", activation="relu")
        self.gamma_conv = keras.layers.Conv2D(channels, 3, padding="same")
        self.beta_conv = keras.layers.Conv2D(channels, 3, padding="same")

    def call(self, x, label_map):
        mean, variance = ops.moments(x, axes=[0, 1, 2], keepdims=True)
        normalised = (x - mean) / ops.sqrt(variance + self.epsilon)
        size = ops.shape(x)[1:3]
        labels = keras.ops.image.resize(label_map, size, interpolation="nearest")
        hidden = self.shared(labels)
        return normalised * (1.0 + self.gamma_conv(hidden)) + self.beta_conv(hidden)

    def get_config(self):
        return {**super().get_config(), "hidden": self.hidden, "epsilon": self.epsilon}


class StandInSPADEResBlock(keras.layers.Layer):
    """The SPADE residual block as the task text says (a learned shortcut only when the
    channels change)."""

    def __init__(self, filters, hidden=64, **kwargs):
        super().__init__(**kwargs)
        self.filters, self.hidden = filters, hidden

    def build(self, input_shape):
        channels = input_shape[-1]
        middle = min(channels, self.filters)
        self.spade_1 = StandInSPADE(self.hidden)
        self.conv_1 = keras.layers.Conv2D(middle, 3, padding="same")
        self.spade_2 = StandInSPADE(self.hidden)
        self.conv_2 = keras.layers.Conv2D(self.filters, 3, padding="same")
        self.spade_skip = self.conv_skip = None
        if channels != self.filters:
            self.spade_skip = StandInSPADE(self.hidden)
            self.conv_skip = keras.layers.Conv2D(self.filters, 1, use_bias=False)

    def call(self, x, label_map):
        h = self.conv_1(keras.activations.leaky_relu(self.spade_1(x, label_map), 0.2))
        h = self.conv_2(keras.activations.leaky_relu(self.spade_2(h, label_map), 0.2))
        skip = x if self.conv_skip is None else self.conv_skip(self.spade_skip(x, label_map))
        return h + skip

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "hidden": self.hidden}


def stand_in_sample_style(mean, log_var, seed=None):
    return mean + ops.exp(0.5 * log_var) * keras.random.normal(ops.shape(mean), seed=seed)


def _logits(outputs):
    return [features[-1] for features in outputs]


def stand_in_discriminator_hinge_loss(real_outputs, fake_outputs):
    losses = [
        ops.mean(ops.relu(1.0 - real)) + ops.mean(ops.relu(1.0 + fake))
        for real, fake in zip(_logits(real_outputs), _logits(fake_outputs), strict=True)
    ]
    return ops.mean(ops.stack(losses))


def stand_in_generator_hinge_loss(fake_outputs):
    return ops.mean(ops.stack([-ops.mean(fake) for fake in _logits(fake_outputs)]))


def stand_in_feature_matching_loss(real_outputs, fake_outputs):
    per_scale = []
    for real, fake in zip(real_outputs, fake_outputs, strict=True):
        layers = [
            ops.mean(ops.abs(ops.stop_gradient(r) - f))
            for r, f in zip(real[:-1], fake[:-1], strict=True)
        ]
        per_scale.append(ops.mean(ops.stack(layers)))
    return ops.mean(ops.stack(per_scale))


def stand_in_kl_divergence(mean, log_var):
    terms = 1.0 + log_var - ops.square(mean) - ops.exp(log_var)
    return ops.mean(-0.5 * ops.sum(terms, axis=-1))


FOREGROUND_CUT = -0.5  # in [-1, 1]: the items are bright on a black background


def gaugan_quality(generated, masks, classes):
    """How well generated items follow their label maps, for images (N, 32, 32, 1) in [-1, 1]
    painted from maps whose item masks (N, 32, 32) and Fashion-MNIST classes (N,) are given:
    - consistency: the share of items the course's evaluator (28 x 28, images resized with area
      interpolation) files under the map's class;
    - iou: the mean intersection over union of the generated foreground (pixels above
      FOREGROUND_CUT) with the map's item mask."""
    import cv2
    import numpy as np

    from igcourse.evaluation.classifier import load_evaluator
    from igcourse.evaluation.consistency import class_consistency

    images = np.asarray(generated, np.float32)[..., 0]
    small = np.stack([cv2.resize(i, (28, 28), interpolation=cv2.INTER_AREA) for i in images])
    pixels = np.clip((small + 1.0) / 2.0, 0.0, 1.0)[..., None]
    _features, probabilities = load_evaluator().features_and_probabilities(pixels)
    foreground, masks = images > FOREGROUND_CUT, np.asarray(masks, bool)
    overlap = (foreground & masks).sum(axis=(1, 2))
    union = np.maximum((foreground | masks).sum(axis=(1, 2)), 1)
    return {
        "consistency": class_consistency(probabilities, classes).accuracy,
        "iou": float(np.mean(overlap / union)),
    }
