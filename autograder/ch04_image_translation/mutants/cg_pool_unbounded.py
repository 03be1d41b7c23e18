"""ImagePool keeps every image it is given (the pool grows past size) and returns a random one
of them half the time."""

# ruff: noqa: F821 (names from the notebook)
import numpy as np

PART = "image_pool"
MISTAKE = (
    "ImagePool keeps every image it is given (the pool grows past size) and returns a "
    "random one of them half the time."
)


class ImagePool:
    def __init__(self, size=50):
        self.size = size
        self.images = []
        self.rng = np.random.default_rng()

    def query(self, images):
        returned = []
        for image in np.asarray(images):
            if len(self.images) >= self.size and self.rng.random() < 0.5:
                returned.append(self.images[self.rng.integers(len(self.images))])
            else:
                returned.append(image)
            self.images.append(image)
        return np.stack(returned)
