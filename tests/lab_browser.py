"""Drive the course's JupyterLab in a real browser (Debian's Chromium through Playwright).

Used by tests/test_browser.py; also runnable by hand to look at the pages:
    .venv/bin/python tests/lab_browser.py OUT_FOLDER
starts `igcourse lab` on a free loopback port, runs the chapter-1 release notebook and saves
screenshots into OUT_FOLDER.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_PACKAGE = "chromium"
# A Chinese font, so that screenshots of a Chinese course show its menus, not empty boxes.
CJK_FONT_PACKAGE = "fonts-wqy-microhei"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
# CI runs as root in a container: Chromium's sandbox needs user namespaces it may not have.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"]


def find_chromium():
    for path in CHROMIUM_CANDIDATES:
        if os.access(path, os.X_OK):
            return path
    return shutil.which("chromium")


def has_chinese_font():
    try:
        listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True)
    except OSError:  # no fontconfig: Chromium is not installed either
        return False
    return bool(listed.stdout.strip())


def install_chromium():
    """Install Debian's Chromium (and a Chinese font) when root; return Chromium's path, or
    None with the reason why not. A missing font only leaves boxes in the screenshots."""
    found = find_chromium()
    missing = ([] if found else [CHROMIUM_PACKAGE]) + (
        [] if has_chinese_font() else [CJK_FONT_PACKAGE]
    )
    if not missing or (found and os.geteuid() != 0):
        return found, ""
    if os.geteuid() != 0:
        return None, (
            f"Chromium is not installed and this is not root: "
            f"sudo apt-get install -y {' '.join(missing)}"
        )
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", *missing]):
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode:  # Chromium found already: the tests run, without the font
            return found, f"{' '.join(command)} failed: {done.stderr[-500:]}"
    return find_chromium(), ""


def _printed(command):
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return done.stdout.strip()


# A browser test shows the course in Chinese too: the message catalog that proofs in English
# leave out of their digest is part of its proof.
CHINESE_MESSAGES = tuple(sorted((ROOT / "igcourse" / "locale" / "zh").rglob("igcourse.*")))


def browser_versions():
    """The versions of the browser and of the Chinese font that a browser test depends on
    (empty where missing): part of the digest of its recorded proof (tests/proved.py)."""
    chromium = find_chromium()
    browser = _printed([chromium, "--version"]) if chromium else ""
    return f"; {browser}; {_printed(['dpkg-query', '-W', 'fonts-wqy-microhei'])}"


def chromium_for_tests():
    """Chromium's path for a browser test: installed when root (a failure then is real),
    else the test is skipped with the command that installs it."""
    import pytest

    path, reason = install_chromium()
    if not path and os.geteuid() != 0:
        pytest.skip(reason)
    assert path, reason
    return path


def solved_release(root, chapter, notebook, target, language="en"):
    """The release notebook (of `language`) with each solution cell replaced by the master
    notebook's answer."""
    name = f"{notebook}.ipynb" if language == "en" else f"{notebook}.{language}.ipynb"
    release = json.loads((root / "release" / chapter / name).read_text())
    master = json.loads((root / "source" / chapter / f"{notebook}.ipynb").read_text())

    def grade_id(cell):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        return meta.get("grade_id") if meta.get("solution") else None

    answers = {grade_id(c): c["source"] for c in master["cells"] if grade_id(c)}
    for cell in release["cells"]:
        if grade_id(cell):
            cell["source"] = answers[grade_id(cell)]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(release, indent=1))
    return target


def course_copy(target):
    """What an instructor's formgrader reads (config and master notebooks), without a gradebook."""
    for name in ("course_config.py", "nbgrader_config.py"):
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, target / name)
    shutil.copytree(ROOT / "source", target / "source")
    return target


class Lab:
    """`igcourse lab` started in the background, on a free loopback port with a token."""

    def __init__(self, work, instructor=False, log=None, root=ROOT):
        from igcourse.lab import plan_lab

        # A state folder of its own: no workspace of an earlier run reopens its tabs.
        self.plan = plan_lab(
            root, instructor=instructor, work=work, state=Path(work).parent / "jupyter-state"
        )
        self.log = open(log or self.plan.state / "lab.log", "w")  # noqa: SIM115 (closed in stop)
        # The kernel chooses quick mode itself (no GPU here), as it does for a student.
        self.plan.env.pop("IGCOURSE_QUICK", None)
        self.process = subprocess.Popen(
            self.plan.argv,
            cwd=self.plan.root,
            env=self.plan.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        url = f"{self.plan.base_url}/api/status?token={self.plan.token}"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        raise TimeoutError(f"JupyterLab did not answer at {self.plan.base_url}")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def launch(playwright, chromium):
    return playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)


PROMPT_DONE = re.compile(r"\[\d+\]")


def open_notebook(page, lab, relative):
    """Open a notebook of the lab's folder, alone (?reset drops the saved workspace).

    Returns its panel once every cell is shown and the kernel idles.
    """
    expected = len(json.loads((lab.plan.notebooks / relative).read_text())["cells"])
    page.goto(lab.plan.url(f"lab/tree/{relative}") + "&reset")
    panel = page.locator(".jp-NotebookPanel:visible")
    cells = panel.locator(".jp-Notebook .jp-Cell")
    wait_until(lambda: cells.count() == expected, 60, f"{expected} cells of {relative}")
    page.get_by_text(re.compile(r"Python 3 \(ipykernel\) \| Idle")).wait_for(timeout=60_000)
    return panel


def wait_until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {seconds} s for {what}")
        time.sleep(0.2)


def run_every_cell(page, panel, timeout_per_cell=120):
    """Run the cells one by one, so that a failing cell does not stop the ones after it."""
    cells = panel.locator(".jp-Notebook .jp-Cell")
    count = cells.count()
    cells.first.locator(".jp-InputPrompt").click()
    page.keyboard.press("Escape")
    for index in range(count):
        cell = cells.nth(index)
        is_code = "jp-CodeCell" in (cell.get_attribute("class") or "")
        # Shift+Enter runs a cell and selects the next; on the last one it would add a cell.
        page.keyboard.press("Shift+Enter" if index < count - 1 else "Control+Enter")
        if is_code:
            prompt = cell.locator(".jp-InputPrompt")
            wait_until(
                lambda prompt=prompt: PROMPT_DONE.search(prompt.inner_text()),
                timeout_per_cell,
                f"cell {index} to finish",
            )
    return count


def tracebacks(panel):
    """The text of every error the notebook's cells show. JupyterLab renders an error as it
    renders stderr (application/vnd.jupyter.stderr, no mime type of its own); an error's text
    holds its traceback."""
    stderr = panel.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    texts = (output.text_content() for output in stderr.all())
    return [text for text in texts if "Traceback (most recent call last)" in text]


def reports(panel):
    """The check reports a notebook shows: (title, [(mark, check, message), ...])."""
    found = []
    for report in panel.locator(".igcourse-report").all():
        # text_content, not inner_text: cells out of view are not rendered (content-visibility).
        title = report.locator("strong").text_content()
        rows = [
            tuple(td.text_content() for td in row.locator("td").all())
            for row in report.locator("tr").all()
        ]
        found.append((title, rows))
    return found


if __name__ == "__main__":
    from playwright.sync_api import sync_playwright

    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    lab = Lab(out / "work", log=out / "lab.log").wait_ready()
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright, find_chromium())
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            panel = open_notebook(page, lab, "ch01_pixelcnn/pixel_probabilities.ipynb")
            page.screenshot(path=out / "opened.png")
            start = time.monotonic()
            run_every_cell(page, panel)
            print(f"ran in {time.monotonic() - start:.1f} s")
            page.screenshot(path=out / "ran.png")
            for index, report in enumerate(
                page.locator(".jp-OutputArea-output:has(.igcourse-report)").all()
            ):
                report.screenshot(path=out / f"report-{index}.png")
            for title, rows in reports(panel):
                print(title, rows)
            browser.close()
    finally:
        lab.stop()
