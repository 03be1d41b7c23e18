"""Style: NumPy-minded broadcasting, slicing and reshapes (written with keras.ops).

A student who thinks in NumPy arrays: the channels reversed with the slice [..., ::-1] and the
means subtracted by broadcasting a (3,) vector; the Gram matrix as reshape to (B, HW, C),
transpose and batched matmul, divided by the number of positions; the losses as Python sums
over the layers divided by their count; total variation as np.diff-style slices. The feature
extractor builds one small sub-model per requested layer (each made of vgg's own layers) and
calls them all on the preprocessed input.
"""

# %% part: vgg_preprocess
def vgg_preprocess(images):
    """images (B, H, W, 3), RGB in [0, 1] -> VGG19's input (B, H, W, 3), float32: the values
    times 255, the channels reversed to B, G, R, then IMAGENET_MEANS_BGR (103.939, 116.779,
    123.68) subtracted from B, G and R; the same as
    keras.applications.vgg19.preprocess_input(images * 255.0)."""
    x = keras.ops.convert_to_tensor(images, dtype="float32")  # never edits the caller's array
    means = np.array(IMAGENET_MEANS_BGR, dtype=np.float32)  # (3,), broadcast over B, H, W
    return x[..., ::-1] * 255.0 - means


# %% part: feature_extractor
def build_feature_extractor(vgg, content_layers=CONTENT_LAYERS, style_layers=STYLE_LAYERS):
    """A keras.Model: images (B, H, W, 3) of any height and width, RGB in [0, 1] ->
    {"content": [the output of vgg's layer named content_layers[i], for each i in order],
    "style": [the same for style_layers]}, each (B, h, w, c). The model applies
    vgg_preprocess to its input once, then vgg's own layers with their weights."""
    images = keras.Input((None, None, 3))
    x = keras.layers.Lambda(vgg_preprocess)(images)  # preprocessed once, shared by every layer

    def activation(name):
        # vgg's graph from its input up to this layer: vgg's own layers and weights
        return keras.Model(vgg.inputs, vgg.get_layer(name).output)(x)

    outputs = {
        "content": [activation(name) for name in content_layers],
        "style": [activation(name) for name in style_layers],
    }
    return keras.Model(images, outputs)


# %% part: gram_matrix
def gram_matrix(features):
    """features (B, H, W, C) -> (B, C, C): for each sample b, G[b, c, d] = the sum over the
    H * W positions (h, w) of features[b, h, w, c] * features[b, h, w, d], divided by H * W."""
    _, height, width, channels = keras.ops.shape(features)
    flat = keras.ops.reshape(features, (-1, height * width, channels))  # F: (B, HW, C)
    gram = keras.ops.matmul(keras.ops.transpose(flat, (0, 2, 1)), flat)  # F^T F: (B, C, C)
    return gram / keras.ops.cast(height * width, gram.dtype)


# %% part: nst_losses
def content_loss(features, targets):
    """The mean over the layers of mean((F - P) ** 2), where features (F) and targets (P) are
    lists with one activation tensor per content layer, layer by layer of the same shape; the
    inner mean is over every number (batch, positions, channels)."""
    total = 0.0
    for f, p in zip(features, targets, strict=True):
        total = total + keras.ops.mean((f - p) ** 2)
    return total / len(features)


def style_loss(features, target_grams):
    """The mean over the layers of mean((gram_matrix(F) - A) ** 2), where features (F, each
    (B, H, W, C)) and target_grams (A, each (1, C, C), or (B, C, C)) have one entry per style
    layer; the inner mean is over the batch and both channel axes, A serving every sample."""
    total = 0.0
    for f, a in zip(features, target_grams, strict=True):
        # (B, C, C) - (1, C, C): the painting's Gram matrix broadcast over the batch
        total = total + keras.ops.mean((gram_matrix(f) - a) ** 2)
    return total / len(features)


def total_variation(images):
    """images (B, H, W, C) -> mean |x[:, i + 1, j] - x[:, i, j]|
    + mean |x[:, i, j + 1] - x[:, i, j]|, each mean over the batch, the positions and the
    channels."""
    x = keras.ops.convert_to_tensor(images)
    down = x[:, 1:] - x[:, :-1]  # like np.diff(x, axis=1)
    across = x[:, :, 1:] - x[:, :, :-1]  # like np.diff(x, axis=2)
    return keras.ops.mean(keras.ops.abs(down)) + keras.ops.mean(keras.ops.abs(across))


def transfer_loss(
    features, images, content_targets, style_targets, content_weight, style_weight, tv_weight
):
    """(total, content, style, tv): content = content_loss(features["content"], content_targets),
    style = style_loss(features["style"], style_targets), tv = total_variation(images), and
    total = content_weight * content + style_weight * style + tv_weight * tv."""
    losses = (
        content_loss(features["content"], content_targets),
        style_loss(features["style"], style_targets),
        total_variation(images),
    )
    weights = (content_weight, style_weight, tv_weight)
    total = sum(w * loss for w, loss in zip(weights, losses, strict=True))
    return (total, *losses)


# %% part: transfer_step
def make_transfer_step(
    extractor, content_targets, style_targets, optimizer, content_weight, style_weight, tv_weight
):
    """Return a tf.function step(image), image a tf.Variable (B, H, W, 3) in [0, 1]: the
    gradient of the total of transfer_loss(extractor(image), image, content_targets,
    style_targets, content_weight, style_weight, tv_weight) with respect to image, applied to
    image alone with optimizer, then image clipped to [0, 1]; returns (total, content, style,
    tv) computed before the update."""
    weights = (content_weight, style_weight, tv_weight)

    @tf.function
    def step(image):
        with tf.GradientTape() as tape:
            total, content, style, tv = transfer_loss(
                extractor(image), image, content_targets, style_targets, *weights
            )
        (gradient,) = tape.gradient(total, [image])
        optimizer.apply_gradients(zip([gradient], [image]))
        image.assign(tf.clip_by_value(image, 0.0, 1.0))
        return total, content, style, tv

    return step
