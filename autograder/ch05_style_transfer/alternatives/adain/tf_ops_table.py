"""TensorFlow-ops style: tf.nn.moments for the statistics, tf.pad (mode "REFLECT") wrapped in a
keras.layers.Lambda so that it also works on a symbolic Keras tensor, tf.reduce_mean and
tf.math.squared_difference for the losses, a decoder built by a loop over a table of
(filters, activation, upsample after) rows, and tf.add_n for the style mixture."""

# %% part: adain
def channel_moments(x, epsilon=EPSILON):
    """x (B, H, W, C) -> (mean, std), each (B, 1, 1, C): for each sample and channel, the mean
    over H and W, and sqrt(the variance over H and W (divided by H * W) + epsilon)."""
    x = tf.convert_to_tensor(x, tf.float32)
    mean, variance = tf.nn.moments(x, axes=[1, 2], keepdims=True)
    return mean, tf.sqrt(variance + epsilon)


def adain(content, style, epsilon=EPSILON):
    """content (B, H, W, C), style (B, H', W', C) -> (B, H, W, C):
    sigma_style * (content - mu_content) / sigma_content + mu_style, with the moments of
    channel_moments(., epsilon) taken per sample and per channel."""
    content = tf.convert_to_tensor(content, tf.float32)
    mu_c, sigma_c = channel_moments(content, epsilon)
    mu_s, sigma_s = channel_moments(style, epsilon)
    normalized = (content - mu_c) / sigma_c
    return sigma_s * normalized + mu_s


# %% part: reflect_conv
REFLECT_PADDING = [[0, 0], [1, 1], [1, 1], [0, 0]]


def _reflect_pad(tensor):
    return tf.pad(tensor, REFLECT_PADDING, mode="REFLECT")


def reflect_conv(x, filters, activation="relu", name=None):
    """x (B, H, W, C) -> (B, H, W, filters): x padded by one pixel on each side of H and W by
    reflection (mode "reflect", the edge pixel not repeated), then
    keras.layers.Conv2D(filters, 3, padding="valid", activation=activation, name=name)."""
    padded = keras.layers.Lambda(_reflect_pad)(x)
    return keras.layers.Conv2D(filters, 3, padding="valid", activation=activation, name=name)(
        padded
    )


# %% part: adain_decoder
# (filters, activation, upsample x2 after this convolution)
DECODER_TABLE = (
    (256, "relu", True),
    (256, "relu", False),
    (256, "relu", False),
    (256, "relu", False),
    (128, "relu", True),
    (128, "relu", False),
    (64, "relu", True),
    (64, "relu", False),
    (3, None, False),
)


def build_adain_decoder(channels=512):
    """A keras.Model: features (B, h, w, channels) -> images (B, 8h, 8w, 3). In order:
    reflect_conv 256 (ReLU), upsample x2 (nearest), reflect_conv 256 three times (ReLU),
    reflect_conv 128 (ReLU), upsample x2, reflect_conv 128 (ReLU), reflect_conv 64 (ReLU),
    upsample x2, reflect_conv 64 (ReLU), reflect_conv 3 with no activation."""
    inputs = keras.Input((None, None, channels))
    x = inputs
    for index, (filters, activation, upsample) in enumerate(DECODER_TABLE, start=1):
        x = reflect_conv(x, filters, activation=activation, name=f"decoder_conv{index}")
        if upsample:
            x = keras.layers.UpSampling2D(size=(2, 2), interpolation="nearest")(x)
    return keras.Model(inputs, x)


# %% part: adain_losses
def adain_content_loss(features, target):
    """mean((features - target) ** 2) over every number (batch, positions, channels)."""
    return tf.reduce_mean(tf.math.squared_difference(features, target))


def adain_style_loss(features, style_features, epsilon=EPSILON):
    """The sum over the layers i of mean((mu_i - mu_s_i) ** 2) + mean((sigma_i - sigma_s_i) ** 2),
    where (mu_i, sigma_i) = channel_moments(features[i], epsilon) and (mu_s_i, sigma_s_i) =
    channel_moments(style_features[i], epsilon); each mean over the batch and the channels."""
    terms = []
    for i in range(len(features)):
        mu, sigma = channel_moments(features[i], epsilon)
        mu_s, sigma_s = channel_moments(style_features[i], epsilon)
        terms.append(tf.reduce_mean(tf.math.squared_difference(mu, mu_s)))
        terms.append(tf.reduce_mean(tf.math.squared_difference(sigma, sigma_s)))
    return tf.add_n(terms)


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
        # 1. encode both batches (no tape: nothing here is trained)
        style_features = encoder(style_images)
        content_features = encoder(content_images)
        t = adain(content_features[-1], style_features[-1])
        # 2. decode and measure, the gradient flowing back through the encoder
        with tf.GradientTape() as tape:
            images = decoder(t, training=True)
            features = encoder(images)
            content_loss = adain_content_loss(features[-1], t)
            style_loss = adain_style_loss(features, style_features)
            total = content_loss + style_weight * style_loss
        # 3. update the decoder only
        variables = decoder.trainable_variables
        gradients = tape.gradient(total, variables)
        optimizer.apply_gradients(list(zip(gradients, variables)))
        # 4. the losses before the update
        return total, content_loss, style_loss

    return step


# %% part: adain_inference
def stylize(encoder, decoder, content, style, alpha=1.0):
    """decoder(alpha * t + (1 - alpha) * c), where c = encoder(content)[-1] and
    t = adain(c, encoder(style)[-1])."""
    c = encoder(tf.convert_to_tensor(content, tf.float32))[-1]
    t = adain(c, encoder(tf.convert_to_tensor(style, tf.float32))[-1])
    return decoder(alpha * t + (1.0 - alpha) * c)


def interpolate_styles(encoder, decoder, content, styles, weights):
    """decoder(sum over k of weights[k] * adain(c, encoder(styles[k])[-1])), where
    c = encoder(content)[-1]."""
    c = encoder(tf.convert_to_tensor(content, tf.float32))[-1]
    targets = [
        float(weight) * adain(c, encoder(tf.convert_to_tensor(style, tf.float32))[-1])
        for style, weight in zip(styles, weights)
    ]
    return decoder(tf.add_n(targets))
