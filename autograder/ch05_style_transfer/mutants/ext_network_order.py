"""build_feature_extractor returns the style activations in the network's order of layers, not in
the order style_layers lists them."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "feature_extractor"
MISTAKE = (
    "build_feature_extractor returns the style activations in the network's order of "
    "layers, not in the order style_layers lists them."
)


def build_feature_extractor(vgg, content_layers=CONTENT_LAYERS, style_layers=STYLE_LAYERS):
    images = keras.Input((None, None, 3))
    vgg_input = keras.layers.Lambda(vgg_preprocess)(images)
    ordered = [layer.name for layer in vgg.layers if layer.name in style_layers]
    outputs = {
        "content": [vgg.get_layer(name).output for name in content_layers],
        "style": [vgg.get_layer(name).output for name in ordered],
    }
    features = keras.Model(vgg.inputs, outputs)
    return keras.Model(images, features(vgg_input))
