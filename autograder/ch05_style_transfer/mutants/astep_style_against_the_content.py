"""make_adain_step's style loss compares with the content image's features instead of the style
image's."""

# ruff: noqa: F821 (names from the notebook)
import tensorflow as tf

PART = "adain_step"
MISTAKE = (
    "make_adain_step's style loss compares with the content image's features instead of "
    "the style image's."
)


def make_adain_step(encoder, decoder, optimizer, style_weight):
    @tf.function
    def step(content_images, style_images):
        style_features = encoder(style_images)
        content_features = encoder(content_images)
        target = adain(content_features[-1], style_features[-1])
        with tf.GradientTape() as tape:
            features = encoder(decoder(target))
            content = adain_content_loss(features[-1], target)
            style = adain_style_loss(features, content_features)
            total = content + style_weight * style
        gradients = tape.gradient(total, decoder.trainable_variables)
        optimizer.apply_gradients(zip(gradients, decoder.trainable_variables, strict=True))
        return total, content, style

    return step
