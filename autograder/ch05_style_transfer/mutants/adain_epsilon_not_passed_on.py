"""adain calls channel_moments without its epsilon, so the epsilon it is given is never used."""

# ruff: noqa: F821 (names from the notebook)

PART = "adain"
MISTAKE = (
    "adain calls channel_moments without its epsilon, so the epsilon it is given is never used."
)


def adain(content, style, epsilon=EPSILON):
    content_mean, content_std = channel_moments(content)
    style_mean, style_std = channel_moments(style)
    return style_std * (content - content_mean) / content_std + style_mean
