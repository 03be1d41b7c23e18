"""The course in a real browser: `igcourse lab` served on loopback, driven by Chromium.

Debian's Chromium (installed here when missing and root) runs headless through Playwright.
Screenshots of every test go to test-artifacts/browser/ (or $IGCOURSE_TEST_ARTIFACTS), so a
failed run can be looked at. A chapter's own notebooks in the browser are recorded proofs
(tests/proved.py), run again when the chapter, the engine they reach or the browser changes;
the course-wide tests run every time.
"""

import contextlib
import json
import os
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from lab_browser import (  # noqa: E402
    CHINESE_MESSAGES,
    ROOT,
    Lab,
    browser_versions,
    chromium_for_tests,
    course_copy,
    launch,
    open_notebook,
    reports,
    run_every_cell,
    solved_release,
    tracebacks,
    wait_until,
)
from proved import proved_once  # noqa: E402

pytestmark = pytest.mark.slow

CHAPTER, NOTEBOOK = "ch01_pixelcnn", "pixel_probabilities"
ARTIFACTS = Path(os.environ.get("IGCOURSE_TEST_ARTIFACTS", ROOT / "test-artifacts" / "browser"))


@pytest.fixture(scope="module")
def chromium():
    return chromium_for_tests()


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright, chromium)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    yield page
    page.close()


@contextlib.contextmanager
def lab_server(work, **options):
    lab = Lab(work, **options).wait_ready()
    try:
        yield lab
    finally:
        lab.stop()


def proved_in_the_browser(chapter, notebook):
    """A chapter's notebook in the browser is a recorded proof (tests/proved.py) of the chapter,
    the Chinese messages, this file, the browser and its font."""
    versions = browser_versions()
    return proved_once(chapter, f"browser: {notebook}", __file__, versions, CHINESE_MESSAGES)


@contextlib.contextmanager
def screenshots(page, name):
    """Screenshot the page (and each check report) on the way out, passed or failed."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        yield
    except BaseException as error:
        error.add_note(f"screenshots: {ARTIFACTS / name}*.png")
        raise
    finally:
        page.screenshot(path=ARTIFACTS / f"{name}.png")
        shown = page.locator(".jp-OutputArea-output:has(.igcourse-report)").all()
        for index, output in enumerate(shown):
            output.screenshot(path=ARTIFACTS / f"{name}-report-{index}.png")


def _parts():
    from igcourse.config import load_config

    return list(load_config(ROOT).chapters[CHAPTER][NOTEBOOK])


@pytest.fixture(scope="module")
def student_lab(tmp_path_factory):
    work = tmp_path_factory.mktemp("lab") / "work"
    solved_release(ROOT, CHAPTER, NOTEBOOK, work / "solved" / f"{NOTEBOOK}.ipynb")
    raising = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None}
    raising["source"] = ["raise KeyError('an error students would see')"]
    kernel = json.loads((ROOT / "release" / CHAPTER / f"{NOTEBOOK}.ipynb").read_text())
    metadata = {"kernelspec": kernel["metadata"]["kernelspec"]}  # the course's kernel, no dialog
    notebook = {"cells": [raising], "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}
    (work / "raises.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    with lab_server(work) as lab:
        yield lab


def test_an_error_in_a_cell_is_seen(page, student_lab):
    """The tests' own detector of errors in cells (tracebacks) sees one."""
    panel = open_notebook(page, student_lab, "raises.ipynb")
    run_every_cell(page, panel)
    wait_until(lambda: tracebacks(panel), 30, "the error to show")
    assert "an error students would see" in tracebacks(panel)[0]


def test_the_untouched_release_shows_a_failing_report_for_every_part(page, student_lab):
    with screenshots(page, "release-untouched"):
        panel = open_notebook(page, student_lab, f"{CHAPTER}/{NOTEBOOK}.ipynb")
        run_every_cell(page, panel)
        shown = reports(panel)
        assert [title.split(":")[0] for title, _ in shown] == _parts()
        for title, rows in shown:
            assert re.fullmatch(rf"\w+: 0 of {len(rows)} public checks passed", title), title
            for mark, _check, message in rows:
                assert mark == "\u2717" and "NotImplementedError" in message, (title, message)
        # Red rows, and the figures of the data cells, drawn inline.
        row = panel.locator(".igcourse-report tr").first
        assert "253, 231, 233" in row.evaluate("r => getComputedStyle(r).backgroundColor")
        assert panel.locator(".jp-RenderedImage img").count() >= 3
        # The kernel check comes first and, in the course's kernel, says nothing; the next
        # cell (imports, quick mode) says there is no GPU.
        outputs = panel.locator(".jp-CodeCell .jp-OutputArea")
        kernel_check, first_output = outputs.nth(0).text_content(), outputs.nth(1).text_content()
        assert "Wrong kernel" not in kernel_check and "Error" not in kernel_check, kernel_check
        from igcourse.notebook import gpu_available

        assert gpu_available() or "No GPU found" in first_output, first_output


def test_the_reference_answers_pass_every_public_check(page, student_lab):
    with screenshots(page, "release-solved"):
        panel = open_notebook(page, student_lab, f"solved/{NOTEBOOK}.ipynb")
        run_every_cell(page, panel)
        shown = reports(panel)
        assert [title.split(":")[0] for title, _ in shown] == _parts()
        for title, rows in shown:
            assert title.endswith(f"{len(rows)} of {len(rows)} public checks passed"), title
            assert all(mark == "\u2713" and not message for mark, _, message in rows), rows
        row = panel.locator(".igcourse-report tr").first
        assert "230, 244, 234" in row.evaluate("r => getComputedStyle(r).backgroundColor")
        assert not tracebacks(panel), tracebacks(panel)
        # The sample grids of the answered notebook: every figure cell drew its image.
        assert panel.locator(".jp-RenderedImage img").count() >= 6


def _titles_say(shown, parts, language, passed):
    """Every part has its report, in `language`, with `passed` checks passed ("all" or 0)."""
    separator = "：" if language == "zh" else ":"
    assert [title.split(separator)[0] for title, _ in shown] == parts
    for title, rows in shown:
        count = len(rows) if passed == "all" else passed
        if language == "zh":
            wanted = rf"\w+：{len(rows)} 项公开检查中通过了 {count} 项"
            assert re.fullmatch(wanted, title), title
        else:
            assert title.endswith(f"{count} of {len(rows)} public checks passed"), title
        if passed == 0:
            assert all(mark == "\u2717" for mark, _check, _message in rows), rows


def release_in_the_browser(page, tmp_path, where, languages, figures, timeout_per_cell, then=None):
    """A chapter's notebook as students meet it, a recorded proof: the untouched release in
    languages[0] shows a failing report for every part, in that language; the release with the
    master notebook's answers, in languages[1], runs in quick mode (each cell, its training cells
    too, within timeout_per_cell seconds, in both runs), passes every public check and draws at
    least `figures` images."""
    chapter, notebook = where
    untouched, solved = languages
    with proved_in_the_browser(chapter, notebook):
        from igcourse.config import load_config

        parts = list(load_config(ROOT).chapters[chapter][notebook])
        suffix = {"en": "", "zh": ".zh"}
        solved_name = f"solved/{notebook}{suffix[solved]}.ipynb"
        work = tmp_path / "work"
        solved_release(ROOT, chapter, notebook, work / solved_name, solved)
        with lab_server(work) as lab, screenshots(page, notebook):
            panel = open_notebook(page, lab, f"{chapter}/{notebook}{suffix[untouched]}.ipynb")
            # Shared training cells run untouched too (iGAN trains its GAN before any part).
            run_every_cell(page, panel, timeout_per_cell=timeout_per_cell)
            _titles_say(reports(panel), parts, untouched, 0)
            panel = open_notebook(page, lab, solved_name)
            run_every_cell(page, panel, timeout_per_cell=timeout_per_cell)
            _titles_say(reports(panel), parts, solved, "all")
            assert not tracebacks(panel), tracebacks(panel)
            if then is not None:
                then(page, panel)
            assert panel.locator(".jp-RenderedImage img").count() >= figures


def test_the_cgan_release_fails_untouched_in_chinese_and_passes_solved(page, tmp_path):
    """Chapter 4's conditional GAN (its trained generator's checks too); figures: the data's
    first image of each class and the class grids during training."""
    where = ("ch04_image_translation", "cgan")
    release_in_the_browser(page, tmp_path, where, ("zh", "en"), 2, 300)  # training: a minute


def test_the_pix2pix_release_fails_untouched_in_english_and_passes_solved_in_chinese(
    page, tmp_path
):
    """Chapter 4's pix2pix, the languages the other way round from cgan's test; figures: the
    training pairs, the loss curves and the test translations."""
    where = ("ch04_image_translation", "pix2pix")
    release_in_the_browser(page, tmp_path, where, ("en", "zh"), 3, 300)


def test_the_cyclegan_release_fails_untouched_in_chinese_and_passes_solved_in_english(
    page, tmp_path
):
    """Chapter 4's CycleGAN; figures: the two domains, the loss curves and the translations
    there and back."""
    where = ("ch04_image_translation", "cyclegan")
    release_in_the_browser(page, tmp_path, where, ("zh", "en"), 3, 600)  # training: 2 to 3 min


def test_the_bicyclegan_release_fails_untouched_in_english_and_passes_solved_in_chinese(
    page, tmp_path
):
    """Chapter 4's BicycleGAN; figures: the training pairs, the loss curves and the shoes of five
    codes per drawing."""
    where = ("ch04_image_translation", "bicyclegan")
    release_in_the_browser(page, tmp_path, where, ("en", "zh"), 3, 300)


def test_the_neural_style_transfer_release_fails_untouched_in_chinese_and_passes_solved(
    page, tmp_path
):
    """Chapter 5's neural style transfer (VGG19 with random weights, offline); figures: the two
    images, the snapshots, the loss curves and the result beside them."""
    where = ("ch05_style_transfer", "neural_style_transfer")
    release_in_the_browser(page, tmp_path, where, ("zh", "en"), 4, 300)


def test_the_adain_release_fails_untouched_in_english_and_passes_solved_in_chinese(page, tmp_path):
    """Chapter 5's AdaIN (its decoder trained in quick mode); figures: the crops, the loss
    curves, the alpha row and the mixed styles."""
    where = ("ch05_style_transfer", "adain")
    release_in_the_browser(page, tmp_path, where, ("en", "zh"), 4, 300)


def test_the_gaugan_release_fails_untouched_in_chinese_and_passes_solved_in_english(page, tmp_path):
    """Chapter 6's GauGAN (its generator trained in quick mode, a minute); figures: the items
    and their label maps, the loss curves, the samples and the painted label maps."""
    where = ("ch06_ai_painter", "gaugan")
    release_in_the_browser(page, tmp_path, where, ("zh", "en"), 3, 300)


def test_the_progan_release_fails_untouched_in_chinese_and_passes_solved_in_english(page, tmp_path):
    """Chapter 7's ProGAN (grown from 4 x 4 to 32 x 32 in quick mode, two to three minutes);
    figures: the data at every stage, a stage fading in, the items after each stage, the loss
    curves and the grown generator's samples."""
    where = ("ch07_face_generation", "progan")
    release_in_the_browser(page, tmp_path, where, ("zh", "en"), 5, 600)


def test_the_stylegan_release_fails_untouched_in_english_and_passes_solved_in_chinese(
    page, tmp_path
):
    """Chapter 7's StyleGAN (800 steps in quick mode, about a minute); figures: the real items,
    the loss curves, the samples, style mixing at two crossovers and the truncation rows."""
    where = ("ch07_face_generation", "stylegan")
    release_in_the_browser(page, tmp_path, where, ("en", "zh"), 6, 600)


def _paint_and_project(page, panel):
    """iGAN's painter as a student uses it: a stroke is drawn, then projected, with no error."""
    painter = panel.locator(".jp-OutputArea-output").filter(
        has=page.get_by_role("button", name="add stroke")
    )
    wait_until(lambda: painter.count() == 1, 60, "the painter")
    figure = painter.locator(".widget-output img")

    def drawn():  # the figure's picture, once it is drawn (it is redrawn after each button)
        found = figure.evaluate_all("images => images.map(i => i.src)")
        return found[-1] if len(found) == 1 else None

    for button, seconds in (("add stroke", 60), ("project", 120)):
        wait_until(drawn, 60, "the painter's figure")
        before = drawn()
        painter.get_by_role("button", name=button).click()
        wait_until(lambda before=before: drawn() not in (None, before), seconds, button)
    assert not tracebacks(panel), tracebacks(panel)


def test_the_igan_release_fails_untouched_in_english_and_passes_solved_in_chinese(page, tmp_path):
    """Chapter 6's iGAN (its GAN and inverse encoder trained in quick mode, under two minutes;
    the painter shows, as in a student's lab, and paints and projects a stroke); figures: the
    samples, the projections, the edits, the prior weights and the interpolation strip."""
    where = ("ch06_ai_painter", "igan")
    release_in_the_browser(page, tmp_path, where, ("en", "zh"), 4, 300, _paint_and_project)


def test_formgrader_finds_the_chapter_with_the_course_config(page, tmp_path):
    """On a copy of the course, so that formgrader creates its gradebook as on a first day."""
    course = course_copy(tmp_path / "course")
    with (
        lab_server(tmp_path / "work", instructor=True, root=course) as lab,
        screenshots(page, "formgrader"),
    ):
        page.goto(lab.plan.url("lab") + "&reset")
        page.locator("#jp-menu-panel").get_by_text("Nbgrader", exact=True).click()
        page.locator("#jp-mainmenu-nbgrader").get_by_text("Formgrader", exact=True).click()
        frame = page.frame_locator("iframe[src*='formgrader']")
        frame.get_by_text("Manage Assignments").first.wait_for(timeout=60_000)
        frame.get_by_text("Current configuration").click()
        config = frame.locator("body")
        wait_until(lambda: "hands-on-image-generation" in config.text_content(), 30, "course id")
        frame.get_by_text("Current configuration").click()  # folded again for the screenshot
        row = frame.locator("tr", has_text=CHAPTER)
        row.first.wait_for(timeout=60_000)
    assert (course / "gradebook.db").exists()


def test_a_chinese_course_shows_jupyterlab_in_chinese(page, tmp_path, monkeypatch):
    """Course.message_language = "zh": JupyterLab's own menus are Chinese too (language pack)."""
    monkeypatch.delenv("IGCOURSE_LANG", raising=False)  # the course's setting decides
    course = course_copy(tmp_path / "course")
    with open(course / "course_config.py", "a") as config:
        config.write('\nc.Course.message_language = "zh"\n')
    with lab_server(tmp_path / "work", root=course) as lab, screenshots(page, "lab-chinese"):
        assert lab.plan.language == "zh"
        page.goto(lab.plan.url("lab") + "&reset")
        menus = page.locator("#jp-menu-panel")
        menus.get_by_text("文件", exact=True).wait_for(timeout=60_000)  # File
        assert menus.get_by_text("File", exact=True).count() == 0
        menus.get_by_text("文件", exact=True).click()  # open, for the screenshot
        page.locator("#jp-mainmenu-file").get_by_text("新建", exact=True).wait_for()  # New


def test_the_latent_sliders_of_chapter_2_are_live_widgets(page, tmp_path):
    """Chapter 2's latent arithmetic: sliders render as widgets, and moving one redraws the edit."""
    chapter, notebook = "ch02_vae", "latent_editing"
    with proved_in_the_browser(chapter, notebook):
        work = tmp_path / "work"
        solved_release(ROOT, chapter, notebook, work / "solved" / f"{notebook}.ipynb")
        with lab_server(work) as lab, screenshots(page, "latent-sliders"):
            panel = open_notebook(page, lab, f"solved/{notebook}.ipynb")
            run_every_cell(page, panel)
            sliders = panel.locator(".widget-slider")
            wait_until(lambda: sliders.count() >= 2, 60, "the sliders")
            widget = panel.locator(".jupyter-widgets:has(.widget-slider)").last
            edit = widget.locator("xpath=ancestor::div[contains(@class,'jp-OutputArea')][1]")
            image = edit.locator(".jp-RenderedImage img").last
            wait_until(lambda: image.count() == 1, 60, "the edited image")
            before = image.get_attribute("src")
            readout = panel.locator(".widget-hslider .widget-readout").last
            readout.click()
            page.keyboard.press("Control+A")
            page.keyboard.type("1.5")
            page.keyboard.press("Enter")
            wait_until(lambda: image.get_attribute("src") != before, 60, "the redrawn edit")
