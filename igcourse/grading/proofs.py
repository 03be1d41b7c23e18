"""Recorded proofs: a long proof (a chapter's validation) is skipped only when a result recorded
for the exact same content says it passed.

A proof's digest covers every file it depends on (those git tracks or would track, as a fresh
clone has them once committed): the chapter's checks, zoo, answer sets, reference, release and
master notebooks, the whole engine (igcourse/, its message catalogs included),
course_config.py, the data catalog, the pinned requirements and pyproject.toml, the test that
states what the proof must show, and the versions of Python, bubblewrap and the Debian data
packages. `proofs/<chapter>.json`
(committed) holds, per proof, the digest it passed for, when, in how long, and its summary
line. A change anywhere in those files changes the digest, and the proof runs again; when it
passes, the record is rewritten, to be committed with the change. Nothing is skipped on trust:
only an exact match skips.
"""

import hashlib
import json
import platform
import shutil
import subprocess
import time
from pathlib import Path

RECORDS = "proofs"
ENGINE = "igcourse"
SHARED_FILES = (
    "course_config.py",
    "requirements.txt",
    "pyproject.toml",
    "datasets/catalog.json",
    "tests/proved.py",
)
CHAPTER_FOLDERS = ("autograder", "solutions", "release", "source")
SKIPPED_PARTS = {"__pycache__", ".ipynb_checkpoints"}


DATA_PACKAGES = ("dataset-fashion-mnist", "libdlib-data", "opencv-doc")


def _tracked(root, folders):
    """The files under `folders` that git tracks or would track once committed (what a fresh
    clone has: a new file counts before its first commit), or None outside git."""
    listed = ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--"]
    command = ["git", "-C", str(root), *listed, *(str(f) for f in folders)]
    done = subprocess.run(command, capture_output=True, check=False)
    if done.returncode != 0:
        return None
    return [root / name for name in done.stdout.decode().split("\0") if name]


def _files(root, chapter):
    root = Path(root)
    folders = [root / folder / chapter for folder in CHAPTER_FOLDERS] + [root / ENGINE]
    files = [root / name for name in SHARED_FILES]
    tracked = _tracked(root, [f.relative_to(root) for f in folders])
    if tracked is not None:
        files += tracked
    else:
        for folder in folders:
            files += [
                p for p in folder.rglob("*") if p.is_file() and not SKIPPED_PARTS & set(p.parts)
            ]
    return sorted(p for p in files if p.exists())


def _output(command):
    if not shutil.which(command[0]):
        return ""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return done.stdout.strip()


def _tool_versions():
    """Python, bubblewrap and the Debian data packages the checks read."""
    data = _output(["dpkg-query", "-W", *DATA_PACKAGES])
    return f"python {platform.python_version()}; {_output(['bwrap', '--version'])}; {data}"


def digest(root, chapter, also=()):
    """The digest of everything a proof of `chapter` depends on, and of the files `also` (the
    test that states what the proof must show, say)."""
    root = Path(root).resolve()
    hasher = hashlib.sha256(_tool_versions().encode())
    for path in sorted(set(_files(root, chapter)) | {Path(p).resolve() for p in also}):
        hasher.update(path.relative_to(root).as_posix().encode() + b"\0")
        hasher.update(hashlib.sha256(path.read_bytes()).digest())
    return hasher.hexdigest()


def _record_path(root, chapter):
    return Path(root) / RECORDS / f"{chapter}.json"


def recorded(root, chapter, proof):
    """The record of `proof` for `chapter`, or None."""
    path = _record_path(root, chapter)
    try:
        return json.loads(path.read_text(encoding="utf-8")).get(proof)
    except (FileNotFoundError, ValueError):
        return None


def still_proved(root, chapter, proof, also=()):
    """The record when it passed for exactly the current content, else None."""
    record = recorded(root, chapter, proof)
    if record and record.get("passed") and record.get("digest") == digest(root, chapter, also):
        return record
    return None


def record(root, chapter, proof, content_digest, seconds, summary):
    """Write that `proof` passed for content_digest (computed before it ran)."""
    path = _record_path(root, chapter)
    path.parent.mkdir(exist_ok=True)
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        records = {}
    records[proof] = {
        "passed": True,
        "digest": content_digest,
        "date": time.strftime("%Y-%m-%d"),
        "seconds": round(seconds, 1),
        "summary": summary,
    }
    path.write_text(json.dumps(records, indent=1, sort_keys=True) + "\n", encoding="utf-8")
