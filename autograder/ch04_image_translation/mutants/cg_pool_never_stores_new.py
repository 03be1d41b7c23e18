"""Once full, ImagePool returns a stored image but never puts the new one in its place: it
keeps the first images forever."""

# ruff: noqa: F821 (names from the notebook)
import numpy as np

PART = "image_pool"
MISTAKE = (
    "Once full, ImagePool returns a stored image but never puts the new one in its "
    "place: it keeps the first images forever."
)


class ImagePool:
    def __init__(self, size=50):
        self.size = size
        self.images = []
        self.rng = np.random.default_rng()

    def query(self, images):
        returned = []
        for image in np.asarray(images):
            if len(self.images) < self.size:
                self.images.append(image)
                returned.append(image)
            elif self.rng.random() < 0.5:
                returned.append(self.images[self.rng.integers(len(self.images))])
            else:
                returned.append(image)
        return np.stack(returned)
