"""Unpack zip, tar and bz2 downloads without letting any member escape the target folder.

Nothing is written through a link: folders are opened one level at a time from a descriptor
of the target folder with O_NOFOLLOW, and files are created with O_EXCL. No link is created
either: a zip's links are refused, and a tar link (symbolic or hard) to a file of the same
archive is unpacked as a copy of it, so nothing unpacked can point anywhere. Checks by
name alone are not enough: `l1 -> .` then `l1/l2 -> ..` are each harmless by name, yet
`l1/l2/x` is then a file above the folder. Sizes and member counts are bounded too.
"""

import bz2
import contextlib
import errno
import os
import posixpath
import stat
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

from igcourse.data.errors import UnsafeArchive
from igcourse.i18n import _

MIB = 1 << 20
# The largest catalog archives, CelebA's img_align_celeba.zip (1.4 GB, 202,599 jpgs) and
# edges2shoes.tar.gz (about 2 GB), hold images that do not compress: they unpack to about
# their own size. Notebooks in an LMS zip compress a few times. Zeros compress 1000 times.
MAX_SIZE = 16 * 1024 * MIB
MAX_MEMBERS = 500_000
MAX_RATIO = 100
ALWAYS_ALLOWED = 64 * MIB  # however small the archive, it may unpack to this much
_CHUNK = MIB

# Linux and macOS have these; elsewhere _Writer refuses rather than unpack unsafely.
_SAFE = hasattr(os, "O_DIRECTORY") and hasattr(os, "O_NOFOLLOW") and os.open in os.supports_dir_fd
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def extract(
    archive,
    dest,
    kind,
    *,
    unpacked_name=None,
    max_size=MAX_SIZE,
    max_members=MAX_MEMBERS,
    max_ratio=MAX_RATIO,
):
    """Unpack `archive` (kind "zip", "tar" or "bz2") into the folder `dest`; return `dest`.

    Every member is checked before anything is written: absolute paths, `..`, drive
    letters, links in zips, tar links to anything but a file of the archive, and device
    files raise UnsafeArchive. So does an archive bomb: more than `max_members` members
    (default 500,000), or members adding up to more than `max_ratio` (100) times the
    archive's size, at least ALWAYS_ALLOWED (64 MiB) and at most `max_size` (16 GiB).
    While writing, a member that would pass through a link or a file, or replace a
    folder or a link, and bytes beyond the sizes declared, raise it too.
    """
    archive, dest = Path(archive), Path(dest)
    limits = _Limits(archive, max_size, max_members, max_ratio)
    dest.mkdir(parents=True, exist_ok=True)
    if kind == "zip":
        _extract_zip(archive, dest, limits)
    elif kind == "tar":
        _extract_tar(archive, dest, limits)
    elif kind == "bz2":
        _unpack_bz2(archive, dest / (unpacked_name or archive.name.removesuffix(".bz2")), limits)
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


def _bomb(archive, what):
    return UnsafeArchive(
        _(
            "{archive} was not unpacked: {what}. It may be an archive bomb (a small file that "
            "unpacks to a huge one); if you trust it, call igcourse.data.archive.extract() "
            "with larger limits."
        ).format(archive=archive.name, what=what)
    )


class _Limits:
    """What one archive may cost: members, and bytes declared and written."""

    def __init__(self, archive, max_size, max_members, max_ratio):
        self.archive, self.max_size, self.max_members = archive, max_size, max_members
        size = archive.stat().st_size
        self.budget = min(max_size, max(ALWAYS_ALLOWED, max_ratio * size))
        self.why = _(
            "its members add up to more than {limit} MB, the most allowed for an archive of "
            "{size} MB (max_ratio={ratio}, max_size={most} MB)"
        ).format(limit=_mb(self.budget), size=_mb(size), ratio=max_ratio, most=_mb(max_size))
        self.members = self.declared = self.written = 0

    def count(self, size=0):
        """One more member of `size` bytes, counted before anything is written."""
        self.members += 1
        if self.members > self.max_members:
            what = _("it has more than {limit} members (max_members)")
            raise _bomb(self.archive, what.format(limit=self.max_members))
        self.charge(size)

    def charge(self, size):
        self.declared += size
        if self.declared > self.budget:
            raise _bomb(self.archive, self.why)

    def spend(self, size):
        """Bytes actually written: a size declared in a header may lie."""
        self.written += size
        if self.written > self.budget:
            raise _bomb(self.archive, self.why)


def _mb(size):
    return f"{size / MIB:.1f}".removesuffix(".0")


def check_member(archive, name, folder=False):
    """Refuse a member name that is absolute or climbs out; return its path's parts.

    Only a `folder` member may name the target folder itself ("./" in many tars).
    """
    if not name:
        _refuse(archive, name, _("has an empty name"))
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or (path.parts and path.parts[0].endswith(":")):
        _refuse(archive, name, _("has an absolute path"))
    if ".." in path.parts:
        _refuse(archive, name, _("climbs out of the folder with '..'"))
    if not path.parts and not folder:  # "." or "./" names the folder itself
        _refuse(archive, name, _("has an empty name"))
    return path.parts


class _Writer:
    """Writes members below `dest` through descriptors, never following a link."""

    def __init__(self, archive, dest, limits):
        if not _SAFE:
            raise NotImplementedError(_("unpacking archives safely needs Linux or macOS"))
        self.archive, self.limits = archive, limits
        self.root = os.open(dest, os.O_RDONLY | os.O_DIRECTORY)

    def __enter__(self):
        return self

    def __exit__(self, *error):
        os.close(self.root)

    def folder(self, name, parts):
        """A descriptor of the folder `parts` below dest, made where missing."""
        fd = os.dup(self.root)
        for part in parts:
            fd = self._child(fd, part, name)
        return fd

    def _child(self, fd, part, name):
        """Open the folder `part` in `fd` (made if missing), closing `fd`; never a link."""
        try:
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, dir_fd=fd)  # mkdir never follows a link
            return os.open(part, _DIR_FLAGS, dir_fd=fd)
        except OSError as error:
            if error.errno in (errno.ELOOP, errno.ENOTDIR):
                _refuse(self.archive, name, _("would be written through a link or a file"))
            raise
        finally:
            os.close(fd)

    def file(self, name, parts, source):
        """Copy the binary stream `source` into a new file at `parts`."""
        parent = self.folder(name, parts[:-1])
        try:
            self._clear(name, parent, parts[-1])
            out = os.open(parts[-1], _NEW_FILE, 0o666, dir_fd=parent)
        finally:
            os.close(parent)
        with open(out, "wb") as stream:
            _copy(source, stream, self.limits)

    def _clear(self, name, parent, leaf):
        """Remove an earlier file of that name: a repeated member, or an earlier unpacking."""
        try:
            mode = os.stat(leaf, dir_fd=parent, follow_symlinks=False).st_mode
        except FileNotFoundError:
            return
        if not stat.S_ISREG(mode):  # this code makes no links; someone else left this one
            _refuse(self.archive, name, _("would replace a folder or a link"))
        # Unlinking, then O_EXCL, also parts a hard link to a file elsewhere from it.
        os.unlink(leaf, dir_fd=parent)


def _copy(source, out, limits):
    while chunk := source.read(_CHUNK):
        limits.spend(len(chunk))
        out.write(chunk)


def _extract_zip(archive, dest, limits):
    with zipfile.ZipFile(archive) as zf:
        members = [(info, _zip_member(archive, info, limits)) for info in zf.infolist()]
        with _Writer(archive, dest, limits) as writer:
            for info, parts in members:
                if info.is_dir():
                    os.close(writer.folder(info.filename, parts))
                    continue
                with zf.open(info) as source:
                    writer.file(info.filename, parts, source)


def _zip_member(archive, info, limits):
    """Check one zip member before anything is written; return its path's parts."""
    parts = check_member(archive, info.filename, folder=info.is_dir())
    if stat.S_ISLNK(info.external_attr >> 16):
        # Neither LMS zips nor the catalog's zips hold links, and a link is what lets a
        # later member, or whoever reads the folder, walk out of it.
        _refuse(archive, info.filename, _("is a symbolic link, and zip links are not unpacked"))
    limits.count(info.file_size)
    return parts


def _extract_tar(archive, dest, limits):
    with tarfile.open(archive) as tf:
        plan = _tar_plan(archive, tf, limits)
        with _Writer(archive, dest, limits) as writer:
            for member, parts, source in plan:
                if member.isdir():
                    os.close(writer.folder(member.name, parts))
                    continue
                with tf.extractfile(source) as data:
                    writer.file(member.name, parts, data)


def _tar_plan(archive, tf, limits):
    """Check every member first: a list of (member, its parts, the member with its data)."""
    members, named = [], {}
    for member in tf:  # read lazily, so that a bomb stops at its first excess
        parts = check_member(archive, member.name, folder=member.isdir())
        if not (member.isfile() or member.isdir() or member.issym() or member.islnk()):
            _refuse(archive, member.name, _("is a device or other special file"))
        limits.count(member.size if member.isfile() else 0)
        members.append((member, parts))
        named["/".join(parts)] = member, parts
    plan = []
    for member, parts in members:
        source = member
        if member.issym() or member.islnk():
            source = _link_source(archive, member, parts, named)
            limits.charge(source.size)
        plan.append((member, parts, source))
    return plan


def _link_source(archive, member, parts, named):
    """The file member a tar link finally names; the link is unpacked as a copy of it."""
    current, seen = member, set()
    while current.issym() or current.islnk():
        key = _link_key(archive, current, parts)
        if key in seen or key not in named:  # a loop of links, or a name not in the archive
            _not_a_file(archive, member)
        seen.add(key)
        current, parts = named[key]
    if not current.isfile():
        _not_a_file(archive, member)
    return current


def _not_a_file(archive, link):
    why = _("is a link to {target!r}, which is not a file of the archive")
    _refuse(archive, link.name, why.format(target=link.linkname))


def _link_key(archive, link, parts):
    """The member name a link points to: a symbolic link's from its folder, a hard link's
    from the top. Names, not the disk, are resolved, so links on the way cannot mislead."""
    target = link.linkname.replace("\\", "/")
    if PurePosixPath(target).is_absolute():
        _refuse(archive, link.name, _("is a link to an absolute path"))
    folder = "/".join(parts[:-1]) if link.issym() else ""
    resolved = posixpath.normpath(posixpath.join(folder, target))
    if resolved == ".." or resolved.startswith("../"):
        _refuse(archive, link.name, _("is a link that points outside the folder"))
    return "/".join(PurePosixPath(resolved).parts)


def _unpack_bz2(archive, target, limits):
    partial = target.with_name(target.name + ".part")
    try:
        with bz2.open(archive, "rb") as src, open(partial, "wb") as out:
            _copy(src, out, limits)
    except UnsafeArchive:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
