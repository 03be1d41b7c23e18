"""Check and convert the images that metrics accept: floats in [0, 1], (N, 28, 28[, 1])."""

import numpy as np

from igcourse.i18n import _

IMAGE_SIZE = 28
_TOLERANCE = 1e-3  # float round-off from a sigmoid or a rescale may overshoot [0, 1] a little


def as_images(images, name="images"):
    """Return `images` as a float32 array (N, 28, 28, 1) in [0, 1], or raise a ValueError."""
    array = np.asarray(images)
    if array.ndim == 3:
        array = array[..., None]
    if array.ndim != 4 or array.shape[1:] != (IMAGE_SIZE, IMAGE_SIZE, 1):
        raise ValueError(
            _("{name}: expected shape (N, 28, 28) or (N, 28, 28, 1), got {shape}").format(
                name=name, shape=tuple(np.shape(images))
            )
        )
    if len(array) == 0:
        raise ValueError(_("{name}: no images").format(name=name))
    if array.dtype == np.uint8:
        raise ValueError(
            _("{name}: uint8 pixels; divide by 255 to give floats in [0, 1]").format(name=name)
        )
    array = array.astype(np.float32, copy=False)
    if not np.isfinite(array).all():
        raise ValueError(_("{name}: contains NaN or infinite values").format(name=name))
    low, high = float(array.min()), float(array.max())
    if low < -_TOLERANCE or high > 1 + _TOLERANCE:
        if low < -_TOLERANCE:
            hint = _("tanh outputs in [-1, 1] become [0, 1] with (x + 1) / 2")
        else:
            hint = _("pixels in [0, 255] become [0, 1] when divided by 255")
        raise ValueError(
            _("{name}: values must lie in [0, 1], found [{low:.3g}, {high:.3g}]; {hint}").format(
                name=name, low=low, high=high, hint=hint
            )
        )
    return np.clip(array, 0.0, 1.0)


def from_uint8(images):
    """uint8 pixels (N, 28, 28) -> float32 (N, 28, 28, 1) in [0, 1]."""
    return (np.asarray(images, dtype=np.float32) / 255.0)[..., None]
