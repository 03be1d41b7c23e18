"""Check a file's size and checksum against its catalog record."""

import hashlib
import warnings

from igcourse.data.errors import ChecksumMismatch, ChecksumNotPinned
from igcourse.i18n import _

_CHUNK = 1 << 20


def file_digest(path, algorithm="sha256"):
    """Hex digest of a file, read in 1 MiB chunks."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify(path, *, size=None, sha256=None, md5=None, remove_bad=True):
    """Raise ChecksumMismatch (removing the file) unless `path` has the given size and digests.

    With neither digest pinned, only the size is checked and a ChecksumNotPinned warning
    says so. Returns the sha256 of the file, for the record of what was accepted.
    """
    actual_size = path.stat().st_size
    problem = None
    if size is not None and actual_size != size:
        problem = _("it has {actual} bytes, the catalog says {expected}").format(
            actual=actual_size, expected=size
        )
    actual_sha256 = file_digest(path, "sha256")
    if problem is None and sha256 is not None and actual_sha256 != sha256:
        problem = _("its sha256 is {actual}, the catalog says {expected}").format(
            actual=actual_sha256, expected=sha256
        )
    if problem is None and md5 is not None:
        actual_md5 = file_digest(path, "md5")
        if actual_md5 != md5:
            problem = _("its md5 is {actual}, the catalog says {expected}").format(
                actual=actual_md5, expected=md5
            )
    if problem is not None:
        if remove_bad:
            path.unlink(missing_ok=True)
        raise ChecksumMismatch(
            _(
                "{path} is not the expected file: {problem}. It was corrupted or changed "
                "upstream{removed}. Fetch it again; if this repeats, report it."
            ).format(
                path=path, problem=problem, removed=_(", and was removed") if remove_bad else ""
            )
        )
    if sha256 is None and md5 is None:
        checked = _("its size") if size is not None else _("nothing")
        warnings.warn(
            ChecksumNotPinned(
                _(
                    "{name}: no checksum is pinned in the catalog, so only {checked} was "
                    "checked (sha256 {sha256})."
                ).format(name=path.name, checked=checked, sha256=actual_sha256)
            ),
            stacklevel=2,
        )
    return actual_sha256
