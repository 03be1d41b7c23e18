"""ImagePool draws its coins and choices from NumPy's global random functions instead of a
default_rng() of its own."""

# ruff: noqa: F821 (names from the notebook)
import numpy as np

PART = "image_pool"
MISTAKE = (
    "ImagePool draws its coins and choices from NumPy's global random functions "
    "instead of a default_rng() of its own."
)


class ImagePool:
    def __init__(self, size=50):
        self.size = size
        self.images = []

    def query(self, images):
        returned = []
        for image in np.asarray(images):
            if len(self.images) < self.size:
                self.images.append(image)
                returned.append(image)
            elif np.random.random() < 0.5:
                index = np.random.randint(len(self.images))
                returned.append(self.images[index])
                self.images[index] = image
            else:
                returned.append(image)
        return np.stack(returned)
