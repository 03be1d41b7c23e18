"""AdaIN's correct stand-ins and the measure of a trained decoder, for grading and training only.

Correct by the task text, written here in keras.ops (so that the recipe measures with them on
JAX too): the hidden checks give each part these in place of the other parts' functions
(probes_adain.STAND_INS), so that a mistake costs its own part alone and a part that computes
the same thing inline loses nothing; `adain_encoder` and `adain_quality` judge a handed-in
decoder (and the recipe's, alike). Never shipped to students (igcourse.grading stays behind):
a correct stand-in is an answer.
"""

EPS = 1e-5  # the notebook's EPSILON


ENCODER_LAYERS = ("block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1")
IMAGENET_MEANS_BGR = (103.939, 116.779, 123.68)


def _ops():
    import keras

    return keras.ops


def stand_in_moments(x, epsilon=EPS):
    ops = _ops()
    mean, variance = ops.moments(ops.convert_to_tensor(x, "float32"), axes=[1, 2], keepdims=True)
    return mean, ops.sqrt(variance + epsilon)


def stand_in_adain(content, style, epsilon=EPS):
    content_mean, content_std = stand_in_moments(content, epsilon)
    style_mean, style_std = stand_in_moments(style, epsilon)
    return (content - content_mean) * (style_std / content_std) + style_mean


def stand_in_reflect_conv(x, filters, activation="relu", name=None):
    import keras

    # The reflection by slices: row 1 before row 0, row -2 after the last; then the columns.
    x = keras.ops.concatenate([x[:, 1:2], x, x[:, -2:-1]], axis=1)
    x = keras.ops.concatenate([x[:, :, 1:2], x, x[:, :, -2:-1]], axis=2)
    return keras.layers.Conv2D(filters, 3, activation=activation, name=name)(x)


def stand_in_content_loss(features, target):
    ops = _ops()
    return ops.mean(ops.square(ops.subtract(features, target)))


def stand_in_style_loss(features, style_features, epsilon=EPS):
    ops = _ops()
    total = 0.0
    for got, wanted in zip(features, style_features, strict=True):
        (mean, std), (style_mean, style_std) = (
            stand_in_moments(got, epsilon),
            stand_in_moments(wanted, epsilon),
        )
        total = total + ops.mean(ops.square(mean - style_mean))
        total = total + ops.mean(ops.square(std - style_std))
    return total


def adain_encoder(vgg):
    """A frozen keras.Model: images (B, H, W, 3) in [0, 1] -> [the activations of
    ENCODER_LAYERS], VGG19's preprocessing inside (times 255, channels reversed once, ImageNet's
    means subtracted): the notebook's given encoder, written here for the checks."""
    import keras

    images = keras.Input((None, None, 3))
    bgr = keras.ops.flip(images * 255.0, axis=-1) - keras.ops.convert_to_tensor(IMAGENET_MEANS_BGR)
    layers = keras.Model(vgg.inputs, [vgg.get_layer(name).output for name in ENCODER_LAYERS])
    encoder = keras.Model(images, layers(bgr))
    encoder.trainable = False
    return encoder


def adain_quality(encoder, decoder, contents, styles):
    """How well a trained decoder stylises, on content and style images in [0, 1]:
    - style_ratio: the style loss of the stylised images (clipped to [0, 1], as shown) against
      the style images, over the same against the content images: below 1 when the decoder
      paints the style's statistics rather than the content's (an untrained decoder: about 1);
    - reconstruction: the content loss of encoder(decoder(f(c))) against f(c), over the mean
      square of f(c): how well the decoder inverts a content image's own features.
    The recipe measures its decoder with it, and the hidden checks a handed-in one."""
    ops = _ops()
    content_features, style_features = encoder(contents), encoder(styles)
    target = stand_in_adain(content_features[-1], style_features[-1])
    stylised = ops.clip(ops.cast(decoder(target), "float32"), 0.0, 1.0)
    features = encoder(stylised)
    to_style = stand_in_style_loss(features, style_features)
    to_content = stand_in_style_loss(features, content_features)
    own = content_features[-1]
    decoded = ops.cast(decoder(own), "float32")
    error = stand_in_content_loss(encoder(decoded)[-1], own)
    return {"style_ratio": to_style / to_content, "reconstruction": error / ops.mean(own**2)}
