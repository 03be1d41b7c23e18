"""Style: TensorFlow ops (tf.gather, tf.linalg.matmul, tf.reduce_mean, tf.add_n).

A student who thinks in TensorFlow rather than keras.ops: tf.gather picks the channels in
B, G, R order, tf.linalg.matmul with transpose_a computes F^T F on the flattened positions,
tf.reduce_mean / tf.math.squared_difference / tf.add_n / tf.abs for the losses, and a feature
extractor whose inner model returns one flat list of activations that is split into "content"
and "style". The step is a plain function wrapped by tf.function, its tape watching the image
alone.
"""

# %% part: vgg_preprocess
def vgg_preprocess(images):
    """images (B, H, W, 3), RGB in [0, 1] -> VGG19's input (B, H, W, 3), float32: the values
    times 255, the channels reversed to B, G, R, then IMAGENET_MEANS_BGR (103.939, 116.779,
    123.68) subtracted from B, G and R; the same as
    keras.applications.vgg19.preprocess_input(images * 255.0)."""
    rgb = tf.cast(images, tf.float32)
    bgr = tf.gather(rgb, [2, 1, 0], axis=-1)  # channel 0 is now B, 1 G, 2 R
    return bgr * 255.0 - tf.constant(IMAGENET_MEANS_BGR, dtype=tf.float32)


# %% part: feature_extractor
def build_feature_extractor(vgg, content_layers=CONTENT_LAYERS, style_layers=STYLE_LAYERS):
    """A keras.Model: images (B, H, W, 3) of any height and width, RGB in [0, 1] ->
    {"content": [the output of vgg's layer named content_layers[i], for each i in order],
    "style": [the same for style_layers]}, each (B, h, w, c). The model applies
    vgg_preprocess to its input once, then vgg's own layers with their weights."""
    names = list(content_layers) + list(style_layers)
    inner = keras.Model(vgg.inputs, [vgg.get_layer(name).output for name in names])
    images = keras.Input(shape=(None, None, 3))
    outputs = inner(keras.layers.Lambda(vgg_preprocess, name="vgg_preprocess")(images))
    if not isinstance(outputs, (list, tuple)):  # a model of a single output returns it bare
        outputs = [outputs]
    outputs = list(outputs)
    count = len(content_layers)
    return keras.Model(images, {"content": outputs[:count], "style": outputs[count:]})


# %% part: gram_matrix
def gram_matrix(features):
    """features (B, H, W, C) -> (B, C, C): for each sample b, G[b, c, d] = the sum over the
    H * W positions (h, w) of features[b, h, w, c] * features[b, h, w, d], divided by H * W."""
    features = tf.convert_to_tensor(features)
    shape = tf.shape(features)
    positions = shape[1] * shape[2]
    flat = tf.reshape(features, tf.stack([shape[0], positions, shape[3]]))  # (B, HW, C)
    sums = tf.linalg.matmul(flat, flat, transpose_a=True)  # (B, C, C), per sample
    return sums / tf.cast(positions, sums.dtype)


# %% part: nst_losses
def content_loss(features, targets):
    """The mean over the layers of mean((F - P) ** 2), where features (F) and targets (P) are
    lists with one activation tensor per content layer, layer by layer of the same shape; the
    inner mean is over every number (batch, positions, channels)."""
    errors = [
        tf.reduce_mean(tf.math.squared_difference(f, tf.cast(p, f.dtype)))
        for f, p in zip(features, targets, strict=True)
    ]
    return tf.add_n(errors) / float(len(errors))


def style_loss(features, target_grams):
    """The mean over the layers of mean((gram_matrix(F) - A) ** 2), where features (F, each
    (B, H, W, C)) and target_grams (A, each (1, C, C), or (B, C, C)) have one entry per style
    layer; the inner mean is over the batch and both channel axes, A serving every sample."""
    errors = []
    for f, a in zip(features, target_grams, strict=True):
        gram = tf.convert_to_tensor(gram_matrix(f))
        errors.append(tf.reduce_mean(tf.math.squared_difference(gram, tf.cast(a, gram.dtype))))
    return tf.add_n(errors) / float(len(errors))


def total_variation(images):
    """images (B, H, W, C) -> mean |x[:, i + 1, j] - x[:, i, j]|
    + mean |x[:, i, j + 1] - x[:, i, j]|, each mean over the batch, the positions and the
    channels."""
    images = tf.convert_to_tensor(images)
    down = images[:, 1:, :, :] - images[:, :-1, :, :]  # (B, H - 1, W, C)
    across = images[:, :, 1:, :] - images[:, :, :-1, :]  # (B, H, W - 1, C)
    return tf.reduce_mean(tf.abs(down)) + tf.reduce_mean(tf.abs(across))


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

    def step(image):
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            tape.watch(image)  # the image is the only thing we differentiate with respect to
            losses = transfer_loss(
                extractor(image),
                image,
                content_targets,
                style_targets,
                content_weight,
                style_weight,
                tv_weight,
            )
        gradient = tape.gradient(losses[0], image)
        optimizer.apply_gradients([(gradient, image)])
        image.assign(tf.clip_by_value(image, 0.0, 1.0))
        return tuple(losses)

    return tf.function(step)
