"""What grading hands back: HTML feedback per student, a CSV of scores, Gradescope JSON.

Feedback shows each part's points, the messages of its failed checks and the pictures they
chose (a mask, what a pixel sees, as PNG data), never the checks' code, their inputs or the
reference.

Every file is named so that distinct student ids never share one (safe_name), and every CSV
cell that a spreadsheet would run as a formula is written as text (csv_cell).
"""

import csv
import hashlib
import html
import json
import re
from pathlib import Path

from igcourse.i18n import _, current_language

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; max-width: 60em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: .4em .6em; text-align: left; vertical-align: top; }
tr.full td.points { background: #e6f4ea; } tr.partial td.points { background: #fff4d6; }
tr.zero td.points { background: #fde7e9; }
pre { white-space: pre-wrap; margin: .2em 0; font-size: .9em; }
figure { display: inline-block; margin: .4em 1em .4em 0; }
figure img { image-rendering: pixelated; border: 1px solid #999; }
figcaption { font-size: .85em; max-width: 14em; }
"""


def html_language():
    """The lang attribute of a page written in the current message language."""
    return "zh-Hans" if current_language() == "zh" else "en"


def _row_class(earned, available):
    if earned >= available:
        return "full"
    return "partial" if earned > 0 else "zero"


def feedback_html(graded, chapter):
    """One student's feedback page for one notebook."""
    esc = html.escape
    title = _("Feedback: {chapter} / {notebook}").format(chapter=chapter, notebook=graded.notebook)
    rows = []
    for part, available in graded.max_scores.items():
        earned = graded.scores.get(part, 0.0)
        messages = graded.failure_messages(part)
        if not any(c["part"] == part for c in graded.checks) and not graded.error:
            messages = [_("No check of this part ran: is it defined in your notebook?")]
        details = "".join(f"<pre>{esc(m)}</pre>" for m in messages) or esc(_("All checks passed."))
        details += "".join(_figure(image) for image in graded.failure_images(part))
        rows.append(
            f'<tr class="{_row_class(earned, available)}"><td>{esc(part)}</td>'
            f'<td class="points">{earned:g} / {available:g}</td><td>{details}</td></tr>'
        )
    error = f"<p><strong>{esc(graded.error)}</strong></p>" if graded.error else ""
    error += f"<p>{esc(graded.note)}</p>" if graded.note else ""
    labels = {
        "student": _("Student"),
        "total": _("Total"),
        "part": _("Part"),
        "points": _("Points"),
        "fix": _("What to fix"),
    }
    return (
        f'<!DOCTYPE html><html lang="{html_language()}"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title>"
        f"<style>{STYLE}</style></head><body><h1>{esc(title)}</h1>"
        f"<p>{esc(labels['student'])}: {esc(graded.student)} &middot; {esc(labels['total'])}: "
        f"{graded.total:g} / {graded.max_total:g}</p>{error}"
        f"<table><tr><th>{esc(labels['part'])}</th><th>{esc(labels['points'])}</th>"
        f"<th>{esc(labels['fix'])}</th></tr>{''.join(rows)}</table></body></html>"
    )


def _figure(image):
    """An embedded PNG with its caption; anything that is not a PNG is left out."""
    from igcourse.grading.pictures import is_png_base64

    png, caption = image.get("png"), html.escape(str(image.get("caption", "")))
    if not is_png_base64(png):
        return ""
    return (
        f'<figure><img src="data:image/png;base64,{png}" alt="{caption}">'
        f"<figcaption>{caption}</figcaption></figure>"
    )


def write_feedback(graded_list, chapter, folder):
    """feedback/<student>/<chapter>/<notebook>.html for each result; returns the paths."""
    paths = []
    for graded in graded_list:
        path = Path(folder).joinpath(*feedback_parts(graded.student, chapter, graded.notebook))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(feedback_html(graded, chapter), encoding="utf-8")
        paths.append(path)
    return paths


def feedback_parts(student, chapter, notebook):
    """The path of a student's feedback page for a notebook, below the feedback folder."""
    return safe_name(student), chapter, f"{notebook}.html"


def write_csv(graded_list, path):
    """One row per submission: its parts' points, totals, error and note."""
    parts = []
    for graded in graded_list:
        parts += [p for p in graded.max_scores if p not in parts]
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "notebook", *parts, "total", "max_total", "error", "note"])
        for graded in graded_list:
            scores = [graded.scores.get(p, "") for p in parts]
            row = [graded.student, graded.notebook, *scores, graded.total, graded.max_total]
            writer.writerow([csv_cell(value) for value in [*row, graded.error, graded.note]])
    return Path(path)


# What makes a spreadsheet read a cell as a formula (OWASP's list for CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A CSV value a spreadsheet shows as written: text that it would run as a formula gets a
    leading ' (which spreadsheets read as "this is text"); numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def gradescope_results(graded):
    """Gradescope's results.json for one submission."""
    tests = []
    for part, available in graded.max_scores.items():
        messages = graded.failure_messages(part)
        tests.append(
            {
                "name": part,
                "score": graded.scores.get(part, 0.0),
                "max_score": available,
                "output": "\n\n".join(messages),
                "visibility": "visible",
            }
        )
    output = "\n\n".join(text for text in (graded.error, graded.note) if text)
    return {"score": graded.total, "output": output, "tests": tests}


def write_gradescope(graded_list, chapter, folder):
    paths = []
    for graded in graded_list:
        path = (
            Path(folder) / safe_name(graded.student) / chapter / f"{graded.notebook}.results.json"
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps(gradescope_results(graded), ensure_ascii=False, indent=1), encoding="utf-8"
        )
        paths.append(path)
    return paths


PLAIN_ID = re.compile(r"[a-z0-9_][a-z0-9_.@-]{0,99}")
UNSAFE_CHARACTER = re.compile(r"[^\w.@-]")


def safe_name(student):
    """A student id as one path component that no other id maps to.

    A plain id (lowercase ASCII letters, digits and "_", then also "-", "@" and inner dots;
    at most 100 characters) is its own name. Any other id gets a readable part (at most 50
    characters, so at most 200 bytes) and "~" with 16 hex digits of its sha256: "~" never
    appears in a plain id, and lowercase alone keeps ids that differ only in case apart on
    file systems that ignore case ("Ann" is "Ann~...", "ann" is "ann").
    """
    if PLAIN_ID.fullmatch(student) and not student.endswith("."):
        return student
    readable = UNSAFE_CHARACTER.sub("_", student)[:50].strip(".") or "_"
    return f"{readable}~{hashlib.sha256(student.encode('utf-8')).hexdigest()[:16]}"


def _printable(text):
    """Text for a terminal: a student id cannot move the cursor or recolour the table."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def table(graded_list):
    """The gradebook as plain text: one row per submission."""
    students = [_printable(g.student) for g in graded_list]
    width = max([len(_("student"))] + [len(student) for student in students]) + 2
    heads = _("student"), _("notebook"), _("score"), _("note")
    lines = [f"{heads[0]:<{width}} {heads[1]:<22} {heads[2]:>12}  {heads[3]}"]
    for student, graded in zip(students, graded_list, strict=True):
        score = f"{graded.total:g}/{graded.max_total:g}"
        note = _printable(graded.error or graded.note)[:60]
        lines.append(f"{student:<{width}} {graded.notebook:<22} {score:>12}  {note}")
    return "\n".join(lines)
