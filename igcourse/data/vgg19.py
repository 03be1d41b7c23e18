"""VGG19's ImageNet weights (catalog entry vgg19-notop), used where this machine has them."""

from igcourse.data.catalog import get_entry
from igcourse.data.fetch import where
from igcourse.i18n import _

VGG19_NOTOP = "vgg19-notop"


def vgg19_weights_file(cache_dir=None, *, catalog=None):
    """The path of VGG19's ImageNet weights without the classifier, for
    keras.applications.VGG19(include_top=False, weights=path), when Debian or the cache holds
    them; else None. Never downloads: `igcourse data fetch vgg19-notop` does."""
    folder = where(VGG19_NOTOP, cache_dir, catalog=catalog)
    if folder is None:
        return None
    return folder / get_entry(VGG19_NOTOP, catalog).files[0].local_name


def vgg19_weights_message(path):
    """What a notebook tells its reader about the weights its VGG19 has (path, or None)."""
    if path is not None:
        return _("VGG19 with its ImageNet weights ({path}).").format(path=path)
    return _(
        "VGG19's ImageNet weights are not on this machine, so this run uses VGG19 with seeded "
        "random weights: the result takes the painting's colours and a coarse, blotchy texture, "
        "not its brushstrokes. Where there is internet, `igcourse data fetch vgg19-notop` "
        "downloads the weights (80 MB); then run the notebook again."
    )


def vgg19_network(weights_file=None):
    """VGG19 without its classifier, frozen: ImageNet's weights from `weights_file` when given,
    else seeded random weights (He's scale, sqrt(2 / fan_in), zero biases), drawn with NumPy so
    that every backend and machine builds the same network, and a decoder trained on one
    machine's random VGG19 is judged on the same network by the grader's."""
    import keras
    import numpy as np

    if weights_file is not None:
        vgg = keras.applications.VGG19(include_top=False, weights=str(weights_file))
    else:
        vgg = keras.applications.VGG19(include_top=False, weights=None)
        for index, layer in enumerate(vgg.layers):
            if isinstance(layer, keras.layers.Conv2D):
                shape = tuple(layer.kernel.shape)
                scale = np.sqrt(2.0 / np.prod(shape[:-1]))
                draw = np.random.default_rng(index).standard_normal(shape) * scale
                layer.kernel.assign(draw.astype(np.float32))
                layer.bias.assign(np.zeros(layer.bias.shape, np.float32))
    vgg.trainable = False
    return vgg
