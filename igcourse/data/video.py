"""Frames of a video, and folders of images, through OpenCV."""

import cv2
import numpy as np

from igcourse.data.errors import DataError
from igcourse.data.images import ImageFiles, list_images, resize
from igcourse.i18n import _


def read_video(path, *, every=1, max_frames=None, size=None):
    """RGB frames uint8 (N, H, W, 3) of a video: every `every`-th frame, at most max_frames."""
    capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        raise DataError(_("OpenCV cannot open the video {path}").format(path=path))
    frames = []
    index = 0
    try:
        while max_frames is None or len(frames) < max_frames:
            ok, frame = capture.read()
            if not ok:
                break
            if index % every == 0:
                frame = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
                frames.append(resize(frame, size) if size is not None else frame)
            index += 1
    finally:
        capture.release()
    if not frames:
        raise DataError(_("no frames could be read from {path}").format(path=path))
    return np.stack(frames)


def image_folder(folder, *, recursive=True, size=None, crop=None, value_range=(0.0, 1.0)):
    """Every image under `folder` (sorted) as an ImageFiles source (CelebA-HQ, your photos)."""
    paths = list_images(folder, recursive=recursive)
    if not paths:
        raise DataError(_("no images under {folder}").format(folder=folder))
    return ImageFiles(paths, size=size, crop=crop, value_range=value_range)
