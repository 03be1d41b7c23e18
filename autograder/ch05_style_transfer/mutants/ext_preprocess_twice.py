"""build_feature_extractor applies vgg_preprocess twice: once in its Lambda layer and again before
the network."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "feature_extractor"
MISTAKE = (
    "build_feature_extractor applies vgg_preprocess twice: once in its Lambda layer and "
    "again before the network."
)


def build_feature_extractor(vgg, content_layers=CONTENT_LAYERS, style_layers=STYLE_LAYERS):
    images = keras.Input((None, None, 3))
    once = keras.layers.Lambda(vgg_preprocess)(images)
    twice = keras.layers.Lambda(vgg_preprocess)(once)
    outputs = {
        "content": [vgg.get_layer(name).output for name in content_layers],
        "style": [vgg.get_layer(name).output for name in style_layers],
    }
    features = keras.Model(vgg.inputs, outputs)
    return keras.Model(images, features(twice))
