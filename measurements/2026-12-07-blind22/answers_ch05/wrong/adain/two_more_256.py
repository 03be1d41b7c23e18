"""PART: adain_decoder
MISTAKE: Reads steps 2-4 as three 256-filter convolutions in all, so after the first one it adds only two more.

A copy of the plain correct set with this one mistake.
"""

# %% part: adain
def channel_moments(x, epsilon=EPSILON):
    """x (B, H, W, C) -> (mean, std), each (B, 1, 1, C): for each sample and channel, the mean
    over H and W, and sqrt(the variance over H and W (divided by H * W) + epsilon)."""
    x = keras.ops.convert_to_tensor(x, "float32")
    mean = keras.ops.mean(x, axis=(1, 2), keepdims=True)
    variance = keras.ops.mean(keras.ops.square(x - mean), axis=(1, 2), keepdims=True)
    std = keras.ops.sqrt(variance + epsilon)
    return mean, std


def adain(content, style, epsilon=EPSILON):
    """content (B, H, W, C), style (B, H', W', C) -> (B, H, W, C):
    sigma_style * (content - mu_content) / sigma_content + mu_style, with the moments of
    channel_moments(., epsilon) taken per sample and per channel."""
    content = keras.ops.convert_to_tensor(content, "float32")
    content_mean, content_std = channel_moments(content, epsilon)
    style_mean, style_std = channel_moments(style, epsilon)
    return style_std * (content - content_mean) / content_std + style_mean


# %% part: reflect_conv
def reflect_conv(x, filters, activation="relu", name=None):
    """x (B, H, W, C) -> (B, H, W, filters): x padded by one pixel on each side of H and W by
    reflection (mode "reflect", the edge pixel not repeated), then
    keras.layers.Conv2D(filters, 3, padding="valid", activation=activation, name=name)."""
    padded = keras.ops.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="reflect")
    conv = keras.layers.Conv2D(filters, 3, padding="valid", activation=activation, name=name)
    return conv(padded)


# %% part: adain_decoder
def build_adain_decoder(channels=512):
    """A keras.Model: features (B, h, w, channels) -> images (B, 8h, 8w, 3). In order:
    reflect_conv 256 (ReLU), upsample x2 (nearest), reflect_conv 256 three times (ReLU),
    reflect_conv 128 (ReLU), upsample x2, reflect_conv 128 (ReLU), reflect_conv 64 (ReLU),
    upsample x2, reflect_conv 64 (ReLU), reflect_conv 3 with no activation."""
    features = keras.Input((None, None, channels))
    x = reflect_conv(features, 256)
    x = keras.layers.UpSampling2D(2, interpolation="nearest")(x)
    for _ in range(2):
        x = reflect_conv(x, 256)
    x = reflect_conv(x, 128)
    x = keras.layers.UpSampling2D(2, interpolation="nearest")(x)
    x = reflect_conv(x, 128)
    x = reflect_conv(x, 64)
    x = keras.layers.UpSampling2D(2, interpolation="nearest")(x)
    x = reflect_conv(x, 64)
    images = reflect_conv(x, 3, activation=None)
    return keras.Model(features, images, name="adain_decoder")


# %% part: adain_losses
def adain_content_loss(features, target):
    """mean((features - target) ** 2) over every number (batch, positions, channels)."""
    return keras.ops.mean(keras.ops.square(features - target))


def adain_style_loss(features, style_features, epsilon=EPSILON):
    """The sum over the layers i of mean((mu_i - mu_s_i) ** 2) + mean((sigma_i - sigma_s_i) ** 2),
    where (mu_i, sigma_i) = channel_moments(features[i], epsilon) and (mu_s_i, sigma_s_i) =
    channel_moments(style_features[i], epsilon); each mean over the batch and the channels."""
    loss = 0.0
    for generated, style in zip(features, style_features):
        mean, std = channel_moments(generated, epsilon)
        style_mean, style_std = channel_moments(style, epsilon)
        loss = loss + keras.ops.mean(keras.ops.square(mean - style_mean))
        loss = loss + keras.ops.mean(keras.ops.square(std - style_std))
    return loss


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
            images = decoder(t)
            features = encoder(images)
            content = adain_content_loss(features[-1], t)
            style = adain_style_loss(features, style_features)
            total = content + style_weight * style
        variables = decoder.trainable_variables
        gradients = tape.gradient(total, variables)
        optimizer.apply_gradients(zip(gradients, variables))
        return total, content, style

    return step


# %% part: adain_inference
def stylize(encoder, decoder, content, style, alpha=1.0):
    """decoder(alpha * t + (1 - alpha) * c), where c = encoder(content)[-1] and
    t = adain(c, encoder(style)[-1])."""
    c = encoder(content)[-1]
    t = adain(c, encoder(style)[-1])
    return decoder(alpha * t + (1 - alpha) * c)


def interpolate_styles(encoder, decoder, content, styles, weights):
    """decoder(sum over k of weights[k] * adain(c, encoder(styles[k])[-1])), where
    c = encoder(content)[-1]."""
    c = encoder(content)[-1]
    t = 0.0
    for style, weight in zip(styles, weights):
        t = t + weight * adain(c, encoder(style)[-1])
    return decoder(t)
