"""ImagePool stores images but always returns the new ones, never history."""

# ruff: noqa: F821 (names from the notebook)
import numpy as np

PART = "image_pool"
MISTAKE = "ImagePool stores images but always returns the new ones, never history."


class ImagePool:
    def __init__(self, size=50):
        self.size = size
        self.images = []
        self.rng = np.random.default_rng()

    def query(self, images):
        images = np.asarray(images)
        for image in images:
            if len(self.images) < self.size:
                self.images.append(image)
            elif self.rng.random() < 0.5:
                self.images[self.rng.integers(len(self.images))] = image
        return images
