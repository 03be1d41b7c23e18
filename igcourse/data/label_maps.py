"""Photos with semantic label maps (GauGAN): cmp_b0001.jpg beside its label map.

Two layouts of the CMP facades are read: the original base set (label maps are palette
PNGs whose indices are the classes 1..12: label_suffix=".png", label_offset=-1), and the
book's repack used by keras.io's GauGAN (label indices in .bmp files, colour maps in .png:
label_suffix=".bmp").
"""

from pathlib import Path

import cv2
import numpy as np

from igcourse.data.errors import DataError, DatasetNotFound
from igcourse.data.images import read_image, resize, to_range
from igcourse.i18n import _


def read_label_map(path):
    """Class indices (H, W) uint8 of a label map: palette PNG indices or grey levels."""
    path = Path(path)
    if path.suffix.lower() == ".png":
        from PIL import Image  # palette indices: OpenCV would turn them into colours

        with Image.open(path) as image:
            if image.mode == "P":
                return np.asarray(image, np.uint8)
    labels = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if labels is None:
        raise DataError(_("{path} is not an image OpenCV can read").format(path=path))
    if labels.ndim == 3:  # a grey image saved with three equal channels
        labels = labels[..., 0]
    return labels.astype(np.uint8)


def one_hot(labels, num_classes):
    """(..., H, W) class indices -> (..., H, W, num_classes) float32."""
    return np.eye(num_classes, dtype=np.float32)[labels]


def colorize(labels, palette):
    """(..., H, W) class indices -> (..., H, W, 3) uint8 colours from palette (K, 3)."""
    return np.asarray(palette, np.uint8)[labels]


class LabelMapFolder:
    """Photos and label maps in one folder; take(indices) -> (images, labels).

    labels are int32 (B, H, W), or float32 one-hot (B, H, W, num_classes) with
    one_hot=True. Label maps are resized with nearest neighbour, photos with INTER_AREA
    (down) or cubic (up).
    """

    def __init__(
        self,
        folder,
        *,
        image_suffix=".jpg",
        label_suffix=".png",
        num_classes=12,
        label_offset=0,
        size=None,
        value_range=(-1.0, 1.0),
        one_hot=False,
    ):
        folder = Path(folder)
        self.images = sorted(folder.glob(f"*{image_suffix}"))
        self.labels = [p.with_suffix(label_suffix) for p in self.images]
        missing = [p.name for p in self.labels if not p.exists()]
        if not self.images or missing:
            raise DatasetNotFound(
                _(
                    "{folder} does not hold photo/label-map pairs ({image_suffix} with "
                    "{label_suffix}); missing: {missing}"
                ).format(
                    folder=folder,
                    image_suffix=image_suffix,
                    label_suffix=label_suffix,
                    missing=", ".join(missing[:5]) or _("all photos"),
                )
            )
        self.num_classes, self.label_offset = num_classes, label_offset
        self.size, self.value_range, self.one_hot = size, value_range, one_hot

    def __len__(self):
        return len(self.images)

    def load(self, index):
        """(photo uint8 (H, W, 3), labels int32 (H, W)) of one pair, resized."""
        image = read_image(self.images[index])
        labels = read_label_map(self.labels[index]).astype(np.int32) + self.label_offset
        if labels.min() < 0 or labels.max() >= self.num_classes:
            raise DataError(
                _(
                    "{path} has labels {low}..{high}, outside 0..{top}; check label_offset and "
                    "num_classes"
                ).format(
                    path=self.labels[index],
                    low=labels.min(),
                    high=labels.max(),
                    top=self.num_classes - 1,
                )
            )
        if self.size is not None:
            image = resize(image, self.size)
            labels = resize(labels.astype(np.uint8), self.size, kind="label").astype(np.int32)
        return image, labels

    def take(self, indices):
        pairs = [self.load(int(i)) for i in indices]
        images = to_range(np.stack([p[0] for p in pairs]), self.value_range)
        labels = np.stack([p[1] for p in pairs])
        return images, one_hot(labels, self.num_classes) if self.one_hot else labels
