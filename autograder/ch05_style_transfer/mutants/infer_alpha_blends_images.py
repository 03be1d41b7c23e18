"""stylize blends the decoded images, alpha * decoder(t) + (1 - alpha) * decoder(c), instead of
decoding the blended features."""

# ruff: noqa: F821 (names from the notebook)

PART = "adain_inference"
MISTAKE = (
    "stylize blends the decoded images, alpha * decoder(t) + (1 - alpha) * decoder(c), "
    "instead of decoding the blended features."
)


def stylize(encoder, decoder, content, style, alpha=1.0):
    content_features = encoder(content)[-1]
    target = adain(content_features, encoder(style)[-1])
    return alpha * decoder(target) + (1.0 - alpha) * decoder(content_features)
