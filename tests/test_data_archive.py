"""Does unpacking refuse members that would land outside the target folder?"""

import bz2
import gzip
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
        ("..\\escaped.txt", "climbs out"),
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


# Attacks. Unless its test says otherwise, the earlier code (checks by name only, then
# tarfile's "data" filter, as in Python 3.11.7) unpacked each archive below with a file
# landing outside the folder or written through a link, or, for bombs, unpacked it whole.


def tar_of(path, entries):
    """A tar.gz of TarInfo entries made by file_(), dir_(), symlink() and hardlink()."""
    with tarfile.open(path, "w:gz", compresslevel=1) as tf:
        for info, data in entries:
            tf.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def file_(name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def dir_(name):
    info = tarfile.TarInfo(name)
    info.type, info.mode = tarfile.DIRTYPE, 0o755
    return info, None


def symlink(name, target):
    info = tarfile.TarInfo(name)
    info.type, info.linkname = tarfile.SYMTYPE, target
    return info, None


def hardlink(name, target):
    info = tarfile.TarInfo(name)
    info.type, info.linkname = tarfile.LNKTYPE, target
    return info, None


def outside(tmp_path, dest):
    """Every file under tmp_path that is not under dest (nor an archive made by the test)."""
    return [
        p
        for p in tmp_path.rglob("*")
        if not p.is_relative_to(dest) and p.is_file() and p.suffix not in (".zip", ".gz")
    ]


CHAINED = [("l1", "."), ("l1/l2", "..")]  # l1/l2/x is dest/../x once both links exist
LINK_TO_LINK = [("a", "."), ("b", "a/..")]  # b reads as "." by name, but is dest/..


@pytest.mark.parametrize("links, through", [(CHAINED, "l1/l2/x"), (LINK_TO_LINK, "b/x")])
def test_zip_links_chained_to_walk_out_are_refused(tmp_path, links, through):
    archive = make_zip(tmp_path / "evil.zip", [], links=links)
    with zipfile.ZipFile(archive, "a") as zf:
        zf.writestr(through, b"evil")
    dest = tmp_path / "out" / "in"
    with pytest.raises(UnsafeArchive, match="link"):
        extract(archive, dest, "zip")
    assert not outside(tmp_path, dest)
    assert not list(dest.iterdir()), "checked before writing"


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize("member", ["d/real.txt", "alias"])
def test_a_zip_member_is_never_written_through_a_link(tmp_path, member):
    archive = make_zip(tmp_path / "evil.zip", [], links=[("d", "sub"), ("alias", "sub/real.txt")])
    with zipfile.ZipFile(archive, "a") as zf:
        zf.writestr(member, b"evil")
    dest = tmp_path / "out"
    (dest / "sub").mkdir(parents=True)
    (dest / "sub" / "real.txt").write_bytes(b"real")
    with pytest.raises(UnsafeArchive, match="link"):
        extract(archive, dest, "zip")
    assert (dest / "sub" / "real.txt").read_bytes() == b"real"


@pytest.mark.parametrize("kind", ["zip", "tar"])
def test_a_link_already_in_the_folder_is_not_written_through(tmp_path, kind):
    # Left by an earlier unpacking, or by someone else; the tar half was refused before too.
    dest = tmp_path / "out"
    dest.mkdir()
    (tmp_path / "victim").mkdir()
    (dest / "d").symlink_to(tmp_path / "victim")
    if kind == "zip":
        archive = make_zip(tmp_path / "a.zip", [("d/x", b"evil")])
    else:
        archive = tar_of(tmp_path / "a.tar.gz", [file_("d/x", b"evil")])
    with pytest.raises(UnsafeArchive):
        extract(archive, dest, kind)
    assert not (tmp_path / "victim" / "x").exists()


@pytest.mark.parametrize("links, through", [(CHAINED, "l1/l2/x"), (LINK_TO_LINK, "b/x")])
def test_tar_links_chained_to_walk_out_are_refused(tmp_path, links, through):
    # tarfile's "data" filter refused these before too.
    entries = [symlink(name, target) for name, target in links] + [file_(through, b"evil")]
    dest = tmp_path / "out" / "in"
    with pytest.raises(UnsafeArchive, match="link"):
        extract(tar_of(tmp_path / "evil.tar.gz", entries), dest, "tar")
    assert not outside(tmp_path, dest)


def overflowing_links():
    """Links that tarfile's "data" filter (Python < 3.11.13, CVE-2025-4517) reads wrongly.

    Sixteen short links each lead one long folder deeper, so that os.path.realpath's path
    outgrows PATH_MAX and it stops following links; it then takes `escape` for a folder
    inside, while the system follows every link to dest/.. .
    """
    long, entries, path = "d" * 247, [], ""
    for step in "abcdefghijklmnop":
        entries += [dir_(f"{path}{long}"), symlink(f"{path}{step}", long)]
        path += f"{step}/"
    deep = f"{path}{'l' * 254}"
    entries.append(symlink(deep, "/".join([".."] * 16)))
    return [*entries, symlink("escape", f"{deep}/..")]


def test_a_tar_that_fools_tarfiles_filter_cannot_write_outside(tmp_path):
    archive = tar_of(tmp_path / "evil.tar.gz", [*overflowing_links(), file_("escape/x", b"evil")])
    dest = tmp_path / "out" / "in"
    with pytest.raises(UnsafeArchive, match="link"):
        extract(archive, dest, "tar")
    assert not outside(tmp_path, dest)


def test_a_tar_hard_link_cannot_reach_a_file_outside(tmp_path):
    dest = tmp_path / "out" / "in"
    dest.mkdir(parents=True)
    secret = tmp_path / "out" / "secret.txt"
    secret.write_bytes(b"secret")
    entries = [*overflowing_links(), hardlink("h", "escape/secret.txt"), file_("h", b"owned")]
    with pytest.raises(UnsafeArchive, match="link"):
        extract(tar_of(tmp_path / "evil.tar.gz", entries), dest, "tar")
    assert secret.read_bytes() == b"secret"
    assert not (dest / "h").exists()


@pytest.mark.parametrize("link", [symlink, hardlink])
def test_a_tar_member_replacing_a_link_does_not_write_through_it(tmp_path, link):
    target = "real.txt" if link is symlink else "d/real.txt"
    entries = [file_("d/real.txt", b"real"), link("d/alias", target), file_("d/alias", b"new")]
    extract(tar_of(tmp_path / "a.tar.gz", entries), tmp_path / "out", "tar")
    assert (tmp_path / "out" / "d" / "real.txt").read_bytes() == b"real"
    assert (tmp_path / "out" / "d" / "alias").read_bytes() == b"new"


@pytest.mark.parametrize("target", ["sub", "f.txt"])
def test_a_tar_folder_named_like_an_earlier_link_is_refused(tmp_path, target):
    entries = [dir_("sub"), file_("f.txt", b"f"), symlink("d", target), dir_("d")]
    entries.append(file_("d/x", b"evil"))
    with pytest.raises(UnsafeArchive):
        extract(tar_of(tmp_path / "a.tar.gz", entries), tmp_path / "out", "tar")
    assert not (tmp_path / "out" / "sub" / "x").exists()


def test_tar_links_inside_become_copies_and_unpack_again(tmp_path):
    # Not an attack: what a tar link inside the folder is now (the earlier code made links).
    entries = [file_("./d/real.txt", b"x"), symlink("d/alias", "../d/real.txt")]
    archive = tar_of(tmp_path / "a.tar.gz", [dir_("."), *entries, hardlink("h", "d/real.txt")])
    for _ in range(2):  # a second unpacking (an interrupted fetch) replaces the first
        extract(archive, tmp_path / "out", "tar")
    for copy in ("d/alias", "h"):
        assert not (tmp_path / "out" / copy).is_symlink()
        assert (tmp_path / "out" / copy).read_bytes() == b"x"


ZEROS = bytes(1 << 20)


def zeros_zip(path, mib):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("zeros.bin", "w") as out:
            for _ in range(mib):
                out.write(ZEROS)
    return path


def zeros_tar(path, mib):
    # gzip and bz2 read concatenated streams as one: 1 MiB of zeros is packed once, repeated.
    info = tarfile.TarInfo("zeros.bin")
    info.size = mib << 20
    packed = gzip.compress(ZEROS, 1) * mib
    path.write_bytes(gzip.compress(info.tobuf()) + packed + gzip.compress(bytes(1024)))
    return path


def zeros_bz2(path, mib):
    path.write_bytes(bz2.compress(ZEROS, 1) * mib)
    return path


@pytest.mark.parametrize("kind, make", [("zip", zeros_zip), ("tar", zeros_tar), ("bz2", zeros_bz2)])
def test_an_archive_bomb_by_ratio_is_refused(tmp_path, kind, make):
    # 80 MiB of zeros packs into a few hundred KB: far more than max_ratio times its size.
    archive = make(tmp_path / f"bomb.{kind}", 80)
    with pytest.raises(UnsafeArchive, match="bomb"):
        extract(archive, tmp_path / "out", kind, unpacked_name="zeros.bin")
    assert not [p for p in (tmp_path / "out").rglob("*") if p.stat().st_size > 70 << 20]


def test_an_archive_bomb_by_size_is_refused(tmp_path):
    # This and the next test use limits that the earlier extract() did not take.
    archive = make_zip(tmp_path / "big.zip", [("a.bin", ZEROS), ("b.bin", ZEROS)])
    with pytest.raises(UnsafeArchive, match="max_size"):
        extract(archive, tmp_path / "out", "zip", max_size=1 << 20)
    assert not (tmp_path / "out" / "a.bin").exists()


@pytest.mark.parametrize("kind", ["zip", "tar"])
def test_an_archive_bomb_by_member_count_is_refused(tmp_path, kind):
    members = [(f"f{i}.txt", b"") for i in range(11)]
    if kind == "zip":
        archive = make_zip(tmp_path / "many.zip", members)
    else:
        archive = tar_of(tmp_path / "many.tar.gz", [file_(n, d) for n, d in members])
    with pytest.raises(UnsafeArchive, match="max_members"):
        extract(archive, tmp_path / "out", kind, max_members=10)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


@pytest.mark.parametrize(
    "entry, why",
    [
        (file_("a/../../escaped.txt", b"evil"), "climbs out"),
        (file_("C:/escaped.txt", b"evil"), "absolute path"),
        (hardlink("escaped.txt", "../x"), "out"),
        (hardlink("escaped.txt", "/etc/passwd"), "absolute"),
    ],
)
def test_tar_names_and_links_outside_are_still_refused(tmp_path, entry, why):
    # Refused before too.
    archive = tar_of(tmp_path / "evil.tar.gz", [file_("first.txt", b"ok"), entry])
    with pytest.raises(UnsafeArchive, match=why):
        extract(archive, tmp_path / "out" / "in", "tar")
    assert not list(tmp_path.rglob("escaped.txt"))
    assert not (tmp_path / "out" / "in" / "first.txt").exists(), "checked before writing"
