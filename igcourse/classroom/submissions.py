"""Find the notebooks to grade in nbgrader's submitted/ layout, a plain folder, or an LMS zip.

Layouts:
  nbgrader   <folder>/<student>/<chapter>/<notebook>.ipynb   (submitted/ or autograded/)
  plain      <folder>/<student>_<notebook>.ipynb (or "-" or "." before the notebook's name),
             or <folder>/<student>/<notebook>.ipynb; a ".zh" before ".ipynb" is allowed
  zip        an LMS download: the zip is unpacked safely, then read as a plain folder
Symbolic links are never followed, and files over MAX_NOTEBOOK_BYTES are refused.
"""

import hashlib
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from igcourse.i18n import _

MAX_NOTEBOOK_BYTES = 20 * 2**20


@dataclass(frozen=True)
class Submission:
    student: str
    notebook: str  # the notebook of the chapter it answers, e.g. "pixelcnn"
    path: Path
    sha256: str  # of the file's bytes: grading is idempotent by content
    problem: str = ""  # why it cannot be graded (too big, a link), if so


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_submission(student, notebook, path):
    """A Submission of one file: its digest, or why it cannot be graded."""
    if path.is_symlink():
        return Submission(student, notebook, path, "", _("it is a symbolic link, not a file"))
    size_mb, limit_mb = path.stat().st_size / 2**20, MAX_NOTEBOOK_BYTES // 2**20
    if size_mb > limit_mb:
        why = _(
            "it is {mb:.0f} MB; notebooks over {limit} MB are not graded (clear large outputs "
            "and submit again)"
        ).format(mb=size_mb, limit=limit_mb)
        return Submission(student, notebook, path, "", why)
    return Submission(student, notebook, path, _digest(path))


def _notebook_of(stem, notebooks):
    """(student, notebook) of a file name: 'ann_pixelcnn.zh' -> ('ann', 'pixelcnn').

    A file named just after its notebook ('pixelcnn') gives no student: its folder does.
    """
    stem = re.sub(r"\.(en|zh)$", "", stem)
    for notebook in sorted(notebooks, key=len, reverse=True):
        if stem == notebook:
            return None, notebook
        if re.search(rf"[._\-]{re.escape(notebook)}$", stem):
            return stem[: -len(notebook)].rstrip("._-"), notebook
    return None, None


def find_submissions(folder, chapter, notebooks):
    """Every submission of `chapter` under folder (any layout); zips are unpacked first."""
    folder = Path(folder)
    if folder.is_file() and folder.suffix == ".zip":
        return _from_zip(folder, chapter, notebooks)
    found = []
    for path in sorted(folder.rglob("*.ipynb")):
        relative = path.relative_to(folder)
        if ".ipynb_checkpoints" in relative.parts:
            continue
        if len(relative.parts) == 3 and relative.parts[1] == chapter:
            student, notebook = relative.parts[0], _notebook_of(path.stem, notebooks)[1]
        else:
            student, notebook = _notebook_of(path.stem, notebooks)
            if student is None and len(relative.parts) >= 2:
                student = relative.parts[0]
        if notebook and student:
            found.append(make_submission(student, notebook, path))
    return _one_copy_each(found)


def _untouched(path):
    """Whether every solution cell of a notebook still holds the release's stub."""
    import nbformat

    from igcourse.notebooks import is_solution_cell

    try:
        cells = [c for c in nbformat.read(str(path), as_version=4).cells if is_solution_cell(c)]
    except Exception:  # unreadable: graded, so that its report says why
        return False
    return bool(cells) and all("raise NotImplementedError()" in c.source for c in cells)


def _one_copy_each(found):
    """One submission per student and notebook.

    nbgrader hands out every language's copy, and a student hands them all back, answering
    in one: the untouched copies are not graded (they would score zero over the answer).
    Where several copies were worked on, the most recently modified one is graded.
    """
    copies = {}
    for submission in found:
        copies.setdefault((submission.student, submission.notebook), []).append(submission)
    keep = set()
    for group in copies.values():
        worked = [s for s in group if s.problem or not _untouched(s.path)] or group[:1]
        keep.add(id(max(worked, key=lambda s: s.path.lstat().st_mtime)))
    return [submission for submission in found if id(submission) in keep]


def _from_zip(archive, chapter, notebooks):
    from igcourse.data.archive import extract

    target = Path(tempfile.mkdtemp(prefix="igcourse-lms-"))
    extract(archive, target, "zip")
    return find_submissions(target, chapter, notebooks)
