"""Messages people read come through gettext, so each has an English and a Chinese form.

The language comes from IGCOURSE_LANG (en or zh), then course_config.py's Course.language
where a command sets it, and falls back to English.
"""

import gettext
import os
from pathlib import Path

DOMAIN = "igcourse"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "zh")

_translation = None


def set_language(language=None):
    """Choose the language of messages; None reads IGCOURSE_LANG."""
    global _translation
    language = language or os.environ.get("IGCOURSE_LANG", "en")
    _translation = gettext.translation(
        DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True
    )
    return _translation


def _(message):
    if _translation is None:
        set_language()
    return _translation.gettext(message)
