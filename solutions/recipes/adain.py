"""Recipe: the AdaIN decoder (chapter 5) on crops of the offline photographs and paintings.

Huang and Belongie, "Arbitrary Style Transfer in Real-time with Adaptive Instance
Normalization" (2017): a frozen VGG19 encoder up to block4_conv1 maps the content and style
images to features, AdaIN gives the content's features the style's channel means and deviations
(t), and a decoder is trained so that encoder(decoder(t)) matches t (the content loss) and the
style's statistics at four layers (the style loss, weighted). The encoder, AdaIN, the decoder
and the losses come from the chapter's reference module; VGG19 is igcourse.data.vgg19's: its
ImageNet weights where the file is here, else the seeded random weights that every machine and
backend draws alike, so that the check of a handed-in decoder encodes as training did.

Data: crops of igcourse.data.crops' two photographs (content) and two textures (style), drawn
once with fixed seeds; a training pair is a content crop and a style crop. Quality on held-out
crops (`test_metrics`) is igcourse.grading.ch05_adain.adain_quality, the measure of a handed-in
decoder: `style_ratio` (below 1 when the stylised images take the style's statistics rather
than the content's) and `reconstruction` (how well the decoder inverts a content image's own
features).
"""

import functools
from dataclasses import dataclass

import keras
import numpy as np
from keras import ops

from igcourse.grading.ch05_adain import adain_quality
from igcourse.data.crops import crop_pools, random_crops
from igcourse.data.vgg19 import vgg19_network, vgg19_weights_file
from igcourse.training import Recipe, Update, reference

adain = reference("ch05_style_transfer", "adain")


@dataclass(frozen=True)
class AdaINConfig:
    crop: int = 128  # crops are crop x crop pixels (the paper trains on 256)
    pairs: int = 4096  # training pairs drawn once (content crop, style crop)
    test_pairs: int = 64  # held-out pairs for the quality measures
    batch_size: int = 8  # the paper's
    learning_rate: float = 1e-4  # Adam (the paper's)
    style_weight: float = 1.0  # 10 with ImageNet's weights (the paper's); 1 with random ones
    samples: int = 16  # stylised test crops in a sample grid


@functools.cache
def crops(size, count, seed):
    """(content crops, style crops) as uint8 (count, size, size, 3), drawn once per setting."""
    contents, styles = crop_pools(size)
    rng = np.random.default_rng(seed)
    pairs = (random_crops(contents, count, size, rng), random_crops(styles, count, size, rng))
    return tuple(np.round(images * 255).astype(np.uint8) for images in pairs)


def _images(pixels):
    return ops.cast(pixels, "float32") / 255.0


class AdaINRecipe(Recipe):
    name = "adain"
    Config = AdaINConfig
    smoke = {"crop": 32, "pairs": 8, "test_pairs": 4, "batch_size": 2, "samples": 2}
    # The handed-in decoder's bar (course_config.py, adain_reconstruction_max).
    target = ("reconstruction", 1.0)
    # XLA compiles VGG19's step slowly on the CPU; a plain tf.function is enough there.
    tf_compile = "graph"

    def train_data(self):
        return crops(self.config.crop, self.config.pairs, 0)

    def test_data(self):
        return crops(self.config.crop, self.config.test_pairs, 1)

    def build_models(self):
        return {
            "encoder": adain.build_encoder(vgg19_network(vgg19_weights_file())),
            "decoder": adain.build_adain_decoder(),
        }

    def build_optimizers(self):
        return {"adam": keras.optimizers.Adam(self.config.learning_rate)}

    def updates(self):
        return (Update(self.loss, "loss", trains=("decoder",), optimizer="adam"),)

    def loss(self, models, batch, seed):
        encoder, decoder = models["encoder"], models["decoder"]
        contents, styles = (_images(images) for images in batch)
        style_features = encoder(styles)
        target = adain.adain(encoder(contents)[-1], style_features[-1])
        features = encoder(ops.cast(decoder(target, training=True), "float32"))
        content = adain.adain_content_loss(features[-1], target)
        style = adain.adain_style_loss(features, style_features)
        return {
            "loss": content + self.config.style_weight * style,
            "content": content,
            "style": style,
        }

    def test_metrics(self, models, batch, seed):
        contents, styles = (_images(images) for images in batch)
        return adain_quality(models["encoder"], models["decoder"], contents, styles)

    def sample(self, models, n, seed):
        """The first n held-out content crops in the styles of the first n style crops."""
        contents, styles = (_images(images[:n]) for images in self.test_data())
        encoder = models["encoder"]
        target = adain.adain(encoder(contents)[-1], encoder(styles)[-1])
        return ops.clip(ops.cast(models["decoder"](target, training=False), "float32"), 0.0, 1.0)


RECIPE = AdaINRecipe
