"""build_feature_extractor feeds the [0, 1] images to the network without vgg_preprocess."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "feature_extractor"
MISTAKE = "build_feature_extractor feeds the [0, 1] images to the network without vgg_preprocess."


def build_feature_extractor(vgg, content_layers=CONTENT_LAYERS, style_layers=STYLE_LAYERS):
    outputs = {
        "content": [vgg.get_layer(name).output for name in content_layers],
        "style": [vgg.get_layer(name).output for name in style_layers],
    }
    return keras.Model(vgg.inputs, outputs)
