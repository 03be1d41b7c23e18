"""Reading, resizing and scaling images with OpenCV; arrays are RGB, (H, W, C) or (H, W)."""

from pathlib import Path

import cv2
import numpy as np

from igcourse.data.errors import DataError
from igcourse.i18n import _

VALUE_RANGES = {"uint8": None, "0,1": (0.0, 1.0), "-1,1": (-1.0, 1.0)}
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp")


def to_range(images, value_range=(0.0, 1.0)):
    """uint8 images as float32 in `value_range` ((0, 1), (-1, 1)), or unchanged for None."""
    if isinstance(value_range, str):
        value_range = VALUE_RANGES[value_range]
    if value_range is None:
        return np.asarray(images)
    low, high = value_range
    return np.asarray(images, np.float32) * np.float32((high - low) / 255.0) + np.float32(low)


def from_range(images, value_range=(0.0, 1.0)):
    """The inverse of to_range: float images in `value_range` back to uint8 (rounded, clipped)."""
    low, high = value_range
    scaled = (np.asarray(images, np.float32) - low) * (255.0 / (high - low))
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)


def interpolation_for(src_hw, dst_hw, kind="image", upscale="cubic"):
    """The OpenCV interpolation flag for a resize.

    Label maps: nearest (a class index must never be blended with its neighbour).
    Images: INTER_AREA when shrinking in both directions (it averages, no aliasing),
    else bicubic (or bilinear with upscale="linear").
    """
    if kind == "label":
        return cv2.INTER_NEAREST
    if kind != "image":
        raise ValueError(_("kind must be 'image' or 'label', not {kind!r}").format(kind=kind))
    if dst_hw[0] <= src_hw[0] and dst_hw[1] <= src_hw[1]:
        return cv2.INTER_AREA
    return {"cubic": cv2.INTER_CUBIC, "linear": cv2.INTER_LINEAR}[upscale]


def resize(image, size, kind="image", upscale="cubic"):
    """Resize one image (H, W[, C]) to size=(height, width) with the right interpolation."""
    size = (size, size) if isinstance(size, int) else tuple(size)
    if image.shape[:2] == size:
        return image
    flag = interpolation_for(image.shape[:2], size, kind, upscale)
    out = cv2.resize(image, (size[1], size[0]), interpolation=flag)
    return out.reshape(size + image.shape[2:])  # cv2 drops a trailing channel of 1


def resize_batch(images, size, kind="image", upscale="cubic"):
    """resize() over a batch (N, H, W[, C])."""
    size = (size, size) if isinstance(size, int) else tuple(size)
    if len(images) == 0 or images.shape[1:3] == size:
        return images
    return np.stack([resize(im, size, kind, upscale) for im in images])


def center_crop(image, size):
    """The central (height, width) window of an image."""
    height, width = (size, size) if isinstance(size, int) else size
    top = (image.shape[0] - height) // 2
    left = (image.shape[1] - width) // 2
    if top < 0 or left < 0:
        raise ValueError(_("cannot crop {shape} to {size}").format(shape=image.shape, size=size))
    return image[top : top + height, left : left + width]


def read_image(path, *, grayscale=False):
    """An image file as uint8 RGB (H, W, 3), or (H, W) with grayscale=True."""
    flag = cv2.IMREAD_GRAYSCALE if grayscale else cv2.IMREAD_COLOR
    image = cv2.imdecode(np.fromfile(str(path), np.uint8), flag)
    if image is None:
        raise DataError(_("{path} is not an image OpenCV can read").format(path=path))
    return image if grayscale else cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


def write_image(path, image):
    """Write an RGB (or grayscale) uint8 image; the format follows the suffix."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
    ok, encoded = cv2.imencode(path.suffix, data)
    if not ok:
        raise DataError(_("OpenCV could not encode {path}").format(path=path))
    path.write_bytes(encoded.tobytes())
    return path


def list_images(folder, *, recursive=True, suffixes=IMAGE_SUFFIXES):
    """Image files under `folder`, sorted by path so that every run sees the same order."""
    folder = Path(folder)
    pattern = "**/*" if recursive else "*"
    return sorted(p for p in folder.glob(pattern) if p.suffix.lower() in suffixes and p.is_file())


class ImageFiles:
    """A source of image files, decoded on demand: take(indices) -> (images[, labels]).

    size=(height, width) resizes (INTER_AREA down, cubic up); crop=(h, w) takes the
    centre first (CelebA's 178x218 faces are usually cropped square before resizing);
    value_range=(0, 1) or (-1, 1) gives float32, None keeps uint8.
    """

    def __init__(
        self, paths, *, labels=None, size=None, crop=None, value_range=(0.0, 1.0), grayscale=False
    ):
        self.paths = [Path(p) for p in paths]
        self.labels = None if labels is None else np.asarray(labels)
        if self.labels is not None and len(self.labels) != len(self.paths):
            raise ValueError(_("there must be one label per image"))
        self.size, self.crop = size, crop
        self.value_range, self.grayscale = value_range, grayscale

    def __len__(self):
        return len(self.paths)

    def load(self, index):
        """One image, cropped and resized, as uint8."""
        image = read_image(self.paths[index], grayscale=self.grayscale)
        if self.crop is not None:
            image = center_crop(image, self.crop)
        if self.size is not None:
            image = resize(image, self.size)
        return image

    def take(self, indices):
        images = np.stack([self.load(int(i)) for i in indices])
        images = to_range(images, self.value_range)
        if self.labels is None:
            return (images,)
        return images, self.labels[np.asarray(indices)]
