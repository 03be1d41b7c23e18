"""Reader for the IDX format of MNIST and Fashion-MNIST (plain or gzipped)."""

import gzip
from pathlib import Path

import numpy as np

# IDX type codes (the third byte of the magic number) and the dtypes they stand for.
_IDX_DTYPES = {
    0x08: np.uint8,
    0x09: np.int8,
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


class IDXFormatError(ValueError):
    """The file is not a valid IDX file."""


def read_idx(path):
    """Read an IDX file into an array of the shape its header declares."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX_DTYPES:
        raise IDXFormatError(f"{path} is not an IDX file (bad magic number)")
    dtype = np.dtype(_IDX_DTYPES[data[2]])
    ndim = data[3]
    header_end = 4 + 4 * ndim
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(data) - header_end != expected:
        raise IDXFormatError(
            f"{path} is truncated or padded: header says {shape}, "
            f"payload has {len(data) - header_end} bytes, expected {expected}"
        )
    return np.frombuffer(data, dtype=dtype, offset=header_end).reshape(shape)
