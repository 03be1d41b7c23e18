"""A plain student answer: keras.ops throughout, one Lambda layer for the preprocessing, an
einsum for the Gram matrix, and a tf.function step with a GradientTape that follows the five
numbered steps of the task text."""

# %% part: vgg_preprocess
def vgg_preprocess(images):
    """images (B, H, W, 3), RGB in [0, 1] -> VGG19's input (B, H, W, 3), float32: the values
    times 255, the channels reversed to B, G, R, then IMAGENET_MEANS_BGR (103.939, 116.779,
    123.68) subtracted from B, G and R; the same as
    keras.applications.vgg19.preprocess_input(images * 255.0)."""
    pixels = keras.ops.cast(images, "float32") * 255.0  # a new tensor: the input is untouched
    bgr = keras.ops.flip(pixels, axis=-1)  # RGB -> BGR, once
    means = keras.ops.convert_to_tensor(IMAGENET_MEANS_BGR, dtype="float32")
    return bgr - means


# %% part: feature_extractor
def build_feature_extractor(vgg, content_layers=CONTENT_LAYERS, style_layers=STYLE_LAYERS):
    """A keras.Model: images (B, H, W, 3) of any height and width, RGB in [0, 1] ->
    {"content": [the output of vgg's layer named content_layers[i], for each i in order],
    "style": [the same for style_layers]}, each (B, h, w, c). The model applies
    vgg_preprocess to its input once, then vgg's own layers with their weights."""
    outputs = {
        "content": [vgg.get_layer(name).output for name in content_layers],
        "style": [vgg.get_layer(name).output for name in style_layers],
    }
    features = keras.Model(vgg.inputs, outputs)  # shares vgg's layers and weights
    images = keras.Input((None, None, 3))
    preprocessed = keras.layers.Lambda(vgg_preprocess)(images)
    return keras.Model(images, features(preprocessed))


# %% part: gram_matrix
def gram_matrix(features):
    """features (B, H, W, C) -> (B, C, C): for each sample b, G[b, c, d] = the sum over the
    H * W positions (h, w) of features[b, h, w, c] * features[b, h, w, d], divided by H * W."""
    shape = keras.ops.shape(features)
    positions = keras.ops.cast(shape[1] * shape[2], features.dtype)
    sums = keras.ops.einsum("bhwc,bhwd->bcd", features, features)
    return sums / positions


# %% part: nst_losses
def content_loss(features, targets):
    """The mean over the layers of mean((F - P) ** 2), where features (F) and targets (P) are
    lists with one activation tensor per content layer, layer by layer of the same shape; the
    inner mean is over every number (batch, positions, channels)."""
    errors = [keras.ops.mean(keras.ops.square(f - p)) for f, p in zip(features, targets)]
    return keras.ops.mean(keras.ops.stack(errors))


def style_loss(features, target_grams):
    """The mean over the layers of mean((gram_matrix(F) - A) ** 2), where features (F, each
    (B, H, W, C)) and target_grams (A, each (1, C, C), or (B, C, C)) have one entry per style
    layer; the inner mean is over the batch and both channel axes, A serving every sample."""
    errors = [
        keras.ops.mean(keras.ops.square(gram_matrix(f) - a))
        for f, a in zip(features, target_grams)
    ]
    return keras.ops.mean(keras.ops.stack(errors))


def total_variation(images):
    """images (B, H, W, C) -> mean |x[:, i + 1, j] - x[:, i, j]|
    + mean |x[:, i, j + 1] - x[:, i, j]|, each mean over the batch, the positions and the
    channels."""
    down = images[:, 1:, :, :] - images[:, :-1, :, :]
    across = images[:, :, 1:, :] - images[:, :, :-1, :]
    return keras.ops.mean(keras.ops.abs(down)) + keras.ops.mean(keras.ops.abs(across))


def transfer_loss(
    features, images, content_targets, style_targets, content_weight, style_weight, tv_weight
):
    """(total, content, style, tv): content = content_loss(features["content"], content_targets),
    style = style_loss(features["style"], style_targets), tv = total_variation(images), and
    total = content_weight * content + style_weight * style + tv_weight * tv."""
    content = content_loss(features["content"], content_targets)
    style = style_loss(features["style"], style_targets)
    tv = total_variation(images)
    total = content_weight * content + style_weight * style + tv_weight * tv
    return total, content, style, tv


# %% part: transfer_step
def make_transfer_step(
    extractor, content_targets, style_targets, optimizer, content_weight, style_weight, tv_weight
):
    """Return a tf.function step(image), image a tf.Variable (B, H, W, 3) in [0, 1]: the
    gradient of the total of transfer_loss(extractor(image), image, content_targets,
    style_targets, content_weight, style_weight, tv_weight) with respect to image, applied to
    image alone with optimizer, then image clipped to [0, 1]; returns (total, content, style,
    tv) computed before the update."""

    @tf.function
    def step(image):
        with tf.GradientTape() as tape:
            features = extractor(image)
            total, content, style, tv = transfer_loss(
                features,
                image,
                content_targets,
                style_targets,
                content_weight,
                style_weight,
                tv_weight,
            )
        gradient = tape.gradient(total, image)
        optimizer.apply_gradients([(gradient, image)])
        image.assign(tf.clip_by_value(image, 0.0, 1.0))
        return total, content, style, tv

    return step
