"""stylize weighs the content features by alpha and t by 1 - alpha."""

# ruff: noqa: F821 (names from the notebook)

PART = "adain_inference"
MISTAKE = "stylize weighs the content features by alpha and t by 1 - alpha."


def stylize(encoder, decoder, content, style, alpha=1.0):
    content_features = encoder(content)[-1]
    target = adain(content_features, encoder(style)[-1])
    return decoder((1.0 - alpha) * target + alpha * content_features)
