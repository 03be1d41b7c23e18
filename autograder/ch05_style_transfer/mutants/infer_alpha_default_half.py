"""stylize's alpha defaults to 0.5 instead of 1 (the full style)."""

# ruff: noqa: F821 (names from the notebook)

PART = "adain_inference"
MISTAKE = "stylize's alpha defaults to 0.5 instead of 1 (the full style)."


def stylize(encoder, decoder, content, style, alpha=0.5):
    content_features = encoder(content)[-1]
    target = adain(content_features, encoder(style)[-1])
    return decoder(alpha * target + (1.0 - alpha) * content_features)
