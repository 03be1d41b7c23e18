"""Does every message people read exist in English and Chinese with the same placeholders?"""

import shutil

from igcourse import messages
from igcourse.i18n import LOCALE_DIR, set_language


def test_every_message_is_translated_with_the_same_placeholders():
    assert messages.problems() == []


def test_placeholders_are_the_named_fields():
    assert messages.placeholders("{path}: line {line} ({kind!r})") == {"path", "line", "kind"}
    assert messages.placeholders("no fields") == set()


def test_a_missing_or_mismatched_translation_is_reported(tmp_path):
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale)
    po = messages.po_path("zh", locale)
    text = po.read_text()
    # Break one translation's placeholder and blank another.
    text = text.replace('msgstr "{path}：', 'msgstr "{file}：', 1)
    po.write_text(text)
    found = messages.problems(locale_dir=locale)
    assert any("placeholders" in p for p in found) or any("stale" in p for p in found)


MESSAGE = "{path}: missing (listed in course_config.py)"


def test_messages_follow_the_chosen_language():
    from igcourse.i18n import _

    try:
        set_language("zh")
        chinese = _(MESSAGE)
        set_language("en")
        english = _(MESSAGE)
    finally:
        set_language("en")
    assert english == MESSAGE
    assert chinese != MESSAGE and "{path}" in chinese


def test_the_command_line_speaks_chinese_when_asked(tmp_path, capsys):
    from igcourse.cli import main

    (tmp_path / "course_config.py").write_text(
        "c = get_config()\nc.GradingLimits.time_limit_s = -1\n"
    )
    try:
        assert main(["--lang", "zh", "--root", str(tmp_path), "config"]) == 2
    finally:
        set_language("en")
    err = capsys.readouterr().err
    assert "GradingLimits.time_limit_s" in err
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err), err


def test_a_kernel_of_a_chinese_notebook_speaks_chinese(monkeypatch):
    from igcourse.i18n import default_language

    monkeypatch.delenv("IGCOURSE_LANG", raising=False)
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/s/release/ch01_pixelcnn/pixelcnn.zh.ipynb")
    assert default_language() == "zh"
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/s/release/ch01_pixelcnn/pixelcnn.ipynb")
    assert default_language() == "en"
    monkeypatch.setenv("IGCOURSE_LANG", "zh")
    assert default_language() == "zh"


def test_a_known_mistake_is_introduced_in_chinese_too():
    """The zoo's sentences are kept in constants: the catalogs must still hold them."""
    from igcourse.grading.mutants import known_mistake_message, without_redundant_lists

    try:
        set_language("zh")
        one = known_mistake_message(["甲"])
        some = known_mistake_message(["甲", "乙"])
    finally:
        set_language("en")
    assert one != "This looks like a known mistake: 甲" and one.endswith("甲")
    assert some.startswith("这看起来是以下已知错误之一")
    # A Chinese list beside a Chinese single name is recognised, as an English one would be.
    assert without_redundant_lists([f"a\n{one}", f"b\n{some}"]) == [f"a\n{one}", "b"]
