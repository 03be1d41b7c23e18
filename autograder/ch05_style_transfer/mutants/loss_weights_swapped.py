"""transfer_loss multiplies the content loss by style_weight and the style loss by
content_weight."""

# ruff: noqa: F821 (names from the notebook)

PART = "nst_losses"
MISTAKE = (
    "transfer_loss multiplies the content loss by style_weight and the style loss by "
    "content_weight."
)


def transfer_loss(
    features, images, content_targets, style_targets, content_weight, style_weight, tv_weight
):
    content = content_loss(features["content"], content_targets)
    style = style_loss(features["style"], style_targets)
    tv = total_variation(images)
    total = style_weight * content + content_weight * style + tv_weight * tv
    return total, content, style, tv
