"""build_feature_extractor ignores its content_layers and style_layers arguments and always uses
CONTENT_LAYERS and STYLE_LAYERS."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "feature_extractor"
MISTAKE = (
    "build_feature_extractor ignores its content_layers and style_layers arguments and "
    "always uses CONTENT_LAYERS and STYLE_LAYERS."
)


def build_feature_extractor(vgg, content_layers=CONTENT_LAYERS, style_layers=STYLE_LAYERS):
    images = keras.Input((None, None, 3))
    vgg_input = keras.layers.Lambda(vgg_preprocess)(images)
    outputs = {
        "content": [vgg.get_layer(name).output for name in CONTENT_LAYERS],
        "style": [vgg.get_layer(name).output for name in STYLE_LAYERS],
    }
    features = keras.Model(vgg.inputs, outputs)
    return keras.Model(images, features(vgg_input))
