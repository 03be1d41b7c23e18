"""build_feature_extractor puts the one content layer's activation itself under 'content', not a
list holding it."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "feature_extractor"
MISTAKE = (
    "build_feature_extractor puts the one content layer's activation itself under "
    "'content', not a list holding it."
)


def build_feature_extractor(vgg, content_layers=CONTENT_LAYERS, style_layers=STYLE_LAYERS):
    images = keras.Input((None, None, 3))
    vgg_input = keras.layers.Lambda(vgg_preprocess)(images)
    outputs = {
        "content": vgg.get_layer(content_layers[0]).output,
        "style": [vgg.get_layer(name).output for name in style_layers],
    }
    features = keras.Model(vgg.inputs, outputs)
    return keras.Model(images, features(vgg_input))
