"""stylize blends t with the style image's features instead of the content's."""

# ruff: noqa: F821 (names from the notebook)

PART = "adain_inference"
MISTAKE = "stylize blends t with the style image's features instead of the content's."


def stylize(encoder, decoder, content, style, alpha=1.0):
    content_features = encoder(content)[-1]
    style_features = encoder(style)[-1]
    target = adain(content_features, style_features)
    return decoder(alpha * target + (1.0 - alpha) * style_features)
