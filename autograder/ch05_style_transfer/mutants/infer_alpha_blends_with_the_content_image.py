"""stylize blends the stylised image with the content image, alpha * decoder(t) + (1 - alpha) *
content, instead of blending features."""

# ruff: noqa: F821 (names from the notebook)

PART = "adain_inference"
MISTAKE = (
    "stylize blends the stylised image with the content image, alpha * decoder(t) + (1 - "
    "alpha) * content, instead of blending features."
)


def stylize(encoder, decoder, content, style, alpha=1.0):
    content_features = encoder(content)[-1]
    target = adain(content_features, encoder(style)[-1])
    return alpha * decoder(target) + (1.0 - alpha) * content
