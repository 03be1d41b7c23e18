"""Can a worker's answer cost the grader more than a bounded amount of memory or time?

The grader runs as root without a memory limit, so everything that crosses the wire is decoded
within MAX_DECODED_BYTES, whatever the frame claims.
"""

import io
import json
import zipfile

import numpy as np
import pytest

from igcourse.sandbox import SandboxCrashed, wire
from igcourse.sandbox.session import Sandbox


def _zip_bomb(member_bytes):
    """An npz-like frame whose one member inflates to member_bytes of zeros (about 1/1000 of
    that on the wire)."""
    header = io.BytesIO()
    count = member_bytes // 8
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (count,)}
    )
    meta = io.BytesIO()
    np.lib.format.write_array(meta, np.frombuffer(json.dumps({"__array__": 0}).encode(), np.uint8))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("meta.npy", meta.getvalue())
        info = zipfile.ZipInfo("a0.npy")
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as member:
            member.write(header.getvalue())
            zeros = bytes(2**20)
            for _ in range(count * 8 // 2**20):
                member.write(zeros)
    return buffer.getvalue()


def test_plain_data_still_round_trips():
    value = {"a": [1, 2.5, None, "x"], "b": np.arange(6).reshape(2, 3)}
    back = wire.decode(wire.encode(value))
    assert back["a"] == [1, 2.5, None, "x"] and back["b"].tolist() == [[0, 1, 2], [3, 4, 5]]


def test_a_compressed_frame_that_would_unpack_past_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(wire, "MAX_DECODED_BYTES", 8 * 2**20)
    frame = _zip_bomb(16 * 2**20)
    assert len(frame) < 100_000
    with pytest.raises(wire.WireError, match="more than the limit"):
        wire.decode(frame)


def test_an_array_header_that_claims_more_than_the_frame_holds_is_refused():
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (2**40,)}
    )
    meta = io.BytesIO()
    np.lib.format.write_array(meta, np.frombuffer(b'{"__array__": 0}', np.uint8))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("meta.npy", meta.getvalue())
        zf.writestr("a0.npy", header.getvalue() + b"\0" * 64)
    with pytest.raises(wire.WireError, match="claims more data"):
        wire.decode(buffer.getvalue())


def test_deeply_nested_data_is_malformed_not_a_crash():
    buffer = io.BytesIO()
    np.savez(buffer, meta=np.frombuffer(b"[" * 200_000, np.uint8))
    with pytest.raises(wire.WireError, match="malformed"):
        wire.decode(buffer.getvalue())


BOMB = """
import os, struct
def bomb(frame):
    fd = int(os.environ["IGCOURSE_SANDBOX_FDS"].split(",")[1])
    data = frame.tobytes()
    os.write(fd, struct.pack("<Q", len(data)) + data)
    import time
    time.sleep(30)
"""


def test_a_submission_that_writes_a_bomb_to_the_answer_pipe_crashes_only_its_probe():
    frame = _zip_bomb(600 * 2**20)
    probes = "def call(ns, name, *args):\n    return getattr(ns, name)(*args)\n"
    with Sandbox(BOMB + "def ok():\n    return 7\n", probes) as box:
        with pytest.raises(SandboxCrashed):
            box.probe("call", "bomb", np.frombuffer(frame, np.uint8), timeout=60)
        assert box.probe("call", "ok") == 7
