"""ImagePool chooses the stored image with rng.integers(0, size - 1), so the last slot is never
returned or replaced."""

# ruff: noqa: F821 (names from the notebook)
import numpy as np

PART = "image_pool"
MISTAKE = (
    "ImagePool chooses the stored image with rng.integers(0, size - 1), so the last "
    "slot is never returned or replaced."
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
                index = self.rng.integers(0, self.size - 1)
                returned.append(self.images[index])
                self.images[index] = image
            else:
                returned.append(image)
        return np.stack(returned)
