"""Does a Chinese check report render in a notebook's inline HTML view and in a terminal?"""

import os
import re
import subprocess
import sys
from html.parser import HTMLParser

import nbformat
import pytest
from nbclient import NotebookClient

from igcourse.checks import check_part
from igcourse.i18n import _, set_language


def has_chinese(text):
    return re.search("[\u4e00-\u9fff]", text) is not None


class _Cells(HTMLParser):
    """The text of every table cell of an HTML fragment."""

    def __init__(self):
        super().__init__()
        self.cells, self._open = [], False

    def handle_starttag(self, tag, attrs):
        if tag == "td":
            self._open = True
            self.cells.append("")

    def handle_endtag(self, tag):
        self._open = self._open and tag != "td"

    def handle_data(self, data):
        if self._open:
            self.cells[-1] += data


def test_a_terminal_report_speaks_chinese(capsys):
    """The untouched release part fails; every line of its report is Chinese, ticks aside."""
    try:
        set_language("zh")
        with pytest.raises(AssertionError) as raised:
            check_part("ch01_pixelcnn", "quantize", {})
    finally:
        set_language("en")
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) >= 2, out
    assert all(has_chinese(line) for line in lines), out
    assert "\u2717" in out and has_chinese(str(raised.value))


def test_the_check_command_prints_a_chinese_report(tmp_path):
    """`igcourse --lang zh check` on the Chinese release notebook reports in Chinese."""
    from igcourse.paths import repo_root

    notebook = repo_root() / "release" / "ch01_pixelcnn" / "pixel_probabilities.zh.ipynb"
    done = subprocess.run(
        [sys.executable, "-m", "igcourse.cli", "--lang", "zh", "check", str(notebook)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0, done.stdout
    assert has_chinese(done.stdout) and "\u2717" in done.stdout, done.stdout + done.stderr


@pytest.mark.slow
def test_a_chinese_notebook_shows_its_report_as_an_html_table(tmp_path):
    """In a kernel, check_part displays an HTML table whose cells are Chinese."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import os\nos.environ['IGCOURSE_LANG'] = 'zh'\n"
            "from igcourse.checks import check_part\n"
            "try:\n    check_part('ch01_pixelcnn', 'quantize', {})\n"
            "except AssertionError:\n    pass\n"
        )
    ]
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute(cwd=str(tmp_path))
    html = [
        output["data"]["text/html"]
        for output in notebook.cells[0].outputs
        if output.get("output_type") == "display_data" and "text/html" in output.get("data", {})
    ]
    assert len(html) == 1, notebook.cells[0].outputs
    assert 'class="igcourse-report"' in html[0] and has_chinese(html[0])
    parser = _Cells()
    parser.feed(html[0])
    messages = parser.cells[2::3]  # mark, check, message per row
    assert messages and all(has_chinese(message) for message in messages), parser.cells


def test_a_known_mistake_is_named_in_chinese_in_the_hidden_checks_results(tmp_path):
    """The zoo's MISTAKE sentences are in the catalog, so a Chinese report names them in Chinese."""
    from igcourse.grading.mutants import read_mutant
    from igcourse.grading.results import read_results
    from igcourse.paths import repo_root

    root = repo_root()
    mutant = root / "autograder" / "ch01_pixelcnn" / "mutants" / "quantize_round.py"
    results = tmp_path / "results.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(root / "autograder" / "ch01_pixelcnn" / "test_pixel_probabilities.py"),
            f"--implementation=mutant:{mutant}",
            f"--results={results}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=root,
        env={**os.environ, "IGCOURSE_LANG": "zh"},
    )
    assert results.exists(), done.stdout[-2000:] + done.stderr[-2000:]
    messages = [r.message for run in read_results(results).values() for r in run if r.message]
    english = read_mutant(mutant).mistake
    try:
        set_language("zh")
        chinese = _(english)
    finally:
        set_language("en")
    assert chinese != english and has_chinese(chinese)
    assert any(chinese in message for message in messages), messages
    assert not any(english in message for message in messages)


def test_the_hidden_checks_of_a_chinese_notebook_report_in_chinese():
    """`igcourse check --hidden x.zh.ipynb`: the hidden checks' own messages are Chinese too."""
    from igcourse.paths import repo_root

    notebook = repo_root() / "release" / "ch01_pixelcnn" / "pixel_probabilities.zh.ipynb"
    done = subprocess.run(
        [sys.executable, "-m", "igcourse.cli", "check", "--hidden", str(notebook)],
        capture_output=True,
        text=True,
        timeout=300,
        env={k: v for k, v in os.environ.items() if k != "IGCOURSE_LANG"},
    )
    # The hidden report indents its messages by six spaces; the public report by two.
    lines = [line.strip() for line in done.stdout.splitlines() if line.startswith("      ")]
    assert lines, done.stdout + done.stderr
    assert all(has_chinese(line) for line in lines), lines
