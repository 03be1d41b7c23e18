"""Does unpacking refuse members that would land outside the target folder?"""

import bz2
import io
import stat
import tarfile
import zipfile

import pytest

from igcourse.data.archive import extract
from igcourse.data.errors import UnsafeArchive


def make_zip(path, members, links=()):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members:
            zf.writestr(name, data)
        for name, target in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, target)
    return path


def make_tar(path, members=(), links=(), devices=()):
    with tarfile.open(path, "w:gz") as tf:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
        for name, target in links:
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, target
            tf.addfile(info)
        for name in devices:
            info = tarfile.TarInfo(name)
            info.type = tarfile.CHRTYPE
            tf.addfile(info)
    return path


def test_a_benign_zip_and_tar_unpack_with_their_folders(tmp_path):
    members = [("facades/train/1.jpg", b"a"), ("facades/val/2.jpg", b"b")]
    extract(make_zip(tmp_path / "a.zip", members), tmp_path / "z", "zip")
    extract(make_tar(tmp_path / "a.tar.gz", members), tmp_path / "t", "tar")
    for root in ("z", "t"):
        assert (tmp_path / root / "facades" / "val" / "2.jpg").read_bytes() == b"b"


def test_a_link_inside_the_folder_is_allowed(tmp_path):
    archive = make_tar(
        tmp_path / "a.tar.gz", [("d/real.txt", b"x")], links=[("d/alias", "real.txt")]
    )
    extract(archive, tmp_path / "out", "tar")
    assert (tmp_path / "out" / "d" / "alias").read_bytes() == b"x"


@pytest.mark.parametrize(
    "name, why",
    [
        ("../escaped.txt", "climbs out"),
        ("a/../../escaped.txt", "climbs out"),
        ("/tmp/escaped.txt", "absolute path"),
        ("C:/escaped.txt", "absolute path"),
    ],
)
def test_a_zip_member_outside_the_folder_is_refused(tmp_path, name, why):
    archive = make_zip(tmp_path / "evil.zip", [("first.txt", b"ok"), (name, b"evil")])
    with pytest.raises(UnsafeArchive, match=why):
        extract(archive, tmp_path / "out" / "in", "zip")
    assert not (tmp_path / "out" / "in" / "first.txt").exists(), "checked before writing"
    assert not list(tmp_path.rglob("escaped.txt"))


@pytest.mark.parametrize("name", ["../escaped.txt", "/tmp/escaped.txt"])
def test_a_tar_member_outside_the_folder_is_refused(tmp_path, name):
    archive = make_tar(tmp_path / "evil.tar.gz", [("first.txt", b"ok"), (name, b"evil")])
    with pytest.raises(UnsafeArchive):
        extract(archive, tmp_path / "out" / "in", "tar")
    assert not list(tmp_path.rglob("escaped.txt"))


@pytest.mark.parametrize("kind", ["zip", "tar"])
@pytest.mark.parametrize("target", ["../../etc/passwd", "/etc/passwd"])
def test_a_link_escaping_the_folder_is_refused(tmp_path, kind, target):
    if kind == "zip":
        archive = make_zip(tmp_path / "evil.zip", [], links=[("d/link", target)])
    else:
        archive = make_tar(tmp_path / "evil.tar.gz", links=[("d/link", target)])
    with pytest.raises(UnsafeArchive, match="link"):
        extract(archive, tmp_path / "out", kind)
    assert not (tmp_path / "out" / "d" / "link").exists()


def test_a_device_file_is_refused(tmp_path):
    archive = make_tar(tmp_path / "evil.tar.gz", devices=["dev/tty"])
    with pytest.raises(UnsafeArchive, match="special file"):
        extract(archive, tmp_path / "out", "tar")


def test_a_bz2_file_unpacks_to_its_name(tmp_path):
    (tmp_path / "m.dat.bz2").write_bytes(bz2.compress(b"weights"))
    extract(tmp_path / "m.dat.bz2", tmp_path / "out", "bz2", unpacked_name="m.dat")
    assert (tmp_path / "out" / "m.dat").read_bytes() == b"weights"
