"""Plain data across a pipe: framed messages holding JSON and NumPy arrays, never pickles.

A value is None, bool, int, float, str, a list or tuple of values, a dict with str keys, or a
NumPy array of a numeric or bool dtype (tensors are converted on the worker's side).
"""

import io
import json
import struct

import numpy as np

MAX_FRAME_BYTES = 512 * 2**20
MAX_DECODED_BYTES = 512 * 2**20  # what a frame may unpack to: a zip may be compressed
MAX_ARRAYS = 10_000
_HEADER = struct.Struct("<Q")
_ALLOWED_KINDS = "biufc"  # bool, int, uint, float, complex: no object or string arrays


class WireError(ValueError):
    """A value that is not plain data, or a malformed frame."""


def _to_tree(value, arrays):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value if isinstance(value, int) else {"__float__": repr(float(value))}
    if isinstance(value, np.generic):
        return _to_tree(value.item(), arrays)
    if isinstance(value, (list, tuple)):
        return {"__seq__": [_to_tree(v, arrays) for v in value]}
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise WireError("dict keys must be strings")
        return {"__dict__": {k: _to_tree(v, arrays) for k, v in value.items()}}
    array = np.asarray(value) if isinstance(value, np.ndarray) else None
    if array is None or array.dtype.kind not in _ALLOWED_KINDS:
        raise WireError(
            f"a {type(value).__name__} came back where data (numbers, strings, lists or "
            "numeric arrays) was expected"
        )
    arrays.append(np.asarray(array, order="C"))  # ascontiguousarray would make 0-d arrays 1-d
    return {"__array__": len(arrays) - 1}


def _from_tree(tree, arrays):
    if not isinstance(tree, dict):
        return tree
    if "__float__" in tree:
        return float(tree["__float__"])
    if "__seq__" in tree:
        return [_from_tree(v, arrays) for v in tree["__seq__"]]
    if "__dict__" in tree:
        return {k: _from_tree(v, arrays) for k, v in tree["__dict__"].items()}
    if "__array__" in tree:
        return arrays[f"a{tree['__array__']}"]
    raise WireError("malformed value")


def encode(value):
    arrays = []
    tree = _to_tree(value, arrays)
    buffer = io.BytesIO()
    meta = np.frombuffer(json.dumps(tree).encode(), dtype=np.uint8)
    np.savez(buffer, meta=meta, **{f"a{i}": a for i, a in enumerate(arrays)})
    return buffer.getvalue()


def digest(value):
    """A SHA-256 of value as the wire carries it: equal for equal data (encode's bytes are not,
    since a zip member records the time it was written)."""
    import hashlib

    arrays = []
    tree = _to_tree(value, arrays)
    hasher = hashlib.sha256(json.dumps(tree).encode())
    for array in arrays:
        hasher.update(f"|{array.dtype.str}|{array.shape}|".encode())
        hasher.update(array.tobytes())
    return hasher.hexdigest()


def _load_arrays(data):
    """The frame's arrays, refusing any that would unpack to more than MAX_DECODED_BYTES
    (the npz is a zip, whose members may be deflated, and an npy header names its own size)."""
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(data))
    members = archive.infolist()
    if len(members) > MAX_ARRAYS or sum(m.file_size for m in members) > MAX_DECODED_BYTES:
        raise WireError("frame unpacks to more than the limit")
    arrays = {}
    for member in members:
        with archive.open(member) as stream:
            major, _minor = np.lib.format.read_magic(stream)
            read_header = (
                np.lib.format.read_array_header_1_0
                if major == 1
                else np.lib.format.read_array_header_2_0
            )
            shape, _order, dtype = read_header(stream)
            if dtype.hasobject or int(np.prod(shape, dtype=np.int64)) * dtype.itemsize > (
                member.file_size
            ):
                raise WireError("an array claims more data than the frame holds")
        with archive.open(member) as stream:
            arrays[member.filename.removesuffix(".npy")] = np.lib.format.read_array(
                stream, allow_pickle=False
            )
    return arrays


def decode(data):
    try:
        arrays = _load_arrays(data)
        tree = json.loads(arrays.pop("meta").tobytes().decode())
        return _from_tree(tree, arrays)
    except WireError:
        raise
    except Exception as error:  # any malformed payload is the sender's fault
        raise WireError(f"malformed frame: {type(error).__name__}") from None


def write_frame(stream, value):
    payload = encode(value)
    stream.write(_HEADER.pack(len(payload)) + payload)
    stream.flush()


def _read_exact(stream, size):
    """Exactly size bytes from a raw pipe (which may return fewer per read), or fewer at EOF."""
    chunks = []
    while size:
        chunk = stream.read(size)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def read_frame(stream):
    """The next value, or EOFError when the other side is gone."""
    header = _read_exact(stream, _HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError("the other side closed the pipe")
    (size,) = _HEADER.unpack(header)
    if size > MAX_FRAME_BYTES:
        raise WireError(f"frame of {size} bytes is over the limit")
    payload = _read_exact(stream, size)
    if len(payload) < size:
        raise EOFError("the other side closed the pipe mid-frame")
    return decode(payload)
