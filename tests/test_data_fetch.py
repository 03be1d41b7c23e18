"""Does fetch download, resume, verify, unpack and cache, and explain every failure in one message?

All downloads come from an HTTP server on 127.0.0.1 started by the test.
"""

import bz2
import hashlib
import http.server
import io
import re
import socket
import threading
import zipfile

import pytest

from igcourse.data.catalog import Entry, LocalSource, RemoteFile
from igcourse.data.errors import (
    ChecksumMismatch,
    ChecksumNotPinned,
    DataError,
    DownloadFailed,
    IncompleteDownload,
    ManualDownloadRequired,
    OfflineError,
    UnsafeArchive,
)
from igcourse.data.fetch import fetch, status, where

PAYLOAD = bytes(range(256)) * 400  # 100 kB


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        server = self.server
        server.requests.append((self.path, self.headers.get("Range")))
        body = server.files.get(self.path)
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        start = 0
        match = re.match(r"bytes=(\d+)-$", self.headers.get("Range") or "")
        if match and server.ranges:
            start = int(match.group(1))
            if start >= len(body):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(body)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(body) - start))
        self.end_headers()
        payload = body[start:]
        if server.cuts.get(self.path, 0) > 0:
            server.cuts[self.path] -= 1
            self.wfile.write(payload[: len(payload) // 2])
            self.wfile.flush()
            self.close_connection = True  # the client sees the stream end early
            return
        self.wfile.write(payload)


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.files, httpd.cuts, httpd.requests, httpd.ranges = {}, {}, [], True
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def remote(name, urls, data=None, **fields):
    pinned = {"sha256": sha256(data), "size": len(data)} if data is not None else {}
    fields = {"sha256": None, "size": None, **pinned, **fields}
    if fields["sha256"] or fields.get("md5"):
        fields.setdefault("checksum_source", "test")
    return RemoteFile(name=name, urls=tuple(urls), **fields)


def catalog_of(*files, name="toy", manual=False, local=()):
    entry = Entry(
        name=name,
        title="Toy data",
        kind="dataset",
        chapters=(1,),
        homepage="https://example.org/toy",
        licence="MIT",
        manual=manual,
        layout="toy.bin",
        files=tuple(files),
        local=tuple(local),
        manual_reason="It is behind a login." if manual else "",
    )
    return {name: entry}


def test_a_download_is_verified_cached_and_not_repeated(server, tmp_path):
    server.files["/toy.bin"] = PAYLOAD
    catalog = catalog_of(remote("toy.bin", [server.url + "/toy.bin"], PAYLOAD))
    folder = fetch("toy", tmp_path, progress=False, catalog=catalog)
    assert (folder / "toy.bin").read_bytes() == PAYLOAD
    assert folder == tmp_path / "toy" and status("toy", tmp_path, catalog=catalog) == "cached"
    assert where("toy", tmp_path, catalog=catalog) == folder
    fetch("toy", tmp_path, progress=False, catalog=catalog)
    assert len(server.requests) == 1


def test_the_cache_folder_comes_from_the_environment(server, tmp_path, monkeypatch):
    monkeypatch.setenv("IGCOURSE_DATA_DIR", str(tmp_path / "cache"))
    server.files["/toy.bin"] = PAYLOAD
    catalog = catalog_of(remote("toy.bin", [server.url + "/toy.bin"], PAYLOAD))
    assert fetch("toy", progress=False, catalog=catalog) == tmp_path / "cache" / "toy"


def test_a_corrupt_file_is_a_clear_error_and_is_removed(server, tmp_path):
    server.files["/toy.bin"] = PAYLOAD[:-1] + b"!"
    catalog = catalog_of(remote("toy.bin", [server.url + "/toy.bin"], PAYLOAD))
    with pytest.raises(ChecksumMismatch, match="its sha256 is .* the catalog says") as error:
        fetch("toy", tmp_path, progress=False, catalog=catalog)
    assert "was removed" in str(error.value)
    assert not (tmp_path / "toy" / "toy.bin").exists()
    assert not (tmp_path / "toy" / "toy.bin.part").exists()


def test_a_file_of_the_wrong_size_is_refused(server, tmp_path):
    server.files["/toy.bin"] = PAYLOAD + b"extra"
    catalog = catalog_of(remote("toy.bin", [server.url + "/toy.bin"], size=len(PAYLOAD)))
    with pytest.raises(ChecksumMismatch, match="bytes, the catalog says"):
        fetch("toy", tmp_path, progress=False, catalog=catalog)


def test_an_interrupted_download_resumes_where_it_broke(server, tmp_path):
    server.files["/toy.bin"] = PAYLOAD
    server.cuts["/toy.bin"] = 2
    catalog = catalog_of(remote("toy.bin", [server.url + "/toy.bin"], PAYLOAD))
    folder = fetch("toy", tmp_path, progress=False, catalog=catalog)
    assert (folder / "toy.bin").read_bytes() == PAYLOAD
    ranges = [r for _path, r in server.requests]
    assert ranges == [None, f"bytes={len(PAYLOAD) // 2}-", f"bytes={3 * len(PAYLOAD) // 4}-"]


def test_a_broken_download_keeps_its_part_and_the_next_call_resumes(server, tmp_path):
    server.files["/toy.bin"] = PAYLOAD
    server.cuts["/toy.bin"] = 1
    catalog = catalog_of(remote("toy.bin", [server.url + "/toy.bin"], PAYLOAD))
    with pytest.raises(IncompleteDownload, match="run the same command again to resume"):
        fetch("toy", tmp_path, progress=False, retries=0, catalog=catalog)
    part = tmp_path / "toy" / "toy.bin.part"
    assert part.stat().st_size == len(PAYLOAD) // 2
    assert status("toy", tmp_path, catalog=catalog) == "partial"
    fetch("toy", tmp_path, progress=False, retries=0, catalog=catalog)
    assert server.requests[-1][1] == f"bytes={len(PAYLOAD) // 2}-"
    assert (tmp_path / "toy" / "toy.bin").read_bytes() == PAYLOAD and not part.exists()


def test_a_server_without_range_support_restarts_cleanly(server, tmp_path):
    server.files["/toy.bin"] = PAYLOAD
    server.ranges = False
    (tmp_path / "toy").mkdir()
    (tmp_path / "toy" / "toy.bin.part").write_bytes(b"stale bytes")
    catalog = catalog_of(remote("toy.bin", [server.url + "/toy.bin"], PAYLOAD))
    folder = fetch("toy", tmp_path, progress=False, catalog=catalog)
    assert (folder / "toy.bin").read_bytes() == PAYLOAD


def test_a_mirror_is_tried_when_the_first_url_fails(server, tmp_path):
    server.files["/mirror/toy.bin"] = PAYLOAD
    urls = [server.url + "/gone/toy.bin", server.url + "/mirror/toy.bin"]
    catalog = catalog_of(remote("toy.bin", urls, PAYLOAD))
    assert (fetch("toy", tmp_path, progress=False, catalog=catalog) / "toy.bin").exists()


def test_offline_gives_one_message_with_what_to_download_and_where(closed_port, tmp_path):
    url = f"http://127.0.0.1:{closed_port}/toy.bin"
    catalog = catalog_of(remote("toy.bin", [url], PAYLOAD))
    with pytest.raises(OfflineError) as error:
        fetch("toy", tmp_path, progress=False, timeout=5, catalog=catalog)
    message = str(error.value)
    assert "offline" in message and url in message
    assert str(tmp_path / "toy" / "toy.bin") in message
    assert "igcourse data fetch toy" in message
    assert error.value.__cause__ is None and error.value.__suppress_context__


def test_an_http_error_is_not_called_offline(server, tmp_path):
    catalog = catalog_of(remote("toy.bin", [server.url + "/missing.bin"], PAYLOAD))
    with pytest.raises(DownloadFailed, match="HTTP 404") as error:
        fetch("toy", tmp_path, progress=False, catalog=catalog)
    assert "offline" not in str(error.value)


def test_a_manual_dataset_says_what_to_download_and_where(tmp_path):
    catalog = catalog_of(
        remote("faces.zip", ["https://drive.example.org/faces"], PAYLOAD), manual=True
    )
    with pytest.raises(ManualDownloadRequired) as error:
        fetch("toy", tmp_path, progress=False, catalog=catalog)
    message = str(error.value)
    for part in ("by hand", "behind a login", "faces.zip", "https://drive.example.org/faces"):
        assert part in message
    assert str(tmp_path / "toy") in message


def test_a_manual_dataset_put_in_place_is_verified_and_unpacked(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("faces/000001.jpg", b"jpeg")
    data = buffer.getvalue()
    catalog = catalog_of(
        remote("faces.zip", ["https://drive.example.org/faces"], data, extract="zip"),
        manual=True,
    )
    (tmp_path / "toy").mkdir()
    (tmp_path / "toy" / "faces.zip").write_bytes(data)
    folder = fetch("toy", tmp_path, progress=False, catalog=catalog)
    assert (folder / "faces" / "000001.jpg").read_bytes() == b"jpeg"


def test_an_unpinned_file_is_accepted_with_a_warning(server, tmp_path):
    server.files["/toy.bin"] = PAYLOAD
    catalog = catalog_of(remote("toy.bin", [server.url + "/toy.bin"], size=len(PAYLOAD)))
    with pytest.warns(ChecksumNotPinned, match="no checksum is pinned.*only its size"):
        fetch("toy", tmp_path, progress=False, catalog=catalog)


def test_an_md5_pin_is_checked(server, tmp_path):
    server.files["/w.h5"] = PAYLOAD
    wrong = hashlib.md5(b"other").hexdigest()
    catalog = catalog_of(remote("w.h5", [server.url + "/w.h5"], md5=wrong, size=len(PAYLOAD)))
    with pytest.raises(ChecksumMismatch, match="md5"):
        fetch("toy", tmp_path, progress=False, catalog=catalog)


def test_a_bz2_model_is_unpacked_and_its_content_checked(server, tmp_path):
    packed = bz2.compress(PAYLOAD)
    server.files["/model.dat.bz2"] = packed
    spec = remote(
        "model.dat.bz2",
        [server.url + "/model.dat.bz2"],
        packed,
        extract="bz2",
        unpacked_name="model.dat",
        unpacked_size=len(PAYLOAD),
        unpacked_sha256=sha256(PAYLOAD),
    )
    folder = fetch("toy", tmp_path, progress=False, catalog=catalog_of(spec))
    assert (folder / "model.dat").read_bytes() == PAYLOAD


def test_a_malicious_archive_is_refused_and_nothing_escapes(server, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("ok.txt", b"fine")
        zf.writestr("../../escaped.txt", b"evil")
    data = buffer.getvalue()
    server.files["/evil.zip"] = data
    cache = tmp_path / "cache"
    catalog = catalog_of(remote("evil.zip", [server.url + "/evil.zip"], data, extract="zip"))
    with pytest.raises(UnsafeArchive, match="climbs out"):
        fetch("toy", cache, progress=False, catalog=catalog)
    assert not list(tmp_path.rglob("escaped.txt"))
    assert not (cache / "toy" / "ok.txt").exists()


def test_an_installed_local_source_is_used_without_downloading(tmp_path, closed_port):
    (tmp_path / "debian").mkdir()
    (tmp_path / "debian" / "toy.bin").write_bytes(PAYLOAD)
    catalog = catalog_of(
        remote("toy.bin", [f"http://127.0.0.1:{closed_port}/toy.bin"], PAYLOAD),
        local=[LocalSource("toy-data", tmp_path / "debian")],
    )
    assert fetch("toy", tmp_path / "cache", catalog=catalog) == tmp_path / "debian"
    assert status("toy", tmp_path / "cache", catalog=catalog) == "local"
    with pytest.raises(OfflineError):
        fetch("toy", tmp_path / "cache", prefer_local=False, timeout=5, catalog=catalog)


def test_every_fetch_error_is_a_data_error():
    for error in (ChecksumMismatch, IncompleteDownload, ManualDownloadRequired, OfflineError):
        assert issubclass(error, DataError)
