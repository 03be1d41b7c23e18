"""Try chapter 6's iGAN painter by hand, in JupyterLab in Debian's Chromium (through Playwright).

    /work/main/.venv/bin/python measurements/2026-12-07-ch06/try_painter.py

What it does, as a student would:
1. copies the master notebook source/ch06_ai_painter/igan.ipynb (it needs nothing next to it:
   the data comes through igcourse, as for tests/lab_browser.py's solved_release) into a
   temporary work folder, with two changes: a first code cell that sets IGCOURSE_QUICK=1 in the
   kernel (quick mode, as in CI, whatever the machine), and, in the painter's cell, the line
   `SHOW_PAINTER = True` right after the computed one (what the notebook tells the student to do);
2. starts `igcourse lab` on that folder (tests/lab_browser.py's Lab), opens the notebook and runs
   every cell (up to 300 s each);
3. in the painter: picks the sandal (image 5), moves the row and column sliders and the grey
   level, adds two strokes, projects with "keep the rest" ticked, projects again with it
   unticked, then clears; a screenshot of the painter's output at each stage goes to
   measurements/2026-12-07-ch06/painter/ (1_opened.png ... 8_cleared.png);
4. reads the three panels (original / painted / projected) back out of the painter's figure
   and checks that each stage changed what it should; checks that no error or traceback shows
   (in the notebook, in a kernel message, in the lab's log); prints what it saw.

Exit status 0 when every check held, 1 otherwise (the problems are printed at the end).
Options: --keep keeps the temporary work folder (its path is printed).
"""

import base64
import io
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from lab_browser import (  # noqa: E402
    Lab,
    find_chromium,
    launch,
    open_notebook,
    reports,
    run_every_cell,
    wait_until,
)

SHOTS = HERE / "painter"
NOTEBOOK = "painter/igan.ipynb"  # inside the lab's work folder
SANDAL = 5  # the painter's images are one test image per class, in class order
# Two strokes that should turn the flat sandal into something like a sneaker: a grey body over
# the sole, and a lighter collar at the back (rows and columns: half-open ranges, as sliced).
STROKES = [((9, 16), (4, 27), 0.3), ((5, 10), (17, 26), 0.6)]


def say(*what):
    print(*what, flush=True)


def prepared_notebook(target):
    """The master notebook, in quick mode, with the painter forced on."""
    notebook = json.loads((ROOT / "source" / "ch06_ai_painter" / "igan.ipynb").read_text())
    cells = notebook["cells"]
    painter = [c for c in cells if "SHOW_PAINTER = (" in "".join(c["source"])]
    assert len(painter) == 1, "no single cell defines SHOW_PAINTER"
    source = "".join(painter[0]["source"])
    # The computed value ends at the first line that is only ")".
    computed = re.search(r"SHOW_PAINTER = \(\n.*?\n\)\n", source, re.S)
    assert computed, "SHOW_PAINTER's definition changed shape"
    forced = "SHOW_PAINTER = True  # try_painter.py: forced on, as the text above says\n"
    painter[0]["source"] = source[: computed.end()] + forced + source[computed.end() :]
    first_code = next(i for i, c in enumerate(cells) if c["cell_type"] == "code")
    quick = {
        "cell_type": "code",
        "execution_count": None,
        "id": "try-painter-quick",
        "metadata": {},
        "outputs": [],
        "source": 'import os\n\nos.environ["IGCOURSE_QUICK"] = "1"  # try_painter.py: quick mode',
    }
    cells.insert(first_code, quick)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(notebook, indent=1))
    return target


class KernelWatch:
    """Kernel messages that reach the page: errors (a traceback of a widget callback goes only
    to JupyterLab's log console, never into the cell) and stderr text."""

    ERROR = re.compile(r'"msg_type":\s*"error"')
    STDERR = re.compile(r'"name":\s*"stderr",\s*"text":\s*"((?:[^"\\]|\\.)*)"')

    def __init__(self, page):
        self.errors, self.stderr = [], []
        page.on("websocket", self.attach)

    def attach(self, socket):
        socket.on("framereceived", self.frame)

    def frame(self, payload):
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
        if self.ERROR.search(text):
            found = re.search(r'"ename":\s*"([^"]*)",\s*"evalue":\s*"((?:[^"\\]|\\.)*)"', text)
            self.errors.append(found.groups() if found else text[:300])
        for found in self.STDERR.finditer(text):
            self.stderr.append(json.loads(f'"{found.group(1)}"'))


def panels(src):
    """The painter's figure (a data: PNG) -> [original, painted, projected or None], each
    (28, 28) in [-1, 1], read at the centre of each image cell."""
    from PIL import Image

    data = base64.b64decode(src.split(",", 1)[1])
    rgb = np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(np.float32)
    ink = rgb.min(axis=2) < 235  # anything not white: images (black grounds), titles, outline
    columns = ink.sum(axis=0)
    tall = columns > 0.5 * columns.max()
    blocks, start = [], None
    for x, on in enumerate([*tall, False]):
        if on and start is None:
            start = x
        elif not on and start is not None:
            blocks.append((start, x))
            start = None
    pictures = []
    for left, right in blocks:
        rows = ink[:, left:right].mean(axis=1) > 0.5
        top = int(np.argmax(rows))
        bottom = len(rows) - int(np.argmax(rows[::-1]))
        size_y, size_x = (bottom - top) / 28, (right - left) / 28
        ys = (top + (np.arange(28) + 0.5) * size_y).astype(int)
        xs = (left + (np.arange(28) + 0.5) * size_x).astype(int)
        grey = rgb[np.ix_(ys, xs)].mean(axis=2)
        pictures.append(grey / 127.5 - 1.0)
    if len(pictures) not in (2, 3):
        raise ValueError(f"found {len(pictures)} image panels in the painter's figure")
    return pictures + [None] * (3 - len(pictures))


def rectangle(rows, columns):
    mask = np.zeros((28, 28), bool)
    mask[rows[0] : rows[1], columns[0] : columns[1]] = True
    return mask


def grow(mask, cells):
    grown = mask.astype(np.float32)
    for _ in range(cells):
        padded = np.pad(grown, 1)
        grown = np.max([padded[i : i + 28, j : j + 28] for i in range(3) for j in range(3)], 0)
    return grown > 0


class Painter:
    """The painter's widgets in the page, found by their labels."""

    def __init__(self, page, panel):
        self.page = page
        self.output = panel.locator(".jp-OutputArea-output").filter(
            has=page.get_by_role("button", name="add stroke")
        )
        wait_until(lambda: self.output.count() == 1, 60, "the painter")
        self.cell = self.output.locator(
            "xpath=ancestor::div[contains(concat(' ', @class, ' '), ' jp-CodeCell ')][1]"
        )
        self.figure = self.output.locator(".widget-output img")
        wait_until(lambda: self.src() is not None, 60, "the painter's figure")

    def src(self):
        found = self.figure.evaluate_all("images => images.map(i => i.src)")
        return found[-1] if len(found) == 1 else None

    def widget(self, label):
        for widget in self.output.locator(".widget-slider").all():
            if widget.locator(".widget-label").first.text_content().strip() == label:
                return widget
        for widget in self.output.locator(".widget-checkbox").all():  # its label: the text
            if widget.locator(".widget-label-basic").text_content().strip() == label:
                return widget
        raise LookupError(f"no widget labelled {label!r}")

    def readout(self, label):
        return self.widget(label).locator(".widget-readout").text_content().strip()

    def set(self, label, text):
        """Type a value into a slider's readout, as a student can; wait for the redraw when
        the painter redraws on it."""
        before = self.src()
        readout = self.widget(label).locator(".widget-readout")
        readout.click()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)
        self.page.keyboard.press("Enter")
        if label != "grey level":  # the grey level is read at "add stroke", not drawn
            self.wait_redraw(before, f"the redraw after {label} = {text}")
        return self.readout(label)

    def press(self, name, seconds=60):
        before = self.src()
        start = time.monotonic()
        self.output.get_by_role("button", name=name).click()
        self.wait_redraw(before, f"the redraw after {name!r}", seconds)
        return time.monotonic() - start

    def wait_redraw(self, before, what, seconds=60):
        wait_until(lambda: self.src() not in (None, before), seconds, what)
        self.page.get_by_text(re.compile(r"\| Idle")).first.wait_for(timeout=seconds * 1000)
        time.sleep(0.3)  # the image element settles

    def shot(self, name):
        self.output.screenshot(path=SHOTS / name)
        return panels(self.src())


def describe(name, original, painted, projected):
    same = np.abs(painted - original).max()
    line = f"  {name}: painted vs original max |diff| {same:.2f}; projected " + (
        "absent" if projected is None else "shown"
    )
    say(line)


def main(keep=False):
    from playwright.sync_api import sync_playwright

    problems = []

    def expect(condition, message):
        if not condition:
            problems.append(message)
            say(f"  PROBLEM: {message}")

    if SHOTS.exists():
        for old in SHOTS.glob("*.png"):
            old.unlink()
    SHOTS.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="try-painter-"))
    work = folder / "work"
    prepared_notebook(work / NOTEBOOK)
    began = time.monotonic()
    say(f"work folder {work}")
    lab = Lab(work, log=folder / "lab.log").wait_ready()
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright, find_chromium())
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            watch = KernelWatch(page)
            try:
                panel = open_notebook(page, lab, NOTEBOOK)
                start = time.monotonic()
                count = run_every_cell(page, panel, timeout_per_cell=300)
                say(f"ran {count} cells in {time.monotonic() - start:.0f} s")
                for title, rows in reports(panel):
                    say(f"  report: {title}")
                    expect(all(mark == "\u2713" for mark, *_ in rows), f"failing checks: {rows}")
                errors_before = len(watch.errors)
                expect(errors_before == 0, f"kernel errors while running: {watch.errors}")
                stderr_before = len(watch.stderr)
                painter = Painter(page, panel)
                check_painter(page, painter, expect)
                time.sleep(2)  # a callback's traceback can come late
                # In this JupyterLab an error output is shown with the stderr MIME type, so a
                # selector on "error" alone finds nothing: look at every stderr output too.
                outputs = painter.cell.locator(
                    ".jp-OutputArea-output[data-mime-type*='error'],"
                    ".jp-OutputArea-output[data-mime-type*='stderr']"
                ).all_text_contents()
                text = painter.cell.locator(".jp-Cell-outputArea").text_content()
                say(
                    f"painter cell: {len(outputs)} error or stderr outputs {outputs!r:.300}; "
                    f"'Traceback' in its text: {'Traceback' in text}"
                )
                expect(not outputs and "Traceback" not in text, "an error in the painter's cell")
                expect(
                    len(watch.errors) == errors_before,
                    f"kernel errors in the painter: {watch.errors[errors_before:]}",
                )
                stderr = "".join(watch.stderr[stderr_before:]).strip()
                say(f"kernel stderr during the painter: {stderr[:500]!r}")
            except BaseException:
                page.screenshot(path=SHOTS / "failure.png")
                found = page.locator(".jp-OutputArea-output:has(.widget-button)")
                if found.count():
                    (folder / "painter.html").write_text(found.last.evaluate("e => e.outerHTML"))
                    keep = True
                raise
            finally:
                browser.close()
    finally:
        lab.stop()
        log = (folder / "lab.log").read_text(errors="replace")
        tracebacks = log.count("Traceback")
        say(f"lab.log: {len(log.splitlines())} lines, {tracebacks} tracebacks")
        if tracebacks:
            say(log[log.index("Traceback") :][:2000])
        expect(tracebacks == 0, "a traceback in the lab's log")
        if keep:
            say(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    say(f"total {time.monotonic() - began:.0f} s; screenshots in {SHOTS}:")
    for shot in sorted(SHOTS.glob("*.png")):
        say(f"  {shot.name}")
    if problems:
        say(f"{len(problems)} PROBLEMS:")
        for problem in problems:
            say(f"  - {problem}")
        return 1
    say("every check held")
    return 0


def check_painter(page, painter, expect):
    labels = ["image", "rows", "columns", "grey level", "prior weight"]
    say("painter readouts: " + ", ".join(f"{n} = {painter.readout(n)}" for n in labels))
    boxes = painter.output.locator(".widget-checkbox input").count()
    buttons = painter.output.locator("button").all_text_contents()
    say(f"  checkboxes {boxes}, buttons {buttons}")

    # 1. As the cell leaves it: image 0, nothing painted, no projection.
    original0, painted0, projected0 = painter.shot("1_opened.png")
    describe("1_opened", original0, painted0, projected0)
    expect(projected0 is None, "a projected panel before any projection")
    expect(np.abs(painted0 - original0).max() < 0.05, "the painted panel differs at the start")

    # 2. The sandal, a rectangle over its sole, a darker grey.
    (rows1, cols1, shade1), (rows2, cols2, shade2) = STROKES
    shown = [
        painter.set("image", str(SANDAL)),
        painter.set("rows", f"{rows1[0]}-{rows1[1]}"),
        painter.set("columns", f"{cols1[0]}-{cols1[1]}"),
        painter.set("grey level", str(shade1)),
    ]
    say(f"  set image, rows, columns, grey level: readouts {shown}")
    original, painted, projected = painter.shot("2_moved.png")
    describe("2_moved", original, painted, projected)
    expect(np.abs(original - original0).mean() > 0.1, "the image slider did not change the image")
    expect(np.abs(painted - original).max() < 0.05, "the painted panel differs before a stroke")

    # 3. First stroke.
    painter.press("add stroke")
    _, painted1, projected = painter.shot("3_stroke1.png")
    first = rectangle(rows1, cols1)
    describe("3_stroke1", original, painted1, projected)
    say(
        f"  stroke 1 pixels: mean {painted1[first].mean():+.2f} (grey level {shade1}); "
        f"outside max |diff| {np.abs(painted1 - original)[~first].max():.2f}"
    )
    expect(np.abs(painted1[first] - shade1).max() < 0.05, "stroke 1 is not the chosen grey")
    expect(np.abs(painted1 - original)[~first].max() < 0.05, "stroke 1 painted outside its box")

    # 4. Second stroke: another rectangle, a lighter grey.
    shown = [
        painter.set("rows", f"{rows2[0]}-{rows2[1]}"),
        painter.set("columns", f"{cols2[0]}-{cols2[1]}"),
        painter.set("grey level", str(shade2)),
    ]
    say(f"  set rows, columns, grey level: readouts {shown}")
    painter.press("add stroke")
    _, painted2, projected = painter.shot("4_stroke2.png")
    second = rectangle(rows2, cols2)
    both = first | second
    describe("4_stroke2", original, painted2, projected)
    expect(np.abs(painted2[second] - shade2).max() < 0.05, "stroke 2 is not the chosen grey")
    expect(np.abs(painted2[first & ~second] - shade1).max() < 0.05, "stroke 1 was lost")
    expect(np.abs(painted2 - original)[~both].max() < 0.05, "strokes painted outside their boxes")

    # 5-6. Project, keep the rest ticked (the default).
    before = painter.src()
    start = time.monotonic()
    painter.output.get_by_role("button", name="project").click()
    time.sleep(0.2)
    busy = page.get_by_text(re.compile(r"\| Busy")).count() > 0
    unchanged = painter.src() == before
    painter.output.screenshot(path=SHOTS / "5_projecting.png")
    say(f"  0.2 s after 'project': kernel busy {busy}, figure unchanged {unchanged}")
    painter.wait_redraw(before, "the projection", seconds=300)
    seconds = time.monotonic() - start
    _, painted3, projected3 = painter.shot("6_projected.png")
    describe("6_projected", original, painted3, projected3)
    say(f"  'project' (keep the rest) took {seconds:.1f} s")
    expect(projected3 is not None, "no projected panel after 'project'")
    if projected3 is not None:
        report_fit("keep the rest", original, painted2, projected3, both, expect, keep=True)

    # 7. Project again, the strokes alone (keep the rest unticked).
    painter.widget("keep the rest").locator("input").click()
    seconds = painter.press("project", seconds=300)
    _, _, projected4 = painter.shot("7_projected_strokes_only.png")
    say(f"  'project' (strokes alone) took {seconds:.1f} s")
    expect(projected4 is not None, "no projected panel after the second 'project'")
    if projected4 is not None:
        report_fit("strokes alone", original, painted2, projected4, both, expect, keep=False)

    # 8. Clear: the strokes and the projection go.
    painter.press("clear")
    original5, painted5, projected5 = painter.shot("8_cleared.png")
    describe("8_cleared", original5, painted5, projected5)
    expect(projected5 is None, "the projected panel stays after 'clear'")
    expect(np.abs(painted5 - original5).max() < 0.05, "strokes stay after 'clear'")
    expect(np.abs(original5 - original).max() < 0.05, "'clear' changed the image")
    say("painter readouts at the end: " + ", ".join(f"{n} = {painter.readout(n)}" for n in labels))


def report_fit(name, original, painted, projected, strokes, expect, keep):
    """How well the projection follows the strokes, and (keep) the rest of the original."""
    before = np.abs(original - painted)[strokes].mean()
    after = np.abs(projected - painted)[strokes].mean()
    far = ~grow(strokes, 3)
    kept = np.abs(projected - original)[far].mean()
    say(
        f"  {name}: mean |image - painted| on the strokes: original {before:.2f}, "
        f"projected {after:.2f}; mean |projected - original| more than 3 cells away {kept:.2f}"
    )
    expect(after < 0.5 * before, f"{name}: the projection does not follow the strokes")
    if keep:
        expect(kept < 0.25, f"{name}: the projection does not keep the rest")


if __name__ == "__main__":
    sys.exit(main(keep="--keep" in sys.argv[1:]))
