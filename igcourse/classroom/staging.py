"""A submission as the checks see it: its notebook and handed-in files, copied into a folder.

The same reading serves finding a submission (its key) and grading it (the copy), so a
submission's key names exactly what was graded: the notebook's name and bytes, the language
the checks answer in, and each handed-in file's name and bytes. Nothing is read through a
symbolic link, and only regular files are read.

Limits: a notebook over MAX_NOTEBOOK_BYTES is graded without its outputs and attachments
(they are never graded), and refused only if it is still too big without them; one over
MAX_NOTEBOOK_READ_BYTES is not read at all. Handed-in files are taken in name order, each at
most MAX_HANDED_IN_FILE_BYTES and MAX_HANDED_IN_BYTES in all (the sandbox's own limits); a
file over them is left out, as the sandbox leaves it out.
"""

import hashlib
import json
import os
import re
import stat
from pathlib import Path

from igcourse.i18n import _, current_language

MAX_NOTEBOOK_BYTES = 20 * 2**20
MAX_NOTEBOOK_READ_BYTES = 256 * 2**20  # parsing one costs a few times this in memory
MAX_HANDED_IN_FILE_BYTES = 64 * 2**20  # as igcourse/sandbox/session.py copies them
MAX_HANDED_IN_BYTES = 256 * 2**20
LANGUAGE_TAG = re.compile(r"\.(en|zh)$")
# A second copy's mark: a browser's "pixelcnn (1).ipynb", an LMS's "pixelcnn-1.ipynb".
COPY_MARK = re.compile(r"(?: \(\d+\)|-\d+)$")


def notebook_stem(name):
    """(stem, language tag or "") of a notebook's file name, without a second copy's mark:
    'pixelcnn.zh (1).ipynb' -> ('pixelcnn', '.zh'); 'ann_pixelcnn-2.ipynb' -> ('ann_pixelcnn',
    '')."""
    stem = COPY_MARK.sub("", Path(name).name[: -len(".ipynb")])
    tag = LANGUAGE_TAG.search(stem)
    return LANGUAGE_TAG.sub("", stem), tag.group(0) if tag else ""


def read_plain(path, limit):
    """The bytes of a regular file, or None if it is something else or over `limit` bytes.

    A symbolic link raises OSError (O_NOFOLLOW); O_NONBLOCK keeps a FIFO from hanging us.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            return None
        data = file.read(limit + 1)
    return data if len(data) <= limit else None


def without_outputs(data):
    """A notebook's JSON with no outputs, execution counts or attachments; None if not one."""
    try:
        notebook = json.loads(data)
    except (ValueError, RecursionError):  # RecursionError: "[[[[..." nested past the C stack
        return None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        return None
    for cell in cells:
        if not isinstance(cell, dict):
            continue
        cell.pop("attachments", None)
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
    # nbformat's own layout, so that the same notebook always gives the same bytes (and key).
    return (json.dumps(notebook, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def code_cells(path, limit=MAX_NOTEBOOK_BYTES):
    """The source of every code cell of a notebook, in order; None if it cannot be read as one
    (a link, not a regular file, over `limit` bytes, not notebook JSON)."""
    try:
        data = read_plain(path, limit)
        notebook = json.loads(data) if data is not None else None
    except (OSError, ValueError, RecursionError):
        return None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        return None
    codes = []
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            codes.append("".join(map(str, source)) if isinstance(source, list) else str(source))
    return codes


def notebook_to_grade(path):
    """(bytes to grade, whether outputs were dropped); (None, False) if too big even without."""
    data = read_plain(path, MAX_NOTEBOOK_BYTES)
    if data is not None:
        return data, False
    data = read_plain(path, MAX_NOTEBOOK_READ_BYTES)
    stripped = without_outputs(data) if data is not None else None
    if stripped is None or len(stripped) > MAX_NOTEBOOK_BYTES:
        return None, False
    return stripped, True


def _single_name(name):
    """Whether a handed-in name stays one plain entry of the staging folder."""
    return bool(name) and name not in (".", "..") and Path(name).name == name


def handed_in(files, folder=None):
    """[(source, name, sha256)] of the files within the limits, in name order; with a folder,
    each is also written there under its name. Links, non-files and repeats are left out."""
    kept, names, total = [], set(), 0
    for source, name in sorted(files, key=lambda pair: pair[1]):
        if not _single_name(name) or name in names or name.endswith(".ipynb"):
            continue
        try:
            data = read_plain(source, min(MAX_HANDED_IN_FILE_BYTES, MAX_HANDED_IN_BYTES - total))
        except OSError:  # a link, or gone: the sandbox would not have read it either
            data = None
        if data is None:
            continue
        if folder is not None:
            _write_new(Path(folder) / name, data)
        total += len(data)
        names.add(name)
        kept.append((source, name, hashlib.sha256(data).hexdigest()))
    return kept


def _write_new(path, data):
    """Write a file that must not exist yet (never through a link planted there)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(data)


def staged_name(path, notebook):
    """The notebook's name in the staging folder: its notebook, and its language tag if any
    ('ann_pixelcnn.zh.ipynb' -> 'pixelcnn.zh.ipynb'), which the checks answer in."""
    return f"{notebook}{notebook_stem(path)[1]}.ipynb"


def messages_language(notebook_name):
    """The language of the checks' messages: the notebook's own (x.zh.ipynb, 'x.zh (1).ipynb'),
    else ours."""
    return "zh" if notebook_stem(notebook_name)[1] == ".zh" else current_language()


def content_key(notebook_name, notebook_bytes, files):
    """The key of everything graded; `files` as handed_in returns them."""
    record = {
        "notebook": notebook_name,
        "language": messages_language(notebook_name),
        "sha256": hashlib.sha256(notebook_bytes).hexdigest(),
        "files": [[name, digest] for _source, name, digest in files],
    }
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()


def stage(submission, folder):
    """Copy a submission's notebook and handed-in files into an empty private folder.

    Returns the notebook's path there and the key of what was copied (a file that changed
    since the submission was found changes the key, so the result is stored under it).
    """
    data, _dropped = notebook_to_grade(submission.path)
    if data is None:
        raise ValueError(_("the notebook grew too large to grade since it was found"))
    notebook = Path(folder) / staged_name(submission.path, submission.notebook)
    _write_new(notebook, data)
    files = handed_in(submission.files, folder)
    return notebook, content_key(notebook.name, data, files)
