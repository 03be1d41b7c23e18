"""Similar submissions: solution code that two students of a class have in common.

Only the solution cells are compared (found by their nbgrader grade id), each with the same
cell of the other student, and everything the course gives is left out first: every code
cell of the release notebook (the stubs, their signatures and docstrings, the given helpers)
is copydetect boilerplate, so two untouched submissions share nothing. copydetect tokenises
the code with Pygments, writes variable, function and class names as V, F and O and every
string as S, drops comments and spaces, and hashes every run of NOISE characters that remains,
as MOSS does: renaming variables, reformatting or moving code around does not hide a copy.

A pair's similarity is the share of both students' own code (what is left after the release's
code is removed) that lies in runs they have in common. It flags a pair for a person to look
at; it never changes a score. docs/similarity.md says how the threshold was chosen.
"""

import io
import json
import warnings
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from igcourse.classroom.staging import code_cells, notebook_to_grade
from igcourse.classroom.submissions import find_submissions
from igcourse.grading.course import chapter_parts
from igcourse.i18n import _

__all__ = ["THRESHOLD", "SimilarPair", "similar_pairs", "solution_cells"]

THRESHOLD = 0.75  # share of both students' own code in common; docs/similarity.md
NOISE = 25  # shortest run of normalised code that counts (copydetect's default noise_t)
MIN_SHARED = 150  # normalised characters in common, both students together, before a flag
MAX_CELL_CHARS = 20_000  # a longer cell is compared by its first MAX_CELL_CHARS characters


@dataclass(frozen=True)
class SimilarPair:
    notebook: str
    student_a: str
    student_b: str
    similarity: float  # 0..1: share of both students' own solution code that they share
    cells: tuple  # ((part grade id, code_a, code_b), ...) the solution cells that are alike


@dataclass(frozen=True)
class _Cell:
    code: str
    fingerprint: object  # copydetect.detector.CodeFingerprint, release code removed


def similar_pairs(folder, chapter, root, threshold=THRESHOLD):
    """The pairs of students of a class whose solution code is alike, most similar first.

    Reads the class as grading does (find_submissions); a submission that cannot be graded
    or read (a link, too big, not JSON, no cells) is left out, as is every solution cell
    that holds no more than the release gave.
    """
    submissions = find_submissions(folder, chapter, chapter_parts(root, chapter))
    return similar_pairs_of(submissions, chapter, root, threshold)


def similar_pairs_of(submissions, chapter, root, threshold=THRESHOLD):
    """similar_pairs for submissions that find_submissions found."""
    notebooks = chapter_parts(root, chapter)
    pairs = []
    for notebook, parts in notebooks.items():
        answers = {
            s.student: solution_cells(s.path, parts)
            for s in submissions
            if s.notebook == notebook and not s.problem
        }
        answers = {student: cells for student, cells in answers.items() if cells}
        if len(answers) < 2:
            continue
        boilerplate = release_fingerprints(root, chapter, notebook)
        if boilerplate is None:
            continue
        students = {
            student: _fingerprints(cells, boilerplate) for student, cells in answers.items()
        }
        students = {student: cells for student, cells in students.items() if cells}
        for a, b in combinations(sorted(students), 2):
            pair = _compare(notebook, a, students[a], b, students[b], threshold)
            if pair:
                pairs.append(pair)
    pairs.sort(key=lambda p: (-p.similarity, p.notebook, p.student_a, p.student_b))
    return pairs


def solution_cells(path, parts):
    """{grade id: code} of a notebook's solution code cells of `parts`; {} if unreadable.

    Read as plain JSON within grading's size limits, so that a hostile file (not JSON, nested
    past the stack, huge, cells of the wrong type) gives nothing rather than an exception.
    """
    try:
        data, _dropped = notebook_to_grade(path)
        notebook = json.loads(data) if data is not None else None
    except (OSError, ValueError, RecursionError):
        return {}
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    found = {}
    for cell in cells if isinstance(cells, list) else ():
        part, code = _solution_code(cell)
        if part in parts and part not in found:
            found[part] = code[:MAX_CELL_CHARS]
    return found


def _solution_code(cell):
    """(grade id, code) of a solution code cell, (None, None) for any other or odd cell."""
    if not isinstance(cell, dict) or cell.get("cell_type") != "code":
        return None, None
    metadata = cell.get("metadata")
    nbgrader = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    if not isinstance(nbgrader, dict) or not nbgrader.get("solution"):
        return None, None
    part, source = nbgrader.get("grade_id"), cell.get("source")
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        source = "".join(source)  # nbformat's JSON may split the source into lines
    if not isinstance(part, str) or not isinstance(source, str):
        return None, None
    return part, source


def release_fingerprints(root, chapter, notebook):
    """The copydetect hashes of every code cell of a notebook's release, in every language;
    None, with a warning, where there is no release (every stub would look shared)."""
    import numpy as np

    folder = Path(root) / "release" / chapter
    releases = sorted(folder.glob(f"{notebook}.ipynb")) + sorted(folder.glob(f"{notebook}.*.ipynb"))
    if not releases:
        message = _(
            "similar submissions of {notebook} were not looked for: {folder} has no release of "
            "it, so the stubs every student starts from cannot be left out (run igcourse build)"
        )
        warnings.warn(message.format(notebook=notebook, folder=folder), stacklevel=2)
        return None
    hashes = set()
    for path in releases:
        for code in code_cells(path) or ():
            hashes |= _fingerprint(code).hashes
    return np.array(sorted(hashes), dtype=np.int64)


def _fingerprint(code, boilerplate=None):
    from copydetect import CodeFingerprint

    # Every k-gram is kept (window 1): cells are small, so winnowing would only lose matches.
    return CodeFingerprint(
        "cell.py", NOISE, 1, boilerplate, language="python", fp=io.StringIO(code)
    )


def _fingerprints(answers, boilerplate):
    """{part: _Cell} of the solution cells ({part: code}) that hold code of the student's own."""
    cells = {}
    for part, code in answers.items():
        fingerprint = _fingerprint(code, boilerplate=boilerplate)
        if fingerprint.token_coverage > 0:
            cells[part] = _Cell(code, fingerprint)
    return cells


def _compare(notebook, a, cells_a, b, cells_b, threshold):
    """The SimilarPair of two students' cells of one notebook, or None below threshold."""
    from copydetect import compare_files

    own = sum(c.fingerprint.token_coverage for c in (*cells_a.values(), *cells_b.values()))
    shared, alike = 0.0, []
    for part in cells_a.keys() & cells_b.keys():
        cell_a, cell_b = cells_a[part], cells_b[part]
        if cell_a.fingerprint.hashes.isdisjoint(cell_b.fingerprint.hashes):
            continue
        _overlap, (share_a, share_b), _slices = compare_files(
            cell_a.fingerprint, cell_b.fingerprint
        )
        in_a = share_a * cell_a.fingerprint.token_coverage
        in_b = share_b * cell_b.fingerprint.token_coverage
        shared += in_a + in_b
        both = cell_a.fingerprint.token_coverage + cell_b.fingerprint.token_coverage
        if (in_a + in_b) / both >= threshold:
            alike.append((part, cell_a.code, cell_b.code))
    similarity = float(shared / own) if own else 0.0
    if similarity < threshold or shared < MIN_SHARED or not alike:
        return None
    order = list(cells_a)
    alike.sort(key=lambda cell: order.index(cell[0]))
    return SimilarPair(notebook, a, b, round(similarity, 3), tuple(alike))
