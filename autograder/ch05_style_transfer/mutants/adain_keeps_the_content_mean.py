"""adain adds back the content's mean instead of the style's: only the deviation is
transferred."""

# ruff: noqa: F821 (names from the notebook)

PART = "adain"
MISTAKE = (
    "adain adds back the content's mean instead of the style's: only the deviation is transferred."
)


def adain(content, style, epsilon=EPSILON):
    content_mean, content_std = channel_moments(content, epsilon)
    style_mean, style_std = channel_moments(style, epsilon)
    return style_std * (content - content_mean) / content_std + content_mean
