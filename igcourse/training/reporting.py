"""Where a run's numbers and pictures go: a JSON-lines log, PNG grids, TensorBoard."""

import json
import math
import time
from pathlib import Path

import numpy as np


def grid(images, columns=None, gap=1):
    """Images (N, H, W, C) in [0, 1] tiled into one uint8 picture (rows, cols[, 3])."""
    images = np.clip(np.asarray(images, dtype=np.float32), 0.0, 1.0)
    n, height, width, channels = images.shape
    columns = columns or math.ceil(math.sqrt(n))
    rows = math.ceil(n / columns)
    canvas = np.ones(
        (rows * (height + gap) + gap, columns * (width + gap) + gap, channels), np.float32
    )
    for index, image in enumerate(images):
        row, col = divmod(index, columns)
        top, left = gap + row * (height + gap), gap + col * (width + gap)
        canvas[top : top + height, left : left + width] = image
    canvas = (canvas * 255.0 + 0.5).astype(np.uint8)
    return canvas[..., 0] if channels == 1 else canvas


def save_png(picture, path):
    from PIL import Image

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(picture).save(path)
    return path


class MetricsLog:
    """Appends one JSON object per line to out/metrics.jsonl."""

    def __init__(self, path, resume_step=None):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if resume_step is None:
            self.path.write_text("")
        elif self.path.exists():
            # Records after the checkpoint belong to steps the resumed run repeats.
            kept = [
                line
                for line in self.path.read_text().splitlines()
                if line.strip() and json.loads(line).get("step", 0) <= resume_step
            ]
            self.path.write_text("".join(line + "\n" for line in kept))
        self._file = self.path.open("a")

    def write(self, kind, step, values):
        record = {"kind": kind, "step": step, "wall": round(time.time(), 3), **values}
        self._file.write(json.dumps(record) + "\n")
        self._file.flush()
        return record

    def close(self):
        self._file.close()


def read_metrics(path):
    """The records of a metrics.jsonl, as a list of dicts."""
    lines = Path(path).read_text().splitlines()
    return [json.loads(line) for line in lines if line.strip()]


class TensorBoard:
    """Scalars and sample grids as TensorFlow summaries (TensorFlow backend only).

    Written with tf.summary.write and the plugins' metadata, which core TensorFlow has, so
    the `tensorboard` package is needed only to look at them.
    """

    def __init__(self, folder):
        import tensorflow as tf
        from tensorflow.core.framework import summary_pb2

        self._tf = tf
        self._writer = tf.summary.create_file_writer(str(folder))
        metadata = summary_pb2.SummaryMetadata
        self._scalar = metadata(
            plugin_data=metadata.PluginData(plugin_name="scalars"),
            data_class=summary_pb2.DATA_CLASS_SCALAR,
        ).SerializeToString()
        self._image = metadata(
            plugin_data=metadata.PluginData(plugin_name="images"),
            data_class=summary_pb2.DATA_CLASS_BLOB_SEQUENCE,
        ).SerializeToString()

    def scalars(self, step, values):
        tf = self._tf
        with self._writer.as_default(step=step):
            for name, value in values.items():
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    tf.summary.write(name, tf.constant(value, tf.float32), metadata=self._scalar)

    def image(self, step, name, picture):
        tf = self._tf
        picture = picture[..., None] if picture.ndim == 2 else picture
        height, width = picture.shape[:2]
        png = tf.io.encode_png(picture)
        blob = tf.stack([tf.constant(str(width)), tf.constant(str(height)), png])
        with self._writer.as_default(step=step):
            tf.summary.write(name, blob, metadata=self._image)

    def close(self):
        self._writer.flush()
        self._writer.close()
