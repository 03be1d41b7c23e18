"""Measure the hidden checks on a set of independent answers, graded as a class would be.

    .venv/bin/python scripts/measure_answers.py ch01_pixelcnn FOLDER --out report.json

FOLDER holds answer sets written from the release notebooks alone (igcourse/grading/
alternatives.py format): FOLDER/correct/<notebook>/<name>.py, each a correct answer, and
FOLDER/wrong/<notebook>/<name>.py, each with one mistake, its docstring starting with the lines
`PART: <grade id>` and `MISTAKE: <sentence>`. Every set is filled into the release notebook and
graded with `igcourse grade`'s own path (sandbox, batches, salts). The report lists, for each
correct set, the parts that lost points, and for each wrong set whether its part lost points
(caught), the messages its part's failed checks gave (to judge whether they name the mistake),
and any other part that lost points. Parts graded from handed-in files are left out.
"""

import argparse
import ast
import json
import tempfile
from pathlib import Path

from igcourse.classroom.batch import grade_all
from igcourse.grading.alternatives import read_answer_set, write_filled
from igcourse.grading.course import chapter_parts, handed_in_parts
from igcourse.paths import repo_root


def declared(path):
    """(PART, MISTAKE) from a wrong answer's docstring."""
    doc = ast.get_docstring(ast.parse(Path(path).read_text(encoding="utf-8"))) or ""
    fields = dict(
        line.split(":", 1) for line in doc.splitlines() if line.startswith(("PART:", "MISTAKE:"))
    )
    return fields.get("PART", "").strip(), fields.get("MISTAKE", "").strip()


def build_class(root, folder, out):
    """Fill every answer set into out/<kind>-<notebook>-<name>/<notebook>.ipynb."""
    answers = {}
    for kind in ("correct", "wrong"):
        for path in sorted((Path(folder) / kind).glob("*/*.py")):
            answer_set = read_answer_set(path)  # FOLDER is <...>/<chapter>: its parent's name
            student = f"{kind}-{answer_set.notebook}-{path.stem}"
            write_filled(answer_set, root, Path(out) / student / f"{answer_set.notebook}.ipynb")
            part, mistake = declared(path) if kind == "wrong" else ("", "")
            answers[student] = {"kind": kind, "notebook": answer_set.notebook, "file": str(path)}
            answers[student].update(part=part, mistake=mistake)
    return answers


def measure(root, chapter, folder, workers=2):
    notebooks = chapter_parts(root, chapter)
    handed_in = handed_in_parts(root, chapter)
    with tempfile.TemporaryDirectory(prefix="igcourse-measure-") as tmp:
        answers = build_class(root, folder, Path(tmp) / "class")
        graded = grade_all(
            Path(tmp) / "class", chapter, root, Path(tmp) / "results", workers=workers
        )
    report = []
    for result in graded:
        answer = answers[result.student]
        lost = {
            part: [result.scores.get(part, 0.0), points]
            for part, points in notebooks[answer["notebook"]].items()
            if part not in handed_in and result.scores.get(part, 0.0) < points
        }
        entry = {**answer, "student": result.student, "error": result.error, "lost": lost}
        entry["lost_messages"] = {part: result.failure_messages(part) for part in lost}
        if answer["kind"] == "wrong":
            entry["caught"] = answer["part"] in lost
            entry["messages"] = result.failure_messages(answer["part"])
            entry["collateral"] = sorted(p for p in lost if p != answer["part"])
        report.append(entry)
    return report


def summary(report):
    correct = [e for e in report if e["kind"] == "correct"]
    wrong = [e for e in report if e["kind"] == "wrong"]
    return {
        "correct sets": len(correct),
        "correct sets losing a point": sum(bool(e["lost"]) for e in correct),
        "wrong sets": len(wrong),
        "caught": sum(e["caught"] for e in wrong),
        "with points lost elsewhere": sum(bool(e["collateral"]) for e in wrong),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapter")
    parser.add_argument("folder")
    parser.add_argument("--out", required=True, help="the report (JSON)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    report = measure(repo_root(), args.chapter, args.folder, args.workers)
    Path(args.out).write_text(
        json.dumps({"summary": summary(report), "answers": report}, indent=1, ensure_ascii=False),
        encoding="utf-8",
    )
    print(json.dumps(summary(report), indent=1))


if __name__ == "__main__":
    main()
