"""adain swaps its arguments' roles: it normalises the style and gives it the content's
statistics."""

# ruff: noqa: F821 (names from the notebook)

PART = "adain"
MISTAKE = (
    "adain swaps its arguments' roles: it normalises the style and gives it the content's"
    " statistics."
)


def adain(content, style, epsilon=EPSILON):
    content_mean, content_std = channel_moments(content, epsilon)
    style_mean, style_std = channel_moments(style, epsilon)
    return content_std * (style - style_mean) / style_std + content_mean
