"""ImagePool tosses one coin for the whole batch instead of one per image."""

# ruff: noqa: F821 (names from the notebook)
import numpy as np

PART = "image_pool"
MISTAKE = "ImagePool tosses one coin for the whole batch instead of one per image."


class ImagePool:
    def __init__(self, size=50):
        self.size = size
        self.images = []
        self.rng = np.random.default_rng()

    def query(self, images):
        images = np.asarray(images)
        if len(self.images) < self.size:
            self.images.extend(images[: self.size - len(self.images)])
            return images
        if self.rng.random() < 0.5:
            return images
        returned = []
        for image in images:
            index = self.rng.integers(len(self.images))
            returned.append(self.images[index])
            self.images[index] = image
        return np.stack(returned)
