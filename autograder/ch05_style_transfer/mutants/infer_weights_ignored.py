"""interpolate_styles averages the styles' targets, ignoring the weights."""

# ruff: noqa: F821 (names from the notebook)

PART = "adain_inference"
MISTAKE = "interpolate_styles averages the styles' targets, ignoring the weights."


def interpolate_styles(encoder, decoder, content, styles, weights):
    content_features = encoder(content)[-1]
    mixed = 0.0
    for style in styles:  # the weights never used
        mixed = mixed + adain(content_features, encoder(style)[-1]) / len(styles)
    return decoder(mixed)
