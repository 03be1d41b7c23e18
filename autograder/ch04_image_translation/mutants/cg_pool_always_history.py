"""Once full, ImagePool always returns a stored image (no coin)."""

# ruff: noqa: F821 (names from the notebook)
import numpy as np

PART = "image_pool"
MISTAKE = "Once full, ImagePool always returns a stored image (no coin)."


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
            else:
                index = self.rng.integers(len(self.images))
                returned.append(self.images[index])
                self.images[index] = image
        return np.stack(returned)
