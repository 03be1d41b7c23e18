"""Does the similar-submissions check flag shared solution code, and only that?"""

import ast
import json
import shutil

import nbformat
import pytest

from igcourse.classroom.similarity import SimilarPair, similar_pairs, solution_cells
from igcourse.grading.alternatives import discover_answer_sets, fill_notebook
from igcourse.grading.course import chapter_parts

CHAPTER = "ch01_pixelcnn"
NOTEBOOK = "pixel_probabilities"


class _Rename(ast.NodeTransformer):
    """Give every argument and assigned name a new name, as a student hiding a copy would."""

    def __init__(self):
        self.names = {}

    def _new(self, name):
        return self.names.setdefault(name, f"my_{name}_{len(self.names)}")

    def visit_arg(self, node):
        if node.arg != "self":
            node.arg = self._new(node.arg)
        return node

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Store) or node.id in self.names:
            node.id = self._new(node.id)
        return node


def renamed(code):
    return ast.unparse(_Rename().visit(ast.parse(code)))


def answer_sets(repo_root, chapter, notebook):
    sets = discover_answer_sets(repo_root / "autograder" / chapter)
    return {s.path.stem: s.cells for s in sets if s.notebook == notebook}


def release_path(repo_root, chapter, notebook):
    return repo_root / "release" / chapter / f"{notebook}.ipynb"


def hand_in(folder, student, repo_root, cells, chapter=CHAPTER, notebook=NOTEBOOK):
    """Write a student's notebook: the release, with `cells` ({part: code}) answered."""
    release = release_path(repo_root, chapter, notebook)
    stubs = solution_cells(release, chapter_parts(repo_root, chapter)[notebook])
    path = folder / student / chapter / f"{notebook}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(fill_notebook(release, {**stubs, **cells}), str(path))
    return path


def copy_in(folder, student, source, chapter=CHAPTER, name=f"{NOTEBOOK}.ipynb"):
    path = folder / student / chapter / name
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, path)
    return path


def test_a_shared_cell_is_flagged_even_with_renamed_variables(repo_root, tmp_path):
    sets = answer_sets(repo_root, CHAPTER, NOTEBOOK)
    answer = sets["explicit_loops"]["pixel_model"]
    hand_in(tmp_path, "alice", repo_root, {"pixel_model": answer})
    hand_in(tmp_path, "bob", repo_root, {"pixel_model": renamed(answer)})
    hand_in(tmp_path, "carol", repo_root, {"pixel_model": sets["lookup_bincount"]["pixel_model"]})
    pairs = similar_pairs(tmp_path, CHAPTER, repo_root)
    assert [(p.notebook, p.student_a, p.student_b) for p in pairs] == [(NOTEBOOK, "alice", "bob")]
    (pair,) = pairs
    assert isinstance(pair, SimilarPair) and pair.similarity > 0.9
    assert [part for part, _a, _b in pair.cells] == ["pixel_model"]
    assert pair.cells[0][1].startswith("def fit_pixel_model") and "my_" in pair.cells[0][2]


def test_a_whole_copied_notebook_is_flagged_and_pairs_come_most_similar_first(repo_root, tmp_path):
    sets = answer_sets(repo_root, CHAPTER, NOTEBOOK)
    copied = sets["flat_index_gumbel"]
    hand_in(tmp_path, "ann", repo_root, copied)
    hand_in(tmp_path, "ben", repo_root, {part: renamed(code) for part, code in copied.items()})
    # dan copies three of cat's five cells, word for word.
    cat = sets["vector_indexing"]
    dan = {**sets["explicit_loops"], **{p: cat[p] for p in ("pixel_model", "pixel_sampling")}}
    dan["pixel_bits_per_dim"] = cat["pixel_bits_per_dim"]
    hand_in(tmp_path, "cat", repo_root, cat)
    hand_in(tmp_path, "dan", repo_root, dan)
    pairs = similar_pairs(tmp_path, CHAPTER, repo_root, threshold=0.5)
    assert [(p.student_a, p.student_b) for p in pairs] == [("ann", "ben"), ("cat", "dan")]
    assert pairs[0].similarity > pairs[1].similarity
    assert [c[0] for c in pairs[0].cells] == list(copied)  # in the notebook's order
    assert {c[0] for c in pairs[1].cells} == {"pixel_model", "pixel_sampling", "pixel_bits_per_dim"}


@pytest.mark.parametrize("chapter", ["ch01_pixelcnn", "ch02_vae", "ch03_gan"])
def test_independent_correct_answers_are_not_flagged(repo_root, tmp_path, chapter):
    """Every answer set of the chapter (each written alone, in its own style) against the others."""
    students = 0
    for notebook in chapter_parts(repo_root, chapter):
        for name, cells in answer_sets(repo_root, chapter, notebook).items():
            hand_in(tmp_path, name, repo_root, cells, chapter, notebook)
            students += 1
    assert students >= 8
    assert similar_pairs(tmp_path, chapter, repo_root) == []


@pytest.mark.parametrize("chapter", ["ch01_pixelcnn", "ch02_vae", "ch03_gan"])
def test_the_reference_and_the_release_are_not_flagged(repo_root, tmp_path, chapter):
    """The master notebook (every answer) against the release (every stub): nothing in common."""
    for notebook in chapter_parts(repo_root, chapter):
        name = f"{notebook}.ipynb"
        copy_in(tmp_path, "reference", repo_root / "source" / chapter / name, chapter, name)
        copy_in(tmp_path, "release", release_path(repo_root, chapter, notebook), chapter, name)
    assert similar_pairs(tmp_path, chapter, repo_root, threshold=0.01) == []


def test_untouched_releases_are_not_flagged(repo_root, tmp_path):
    """Two students who hand back the stubs (one of them in Chinese) share only the course's."""
    for notebook in chapter_parts(repo_root, CHAPTER):
        release = release_path(repo_root, CHAPTER, notebook)
        copy_in(tmp_path, "alice", release, name=f"{notebook}.ipynb")
        copy_in(tmp_path, "bob", release.with_suffix(".zh.ipynb"), name=f"{notebook}.zh.ipynb")
    assert similar_pairs(tmp_path, CHAPTER, repo_root, threshold=0.01) == []


HOSTILE = {
    "not_json": b"{this is not json",
    "no_cells": json.dumps({"cells": 5, "metadata": {}}).encode(),
    "a_list": b"[1, 2, 3]",
    "nested": b"[" * 100_000 + b"]" * 100_000,
    "odd_cells": json.dumps(
        {
            "cells": [
                7,
                {"cell_type": "code", "metadata": "x"},
                {"cell_type": "code", "metadata": {"nbgrader": [1]}},
                {
                    "cell_type": "code",
                    "metadata": {"nbgrader": {"solution": True, "grade_id": "pixel_model"}},
                    "source": 12,
                },
            ]
        }
    ).encode(),
    "not_utf8": b"\xff\xfe\xfa" * 10,
}


def test_broken_notebooks_are_skipped_and_the_rest_compared(repo_root, tmp_path):
    answer = answer_sets(repo_root, CHAPTER, NOTEBOOK)["explicit_loops"]
    hand_in(tmp_path, "alice", repo_root, answer)
    hand_in(tmp_path, "bob", repo_root, answer)
    for student, data in HOSTILE.items():
        path = tmp_path / student / CHAPTER / f"{NOTEBOOK}.ipynb"
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
        assert solution_cells(path, {"pixel_model": 3}) == {}
    huge = tmp_path / "huge" / CHAPTER / f"{NOTEBOOK}.ipynb"
    huge.parent.mkdir(parents=True)
    huge.write_bytes(b'{"cells": [' + b" " * (21 * 2**20) + b"]}")
    (tmp_path / "linked" / CHAPTER).mkdir(parents=True)
    (tmp_path / "linked" / CHAPTER / f"{NOTEBOOK}.ipynb").symlink_to(
        tmp_path / "alice" / CHAPTER / f"{NOTEBOOK}.ipynb"
    )
    pairs = similar_pairs(tmp_path, CHAPTER, repo_root)
    assert [(p.student_a, p.student_b) for p in pairs] == [("alice", "bob")]


def test_solution_cells_reads_a_source_split_into_lines(tmp_path):
    cell = {
        "cell_type": "code",
        "metadata": {"nbgrader": {"solution": True, "grade_id": "add"}},
        "source": ["def add(a, b):\n", "    return a + b\n"],
    }
    other = {"cell_type": "code", "metadata": {}, "source": "print(1)"}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps({"cells": [other, cell]}))
    assert solution_cells(path, {"add": 1}) == {"add": "def add(a, b):\n    return a + b\n"}
    assert solution_cells(path, {"sub": 1}) == {}


def test_without_a_release_nothing_is_flagged_and_it_says_why(tiny_course, tmp_path):
    """Without the release every stub would look shared: no pairs, and a warning."""
    for student in ("alice", "bob"):
        path = tmp_path / "class" / student / "ch00_tiny" / "basics.ipynb"
        path.parent.mkdir(parents=True)
        shutil.copyfile(tiny_course / "source" / "ch00_tiny" / "basics.ipynb", path)
    with pytest.warns(UserWarning, match="igcourse build"):
        assert similar_pairs(tmp_path / "class", "ch00_tiny", tiny_course) == []
