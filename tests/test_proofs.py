"""Recorded proofs (igcourse/grading/proofs.py): skipped only for exactly the content proved."""

import json
import subprocess

from igcourse.grading import proofs

CHAPTER = "ch99_demo"


def _course(root):
    for folder in ("autograder", "solutions", "release", "source"):
        (root / folder / CHAPTER).mkdir(parents=True)
        (root / folder / CHAPTER / "a.py").write_text(f"# {folder}\n")
    (root / "igcourse").mkdir()
    (root / "igcourse" / "engine.py").write_text("ENGINE = 1\n")
    (root / "course_config.py").write_text("COURSE = 1\n")
    (root / "test_proof.py").write_text("# what the proof must show\n")


def test_a_recorded_pass_holds_until_any_file_it_depends_on_changes(tmp_path):
    _course(tmp_path)
    also = (tmp_path / "test_proof.py",)
    before = proofs.digest(tmp_path, CHAPTER, also)
    proofs.record(tmp_path, CHAPTER, "validate", before, 12.0, "ch99_demo: all good")
    assert proofs.still_proved(tmp_path, CHAPTER, "validate", also)["summary"].endswith("good")
    for changed in ("autograder/ch99_demo/a.py", "igcourse/engine.py", "course_config.py"):
        path = tmp_path / changed
        text = path.read_text()
        path.write_text(text + "# changed\n")
        assert proofs.still_proved(tmp_path, CHAPTER, "validate", also) is None, changed
        path.write_text(text)
        assert proofs.still_proved(tmp_path, CHAPTER, "validate", also) is not None
    (tmp_path / "test_proof.py").write_text("# the proof now asks for more\n")
    assert proofs.still_proved(tmp_path, CHAPTER, "validate", also) is None


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
