"""Unpack zip, tar and bz2 downloads without letting any member escape the target folder."""

import bz2
import posixpath
import shutil
import stat
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

from igcourse.data.errors import UnsafeArchive
from igcourse.i18n import _


def extract(archive, dest, kind, *, unpacked_name=None):
    """Unpack `archive` (kind "zip", "tar" or "bz2") into the folder `dest`; return `dest`.

    Every member is checked before anything is written: absolute paths, `..`, drive
    letters, links pointing outside `dest`, and device files raise UnsafeArchive.
    """
    archive, dest = Path(archive), Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    if kind == "zip":
        _extract_zip(archive, dest)
    elif kind == "tar":
        _extract_tar(archive, dest)
    elif kind == "bz2":
        _unpack_bz2(archive, dest / (unpacked_name or archive.name.removesuffix(".bz2")))
    else:
        raise ValueError(_("unknown archive kind {kind!r}").format(kind=kind))
    return dest


def _refuse(archive, member, why):
    raise UnsafeArchive(
        _(
            "{archive} was not unpacked: its member {member!r} {why}. The file may be "
            "malicious; delete it and download it from the official address."
        ).format(archive=archive.name, member=member, why=why)
    )


def check_member(archive, name):
    """Refuse a member name that is absolute or climbs out of the target folder."""
    if not name:
        _refuse(archive, name, _("has an empty name"))
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or (path.parts and path.parts[0].endswith(":")):
        _refuse(archive, name, _("has an absolute path"))
    if ".." in path.parts:
        _refuse(archive, name, _("climbs out of the folder with '..'"))


def _check_link(archive, name, target):
    if PurePosixPath(target).is_absolute():
        _refuse(archive, name, _("is a link to an absolute path"))
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
    if resolved == ".." or resolved.startswith("../"):
        _refuse(archive, name, _("is a link that points outside the folder"))


def _extract_zip(archive, dest):
    with zipfile.ZipFile(archive) as zf:
        members = zf.infolist()
        links = {}
        for info in members:
            check_member(archive, info.filename)
            if stat.S_ISLNK(info.external_attr >> 16):
                target = zf.read(info).decode("utf-8")
                _check_link(archive, info.filename, target)
                links[info.filename] = target
        for info in members:
            target = dest / info.filename
            if info.filename in links:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.unlink(missing_ok=True)
                target.symlink_to(links[info.filename])
            elif info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out)


def _extract_tar(archive, dest):
    with tarfile.open(archive) as tf:
        members = tf.getmembers()
        for member in members:
            check_member(archive, member.name)
            if member.issym():
                _check_link(archive, member.name, member.linkname)
            elif member.islnk():
                check_member(archive, member.linkname)
            elif not (member.isfile() or member.isdir()):
                _refuse(archive, member.name, _("is a device or other special file"))
        # The "data" filter repeats these checks inside tarfile itself (PEP 706).
        try:
            tf.extractall(dest, members=members, filter="data")
        except tarfile.FilterError as error:
            member = getattr(error, "tarinfo", None)
            _refuse(archive, member.name if member else "?", str(error))


def _unpack_bz2(archive, target):
    partial = target.with_name(target.name + ".part")
    with bz2.open(archive, "rb") as src, open(partial, "wb") as out:
        shutil.copyfileobj(src, out, 1 << 20)
    partial.replace(target)
