"""Writing a master notebook from a Python script, cell by cell, as docs/authoring.md describes.

A chapter's builder (`measurements/<date>-chNN/make_<notebook>_nb.py`) keeps each narrative
cell's English and Chinese side by side, and the code cells in order:

    book = MasterNotebook("ch07_face_generation")
    book.md("# Title", "# 标题")
    book.code("import keras", export=True)
    book.solution("part", "def f():\\n    ### BEGIN SOLUTION\\n    ...", points=2)
    book.write("source/ch07_face_generation/progan.ipynb", "progan")
"""

import json


class MasterNotebook:
    """The cells of one master notebook, in order."""

    def __init__(self, chapter):
        self.chapter = chapter
        self.cells = []

    def md(self, en, zh):
        """A narrative cell in English and its Chinese twin, right after it."""
        for lang, text in (("en", en), ("zh", zh)):
            self.cells.append(
                {
                    "cell_type": "markdown",
                    "metadata": {"course": {"lang": lang}},
                    "source": text.strip("\n"),
                }
            )

    def code(self, source, export=False):
        """A shared code cell; exported to solutions/ (definitions only) when export is true."""
        self._code(source, {"tags": ["export"]} if export else {})

    def solution(self, part, source, points):
        """A part's solution cell, then its public check cell worth `points`."""
        nbgrader = {
            "grade": False,
            "grade_id": part,
            "locked": False,
            "schema_version": 3,
            "solution": True,
            "task": False,
        }
        self._code(source, {"nbgrader": nbgrader})
        self.check(part, points)

    def check(self, part, points):
        """The public check cell of `part` (for a handed-in part, on its own)."""
        nbgrader = {
            "grade": True,
            "grade_id": f"{part}_check",
            "locked": True,
            "points": points,
            "schema_version": 3,
            "solution": False,
            "task": False,
        }
        self._code(f'check_part("{self.chapter}", "{part}", globals())', {"nbgrader": nbgrader})

    def _code(self, source, metadata):
        self.cells.append(
            {
                "cell_type": "code",
                "metadata": metadata,
                "source": source.strip("\n"),
                "execution_count": None,
                "outputs": [],
            }
        )

    def write(self, path, prefix):
        """Write the notebook, its cells' ids `<prefix>-NN`; returns the number of cells."""
        for index, cell in enumerate(self.cells):
            cell["id"] = f"{prefix}-{index:02d}"
        notebook = {
            "cells": self.cells,
            "metadata": {
                "kernelspec": {
                    "display_name": "Python 3 (ipykernel)",
                    "language": "python",
                    "name": "python3",
                },
                "language_info": {"name": "python"},
            },
            "nbformat": 4,
            "nbformat_minor": 5,
        }
        with open(path, "w", encoding="utf-8") as f:
            json.dump(notebook, f, indent=1, ensure_ascii=False)
            f.write("\n")
        return len(self.cells)
