"""Find the notebooks to grade, and the files each student handed in beside them.

A notebook belongs to a student by the layout's rules alone; nothing else in a path counts:
  nbgrader  <folder>/<student>/<chapter>/<notebook>.ipynb   (submitted/ or autograded/)
  flat      <folder>/<student><sep><notebook>.ipynb, <sep> one of "_", "-" or "."
  folders   <folder>/<student>/<notebook>.ipynb             (exactly one level down)
  zip       an LMS download: unpacked safely, then read as a plain folder
<notebook> may carry a language tag (pixelcnn.zh.ipynb, ann_pixelcnn.en.ipynb). A notebook
anywhere else is not graded: deeper in a student's folder, or named after someone in a
student's folder (mallory/alice_pixelcnn.ipynb is nobody's). Names starting with "."
(.ipynb_checkpoints) are skipped, and symbolic links are never followed.

Handed-in files (a trained model, say) reach the checks under the name they look for:
  nbgrader, folders  the plain files beside the notebook (not links, folders, notebooks or
                     hidden files)
  flat               the plain files of <folder> named <student><sep><name>, as <name>; a file
                     that fits several students is the longest id's (ann_lee_x is ann_lee's),
                     and where two files give one name, the first in name order is used
Size limits and outputs dropped from over-large notebooks: see staging.py.
"""

import tempfile
from dataclasses import dataclass
from pathlib import Path

from igcourse.classroom.staging import (
    MAX_NOTEBOOK_BYTES,
    content_key,
    handed_in,
    notebook_stem,
    notebook_to_grade,
    staged_name,
)
from igcourse.i18n import _

__all__ = [
    "MAX_NOTEBOOK_BYTES",
    "Submission",
    "files_beside",
    "find_submissions",
    "make_submission",
]

SEPARATORS = "_-."


@dataclass(frozen=True)
class Submission:
    student: str
    notebook: str  # the notebook of the chapter it answers, e.g. "pixelcnn"
    path: Path
    sha256: str  # key of all that is graded (staging.content_key): idempotent by content
    problem: str = ""  # why it cannot be graded (too big, a link), if so
    files: tuple = ()  # ((path on disk, name the checks look for), ...) handed in with it
    note: str = ""  # what the grade's reader should know (outputs dropped), if anything


def make_submission(student, notebook, path, files=()):
    """A Submission of one notebook and its handed-in files, or why it cannot be graded."""
    path = Path(path)
    if path.is_symlink():
        return Submission(student, notebook, path, "", _("it is a symbolic link, not a file"))
    try:
        data, dropped = notebook_to_grade(path)
    except OSError as error:
        why = _("it cannot be read ({error})").format(error=error.strerror or error)
        return Submission(student, notebook, path, "", why)
    if data is None:
        return Submission(student, notebook, path, "", _too_large(path))
    kept = handed_in(files)
    key = content_key(staged_name(path, notebook), data, kept)
    files = tuple((source, name) for source, name, _digest in kept)
    note = _outputs_dropped(path) if dropped else ""
    return Submission(student, notebook, path, key, files=files, note=note)


def _megabytes(path):
    """(the file's size, the limit), in MB."""
    return path.lstat().st_size / 2**20, MAX_NOTEBOOK_BYTES // 2**20


def _too_large(path):
    mb, limit = _megabytes(path)
    return _(
        "it is {mb:.0f} MB; notebooks over {limit} MB are not graded (clear large outputs "
        "and submit again)"
    ).format(mb=mb, limit=limit)


def _outputs_dropped(path):
    mb, limit = _megabytes(path)
    return _(
        "The notebook is {mb:.0f} MB with its saved outputs, over the {limit} MB limit, so it "
        "was graded without its outputs (they are never graded). Clear large outputs before "
        "you hand it in."
    ).format(mb=mb, limit=limit)


def find_submissions(folder, chapter, notebooks):
    """Every submission of `chapter` under folder (any layout); zips are unpacked first."""
    folder = Path(folder)
    if folder.is_file() and folder.suffix == ".zip":
        return _from_zip(folder, chapter, notebooks)
    if not folder.is_dir():
        return []
    found = _in_student_folders(folder, chapter, notebooks) + _flat(folder, notebooks)
    found.sort(key=lambda submission: str(submission.path))
    return one_copy_each(found)


def _entries(folder):
    """The entries of a folder in name order, hidden ones (.ipynb_checkpoints) left out."""
    return [e for e in sorted(Path(folder).iterdir()) if not e.name.startswith(".")]


def _is_file_or_link(path):
    # A link is kept so that make_submission refuses it with a reason.
    return path.is_symlink() or path.is_file()


def _is_folder(path):
    return path.is_dir() and not path.is_symlink()


def _own_notebook(name, notebooks):
    """The notebook a file in a student's folder answers: 'pixelcnn.zh.ipynb' and
    'pixelcnn (1).ipynb' -> 'pixelcnn'."""
    if not name.endswith(".ipynb"):
        return None
    stem = notebook_stem(name)[0]
    return stem if stem in notebooks else None


def files_beside(folder):
    """[(path, name)] of the plain files of a folder: no links, folders, notebooks or hidden."""
    return [
        (path, path.name)
        for path in _entries(folder)
        if path.is_file() and not path.is_symlink() and not path.name.endswith(".ipynb")
    ]


def _notebooks_in(folder, student, notebooks):
    """The submissions of the notebooks that a student's folder holds directly."""
    found, files = [], None
    for path in _entries(folder):
        notebook = _own_notebook(path.name, notebooks)
        if notebook and _is_file_or_link(path):
            files = files_beside(folder) if files is None else files
            found.append(make_submission(student, notebook, path, files))
    return found


def _in_student_folders(folder, chapter, notebooks):
    """nbgrader's <student>/<chapter>/<notebook>.ipynb and <student>/<notebook>.ipynb."""
    found = []
    for student_folder in filter(_is_folder, _entries(folder)):
        student = student_folder.name
        found += _notebooks_in(student_folder, student, notebooks)
        if _is_folder(student_folder / chapter):
            found += _notebooks_in(student_folder / chapter, student, notebooks)
    return found


def flat_name(name, notebooks):
    """(student, notebook) of a flat file name: 'ann_pixelcnn.zh.ipynb' and an LMS's
    'ann_pixelcnn-1.ipynb' -> ('ann', 'pixelcnn'); (None, None) for another name."""
    if not name.endswith(".ipynb"):
        return None, None
    stem = notebook_stem(name)[0]
    for notebook in sorted(notebooks, key=len, reverse=True):  # "dcgan" before "gan"
        cut = len(stem) - len(notebook) - 1
        if cut > 0 and stem.endswith(notebook) and stem[cut] in SEPARATORS:
            return stem[:cut], notebook
    return None, None


def _owner(name, students):
    """The longest student id that a file name starts with, then a separator and more."""
    fits = [
        s
        for s in students
        if len(name) > len(s) + 1 and name.startswith(s) and name[len(s)] in SEPARATORS
    ]
    return max(fits, key=len, default=None)


def _flat_files(folder, students):
    """{student: [(path, name)]}: the plain files of folder named <student><sep><name>."""
    owned = {}
    for path, name in files_beside(folder):
        owner = _owner(name, students)
        if owner:
            owned.setdefault(owner, []).append((path, name[len(owner) + 1 :]))
    return owned


def _flat(folder, notebooks):
    """The submissions named <student><sep><notebook>.ipynb directly in folder."""
    named = []
    for path in filter(_is_file_or_link, _entries(folder)):
        student, notebook = flat_name(path.name, notebooks)
        if student:
            named.append((student, notebook, path))
    files = _flat_files(folder, {student for student, _notebook, _path in named})
    return [make_submission(s, n, p, files.get(s, ())) for s, n, p in named]


def _untouched(path):
    """Whether every solution cell of a notebook still holds the release's stub."""
    import nbformat

    from igcourse.notebooks import is_solution_cell

    try:
        cells = [c for c in nbformat.read(str(path), as_version=4).cells if is_solution_cell(c)]
    except Exception:  # unreadable: graded, so that its report says why
        return False
    return bool(cells) and all("raise NotImplementedError()" in c.source for c in cells)


def one_copy_each(found):
    """One submission per student and notebook.

    nbgrader hands out every language's copy, and a student hands them all back, answering
    in one: the untouched copies are not graded (they would score zero over the answer).
    Where several copies were worked on, the most recently modified one is graded: all of
    them are the student's own, since the layout rules never give anyone else's.
    """
    copies = {}
    for submission in found:
        copies.setdefault((submission.student, submission.notebook), []).append(submission)
    keep = {id(_the_copy_to_grade(group)) for group in copies.values()}
    return [submission for submission in found if id(submission) in keep]


def _the_copy_to_grade(group):
    if len(group) == 1:  # nothing to choose: not worth reading a large notebook
        return group[0]
    worked = [s for s in group if s.problem or not _untouched(s.path)] or group[:1]
    return max(worked, key=lambda s: s.path.lstat().st_mtime)


def _from_zip(archive, chapter, notebooks):
    from igcourse.data.archive import extract

    target = Path(tempfile.mkdtemp(prefix="igcourse-lms-"))
    extract(archive, target, "zip")
    return find_submissions(target, chapter, notebooks)
