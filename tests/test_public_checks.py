"""Do every chapter's public checks cover its parts, pass the reference and fail the release?

The chapter files (tests/test_public_checks_chNN.py) add each chapter's wrong answers.
"""

import pytest
from public_checks import ROOT, ChapterModules, run_part

from igcourse.checks import public_checks
from igcourse.config import load_config
from igcourse.export import read_notebook

CHAPTERS = {chapter: ChapterModules(chapter) for chapter in sorted(load_config(ROOT).chapters)}
PARTS = [(chapter, part) for chapter, c in CHAPTERS.items() for part in c.notebook_of]


@pytest.mark.parametrize("chapter", sorted(CHAPTERS))
def test_every_part_has_public_checks(chapter):
    """Do the public checks cover exactly the parts of course_config.py?"""
    assert sorted(public_checks(chapter)) == sorted(CHAPTERS[chapter].notebook_of)


@pytest.mark.parametrize("chapter", sorted(CHAPTERS))
def test_every_public_check_has_a_description(chapter):
    """Does every public check carry its description (without one, a student reads the
    function's name, and the catalogs lose its translation)?"""
    nameless = [
        check.__name__
        for checks in public_checks(chapter).values()
        for check in checks
        if not getattr(check, "description", "")
    ]
    assert not nameless, nameless


@pytest.mark.parametrize("chapter", sorted(CHAPTERS))
def test_check_cells_call_their_part(chapter):
    """Does each public check cell of the source notebooks run the checks of its own part?"""
    for notebook, parts in CHAPTERS[chapter].parts.items():
        found = {}
        for cell in read_notebook(ROOT / "source" / chapter / f"{notebook}.ipynb").cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            if grade_id.endswith("_check"):
                found[grade_id[: -len("_check")]] = cell.source
        assert sorted(found) == sorted(parts)
        for part, source in found.items():
            assert source == f'check_part("{chapter}", "{part}", globals())'


def _handed_in(chapter, part):
    return part in load_config(ROOT).course.handed_in_parts(chapter)


@pytest.mark.parametrize("where", PARTS, ids=lambda w: f"{w[0]}/{w[1]}")
def test_reference_passes(where, tmp_path, capsys, monkeypatch):
    """Does the reference implementation pass every public check of each part? (A part graded
    from handed-in files runs beside the reference's trained model, in solutions/.)"""
    chapter, part = where
    if _handed_in(chapter, part):
        monkeypatch.chdir(ROOT / "solutions" / chapter)
    passed, report = run_part(chapter, part, CHAPTERS[chapter].namespace(tmp_path, part), capsys)
    assert passed, report
    assert "\u2717" not in report


@pytest.mark.parametrize("where", PARTS, ids=lambda w: f"{w[0]}/{w[1]}")
def test_release_stub_fails(where, tmp_path, capsys, monkeypatch):
    """Does the untouched release stub fail each part, saying it is not implemented yet (or,
    for a part graded from handed-in files, that they are not there)?"""
    chapter, part = where
    monkeypatch.chdir(tmp_path)
    stub = CHAPTERS[chapter].namespace(tmp_path, part, kind="stub")
    passed, report = run_part(chapter, part, stub, capsys)
    assert not passed
    if _handed_in(chapter, part):
        assert "not in this notebook's folder" in report
        return
    assert "not implemented yet" in report
    assert "NotImplementedError" in report
