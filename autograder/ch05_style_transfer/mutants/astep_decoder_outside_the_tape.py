"""make_adain_step decodes and encodes before opening the tape, so the tape sees no decoder
variable: the decoder's gradients are None (apply_gradients fails, or the decoder never
learns)."""

# ruff: noqa: F821 (names from the notebook)
import tensorflow as tf

PART = "adain_step"
MISTAKE = (
    "make_adain_step decodes and encodes before opening the tape, so the tape sees no "
    "decoder variable: the decoder's gradients are None (apply_gradients fails, or the "
    "decoder never learns)."
)


def make_adain_step(encoder, decoder, optimizer, style_weight):
    @tf.function
    def step(content_images, style_images):
        style_features = encoder(style_images)
        target = adain(encoder(content_images)[-1], style_features[-1])
        features = encoder(decoder(target))
        with tf.GradientTape() as tape:
            content = adain_content_loss(features[-1], target)
            style = adain_style_loss(features, style_features)
            total = content + style_weight * style
        gradients = tape.gradient(total, decoder.trainable_variables)
        pairs = [
            (g, v)
            for g, v in zip(gradients, decoder.trainable_variables, strict=True)
            if g is not None
        ]
        if pairs:
            optimizer.apply_gradients(pairs)
        return total, content, style

    return step
