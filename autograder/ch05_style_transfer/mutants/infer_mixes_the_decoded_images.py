"""interpolate_styles decodes each style's target and mixes the images, sum_k w_k decoder(t_k),
instead of decoding the mixed targets."""

# ruff: noqa: F821 (names from the notebook)

PART = "adain_inference"
MISTAKE = (
    "interpolate_styles decodes each style's target and mixes the images, sum_k w_k "
    "decoder(t_k), instead of decoding the mixed targets."
)


def interpolate_styles(encoder, decoder, content, styles, weights):
    content_features = encoder(content)[-1]
    mixed = 0.0
    for style, weight in zip(styles, weights, strict=True):
        mixed = mixed + weight * decoder(adain(content_features, encoder(style)[-1]))
    return mixed
