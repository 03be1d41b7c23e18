"""Messages people read come through gettext, so each has an English and a Chinese form.

The language is the one a command asks for (--lang, course_config.py's
Course.message_language), else IGCOURSE_LANG (en or zh), else the notebook's own: a kernel
that JupyterLab started for `x.zh.ipynb` speaks Chinese. English is the fallback.
"""

import functools
import gettext
import os
from pathlib import Path

DOMAIN = "igcourse"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "zh")

_translation = None
_language = None


def default_language():
    """IGCOURSE_LANG, else the language of the notebook this kernel runs, else English."""
    if os.environ.get("IGCOURSE_LANG"):
        return os.environ["IGCOURSE_LANG"]
    # jupyter_server tells each kernel the path of its notebook.
    if os.environ.get("JPY_SESSION_NAME", "").endswith(".zh.ipynb"):
        return "zh"
    return "en"


def set_language(language=None):
    """Choose the language of messages; None picks the default_language()."""
    global _translation, _language
    language = language or default_language()
    _language = language
    _translation = gettext.translation(
        DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True
    )
    return _translation


def current_language():
    """The language messages are written in now."""
    return _language or default_language()


def _(message):
    if _translation is None:
        set_language()
    return _translation.gettext(message)


@functools.cache  # each message's translations are read once per process
def in_every_language(message):
    """{the message as each language of the course writes it}: for reading stored text."""
    return frozenset(
        gettext.translation(
            DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True
        ).gettext(message)
        for language in LANGUAGES
    )
