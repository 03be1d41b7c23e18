"""Does the class report tell an instructor what the class did, all of it, and safely?"""

import base64
import csv
import gettext
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

import pytest
from course_factory import add_checks, student_notebook, write_notebook

from igcourse.build import build
from igcourse.classroom import class_report, reports
from igcourse.classroom.class_report import (
    chapter_zoo,
    class_report_html,
    feedback_href,
    names,
    write_class_report,
)
from igcourse.classroom.grade import grade_class
from igcourse.classroom.jobs import Graded
from igcourse.grading.mutants import ONE_KNOWN_MISTAKE, read_mutant
from igcourse.i18n import DOMAIN, LOCALE_DIR, set_language

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = "ch01_pixelcnn"
MUTANTS = ROOT / "autograder" / CHAPTER / "mutants"
POINTS = {"bits_per_dim": 3, "sampling": 3}
HOSTILE = "<script>alert(1)</script>"


@dataclass(frozen=True)
class Pair:
    """Shaped as igcourse.classroom.similarity.SimilarPair."""

    notebook: str
    student_a: str
    student_b: str
    similarity: float
    cells: tuple


def in_chinese(message):
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=["zh"]).gettext(message)


def failed(part, message):
    return {"check": "c", "part": part, "outcome": "failed", "message": message}


def graded(student, scores, messages=(), error="", note="", seconds=10.0):
    checks = [failed(part, message) for part, message in messages]
    return Graded(
        student, "pixelcnn", "x", dict(scores), dict(POINTS), checks, error, note, seconds
    )


@pytest.fixture
def nats():
    """A real mutant of the chapter, whose MISTAKE the Chinese catalog translates."""
    mutant = read_mutant(MUTANTS / "bits_in_nats.py")
    assert in_chinese(mutant.mistake) != mutant.mistake
    return mutant


@pytest.fixture
def english():
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def the_class(nats):
    """A class: two name the same known mistake (one in Chinese), a hostile id loses points
    that no known mistake explains, one errors, one times out, one gets full marks."""
    in_english = ONE_KNOWN_MISTAKE.format(mistake=nats.mistake)
    chinese = in_chinese(ONE_KNOWN_MISTAKE).format(mistake=in_chinese(nats.mistake))
    return [
        graded("ann", {"bits_per_dim": 0, "sampling": 2}, [("bits_per_dim", in_english)]),
        graded("李华", {"bits_per_dim": 0, "sampling": 1}, [("bits_per_dim", chinese)]),
        graded(
            HOSTILE,
            {"bits_per_dim": 1, "sampling": 2},
            [("bits_per_dim", "<img src=x onerror=alert(1)>")],
            seconds=2.5,
        ),
        graded(
            "dora",
            {"bits_per_dim": 0, "sampling": 0},
            error="the checks did not run:\nTraceback <boom>",
            note="outputs dropped",
        ),
        graded(
            "ezra",
            {"bits_per_dim": 3, "sampling": 0},
            error="grading stopped after 600 s; the checks that had not run score nothing",
            seconds=600.0,
        ),
        graded("fay", {"bits_per_dim": 3, "sampling": 2}),
    ]


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def section(page, anchor):
    return re.search(f'<section id="{anchor}">(.*?)</section>', page, re.S).group(1)


def test_a_mistake_named_in_chinese_counts_as_the_same_known_mistake(english, the_class, nats):
    zoo = chapter_zoo(ROOT, CHAPTER)
    made = {
        m.known.mutants: [g.student for g in m.made_by]
        for m in class_report.mistakes_made(the_class, zoo)
    }
    assert made == {(nats.name,): ["ann", "李华"]}


def test_a_named_by_text_names_its_mistake_in_chinese_too():
    """NAMED_BY is a piece of an English message; the Chinese message says it in its own
    words, which the catalog's translation of that message gives."""
    mutant = read_mutant(ROOT / "autograder" / "ch02_vae" / "mutants" / "statistics_sample_std.py")
    known = next(k for k in chapter_zoo(ROOT, "ch02_vae") if mutant.name in k.mutants)
    message = next(m for m, _t in class_report._translations() if mutant.named_by in m)
    assert names([f"x\n{in_chinese(message)}\ny"], known)
    assert not names(["你的实现不对。"], known)


def test_the_page_counts_agree_with_the_scores_and_hide_nothing(english, the_class, tmp_path):
    page_path, data_path = write_class_report(the_class, CHAPTER, ROOT, tmp_path)
    assert page_path == tmp_path / f"{CHAPTER}-class-report.html"
    rows = read_rows(data_path)
    # Every lost point is accounted for: by a known mistake, unnamed, or an error.
    for part, available in POINTS.items():
        lost = {g.student for g in the_class if g.scores[part] < available}
        named = {r["student"] for r in rows if r["section"] == "mistake" and r["part"] == part}
        unnamed = {r["student"] for r in rows if r["section"] == "unnamed" and r["part"] == part}
        errors = {r["student"] for r in rows if r["section"] == "error"}
        assert lost == (named | unnamed | (errors & lost))
        assert not named & unnamed
    scores = {
        (r["student"], r["part"]): float(r["points"]) for r in rows if r["section"] == "score"
    }
    assert scores == {(g.student, p): float(g.scores[p]) for g in the_class for p in POINTS}
    assert [r["part"] for r in rows if r["section"] == "unsolved"] == ["sampling"]
    assert {r["student"] for r in rows if r["section"] == "error"} == {"dora", "ezra"}
    assert sum(float(r["seconds"]) for r in rows if r["section"] == "time") == sum(
        g.seconds for g in the_class
    )
    page = page_path.read_text(encoding="utf-8")
    mistakes = section(page, "mistakes")
    assert '<td class="count">2</td>' in mistakes and "ann" in mistakes and "李华" in mistakes
    assert "sampling" in section(page, "unsolved") and "bits_per_dim" not in section(
        page, "unsolved"
    )
    errors = section(page, "errors")
    assert "grading stopped after 600 s" in errors and "outputs dropped" in errors
    assert "&lt;boom&gt;" in errors
    assert "642.5 s" in section(page, "time")  # 4 x 10 + 2.5 + 600 in all


def test_each_student_links_to_their_own_feedback_page(english, the_class, tmp_path):
    reports.write_feedback(the_class, CHAPTER, tmp_path / "feedback")
    page, _data = write_class_report(the_class, CHAPTER, ROOT, tmp_path)
    hrefs = set(re.findall(r'href="([^"]+)"', page.read_text(encoding="utf-8")))
    assert {feedback_href(g.student, CHAPTER, g.notebook) for g in the_class} == hrefs
    for href in hrefs:
        assert (tmp_path / unquote(href)).is_file(), href
    assert (tmp_path / "feedback" / reports.safe_name(HOSTILE)).is_dir()


def test_what_students_control_is_escaped(english, the_class, tmp_path):
    pairs = [Pair("pixelcnn", HOSTILE, "ann", 0.9, (("sampling", "</pre><b>a", "x = '<i>'"),))]
    page = class_report_html(the_class, CHAPTER, chapter_zoo(ROOT, CHAPTER), pairs)
    assert "<script" not in page and "<img src=x" not in page and "<b>a" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    _page, data = write_class_report(
        [graded("=HYPERLINK(1)", {"bits_per_dim": 0, "sampling": 0})], CHAPTER, ROOT, tmp_path
    )
    assert "'=HYPERLINK(1)" in data.read_text(encoding="utf-8")


def test_each_part_has_its_score_plot_as_embedded_svg(english, the_class):
    page = class_report_html(the_class, CHAPTER, [])
    plots = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', section(page, "scores"))
    assert len(plots) == len(POINTS)
    for plot in plots:
        svg = ElementTree.fromstring(base64.b64decode(plot))  # well-formed XML
        assert svg.tag == "{http://www.w3.org/2000/svg}svg"


def test_a_score_plot_has_one_bar_per_score_coloured_by_marks():
    from igcourse.classroom.class_report import (
        FULL_COLOUR,
        PARTIAL_COLOUR,
        ZERO_COLOUR,
        PartScores,
        score_plot_svg,
    )

    scores = PartScores("pixelcnn", "sampling", 3.0, [(None, p) for p in (3, 3, 1.5, 0, 3)])
    svg = ElementTree.fromstring(score_plot_svg(scores))
    bars = svg.findall("{http://www.w3.org/2000/svg}rect")
    heights = {bar.get("fill"): float(bar.get("height")) for bar in bars}
    assert set(heights) == {FULL_COLOUR, PARTIAL_COLOUR, ZERO_COLOUR}
    assert heights[FULL_COLOUR] == pytest.approx(3 * heights[ZERO_COLOUR], abs=0.2)
    assert heights[PARTIAL_COLOUR] == pytest.approx(heights[ZERO_COLOUR], abs=0.2)
    labels = [text.text for text in svg.findall("{http://www.w3.org/2000/svg}text")]
    assert {"0", "1", "2", "3"} <= set(labels)


def test_similar_pairs_are_shown_side_by_side_and_never_change_a_score(english, the_class):
    pairs = [Pair("pixelcnn", "ann", "fay", 0.87, (("sampling", "a = 1", "b = 2"),))]
    page = class_report_html(the_class, CHAPTER, [], pairs)
    similar = section(page, "similar")
    assert "87%" in similar and "never changes" in similar
    assert "<div class='side'><pre>a = 1</pre><pre>b = 2</pre></div>" in similar
    assert "No pair" in section(class_report_html(the_class, CHAPTER, []), "similar")


def test_the_page_speaks_the_language_of_the_command(the_class):
    try:
        set_language("zh")
        assert '<html lang="zh-Hans">' in class_report_html(the_class, CHAPTER, [])
    finally:
        set_language("en")
    assert '<html lang="en">' in class_report_html(the_class, CHAPTER, [])


# ---------------------------------------------------------------- a class graded end to end

TINY = "ch00_tiny"
RIGHT = "SCALE = 2\ndef add(a, b):\n    return (a + b) * SCALE\n"
UNSCALED = "def add(a, b):\n    return a + b\n"
SIGNLESS = "SCALE = 2\ndef add(a, b):\n    return abs(a + b) * SCALE\n"
MUTANT = """PART = "add"
MISTAKE = "add forgets to multiply by SCALE."
NAMED_BY = "should be (1 + 2) * SCALE"


def add(a, b):
    return a + b
"""


@pytest.fixture
def course(tiny_course):
    assert build(tiny_course).problems == []
    folder = add_checks(tiny_course) / "mutants"
    folder.mkdir()
    (folder / "add_unscaled.py").write_text(MUTANT)
    return tiny_course


def test_a_graded_class_gets_a_report_that_agrees_with_its_scores(english, course, tmp_path):
    subs = tmp_path / "subs"
    for student, body in (("alice", RIGHT), ("bob", UNSCALED), ("carl", SIGNLESS)):
        write_notebook(subs / student / TINY / "basics.ipynb", student_notebook(body))
    broken = subs / "dora" / TINY / "basics.ipynb"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"\xff not json")
    out = tmp_path / "out"
    grade_class(
        subs, TINY, course, out=out, db_url=f"sqlite:///{tmp_path / 'gb.db'}", progress=False
    )
    scores = {r["student"]: float(r["add"]) for r in read_rows(out / f"{TINY}-scores.csv")}
    assert scores == {"alice": 2.0, "bob": 0.0, "carl": 1.0, "dora": 0.0}
    rows = read_rows(out / f"{TINY}-class-report.csv")
    assert {r["student"]: float(r["points"]) for r in rows if r["section"] == "score"} == scores
    assert [r["student"] for r in rows if r["section"] == "mistake"] == ["bob"]
    assert [r["student"] for r in rows if r["section"] == "unnamed"] == ["carl"]
    assert [r["student"] for r in rows if r["section"] == "error"] == ["dora"]
    assert not [r for r in rows if r["section"] == "unsolved"]  # alice solved it
    page = (out / f"{TINY}-class-report.html").read_text(encoding="utf-8")
    assert "add forgets to multiply by SCALE." in section(page, "mistakes")
    for href in re.findall(r'href="([^"]+)"', page):
        assert (out / unquote(href)).is_file(), href
