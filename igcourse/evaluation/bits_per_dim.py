"""Bits per dimension: the likelihood figure of PixelCNN, VAEs and flows.

A model's negative log-likelihood (NLL) in nats, for one image of D = height x width x
channels dimensions (784 for Fashion-MNIST), becomes bits per dimension by dividing by
D ln 2:

    bits/dim = NLL_image / (D ln 2) = NLL_pixel / ln 2

Lower is better; 8 bits/dim is what a uniform distribution over 256 grey levels scores.
The NLL must be of the discrete pixel values (a PixelCNN's softmax over 256 levels, or a
continuous density with uniform dequantisation and the ln 256 per dimension of the
rescale from [0, 256) to [0, 1) added back: pass `scale=256` for data scaled to [0, 1)).
"""

import math

from igcourse.i18n import _

FASHION_MNIST_DIMS = 28 * 28


def bits_per_dim(nll_nats, per="image", dims=FASHION_MNIST_DIMS, scale=1.0):
    """Bits per dimension from a mean negative log-likelihood in nats.

    per: "image" when `nll_nats` is the NLL of a whole image (summed over its `dims`
    dimensions), "dim" when it is already the mean NLL per dimension (per pixel).
    scale: the factor the data were divided by before a continuous density was fitted
    (256 for dequantised pixels in [0, 1)); its log is added per dimension. 1 for a
    discrete model over the 256 pixel values.
    """
    if per == "image":
        per_dim = nll_nats / dims
    elif per == "dim":
        per_dim = nll_nats
    else:
        raise ValueError(_("per must be 'image' or 'dim', not {per!r}").format(per=per))
    return (per_dim + math.log(scale)) / math.log(2)
