"""Square crops of the offline photographs and paintings, for training on many small images
where a data set of thousands is not at hand (chapter 5's AdaIN decoder: its notebook, its
recipe and the check of a handed-in decoder all cut their crops here).

The images are OpenCV's samples (catalog entry opencv-samples; Debian's opencv-doc installs
them): two photographs for content, two textures for style. A crop of a painting keeps the
painting's style, since its statistics hardly depend on where it is cut.
"""

import numpy as np

from igcourse.data import fetch, read_image, resize, to_range

SAMPLES = "opencv-samples"
CONTENT_FILES = ("fruits.jpg", "messi5.jpg")  # a still life; a footballer on a pitch
STYLE_FILES = ("starry_night.jpg", "baboon.jpg")  # Van Gogh, 1889; a mandrill's fur


def load_scaled(name, shorter):
    """An OpenCV sample as float32 (h, w, 3), RGB in [0, 1], its shorter side `shorter`."""
    image = read_image(fetch(SAMPLES) / name)
    height, width = image.shape[:2]
    scale = shorter / min(height, width)
    image = resize(image, (round(height * scale), round(width * scale)))
    return to_range(image, (0.0, 1.0)).astype(np.float32)


def crop_pools(size):
    """(content images, style images), each scaled to a shorter side of twice `size`, so that
    a crop of `size` holds about a quarter of the picture's height."""
    return (
        [load_scaled(name, 2 * size) for name in CONTENT_FILES],
        [load_scaled(name, 2 * size) for name in STYLE_FILES],
    )


def random_crops(pool, count, size, rng):
    """`count` crops of size x size, each from a random image of `pool` at a random place:
    (count, size, size, 3)."""
    crops = []
    for _ in range(count):
        image = pool[rng.integers(len(pool))]
        top = rng.integers(image.shape[0] - size + 1)
        left = rng.integers(image.shape[1] - size + 1)
        crops.append(image[top : top + size, left : left + size])
    return np.stack(crops)
