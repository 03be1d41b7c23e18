"""Recorded proofs (igcourse/grading/proofs.py): skipped only for exactly the content proved."""

import json
import subprocess

from igcourse.grading import proofs

CHAPTER = "ch99_demo"


def _course(root):
    for folder in ("autograder", "solutions", "release", "source"):
        (root / folder / CHAPTER).mkdir(parents=True)
        (root / folder / CHAPTER / "a.py").write_text(f"# {folder}\n")
    (root / "autograder" / CHAPTER / "a.py").write_text("from igcourse.engine import ENGINE\n")
    (root / "igcourse").mkdir()
    (root / "igcourse" / "__init__.py").write_text("")
    (root / "igcourse" / "engine.py").write_text("ENGINE = 1\n")
    (root / "course_config.py").write_text("COURSE = 1\n")
    (root / "test_proof.py").write_text("# what the proof must show\n")


def test_a_recorded_pass_holds_until_any_file_it_depends_on_changes(tmp_path):
    _course(tmp_path)
    also = (tmp_path / "test_proof.py",)
    before = proofs.digest(tmp_path, CHAPTER, also)
    proofs.record(tmp_path, CHAPTER, "validate", before, 12.0, "ch99_demo: all good")
    assert proofs.still_proved(tmp_path, CHAPTER, "validate", also)["summary"].endswith("good")
    changes = ("autograder/ch99_demo/a.py", "igcourse/engine.py", "igcourse/__init__.py")
    for changed in (*changes, "course_config.py"):
        path = tmp_path / changed
        text = path.read_text()
        path.write_text(text + "CHANGED = 1\n")
        assert proofs.still_proved(tmp_path, CHAPTER, "validate", also) is None, changed
        path.write_text(text)
        assert proofs.still_proved(tmp_path, CHAPTER, "validate", also) is not None
    for notes in ("autograder/ch99_demo/README.md", "solutions/ch99_demo/RESULTS.md"):
        (tmp_path / notes).write_text("validate: 3 min\n")
        assert proofs.still_proved(tmp_path, CHAPTER, "validate", also) is not None  # people's
    (tmp_path / "test_proof.py").write_text("# the proof now asks for more\n")
    assert proofs.still_proved(tmp_path, CHAPTER, "validate", also) is None


def test_another_browser_version_proves_nothing(tmp_path):
    """A proof that runs another program (a browser) names its version: a new one runs it."""
    _course(tmp_path)
    seen = "; Chromium 156.0.8078.114"
    proofs.record(tmp_path, CHAPTER, "browser", proofs.digest(tmp_path, CHAPTER, (), seen), 1, "")
    assert proofs.still_proved(tmp_path, CHAPTER, "browser", (), seen) is not None
    assert proofs.still_proved(tmp_path, CHAPTER, "browser", (), "; Chromium 157.0.1") is None
    assert proofs.still_proved(tmp_path, CHAPTER, "browser") is None  # no browser now


def test_another_chapter_and_a_failed_record_prove_nothing(tmp_path):
    _course(tmp_path)
    (tmp_path / "autograder" / "ch98_other").mkdir()
    (tmp_path / "autograder" / "ch98_other" / "b.py").write_text("X = 1\n")
    proofs.record(tmp_path, CHAPTER, "validate", proofs.digest(tmp_path, CHAPTER), 1.0, "")
    (tmp_path / "autograder" / "ch98_other" / "b.py").write_text("X = 2\n")
    assert proofs.still_proved(tmp_path, CHAPTER, "validate") is not None  # not its files
    path = tmp_path / "proofs" / f"{CHAPTER}.json"
    records = json.loads(path.read_text())
    records["validate"]["passed"] = False
    path.write_text(json.dumps(records))
    assert proofs.still_proved(tmp_path, CHAPTER, "validate") is None


def test_another_chapters_settings_prove_nothing_and_change_nothing(tmp_path):
    """A new chapter's parts or thresholds leave the others' proofs standing; this chapter's
    entries, and the settings every chapter shares, do not."""
    _course(tmp_path)
    config = tmp_path / "course_config.py"

    def write(own_points, other_points, limit):
        config.write_text(
            f"c = get_config()\n"
            f"c.Course.chapters = {{'{CHAPTER}': {{'nb': {{'part': {own_points}}}}},\n"
            f"    'ch98_other': {{'nb': {{'part': {other_points}}}}}}}  # points\n"
            f"c.GradingLimits.time_limit_s = {limit}\n"
        )

    write(2, 3, 600.0)
    before = proofs.digest(tmp_path, CHAPTER)
    write(2, 5, 600.0)
    assert proofs.digest(tmp_path, CHAPTER) == before
    config.write_text(config.read_text().replace("# points", "# the other chapter's points"))
    assert proofs.digest(tmp_path, CHAPTER) == before  # a comment runs nothing
    write(3, 5, 600.0)
    assert proofs.digest(tmp_path, CHAPTER) != before
    write(2, 5, 300.0)
    assert proofs.digest(tmp_path, CHAPTER) != before


def test_in_git_only_files_a_clone_gets_count(tmp_path):
    """A fresh clone has the committed files only: an ignored local file changes nothing."""
    _course(tmp_path)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("*.local\n")
    subprocess.run(["git", "-C", str(tmp_path), "add", "-A"], check=True)
    before = proofs.digest(tmp_path, CHAPTER)
    (tmp_path / "autograder" / CHAPTER / "notes.local").write_text("scratch\n")
    assert proofs.digest(tmp_path, CHAPTER) == before
    (tmp_path / "autograder" / CHAPTER / "a.py").write_text("# edited, not yet committed\n")
    edited = proofs.digest(tmp_path, CHAPTER)
    assert edited != before
    # A new file not yet added (a new zoo entry, say) counts: the clone will have it.
    (tmp_path / "autograder" / CHAPTER / "new_mutant.py").write_text("# new\n")
    assert proofs.digest(tmp_path, CHAPTER) != edited


def _changes_digest(root, relative, also=()):
    """Whether appending to a file changes the chapter's digest (the file is left as it was)."""
    path = root / relative
    before = proofs.digest(root, CHAPTER, also)
    text = path.read_text()
    path.write_text(text + "# changed\n")
    changed = proofs.digest(root, CHAPTER, also) != before
    path.write_text(text)
    return changed


def _write(root, relative, text):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_only_the_engine_modules_a_proof_can_reach_count(tmp_path):
    """Imports anywhere in a file, modules named in strings, packages whose modules are
    imported by a name built at run time, and the modules those reach in turn."""
    _course(tmp_path)
    _write(tmp_path, "igcourse/report.py", "REPORT = 1\n")  # nothing reaches it
    _write(tmp_path, "igcourse/grading/__init__.py", "")
    _write(tmp_path, "igcourse/grading/plugin.py", "def f():\n    from igcourse import deep\n")
    _write(tmp_path, "igcourse/deep.py", "X = 1\n")
    _write(tmp_path, "igcourse/worker.py", "W = 1\n")
    _write(
        tmp_path,
        "igcourse/checks/__init__.py",
        "import importlib\ndef load(c):\n    return importlib.import_module(f'{__name__}.{c}')\n",
    )
    _write(tmp_path, "igcourse/checks/ch99_demo.py", "C = 1\n")
    _write(tmp_path, "igcourse/locale/zh/LC_MESSAGES/igcourse.po", 'msgid "a"\n')
    _write(tmp_path, "igcourse/weights.json", "{}\n")
    _write(
        tmp_path,
        "solutions/ch99_demo/b.py",
        "import igcourse.checks\nCOMMAND = ['-p', 'igcourse.grading.plugin', '-m', "
        "'igcourse.worker']\n",
    )
    assert not _changes_digest(tmp_path, "igcourse/report.py")
    for reached in (
        "igcourse/grading/plugin.py",  # named in a string
        "igcourse/grading/__init__.py",  # its package
        "igcourse/deep.py",  # imported inside a function of a module reached
        "igcourse/worker.py",  # python -m
        "igcourse/checks/ch99_demo.py",  # import_module of a name built at run time
        "igcourse/weights.json",  # not Python: always
    ):
        assert _changes_digest(tmp_path, reached), reached
    # Proofs run in English: the Chinese catalog is not theirs.
    assert not _changes_digest(tmp_path, "igcourse/locale/zh/LC_MESSAGES/igcourse.po")


def test_another_chapters_modules_count_only_where_imported_by_name(tmp_path):
    """A name built at run time (`import_module(f"igcourse.checks.{chapter}")`) reaches the
    chapter's own modules of the package, not those of another chapter: a new chapter's public
    checks leave every other chapter's proofs as they were, unless one imports them."""
    _course(tmp_path)
    _write(
        tmp_path,
        "igcourse/checks/__init__.py",
        "import importlib\ndef load(c):\n    return importlib.import_module(f'{__name__}.{c}')\n",
    )
    _write(tmp_path, "igcourse/checks/networks.py", "N = 1\n")
    _write(tmp_path, "igcourse/checks/ch99_demo.py", "C = 1\n")
    _write(tmp_path, "igcourse/checks/ch99_more.py", "M = 1\n")  # the same chapter's number
    _write(tmp_path, "igcourse/checks/ch98_other.py", "O = 1\n")
    _write(tmp_path, "solutions/ch99_demo/b.py", "import igcourse.checks\n")
    for reached in ("networks", "ch99_demo", "ch99_more"):
        assert _changes_digest(tmp_path, f"igcourse/checks/{reached}.py"), reached
    assert not _changes_digest(tmp_path, "igcourse/checks/ch98_other.py")
    _write(tmp_path, "igcourse/checks/ch97_new.py", "NEW = 1\n")  # a new chapter's checks
    assert not _changes_digest(tmp_path, "igcourse/checks/ch97_new.py")
    # Imported by name, another chapter's module counts like any other.
    _write(tmp_path, "igcourse/checks/ch99_more.py", "from igcourse.checks.ch98_other import O\n")
    assert _changes_digest(tmp_path, "igcourse/checks/ch98_other.py")


def test_a_file_that_is_not_python_reaches_the_whole_engine(tmp_path):
    _course(tmp_path)
    _write(tmp_path, "igcourse/report.py", "REPORT = 1\n")
    assert not _changes_digest(tmp_path, "igcourse/report.py")
    _write(tmp_path, "autograder/ch99_demo/broken_mutant.py", "def f(:\n")
    assert _changes_digest(tmp_path, "igcourse/report.py")


def test_a_chapter_file_importing_a_built_name_reaches_the_whole_engine(tmp_path):
    _course(tmp_path)
    _write(tmp_path, "igcourse/report.py", "REPORT = 1\n")
    assert not _changes_digest(tmp_path, "igcourse/report.py")
    _write(
        tmp_path, "solutions/ch99_demo/c.py", "import importlib\nimportlib.import_module(NAME)\n"
    )
    assert _changes_digest(tmp_path, "igcourse/report.py")


def test_the_test_helpers_a_proof_imports_count(tmp_path):
    _course(tmp_path)
    _write(tmp_path, "tests/helper.py", "H = 1\n")
    _write(tmp_path, "tests/unrelated.py", "U = 1\n")
    _write(tmp_path, "test_proof.py", "from helper import H\n")
    also = (tmp_path / "test_proof.py",)
    assert _changes_digest(tmp_path, "tests/helper.py", also)
    assert not _changes_digest(tmp_path, "tests/unrelated.py", also)


def test_a_notebooks_imports_reach_the_engine_without_its_magics(tmp_path):
    _course(tmp_path)
    _write(tmp_path, "igcourse/notebook.py", "N = 1\n")
    cells = [
        {"cell_type": "code", "source": ["%matplotlib inline\n", "!ls\n"]},
        {"cell_type": "markdown", "source": "from igcourse import nothing"},
        {"cell_type": "code", "source": ["from igcourse.notebook import N\n"]},
    ]
    _write(tmp_path, "source/ch99_demo/n.ipynb", json.dumps({"cells": cells}))
    assert _changes_digest(tmp_path, "igcourse/notebook.py")
