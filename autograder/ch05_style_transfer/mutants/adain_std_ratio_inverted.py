"""adain scales by the content's deviation and divides by the style's: sigma_content * (x -
mu_content) / sigma_style + mu_style."""

# ruff: noqa: F821 (names from the notebook)

PART = "adain"
MISTAKE = (
    "adain scales by the content's deviation and divides by the style's: sigma_content * "
    "(x - mu_content) / sigma_style + mu_style."
)


def adain(content, style, epsilon=EPSILON):
    content_mean, content_std = channel_moments(content, epsilon)
    style_mean, style_std = channel_moments(style, epsilon)
    return content_std * (content - content_mean) / style_std + style_mean
