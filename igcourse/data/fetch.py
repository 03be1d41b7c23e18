"""fetch(name): a catalog entry from its Debian package, the cache, or the internet, verified."""

import json
import os

from igcourse.data.archive import extract
from igcourse.data.cache import dataset_dir
from igcourse.data.catalog import get_entry
from igcourse.data.checksum import verify
from igcourse.data.download import download, partial_path
from igcourse.data.errors import DownloadFailed, ManualDownloadRequired, OfflineError
from igcourse.i18n import _

STATE_FILE = ".igcourse-fetch.json"


def format_size(size):
    """A byte count for people: 26.4 MB; "size unknown" for None."""
    if size is None:
        return _("size unknown")
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return ""


def local_path(entry):
    """The folder of an installed Debian copy holding every file of `entry`, else None."""
    for source in entry.local:
        folder = source.path if source.path.is_dir() else source.path.parent
        if all((folder / spec.local_name).exists() for spec in entry.files):
            return folder
    return None


class _State:
    """What fetch has verified and unpacked in one dataset folder (a small JSON file)."""

    def __init__(self, folder):
        self.path = folder / STATE_FILE
        try:
            self.files = json.loads(self.path.read_text())["files"]
        except (OSError, ValueError, KeyError):
            self.files = {}

    def done(self, spec, folder):
        record = self.files.get(spec.name)
        path = folder / spec.name
        if not record or not path.exists() or path.stat().st_size != record["size"]:
            return False
        return spec.unpacked_name is None or (folder / spec.unpacked_name).exists()

    def record(self, spec, folder, sha256):
        self.files[spec.name] = {"size": (folder / spec.name).stat().st_size, "sha256": sha256}
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps({"files": self.files}, indent=1, sort_keys=True))
        os.replace(tmp, self.path)


def where(name, cache_dir=None, *, catalog=None):
    """The folder holding a usable copy of `name` (Debian's or the cache's), or None."""
    entry = get_entry(name, catalog)
    local = local_path(entry)
    if local is not None:
        return local
    folder = dataset_dir(entry.name, cache_dir)
    state = _State(folder)
    return folder if all(state.done(spec, folder) for spec in entry.files) else None


def status(name, cache_dir=None, *, catalog=None):
    """One word: "local", "cached", "partial" (some files or a .part) or "missing"."""
    entry = get_entry(name, catalog)
    if local_path(entry) is not None:
        return "local"
    folder = dataset_dir(entry.name, cache_dir)
    state = _State(folder)
    done = [state.done(spec, folder) for spec in entry.files]
    if all(done):
        return "cached"
    started = any(done) or any(
        (folder / s.name).exists() or partial_path(folder / s.name).exists() for s in entry.files
    )
    return "partial" if started else "missing"


def fetch(
    name, cache_dir=None, *, progress=True, prefer_local=True, retries=3, timeout=30, catalog=None
):
    """Make catalog entry `name` available and return the folder holding its files.

    Order: an installed Debian copy (unless prefer_local is False); the cache
    ($IGCOURSE_DATA_DIR or ~/.cache/igcourse, or `cache_dir`); then a download from the
    official URL or its mirrors, with a progress bar, resuming a partial download, checking
    size and checksum, and unpacking archives safely. Files of a manual entry must be put
    in the cache folder by hand; fetch then verifies and unpacks them.

    Raises a DataError whose message says what to do: ManualDownloadRequired,
    OfflineError, IncompleteDownload, ChecksumMismatch, UnsafeArchive, DownloadFailed.
    """
    entry = get_entry(name, catalog)
    if prefer_local:
        local = local_path(entry)
        if local is not None:
            return local
    folder = dataset_dir(entry.name, cache_dir)
    state = _State(folder)
    if entry.manual:
        missing = [s for s in entry.files if not (folder / s.name).exists()]
        if missing:
            raise ManualDownloadRequired(_manual_message(entry, missing, folder))
    for spec in entry.files:
        if state.done(spec, folder):
            continue
        path = folder / spec.name
        if not path.exists():
            try:
                _download_any(spec, path, progress=progress, retries=retries, timeout=timeout)
            except (OfflineError, DownloadFailed) as error:
                todo = [s for s in entry.files if not state.done(s, folder)]
                raise type(error)(_by_hand_message(entry, error, todo, folder)) from None
        sha256 = verify(path, size=spec.size, sha256=spec.sha256, md5=spec.md5)
        if spec.extract:
            extract(path, folder, spec.extract, unpacked_name=spec.unpacked_name)
        if spec.unpacked_name and (spec.unpacked_sha256 or spec.unpacked_size):
            unpacked = folder / spec.unpacked_name
            verify(unpacked, size=spec.unpacked_size, sha256=spec.unpacked_sha256)
        state.record(spec, folder, sha256)
    return folder


def _download_any(spec, path, **options):
    failures = []
    offline = True
    for url in spec.urls:
        try:
            return download(url, path, size=spec.size, **options)
        except OfflineError as error:
            failures.append(str(error))
        except DownloadFailed as error:
            offline = False
            failures.append(str(error))
    raise (OfflineError if offline else DownloadFailed)("; ".join(failures))


def _by_hand_message(entry, error, todo, folder):
    hint = (
        _("This machine seems to be offline.")
        if isinstance(error, OfflineError)
        else _("The server refused.")
    )
    lines = "\n".join(
        _("  {url}\n    -> {path}").format(url=s.urls[0], path=folder / s.name) for s in todo
    )
    return _(
        "Could not download {name} ({title}): {failures}\n{hint}\n"
        "To install it by hand, download each file to the path under it:\n{lines}\n"
        "then run `igcourse data fetch {name}` again to verify and unpack them."
    ).format(name=entry.name, title=entry.title, failures=error, hint=hint, lines=lines)


def _manual_message(entry, missing, folder):
    lines = "\n".join(
        _("  - {file} ({size}): {url}").format(file=s.name, size=format_size(s.size), url=s.urls[0])
        for s in missing
    )
    return _(
        "{name} ({title}) has to be downloaded by hand. {reason}\n"
        "Download these files (see {homepage} if a link has moved):\n{lines}\n"
        "and put them in\n  {folder}\n"
        "then run `igcourse data fetch {name}` to verify and unpack them."
    ).format(
        title=entry.title,
        reason=entry.manual_reason,
        homepage=entry.homepage,
        lines=lines,
        folder=folder,
        name=entry.name,
    )
