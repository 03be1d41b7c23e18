"""The course in a real browser: `igcourse lab` served on loopback, driven by Chromium.

Debian's Chromium (installed here when missing and root) runs headless through Playwright.
Screenshots of every test go to test-artifacts/browser/ (or $IGCOURSE_TEST_ARTIFACTS), so a
failed run can be looked at. A chapter's own notebooks in the browser are recorded proofs
(tests/proved.py), run again when the chapter, the engine they reach or the browser changes;
the course-wide tests run every time.
"""

import contextlib
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
    with lab_server(work) as lab:
        yield lab


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
        assert panel.locator(".jp-OutputArea-output[data-mime-type*='error']").count() == 0
        # The sample grids of the answered notebook: every figure cell drew its image.
        assert panel.locator(".jp-RenderedImage img").count() >= 6


def test_the_cgan_release_fails_untouched_in_chinese_and_passes_solved(page, tmp_path):
    """Chapter 4's conditional GAN: the untouched Chinese release shows a failing report per
    part, in Chinese; the English release with the master notebook's answers trains in quick
    mode and passes every public check (its trained generator's too) and draws its grids."""
    chapter, notebook = "ch04_image_translation", "cgan"
    with proved_in_the_browser(chapter, notebook):
        from igcourse.config import load_config

        parts = list(load_config(ROOT).chapters[chapter][notebook])
        work = tmp_path / "work"
        solved_release(ROOT, chapter, notebook, work / "solved" / f"{notebook}.ipynb")
        with lab_server(work) as lab, screenshots(page, "cgan"):
            panel = open_notebook(page, lab, f"{chapter}/{notebook}.zh.ipynb")
            run_every_cell(page, panel)
            shown = reports(panel)
            assert [title.split("：")[0] for title, _ in shown] == parts
            for title, rows in shown:
                assert re.fullmatch(rf"\w+：{len(rows)} 项公开检查中通过了 0 项", title), title
                assert all(mark == "\u2717" for mark, _check, _message in rows), rows
            panel = open_notebook(page, lab, f"solved/{notebook}.ipynb")
            run_every_cell(page, panel, timeout_per_cell=300)  # the training cell: about a minute
            shown = reports(panel)
            assert [title.split(":")[0] for title, _ in shown] == parts
            for title, rows in shown:
                assert title.endswith(f"{len(rows)} of {len(rows)} public checks passed"), title
            # The data's first image of each class, and the class grids during training.
            assert panel.locator(".jp-RenderedImage img").count() >= 2


def test_the_pix2pix_release_fails_untouched_in_english_and_passes_solved_in_chinese(
    page, tmp_path
):
    """Chapter 4's pix2pix, the languages the other way round from cgan's test: the untouched
    English release shows a failing report per part; the Chinese release with the master
    notebook's answers trains in quick mode, passes every public check in Chinese (its trained
    generator's too) and draws its figures."""
    chapter, notebook = "ch04_image_translation", "pix2pix"
    with proved_in_the_browser(chapter, notebook):
        from igcourse.config import load_config

        parts = list(load_config(ROOT).chapters[chapter][notebook])
        work = tmp_path / "work"
        solved_release(ROOT, chapter, notebook, work / "solved" / f"{notebook}.zh.ipynb", "zh")
        with lab_server(work) as lab, screenshots(page, "pix2pix"):
            panel = open_notebook(page, lab, f"{chapter}/{notebook}.ipynb")
            run_every_cell(page, panel)
            shown = reports(panel)
            assert [title.split(":")[0] for title, _ in shown] == parts
            for title, rows in shown:
                assert title.endswith(f"0 of {len(rows)} public checks passed"), title
                assert all(mark == "\u2717" for mark, _check, _message in rows), rows
            panel = open_notebook(page, lab, f"solved/{notebook}.zh.ipynb")
            run_every_cell(page, panel, timeout_per_cell=300)  # the training cell: under a minute
            shown = reports(panel)
            assert [title.split("：")[0] for title, _ in shown] == parts
            for title, rows in shown:
                assert re.fullmatch(
                    rf"\w+：{len(rows)} 项公开检查中通过了 {len(rows)} 项", title
                ), title
            # The training pairs, the loss curves and the test translations.
            assert panel.locator(".jp-RenderedImage img").count() >= 3


def test_the_cyclegan_release_fails_untouched_in_chinese_and_passes_solved_in_english(
    page, tmp_path
):
    """Chapter 4's CycleGAN, as cgan's test: the untouched Chinese release shows a failing report
    per part; the English release with the master notebook's answers trains in quick mode,
    passes every public check (its trained generators' too) and draws its figures."""
    chapter, notebook = "ch04_image_translation", "cyclegan"
    with proved_in_the_browser(chapter, notebook):
        from igcourse.config import load_config

        parts = list(load_config(ROOT).chapters[chapter][notebook])
        work = tmp_path / "work"
        solved_release(ROOT, chapter, notebook, work / "solved" / f"{notebook}.ipynb")
        with lab_server(work) as lab, screenshots(page, "cyclegan"):
            panel = open_notebook(page, lab, f"{chapter}/{notebook}.zh.ipynb")
            run_every_cell(page, panel)
            shown = reports(panel)
            assert [title.split("：")[0] for title, _ in shown] == parts
            for title, rows in shown:
                assert re.fullmatch(rf"\w+：{len(rows)} 项公开检查中通过了 0 项", title), title
                assert all(mark == "\u2717" for mark, _check, _message in rows), rows
            panel = open_notebook(page, lab, f"solved/{notebook}.ipynb")
            run_every_cell(page, panel, timeout_per_cell=600)  # training: 2 to 3 minutes
            shown = reports(panel)
            assert [title.split(":")[0] for title, _ in shown] == parts
            for title, rows in shown:
                assert title.endswith(f"{len(rows)} of {len(rows)} public checks passed"), title
            # The two domains, the loss curves and the translations there and back.
            assert panel.locator(".jp-RenderedImage img").count() >= 3


def test_the_bicyclegan_release_fails_untouched_in_english_and_passes_solved_in_chinese(
    page, tmp_path
):
    """Chapter 4's BicycleGAN, as pix2pix's test: the untouched English release shows a failing
    report per part; the Chinese release with the master notebook's answers trains in quick
    mode, passes every public check in Chinese (its trained generator's too) and draws its
    figures."""
    chapter, notebook = "ch04_image_translation", "bicyclegan"
    with proved_in_the_browser(chapter, notebook):
        from igcourse.config import load_config

        parts = list(load_config(ROOT).chapters[chapter][notebook])
        work = tmp_path / "work"
        solved_release(ROOT, chapter, notebook, work / "solved" / f"{notebook}.zh.ipynb", "zh")
        with lab_server(work) as lab, screenshots(page, "bicyclegan"):
            panel = open_notebook(page, lab, f"{chapter}/{notebook}.ipynb")
            run_every_cell(page, panel)
            shown = reports(panel)
            assert [title.split(":")[0] for title, _ in shown] == parts
            for title, rows in shown:
                assert title.endswith(f"0 of {len(rows)} public checks passed"), title
                assert all(mark == "\u2717" for mark, _check, _message in rows), rows
            panel = open_notebook(page, lab, f"solved/{notebook}.zh.ipynb")
            run_every_cell(page, panel, timeout_per_cell=300)  # the training cell: under a minute
            shown = reports(panel)
            assert [title.split("：")[0] for title, _ in shown] == parts
            for title, rows in shown:
                assert re.fullmatch(
                    rf"\w+：{len(rows)} 项公开检查中通过了 {len(rows)} 项", title
                ), title
            # The training pairs, the loss curves and the shoes of five codes per drawing.
            assert panel.locator(".jp-RenderedImage img").count() >= 3


def test_the_neural_style_transfer_release_fails_untouched_in_chinese_and_passes_solved(
    page, tmp_path
):
    """Chapter 5's neural style transfer: the untouched Chinese release shows a failing report
    per part; the English release with the master notebook's answers runs in quick mode (VGG19
    with random weights, offline), passes every public check and draws its figures."""
    chapter, notebook = "ch05_style_transfer", "neural_style_transfer"
    with proved_in_the_browser(chapter, notebook):
        from igcourse.config import load_config

        parts = list(load_config(ROOT).chapters[chapter][notebook])
        work = tmp_path / "work"
        solved_release(ROOT, chapter, notebook, work / "solved" / f"{notebook}.ipynb")
        with lab_server(work) as lab, screenshots(page, "neural_style_transfer"):
            panel = open_notebook(page, lab, f"{chapter}/{notebook}.zh.ipynb")
            run_every_cell(page, panel)
            shown = reports(panel)
            assert [title.split("：")[0] for title, _ in shown] == parts
            for title, rows in shown:
                assert re.fullmatch(rf"\w+：{len(rows)} 项公开检查中通过了 0 项", title), title
                assert all(mark == "\u2717" for mark, _check, _message in rows), rows
            panel = open_notebook(page, lab, f"solved/{notebook}.ipynb")
            run_every_cell(page, panel, timeout_per_cell=300)
            shown = reports(panel)
            assert [title.split(":")[0] for title, _ in shown] == parts
            for title, rows in shown:
                assert title.endswith(f"{len(rows)} of {len(rows)} public checks passed"), title
            # The two images, the snapshots, the loss curves and the result beside them.
            assert panel.locator(".jp-RenderedImage img").count() >= 4


def test_the_adain_release_fails_untouched_in_english_and_passes_solved_in_chinese(page, tmp_path):
    """Chapter 5's AdaIN, the other languages than neural style transfer's: the untouched English
    release shows a failing report per part; the Chinese release with the master notebook's
    answers trains its decoder in quick mode (VGG19 with random weights, offline), passes every
    public check in Chinese and draws its figures."""
    chapter, notebook = "ch05_style_transfer", "adain"
    with proved_in_the_browser(chapter, notebook):
        from igcourse.config import load_config

        parts = list(load_config(ROOT).chapters[chapter][notebook])
        work = tmp_path / "work"
        solved_release(ROOT, chapter, notebook, work / "solved" / f"{notebook}.zh.ipynb", "zh")
        with lab_server(work) as lab, screenshots(page, "adain"):
            panel = open_notebook(page, lab, f"{chapter}/{notebook}.ipynb")
            run_every_cell(page, panel)
            shown = reports(panel)
            assert [title.split(":")[0] for title, _ in shown] == parts
            for title, rows in shown:
                assert title.endswith(f"0 of {len(rows)} public checks passed"), title
                assert all(mark == "\u2717" for mark, _check, _message in rows), rows
            panel = open_notebook(page, lab, f"solved/{notebook}.zh.ipynb")
            run_every_cell(page, panel, timeout_per_cell=300)  # the training cell: under a minute
            shown = reports(panel)
            assert [title.split("：")[0] for title, _ in shown] == parts
            for title, rows in shown:
                assert re.fullmatch(
                    rf"\w+：{len(rows)} 项公开检查中通过了 {len(rows)} 项", title
                ), title
            # The crops, the loss curves, the alpha row and the mixed styles.
            assert panel.locator(".jp-RenderedImage img").count() >= 4


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
