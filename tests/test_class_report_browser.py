"""Does the demo class's report show its plots and known mistakes in a real browser?

The demo class (igcourse/demo.py: the reference, the untouched release and students with known
mistakes) is graded into a temporary folder, its report opened from disk in Debian's
Chromium through Playwright, and a screenshot of the whole page saved as
test-artifacts/class-report.png (or under $IGCOURSE_TEST_ARTIFACTS).
"""

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from lab_browser import ROOT, chromium_for_tests, launch  # noqa: E402

from igcourse.classroom.grade import grade_class  # noqa: E402
from igcourse.config import load_config  # noqa: E402
from igcourse.demo import DEMO_CHAPTER, example_submissions  # noqa: E402
from igcourse.i18n import set_language  # noqa: E402

pytestmark = pytest.mark.slow

ARTIFACTS = Path(os.environ.get("IGCOURSE_TEST_ARTIFACTS", ROOT / "test-artifacts"))


@pytest.fixture(scope="module")
def chromium():
    return chromium_for_tests()


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    """The demo class graded as `./course.sh demo` grades it; its results reused where the
    demo ran before with the same checks."""
    set_language("en")
    work = tmp_path_factory.mktemp("demo")
    submitted, out = work / "submitted", work / "out"
    example_submissions(ROOT, DEMO_CHAPTER, load_config(ROOT).chapters[DEMO_CHAPTER], submitted)
    earlier = ROOT / "grading-demo" / "results"
    if earlier.is_dir():
        shutil.copytree(earlier, out / "results")
    grade_class(
        submitted,
        DEMO_CHAPTER,
        ROOT,
        out=out,
        db_url=f"sqlite:///{work / 'gradebook.db'}",
        progress=False,
    )
    return out / f"{DEMO_CHAPTER}-class-report.html"


def test_the_demo_report_shows_its_plots_and_mistakes(chromium, demo_report):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright, chromium)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(demo_report.as_uri())
            page.screenshot(path=ARTIFACTS / "class-report.png", full_page=True)
            plots = page.locator("#scores img")
            assert plots.count() == sum(map(len, load_config(ROOT).chapters[DEMO_CHAPTER].values()))
            drawn = plots.evaluate_all("images => images.every(i => i.complete && i.naturalWidth)")
            assert drawn, "a score plot did not load"
            mistakes = page.locator("#mistakes tr")
            assert mistakes.count() > 1, "the demo's students with known mistakes are not listed"
            assert page.locator("#mistakes a").first.is_visible()
        finally:
            browser.close()
