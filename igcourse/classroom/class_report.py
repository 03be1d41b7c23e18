"""The instructor's page about a whole class: how each part went and which mistakes were made.

After grading, <out>/<chapter>-class-report.html is one self-contained page (its plots are PNG
data; it links to the students' feedback pages that reports.write_feedback writes beside it)
and <out>/<chapter>-class-report.csv holds its data, one row per fact, its `section` column
saying which table of the page the row belongs to.

A known mistake is a mutant of the chapter's zoo (autograder/<chapter>/mutants/) that a failed
check of its part names, as `igcourse validate` judges naming: a message holds its MISTAKE or
its NAMED_BY, in any language of the course, since students of a .zh.ipynb notebook read their
messages in Chinese (a message listing several candidate mistakes names each of them, as it
does for validation). Every submission that lost points on a part without such a name is listed
too, so that nothing the class did is hidden behind the zoo. Similar submissions are only
shown, for a person to look at: similarity never changes a score.
"""

import base64
import csv
import functools
import html
import statistics
import string
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from igcourse.checks import N_
from igcourse.classroom.reports import STYLE as FEEDBACK_STYLE
from igcourse.classroom.reports import csv_cell, feedback_parts, html_language
from igcourse.grading.mutants import MutantFileError, discover_mutants
from igcourse.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, _, in_every_language

STYLE = (
    FEEDBACK_STYLE
    + """
body { max-width: 80em; }
.plots { display: flex; flex-wrap: wrap; gap: .6em; }
.plots figure { border: 1px solid #ddd; padding: .3em; }
.plots figure img { image-rendering: auto; border: none; }
.side { display: grid; grid-template-columns: 1fr 1fr; gap: .6em; }
.side pre { background: #f6f8fa; padding: .4em; overflow-x: auto; }
td.count { text-align: right; white-space: nowrap; }
details.pair > summary { font-weight: bold; margin: .6em 0; cursor: pointer; }
.muted { color: #555; font-size: .9em; }
"""
)

# The page's section titles, translated where they are shown.
TITLE = N_("Class report: {chapter}")
SECTION_SCORES = N_("Scores per part")
SECTION_UNSOLVED = N_("Parts nobody got full marks on")
SECTION_MISTAKES = N_("Known mistakes the class made")
SECTION_UNNAMED = N_("Points lost without a known mistake named")
SECTION_ERRORS = N_("Submissions that could not be graded")
SECTION_SIMILAR = N_("Similar submissions")
SECTION_TIME = N_("Grading time")

# Bar colours of the score plots, as the feedback pages colour points.
FULL_COLOUR, PARTIAL_COLOUR, ZERO_COLOUR = "#34a853", "#f9ab00", "#d93025"


@dataclass(frozen=True)
class KnownMistake:
    """One mistake of the zoo (mutants with the same PART and MISTAKE are one mistake)."""

    part: str
    mistake: str  # the MISTAKE as written in the mutant (English); shown through _()
    mutants: tuple  # the names of its mutants
    forms: tuple  # tuples of texts: a message that holds every text of one tuple names it


@dataclass
class MistakeMade:
    """A known mistake and the submissions whose messages name it."""

    known: KnownMistake
    made_by: list = field(default_factory=list)  # [Graded]


@dataclass(frozen=True)
class PartScores:
    """Every submission's points on one part."""

    notebook: str
    part: str
    max_points: float
    scores: tuple  # (Graded, points) in submission order

    @property
    def points(self):
        return [points for _graded, points in self.scores]

    @property
    def full_marks(self):
        return sum(points >= self.max_points for points in self.points)


# ---------------------------------------------------------------- the zoo and its names


def chapter_zoo(root, chapter):
    """The chapter's known mistakes, in the zoo's order; none when the zoo cannot be read
    (`igcourse validate` reports why)."""
    try:
        mutants = discover_mutants(Path(root) / "autograder" / chapter / "mutants")
    except MutantFileError:
        return []
    grouped = {}
    for mutant in mutants:
        grouped.setdefault((mutant.part, mutant.mistake), []).append(mutant)
    return [
        KnownMistake(part, mistake, tuple(m.name for m in group), naming_forms(group))
        for (part, mistake), group in grouped.items()
    ]


def naming_forms(mutants):
    """The texts that name the mutants' mistake in a message, in every language: each
    MISTAKE and NAMED_BY as a whole, and each translation of a catalog message holding a
    NAMED_BY, as its pieces between placeholders."""
    forms = set()
    for mutant in mutants:
        forms |= {(text,) for text in in_every_language(mutant.mistake)}
        if mutant.named_by:
            forms.add((mutant.named_by,))
            forms |= {
                _literal_pieces(translation)
                for message, translation in _translations()
                if mutant.named_by in message
            }
    return tuple(sorted(form for form in forms if form))


@functools.cache  # the catalogs are read once per process
def _translations():
    """(message, translation) of every translated message of the course's catalogs."""
    from babel.messages.mofile import read_mo

    found = []
    for language in LANGUAGES:
        path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if path.exists():
            with path.open("rb") as f:
                found += [
                    (m.id, m.string)
                    for m in read_mo(f)
                    if isinstance(m.id, str) and m.id and isinstance(m.string, str) and m.string
                ]
    return tuple(found)


def _literal_pieces(template):
    """The text of a message between its placeholders: what every formatted copy holds."""
    try:
        pieces = [literal for literal, *_rest in string.Formatter().parse(template)]
    except ValueError:  # not a format string: the whole text
        pieces = [template]
    return tuple(piece for piece in pieces if piece.strip())


def names(messages, known):
    """Whether one of the messages names the known mistake."""
    return any(
        all(text in message for text in form) for message in messages for form in known.forms
    )


def mistakes_made(graded_list, zoo):
    """[MistakeMade] of the mistakes at least one submission made, the commonest first."""
    made = [MistakeMade(known, [g for g in graded_list if _named_in(g, known)]) for known in zoo]
    return sorted((m for m in made if m.made_by), key=lambda m: -len(m.made_by))


def _named_in(graded, known):
    return known.part in graded.max_scores and names(graded.failure_messages(known.part), known)


# ---------------------------------------------------------------- what the class scored


def scores_by_part(graded_list):
    """[PartScores] of every part any submission has, in the order they first appear."""
    found = {}
    for graded in graded_list:
        for part, max_points in graded.max_scores.items():
            key = (graded.notebook, part)
            if key not in found:
                found[key] = (max_points, [])
            found[key][1].append((graded, graded.scores.get(part, 0.0)))
    return [
        PartScores(notebook, part, max_points, tuple(scores))
        for (notebook, part), (max_points, scores) in found.items()
    ]


def unsolved_parts(parts):
    """The PartScores that no submission got full marks on."""
    return [p for p in parts if p.scores and p.full_marks == 0]


def unnamed_losses(parts, zoo):
    """{(notebook, part): [(Graded, points)]}: the graded submissions that lost points on a
    part with no known mistake of that part named (those that errored are listed apart)."""
    found = {}
    for p in parts:
        of_part = [known for known in zoo if known.part == p.part]
        lost = [
            (graded, points)
            for graded, points in p.scores
            if points < p.max_points
            and not graded.error
            and not any(_named_in(graded, known) for known in of_part)
        ]
        if lost:
            found[(p.notebook, p.part)] = lost
    return found


def not_graded(graded_list):
    """The submissions that errored or ran out of time."""
    return [graded for graded in graded_list if graded.error]


# ---------------------------------------------------------------- plots


PLOT_WIDTH, PLOT_HEIGHT = 320, 200  # pixels
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 30, 8, 8, 22  # margins around the axes


def score_plot_svg(part_scores):
    """A bar chart (SVG text) of how many submissions got each score of a part: one bar per
    score, green at full marks, amber partial, red zero, with the counts upwards.

    Drawn by hand: a dozen lines of shapes, where Matplotlib took 50 ms a plot and a second to
    import. It holds numbers only: its words are the page's, in the page's language, so the
    plot needs no font for Chinese."""
    top = float(part_scores.max_points) or 1.0
    counts = {}
    for points in part_scores.points:
        counts[round(points, 2)] = counts.get(round(points, 2), 0) + 1
    highest = max(counts.values(), default=1)
    width = PLOT_WIDTH - PLOT_LEFT - PLOT_RIGHT
    height = PLOT_HEIGHT - PLOT_TOP - PLOT_BOTTOM
    low, high = -top / 10, top * 1.1  # scores shown across, with room for the end bars

    def x(score):
        return PLOT_LEFT + (score - low) / (high - low) * width

    def y(count):
        return PLOT_TOP + height - count / highest * height

    bar = top / 15 / (high - low) * width
    shapes = [
        f'<rect x="{x(v) - bar / 2:.1f}" y="{y(n):.1f}" width="{bar:.1f}" '
        f'height="{y(0) - y(n):.1f}" fill="{_bar_colour(v, top)}"/>'
        for v, n in sorted(counts.items())
    ]
    axis = 'stroke="#555" stroke-width="1"'
    shapes.append(f'<line x1="{PLOT_LEFT}" y1="{y(0)}" x2="{x(high)}" y2="{y(0)}" {axis}/>')
    shapes.append(f'<line x1="{PLOT_LEFT}" y1="{PLOT_TOP}" x2="{PLOT_LEFT}" y2="{y(0)}" {axis}/>')
    for count in _ticks(highest, whole=True):
        shapes.append(
            f'<text x="{PLOT_LEFT - 4}" y="{y(count) + 4:.1f}" text-anchor="end">{count:g}</text>'
        )
    for score in _ticks(top):
        shapes.append(
            f'<text x="{x(score):.1f}" y="{PLOT_HEIGHT - 6}" text-anchor="middle">{score:g}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{PLOT_WIDTH}" height="{PLOT_HEIGHT}" '
        f'viewBox="0 0 {PLOT_WIDTH} {PLOT_HEIGHT}" font-family="sans-serif" font-size="11" '
        f'fill="#333">{"".join(shapes)}</svg>'
    )


def _ticks(top, whole=False):
    """At most 6 round values from 0 to top (whole numbers only where whole is set)."""
    steps = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if whole else (0.5, 1, 2, 5, 10, 20, 50)
    step = next((s for s in steps if top / s <= 5), steps[-1])
    count = int(top / step + 1e-9)
    return [round(k * step, 6) for k in range(count + 1)]


def score_plot_uri(part_scores):
    """score_plot_svg as a data URI for an <img>, so that the page can give it alt text."""
    svg = score_plot_svg(part_scores).encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _bar_colour(points, max_points):
    if points >= max_points:
        return FULL_COLOUR
    return PARTIAL_COLOUR if points > 0 else ZERO_COLOUR


# ---------------------------------------------------------------- the page


def feedback_href(student, chapter, notebook, feedback="feedback"):
    """The relative link from the report to a student's feedback page for a notebook (where
    reports.write_feedback puts it)."""
    parts = (feedback, *feedback_parts(student, chapter, notebook))
    return "/".join(quote(part) for part in parts)


def _link(student, chapter, notebook):
    esc = html.escape
    return f'<a href="{esc(feedback_href(student, chapter, notebook))}">{esc(student)}</a>'


def _graded_link(graded, chapter):
    return _link(graded.student, chapter, graded.notebook)


def _say(message, **values):
    """A translated message as HTML, its values already HTML."""
    return html.escape(_(message)).format(**values)


def _paragraph(message, **values):
    # Messages are kept out of f-strings: the catalog's extractor does not look inside them.
    return f"<p>{_say(message, **values)}</p>"


def _section(title, body, anchor):
    return f'<section id="{anchor}"><h2>{html.escape(_(title))}</h2>{body}</section>'


def _table(heads, rows):
    head = "".join(f"<th>{html.escape(h)}</th>" for h in heads)
    body = "".join("<tr>" + "".join(cells) + "</tr>" for cells in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _td(content, css=""):
    return f'<td class="{css}">{content}</td>' if css else f"<td>{content}</td>"


def summary_html(graded_list):
    students = len({graded.student for graded in graded_list})
    text = _say(
        N_("{submissions} submissions from {students} students."),
        submissions=len(graded_list),
        students=students,
    )
    return f"<p>{text}</p>"


def scores_html(parts):
    intro = _say(
        N_(
            "Each plot counts the submissions (upwards) at each score of one part (across): "
            "green is full marks, amber partial, red zero."
        )
    )
    figures = []
    for p in parts:
        mean = statistics.fmean(p.points) if p.points else 0.0
        caption = _say(
            N_("{part} ({notebook}): mean {mean} of {max_points}; full marks {full} of {n}"),
            part=html.escape(p.part),
            notebook=html.escape(p.notebook),
            mean=f"{mean:.2f}",
            max_points=f"{p.max_points:g}",
            full=p.full_marks,
            n=len(p.points),
        )
        figures.append(
            f'<figure><img src="{score_plot_uri(p)}" alt="{caption}">'
            f"<figcaption>{caption}</figcaption></figure>"
        )
    return f'<p>{intro}</p><div class="plots">{"".join(figures)}</div>'


def unsolved_html(parts):
    unsolved = unsolved_parts(parts)
    if not unsolved:
        return _paragraph(N_("Every part got full marks from at least one submission."))
    rows = [
        (
            _td(html.escape(p.part)),
            _td(html.escape(p.notebook)),
            _td(f"{max(p.points):g} / {p.max_points:g}", "count"),
        )
        for p in unsolved
    ]
    return _table((_("Part"), _("Notebook"), _("Best score")), rows)


def mistakes_html(made, chapter):
    intro = _say(
        N_(
            "A known mistake is one of the chapter's zoo of wrong answers that a failed check "
            "named in a student's feedback."
        )
    )
    if not made:
        return f"<p>{intro}</p>" + _paragraph(N_("No known mistake was named."))
    rows = [
        (
            _td(html.escape(m.known.part)),
            _td(
                f"{html.escape(_(m.known.mistake))}"
                f'<br><span class="muted">{html.escape(", ".join(m.known.mutants))}</span>'
            ),
            _td(str(len(m.made_by)), "count"),
            _td(", ".join(_graded_link(g, chapter) for g in m.made_by)),
        )
        for m in made
    ]
    heads = (_("Part"), _("Known mistake"), _("Submissions"), _("Students"))
    return f"<p>{intro}</p>{_table(heads, rows)}"


def unnamed_html(lost, chapter):
    intro = _say(
        N_(
            "Submissions that lost points on a part while no message named a known mistake: "
            "their feedback may show a mistake the zoo does not have yet. Submissions that "
            "could not be graded are listed further down."
        )
    )
    if not lost:
        return f"<p>{intro}</p>" + _paragraph(N_("None."))
    rows = [
        (
            _td(html.escape(part)),
            _td(html.escape(notebook)),
            _td(str(len(found)), "count"),
            _td(", ".join(f"{_graded_link(g, chapter)} ({points:g})" for g, points in found)),
        )
        for (notebook, part), found in lost.items()
    ]
    heads = (_("Part"), _("Notebook"), _("Submissions"), _("Students (their points)"))
    return f"<p>{intro}</p>{_table(heads, rows)}"


def errors_html(graded_list, chapter):
    failed = not_graded(graded_list)
    if not failed:
        return _paragraph(N_("Every submission was graded."))
    rows = [
        (
            _td(_graded_link(g, chapter)),
            _td(html.escape(g.notebook)),
            _td(f"<pre>{html.escape(g.error)}</pre>"),
            _td(html.escape(g.note)),
        )
        for g in failed
    ]
    return _table((_("Student"), _("Notebook"), _("Error"), _("Note")), rows)


def similar_html(pairs, chapter):
    note = _say(
        N_(
            "Similarity flags pairs of submissions for a person to look at; it never changes "
            "a score. Open a pair to see its alike cells side by side."
        )
    )
    if not pairs:
        return f"<p>{note}</p>" + _paragraph(N_("No pair of submissions was flagged."))
    return f"<p>{note}</p>" + "".join(_pair_html(pair, chapter) for pair in pairs)


def _pair_html(pair, chapter):
    esc = html.escape
    title = _say(
        N_("{notebook}: {student_a} and {student_b}, {percent} similar"),
        notebook=esc(pair.notebook),
        student_a=_link(pair.student_a, chapter, pair.notebook),
        student_b=_link(pair.student_b, chapter, pair.notebook),
        percent=f"{pair.similarity:.0%}",
    )
    cells = "".join(
        f"<h4>{esc(part)}</h4><div class='side'><pre>{esc(code_a)}</pre>"
        f"<pre>{esc(code_b)}</pre></div>"
        for part, code_a, code_b in pair.cells
    )
    heads = (
        f"<div class='side'><strong>{esc(pair.student_a)}</strong>"
        f"<strong>{esc(pair.student_b)}</strong></div>"
    )
    return f'<details class="pair"><summary>{title}</summary>{heads}{cells}</details>'


def time_html(graded_list, chapter):
    if not graded_list:
        return ""
    seconds = [g.seconds for g in graded_list]
    slowest = max(graded_list, key=lambda g: g.seconds)
    text = _say(
        N_(
            "Grading took {total} s in all: {mean} s per submission on average, {most} s at "
            "most ({student}). Results read back from an earlier run keep the time of their "
            "first grading."
        ),
        total=f"{sum(seconds):.1f}",
        mean=f"{statistics.fmean(seconds):.1f}",
        most=f"{slowest.seconds:.1f}",
        student=_graded_link(slowest, chapter),
    )
    rows = [
        (
            _td(_graded_link(g, chapter)),
            _td(html.escape(g.notebook)),
            _td(f"{g.seconds:.1f}", "count"),
        )
        for g in sorted(graded_list, key=lambda g: -g.seconds)
    ]
    table = _table((_("Student"), _("Notebook"), _("Seconds")), rows)
    more = html.escape(_("Time per submission"))
    return f"<p>{text}</p><details><summary>{more}</summary>{table}</details>"


def class_report_html(graded_list, chapter, zoo, pairs=()):
    """The class report page: every section, in the language messages are written in now."""
    parts = scores_by_part(graded_list)
    title = html.escape(_(TITLE).format(chapter=chapter))
    sections = [
        _section(SECTION_SCORES, scores_html(parts), "scores"),
        _section(SECTION_UNSOLVED, unsolved_html(parts), "unsolved"),
        _section(
            SECTION_MISTAKES, mistakes_html(mistakes_made(graded_list, zoo), chapter), "mistakes"
        ),
        _section(SECTION_UNNAMED, unnamed_html(unnamed_losses(parts, zoo), chapter), "unnamed"),
        _section(SECTION_ERRORS, errors_html(graded_list, chapter), "errors"),
        _section(SECTION_SIMILAR, similar_html(pairs, chapter), "similar"),
        _section(SECTION_TIME, time_html(graded_list, chapter), "time"),
    ]
    return (
        f'<!DOCTYPE html><html lang="{html_language()}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{STYLE}</style></head><body><h1>{title}</h1>"
        f"{summary_html(graded_list)}{''.join(sections)}</body></html>"
    )


# ---------------------------------------------------------------- the data


CSV_COLUMNS = (
    "section",
    "notebook",
    "part",
    "student",
    "other_student",
    "mistake",
    "points",
    "max_points",
    "seconds",
    "similarity",
    "detail",
)


def class_report_rows(graded_list, zoo, pairs=()):
    """The report's data as dicts of CSV_COLUMNS; `section` says which table each is from:
    score, unsolved, mistake, unnamed, error, similar, time."""
    parts = scores_by_part(graded_list)
    rows = [
        dict(
            section="score",
            notebook=p.notebook,
            part=p.part,
            student=g.student,
            points=points,
            max_points=p.max_points,
        )
        for p in parts
        for g, points in p.scores
    ]
    rows += [
        dict(
            section="unsolved",
            notebook=p.notebook,
            part=p.part,
            points=max(p.points),
            max_points=p.max_points,
        )
        for p in unsolved_parts(parts)
    ]
    rows += [
        dict(
            section="mistake",
            notebook=g.notebook,
            part=m.known.part,
            student=g.student,
            mistake=" ".join(m.known.mutants),
            points=g.scores.get(m.known.part, 0.0),
            max_points=g.max_scores[m.known.part],
            detail=_(m.known.mistake),
        )
        for m in mistakes_made(graded_list, zoo)
        for g in m.made_by
    ]
    rows += [
        dict(
            section="unnamed",
            notebook=notebook,
            part=part,
            student=g.student,
            points=points,
            max_points=g.max_scores[part],
            detail="\n\n".join(g.failure_messages(part)),
        )
        for (notebook, part), lost in unnamed_losses(parts, zoo).items()
        for g, points in lost
    ]
    rows += [
        dict(
            section="error",
            notebook=g.notebook,
            student=g.student,
            seconds=g.seconds,
            detail="\n\n".join(t for t in (g.error, g.note) if t),
        )
        for g in not_graded(graded_list)
    ]
    rows += [
        dict(
            section="similar",
            notebook=pair.notebook,
            part=" ".join(part for part, _a, _b in pair.cells),
            student=pair.student_a,
            other_student=pair.student_b,
            similarity=pair.similarity,
        )
        for pair in pairs
    ]
    rows += [
        dict(section="time", notebook=g.notebook, student=g.student, seconds=g.seconds)
        for g in graded_list
    ]
    return rows


def write_rows(rows, path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            writer.writerow([csv_cell(row.get(column, "")) for column in CSV_COLUMNS])
    return Path(path)


def write_class_report(graded_list, chapter, root, out, pairs=()):
    """Write <out>/<chapter>-class-report.html and .csv; returns their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    zoo = chapter_zoo(root, chapter)
    page = out / f"{chapter}-class-report.html"
    page.write_text(class_report_html(graded_list, chapter, zoo, pairs), encoding="utf-8")
    data = write_rows(
        class_report_rows(graded_list, zoo, pairs), out / f"{chapter}-class-report.csv"
    )
    return page, data
