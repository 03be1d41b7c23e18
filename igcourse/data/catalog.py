"""The catalog of datasets and pretrained networks (datasets/catalog.json) as frozen records."""

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from igcourse.data.errors import UnknownDataset
from igcourse.i18n import _

# datasets/catalog.json is the source of truth; the student wheel has no datasets/ folder, so
# `igcourse bundle` copies the catalog beside this module, where it is found first.
PACKAGED_CATALOG = Path(__file__).resolve().with_name("catalog.json")
REPO_CATALOG = Path(__file__).resolve().parents[2] / "datasets" / "catalog.json"
CATALOG_PATH = PACKAGED_CATALOG if PACKAGED_CATALOG.is_file() else REPO_CATALOG
KINDS = ("dataset", "weights", "samples")
EXTRACTORS = (None, "zip", "tar", "bz2")
ENTRY_KEYS = ("title", "kind", "chapters", "homepage", "licence", "manual", "layout", "files")
FILE_KEYS = ("name", "urls", "size", "sha256", "extract")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_MD5 = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class RemoteFile:
    """One file to download: where from, how to check it, and whether to unpack it."""

    name: str  # file name in the cache folder
    urls: tuple  # official URL first, then mirrors
    size: int | None  # bytes, or None where not known
    sha256: str | None  # None where no stored public source states it
    extract: str | None = None  # None, "zip", "tar" or "bz2"
    md5: str | None = None  # only where upstream pins MD5 alone (Keras' VGG19)
    unpacked_name: str | None = None  # bz2: the file it unpacks to
    unpacked_size: int | None = None
    unpacked_sha256: str | None = None
    checksum_source: str | None = None  # where the checksum comes from

    @property
    def pinned(self):
        return bool(self.sha256 or self.md5)

    @property
    def local_name(self):
        """The name the usable file has once fetched (the unpacked name for a .bz2)."""
        return self.unpacked_name or self.name


@dataclass(frozen=True)
class LocalSource:
    """A copy that a Debian package installs."""

    package: str
    path: Path

    def installed(self):
        """Whether dpkg says the package is installed on this machine."""
        info = Path("/var/lib/dpkg/info")
        return any(info.glob(f"{self.package}.list")) or any(info.glob(f"{self.package}:*.list"))


@dataclass(frozen=True)
class Entry:
    """A dataset or network of the book."""

    name: str
    title: str
    kind: str
    chapters: tuple
    homepage: str
    licence: str
    manual: bool
    layout: str
    files: tuple
    local: tuple = ()
    manual_reason: str = ""
    notes: str = ""

    @property
    def size(self):
        """Total download size in bytes, or None when a size is unknown."""
        sizes = [f.size for f in self.files]
        return None if None in sizes else sum(sizes)


def catalog_path():
    """The catalog file: $IGCOURSE_CATALOG where set, else CATALOG_PATH."""
    return Path(os.environ.get("IGCOURSE_CATALOG") or CATALOG_PATH)


def check_catalog(raw):
    """Problems of a parsed catalog (a list of sentences; empty when it is complete)."""
    problems = []
    for name, entry in raw.items():
        if name.startswith("_"):
            continue
        problems += [f"{name}: {p}" for p in _check_entry(entry)]
    return problems


def _check_entry(entry):
    problems = [f"missing {key!r}" for key in ENTRY_KEYS if key not in entry]
    if problems:
        return problems
    if entry["kind"] not in KINDS:
        problems.append(f"kind {entry['kind']!r} is not one of {KINDS}")
    if not entry["chapters"] or not all(1 <= c <= 10 for c in entry["chapters"]):
        problems.append("chapters must list chapter numbers 1..10")
    if not entry["homepage"].startswith(("http://", "https://")):
        problems.append("homepage is not a URL")
    if not entry["licence"].strip():
        problems.append("licence is empty")
    if entry["manual"] and not entry.get("manual_reason"):
        problems.append("a manual download needs a manual_reason")
    if not entry["files"]:
        problems.append("no files")
    for spec in entry["files"]:
        problems += [f"{spec.get('name', '?')}: {p}" for p in _check_file(spec)]
    for local in entry.get("local", []):
        if not local.get("package") or not str(local.get("path", "")).startswith("/"):
            problems.append(f"local source {local} needs a package and an absolute path")
    return problems


def _check_file(spec):
    problems = [f"missing {key!r}" for key in FILE_KEYS if key not in spec]
    if problems:
        return problems
    if not spec["urls"] or not all(u.startswith(("http://", "https://")) for u in spec["urls"]):
        problems.append("urls must be a non-empty list of http(s) URLs")
    if spec["size"] is not None and not (isinstance(spec["size"], int) and spec["size"] > 0):
        problems.append("size must be a positive number of bytes or null")
    if spec["sha256"] is not None and not _SHA256.match(spec["sha256"]):
        problems.append("sha256 must be 64 lowercase hex digits or null")
    if spec.get("md5") is not None and not _MD5.match(spec["md5"]):
        problems.append("md5 must be 32 lowercase hex digits or null")
    if (spec["sha256"] or spec.get("md5")) and not spec.get("checksum_source"):
        problems.append("a pinned checksum needs its checksum_source")
    if spec["extract"] not in EXTRACTORS:
        problems.append(f"extract must be one of {EXTRACTORS}")
    if spec["extract"] == "bz2" and not spec.get("unpacked_name"):
        problems.append("a bz2 file needs its unpacked_name")
    if "/" in spec["name"] or spec["name"].startswith("."):
        problems.append("name must be a plain file name")
    return problems


def _entry(name, raw):
    files = tuple(RemoteFile(**{**spec, "urls": tuple(spec["urls"])}) for spec in raw["files"])
    local = tuple(LocalSource(s["package"], Path(s["path"])) for s in raw.get("local", []))
    return Entry(
        name=name,
        title=raw["title"],
        kind=raw["kind"],
        chapters=tuple(raw["chapters"]),
        homepage=raw["homepage"],
        licence=raw["licence"],
        manual=bool(raw["manual"]),
        layout=raw["layout"],
        files=files,
        local=local,
        manual_reason=raw.get("manual_reason", ""),
        notes=raw.get("notes", ""),
    )


@lru_cache(maxsize=4)
def _load(path):
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    problems = check_catalog(raw)
    if problems:
        raise ValueError(
            _("{path} is incomplete:\n{problems}").format(path=path, problems="\n".join(problems))
        )
    return {name: _entry(name, spec) for name, spec in raw.items() if not name.startswith("_")}


def load_catalog(path=None):
    """All entries of the catalog, by name."""
    return dict(_load(str(path or catalog_path())))


def get_entry(name, catalog=None):
    """The entry called `name`; UnknownDataset lists the known names otherwise."""
    catalog = load_catalog() if catalog is None else catalog
    if name not in catalog:
        raise UnknownDataset(
            _("No dataset called {name!r} in the catalog. Known: {known}.").format(
                name=name, known=", ".join(sorted(catalog))
            )
        )
    return catalog[name]
