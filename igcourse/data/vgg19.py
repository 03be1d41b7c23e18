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
