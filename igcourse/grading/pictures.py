"""Pictures for feedback: small arrays (a mask, what a pixel sees, samples) as PNG images.

A check passes `images=[(caption, array), ...]` to `fail` or `check`; the plugin turns them into
base64 PNGs in the check's result, and the feedback page shows them under the message. Only
arrays the check chose travel, never its code.
"""

import base64
import io
import re

import numpy as np

MAX_IMAGES = 4
TARGET_PIXELS = 160  # the longer side of a picture, after nearest-neighbour upscaling
_BASE64 = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")


def to_grey(array):
    """A 2-D (or H, W, 1) array as uint8 grey levels: its range stretched to 0..255."""
    image = np.asarray(array, dtype=np.float64)
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    if image.ndim != 2 or image.size == 0:
        raise ValueError(f"a picture is a 2-D array, not one of shape {image.shape}")
    image = np.nan_to_num(image, nan=0.0, posinf=0.0, neginf=0.0)
    low, high = float(image.min()), float(image.max())
    scaled = (image - low) / (high - low) if high > low else np.zeros_like(image) + (low > 0)
    return np.round(255 * scaled).astype(np.uint8)


def png_base64(array):
    """The array as a grey PNG (upscaled, nearest neighbour), base64-encoded."""
    from PIL import Image

    grey = to_grey(array)
    factor = max(1, TARGET_PIXELS // max(grey.shape))
    picture = Image.fromarray(np.kron(grey, np.ones((factor, factor), np.uint8)), mode="L")
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def encode_images(images):
    """[(caption, array)] -> [{"caption", "png"}], at most MAX_IMAGES; bad arrays are skipped."""
    encoded = []
    for caption, array in list(images or ())[:MAX_IMAGES]:
        try:
            encoded.append({"caption": str(caption), "png": png_base64(array)})
        except (ValueError, TypeError):
            continue
    return encoded


def is_png_base64(text):
    """Whether text is base64 that decodes to a PNG (safe to put in a data: URL)."""
    if not isinstance(text, str) or not _BASE64.match(text):
        return False
    try:
        return base64.b64decode(text)[:8] == b"\x89PNG\r\n\x1a\n"
    except ValueError:
        return False
