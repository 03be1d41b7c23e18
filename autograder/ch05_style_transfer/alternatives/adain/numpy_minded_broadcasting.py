"""NumPy-minded style: the statistics written out by hand as sums divided by a count, on the
activations reshaped to (B, H*W, C); the reflect padding made by slicing and concatenating (row 1
above, row H-2 below, then the same for the columns), as one would with NumPy arrays; the decoder
a loop over a flat list of filters with "up" markers; losses as sums of squares divided by the
number of entries; the style mixture as a weighted sum over a stacked (K, B, H, W, C) tensor
with broadcast weights. All on keras.ops, so it also runs inside tf.function."""

# %% part: adain
def channel_moments(x, epsilon=EPSILON):
    """x (B, H, W, C) -> (mean, std), each (B, 1, 1, C): for each sample and channel, the mean
    over H and W, and sqrt(the variance over H and W (divided by H * W) + epsilon)."""
    x = keras.ops.convert_to_tensor(x, "float32")
    batch, height, width = keras.ops.shape(x)[0], keras.ops.shape(x)[1], keras.ops.shape(x)[2]
    channels = x.shape[-1]
    flat = keras.ops.reshape(x, (batch, height * width, channels))  # (B, N, C)
    count = keras.ops.cast(height * width, "float32")
    mean = keras.ops.sum(flat, axis=1, keepdims=True) / count  # (B, 1, C)
    centred = flat - mean
    variance = keras.ops.sum(centred * centred, axis=1, keepdims=True) / count  # (B, 1, C)
    std = keras.ops.sqrt(variance + epsilon)
    # (B, 1, C) -> (B, 1, 1, C)
    return keras.ops.expand_dims(mean, 1), keras.ops.expand_dims(std, 1)


def adain(content, style, epsilon=EPSILON):
    """content (B, H, W, C), style (B, H', W', C) -> (B, H, W, C):
    sigma_style * (content - mu_content) / sigma_content + mu_style, with the moments of
    channel_moments(., epsilon) taken per sample and per channel."""
    x = keras.ops.convert_to_tensor(content, "float32")
    mu_x, sigma_x = channel_moments(x, epsilon)
    mu_y, sigma_y = channel_moments(style, epsilon)
    # every statistic is (B, 1, 1, C): it broadcasts over H and W
    scale = sigma_y / sigma_x
    return (x - mu_x) * scale + mu_y


# %% part: reflect_conv
def reflect_conv(x, filters, activation="relu", name=None):
    """x (B, H, W, C) -> (B, H, W, filters): x padded by one pixel on each side of H and W by
    reflection (mode "reflect", the edge pixel not repeated), then
    keras.layers.Conv2D(filters, 3, padding="valid", activation=activation, name=name)."""
    # rows: [x1, x0, x1, ..., x_{H-2}, x_{H-1}, x_{H-2}]
    x = keras.ops.concatenate([x[:, 1:2], x, x[:, -2:-1]], axis=1)
    # columns, the same
    x = keras.ops.concatenate([x[:, :, 1:2], x, x[:, :, -2:-1]], axis=2)
    layer = keras.layers.Conv2D(filters, 3, padding="valid", activation=activation, name=name)
    return layer(x)


# %% part: adain_decoder
def build_adain_decoder(channels=512):
    """A keras.Model: features (B, h, w, channels) -> images (B, 8h, 8w, 3). In order:
    reflect_conv 256 (ReLU), upsample x2 (nearest), reflect_conv 256 three times (ReLU),
    reflect_conv 128 (ReLU), upsample x2, reflect_conv 128 (ReLU), reflect_conv 64 (ReLU),
    upsample x2, reflect_conv 64 (ReLU), reflect_conv 3 with no activation."""
    plan = [256, "up", 256, 256, 256, 128, "up", 128, 64, "up", 64]
    inputs = keras.Input(shape=(None, None, channels))
    h = inputs
    for item in plan:
        if item == "up":
            h = keras.layers.UpSampling2D(size=2, interpolation="nearest")(h)
        else:
            h = reflect_conv(h, item, activation="relu")
    outputs = reflect_conv(h, 3, activation=None)  # linear, any colour
    return keras.Model(inputs=inputs, outputs=outputs)


# %% part: adain_losses
def adain_content_loss(features, target):
    """mean((features - target) ** 2) over every number (batch, positions, channels)."""
    difference = keras.ops.convert_to_tensor(features, "float32") - target
    count = keras.ops.cast(keras.ops.size(difference), "float32")
    return keras.ops.sum(difference * difference) / count


def adain_style_loss(features, style_features, epsilon=EPSILON):
    """The sum over the layers i of mean((mu_i - mu_s_i) ** 2) + mean((sigma_i - sigma_s_i) ** 2),
    where (mu_i, sigma_i) = channel_moments(features[i], epsilon) and (mu_s_i, sigma_s_i) =
    channel_moments(style_features[i], epsilon); each mean over the batch and the channels."""
    total = keras.ops.zeros(())
    for i in range(len(features)):
        mu, sigma = channel_moments(features[i], epsilon)
        mu_s, sigma_s = channel_moments(style_features[i], epsilon)
        d_mu = keras.ops.reshape(mu - mu_s, (-1,))  # B * C numbers
        d_sigma = keras.ops.reshape(sigma - sigma_s, (-1,))
        count = keras.ops.cast(keras.ops.size(d_mu), "float32")
        total = total + keras.ops.sum(d_mu * d_mu) / count + keras.ops.sum(d_sigma * d_sigma) / count
    return total


# %% part: adain_step
def make_adain_step(encoder, decoder, optimizer, style_weight):
    """Return a tf.function step(content_images, style_images) -> (total, content, style):
    t = adain(encoder(content_images)[-1], style_features[-1]) with style_features =
    encoder(style_images); content = adain_content_loss(encoder(decoder(t))[-1], t),
    style = adain_style_loss(encoder(decoder(t)), style_features), total = content +
    style_weight * style; the gradient of total applied by optimizer to
    decoder.trainable_variables only. The losses are those before the update."""

    def step(content_images, style_images):
        style_features = encoder(style_images)
        content_features = encoder(content_images)
        t = adain(content_features[-1], style_features[-1])
        with tf.GradientTape() as tape:
            stylised = decoder(t)
            stylised_features = encoder(stylised)
            content = adain_content_loss(stylised_features[-1], t)
            style = adain_style_loss(stylised_features, style_features)
            total = content + style_weight * style
        weights = decoder.trainable_variables
        optimizer.apply(tape.gradient(total, weights), weights)
        return total, content, style

    return tf.function(step)


# %% part: adain_inference
def stylize(encoder, decoder, content, style, alpha=1.0):
    """decoder(alpha * t + (1 - alpha) * c), where c = encoder(content)[-1] and
    t = adain(c, encoder(style)[-1])."""
    c = encoder(content)[-1]
    s = encoder(style)[-1]
    t = adain(c, s)
    return decoder(t * alpha + c * (1 - alpha))


def interpolate_styles(encoder, decoder, content, styles, weights):
    """decoder(sum over k of weights[k] * adain(c, encoder(styles[k])[-1])), where
    c = encoder(content)[-1]."""
    c = encoder(content)[-1]
    targets = keras.ops.stack([adain(c, encoder(s)[-1]) for s in styles])  # (K, B, H, W, C)
    w = keras.ops.reshape(keras.ops.convert_to_tensor(np.asarray(weights, np.float32)), (-1, 1, 1, 1, 1))
    return decoder(keras.ops.sum(w * targets, axis=0))
