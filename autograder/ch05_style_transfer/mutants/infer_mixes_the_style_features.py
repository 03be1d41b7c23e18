"""interpolate_styles mixes the styles' features first and applies AdaIN once, adain(c, sum_k
w_k f(s_k)), instead of mixing the AdaIN targets."""

# ruff: noqa: F821 (names from the notebook)

PART = "adain_inference"
MISTAKE = (
    "interpolate_styles mixes the styles' features first and applies AdaIN once, adain(c,"
    " sum_k w_k f(s_k)), instead of mixing the AdaIN targets."
)


def interpolate_styles(encoder, decoder, content, styles, weights):
    content_features = encoder(content)[-1]
    mixed = 0.0
    for style, weight in zip(styles, weights, strict=True):
        mixed = mixed + weight * encoder(style)[-1]
    return decoder(adain(content_features, mixed))
