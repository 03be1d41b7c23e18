"""make_adain_step applies the gradients to the encoder's variables as well as the decoder's."""

# ruff: noqa: F821 (names from the notebook)
import tensorflow as tf

PART = "adain_step"
MISTAKE = (
    "make_adain_step applies the gradients to the encoder's variables as well as the decoder's."
)


def make_adain_step(encoder, decoder, optimizer, style_weight):
    @tf.function
    def step(content_images, style_images):
        style_features = encoder(style_images)
        target = adain(encoder(content_images)[-1], style_features[-1])
        with tf.GradientTape() as tape:
            features = encoder(decoder(target))
            content = adain_content_loss(features[-1], target)
            style = adain_style_loss(features, style_features)
            total = content + style_weight * style
        variables = encoder.trainable_variables + decoder.trainable_variables
        gradients = tape.gradient(total, variables)
        optimizer.apply_gradients(zip(gradients, variables, strict=True))
        return total, content, style

    return step
