"""Compact expert style: library helpers wherever the task allows them (keras.ops.moments for the
statistics, keras.losses.mean_squared_error for the content loss, optimizer.apply), a one-line
reflect_conv, a decoder folded out of a short spec string, generator sums, and the alpha dial
written as c + alpha * (t - c), which is alpha * t + (1 - alpha) * c."""

# %% part: adain
def channel_moments(x, epsilon=EPSILON):
    """x (B, H, W, C) -> (mean, std), each (B, 1, 1, C): for each sample and channel, the mean
    over H and W, and sqrt(the variance over H and W (divided by H * W) + epsilon)."""
    mean, variance = keras.ops.moments(keras.ops.cast(x, "float32"), axes=(1, 2), keepdims=True)
    return mean, keras.ops.sqrt(variance + epsilon)


def adain(content, style, epsilon=EPSILON):
    """content (B, H, W, C), style (B, H', W', C) -> (B, H, W, C):
    sigma_style * (content - mu_content) / sigma_content + mu_style, with the moments of
    channel_moments(., epsilon) taken per sample and per channel."""
    (mu_c, sigma_c), (mu_s, sigma_s) = channel_moments(content, epsilon), channel_moments(style, epsilon)
    return sigma_s * (keras.ops.cast(content, "float32") - mu_c) / sigma_c + mu_s


# %% part: reflect_conv
def reflect_conv(x, filters, activation="relu", name=None):
    """x (B, H, W, C) -> (B, H, W, filters): x padded by one pixel on each side of H and W by
    reflection (mode "reflect", the edge pixel not repeated), then
    keras.layers.Conv2D(filters, 3, padding="valid", activation=activation, name=name)."""
    return keras.layers.Conv2D(filters, 3, padding="valid", activation=activation, name=name)(
        keras.ops.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)), mode="reflect")
    )


# %% part: adain_decoder
def build_adain_decoder(channels=512):
    """A keras.Model: features (B, h, w, channels) -> images (B, 8h, 8w, 3). In order:
    reflect_conv 256 (ReLU), upsample x2 (nearest), reflect_conv 256 three times (ReLU),
    reflect_conv 128 (ReLU), upsample x2, reflect_conv 128 (ReLU), reflect_conv 64 (ReLU),
    upsample x2, reflect_conv 64 (ReLU), reflect_conv 3 with no activation."""
    x = features = keras.Input((None, None, channels))
    for token in "256 up 256 256 256 128 up 128 64 up 64".split():
        x = (
            keras.layers.UpSampling2D(2, interpolation="nearest")(x)
            if token == "up"
            else reflect_conv(x, int(token))
        )
    return keras.Model(features, reflect_conv(x, 3, activation=None), name="decoder")


# %% part: adain_losses
def adain_content_loss(features, target):
    """mean((features - target) ** 2) over every number (batch, positions, channels)."""
    # mean over the channels, then over everything else: the mean over every number
    return keras.ops.mean(keras.losses.mean_squared_error(target, features))


def adain_style_loss(features, style_features, epsilon=EPSILON):
    """The sum over the layers i of mean((mu_i - mu_s_i) ** 2) + mean((sigma_i - sigma_s_i) ** 2),
    where (mu_i, sigma_i) = channel_moments(features[i], epsilon) and (mu_s_i, sigma_s_i) =
    channel_moments(style_features[i], epsilon); each mean over the batch and the channels."""
    return sum(
        keras.ops.mean(keras.ops.square(a - b))
        for f, s in zip(features, style_features, strict=True)
        for a, b in zip(channel_moments(f, epsilon), channel_moments(s, epsilon), strict=True)
    )


# %% part: adain_step
def make_adain_step(encoder, decoder, optimizer, style_weight):
    """Return a tf.function step(content_images, style_images) -> (total, content, style):
    t = adain(encoder(content_images)[-1], style_features[-1]) with style_features =
    encoder(style_images); content = adain_content_loss(encoder(decoder(t))[-1], t),
    style = adain_style_loss(encoder(decoder(t)), style_features), total = content +
    style_weight * style; the gradient of total applied by optimizer to
    decoder.trainable_variables only. The losses are those before the update."""

    @tf.function
    def step(content_images, style_images):
        style_features = encoder(style_images)
        t = adain(encoder(content_images)[-1], style_features[-1])
        with tf.GradientTape() as tape:
            features = encoder(decoder(t, training=True))
            content = adain_content_loss(features[-1], t)
            style = adain_style_loss(features, style_features)
            total = content + style_weight * style
        optimizer.apply(tape.gradient(total, decoder.trainable_variables), decoder.trainable_variables)
        return total, content, style

    return step


# %% part: adain_inference
def stylize(encoder, decoder, content, style, alpha=1.0):
    """decoder(alpha * t + (1 - alpha) * c), where c = encoder(content)[-1] and
    t = adain(c, encoder(style)[-1])."""
    c = encoder(content)[-1]
    return decoder(c + alpha * (adain(c, encoder(style)[-1]) - c))


def interpolate_styles(encoder, decoder, content, styles, weights):
    """decoder(sum over k of weights[k] * adain(c, encoder(styles[k])[-1])), where
    c = encoder(content)[-1]."""
    c = encoder(content)[-1]
    return decoder(sum(w * adain(c, encoder(s)[-1]) for s, w in zip(styles, weights, strict=True)))
