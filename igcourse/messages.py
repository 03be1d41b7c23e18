"""The message catalogs: extract every `_()` message, keep the Chinese catalog in step, check it.

igcourse/locale/zh/LC_MESSAGES/igcourse.po is edited by translators; igcourse.mo beside it
is compiled from it by `igcourse messages update` and committed, so installed copies need
no build step. `igcourse messages check` (and the test suite) fail when a message has no
translation, a translation is marked fuzzy, placeholders differ, or the .mo is stale.
"""

import datetime
import io
import re
import string
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from igcourse.i18n import DOMAIN, LOCALE_DIR, _

PACKAGE_DIR = Path(__file__).parent
TRANSLATED = ("zh",)
_METHOD_MAP = [("**.py", "python")]
_KEYWORDS = {"_": None, "N_": None}  # N_ marks a message that is translated later


def po_path(language, locale_dir=LOCALE_DIR):
    return Path(locale_dir) / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _message_dirs(package_dir):
    """The engine, the hidden checks beside it, whose messages reach students too, and the
    scripts instructors run (the GPU check, the benchmarks, the evaluator's training)."""
    dirs = [Path(package_dir)]
    for name in ("autograder", "scripts"):
        folder = Path(package_dir).parent / name
        if Path(package_dir) == PACKAGE_DIR and folder.is_dir():
            dirs.append(folder)
    return dirs


def extract(package_dir=PACKAGE_DIR):
    """A template catalog of every message passed to _() in the package and the checks."""
    template = Catalog(project="igcourse", fuzzy=False)
    for folder in _message_dirs(package_dir):
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(folder), method_map=_METHOD_MAP, keywords=_KEYWORDS
        ):
            template.add(message, locations=[(f"{folder.name}/{filename}", lineno)])
    for where, mistake in _mistakes(package_dir):
        template.add(mistake, locations=[(where, 1)])
    return template


def _mistakes(package_dir):
    """(file, MISTAKE) of every zoo mutant: students read these sentences in their feedback."""
    from igcourse.grading.mutants import MutantFileError, discover_mutants

    found = []
    for folder in _message_dirs(package_dir)[1:]:
        for mutants in sorted(folder.glob("*/mutants")):
            try:
                zoo = discover_mutants(mutants)
            except MutantFileError:  # the validator names the broken file
                continue
            found += [(f"{m.path.relative_to(folder.parent).as_posix()}", m.mistake) for m in zoo]
    return found


def placeholders(text):
    """The named fields of a str.format template: '{path}: {n!r}' -> {'path', 'n'}."""
    try:
        return {field for _lit, field, _spec, _conv in string.Formatter().parse(text) if field}
    except ValueError:
        return {"<malformed braces>"}


FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def _read(path, language):
    if not path.exists():
        catalog = Catalog(locale=language)
    else:
        with open(path, "rb") as f:
            catalog = read_po(f, locale=language)
    return _fixed_dates(catalog)


def _fixed_dates(catalog):
    """Babel stamps catalogs with the time; fixed dates keep the compiled .mo reproducible."""
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    return catalog


def _po_bytes(catalog):
    buffer = io.BytesIO()
    write_po(buffer, catalog, omit_header=False, sort_output=True, width=100, include_lineno=False)
    # Babel stamps the time of writing; drop it so regenerating gives the same bytes.
    return re.sub(rb'"POT-Creation-Date: [^"]*"\n', b"", buffer.getvalue())


def _mo_bytes(catalog):
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def update(locale_dir=LOCALE_DIR, package_dir=PACKAGE_DIR):
    """Merge new messages into each .po (untranslated), drop removed ones, compile the .mo."""
    template = extract(package_dir)
    written = []
    for language in TRANSLATED:
        path = po_path(language, locale_dir)
        catalog = _read(path, language)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        _fixed_dates(catalog)  # update() copies the template's creation time
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_po_bytes(catalog))
        path.with_suffix(".mo").write_bytes(_mo_bytes(catalog))
        written.append(path)
    return written


def problems(locale_dir=LOCALE_DIR, package_dir=PACKAGE_DIR):
    """Everything wrong with the catalogs, as sentences; empty when all is well."""
    found = []
    template = extract(package_dir)
    for language in TRANSLATED:
        path = po_path(language, locale_dir)
        catalog = _read(path, language)
        where = path.relative_to(Path(locale_dir).parent.parent) if path.exists() else path
        for message in template:
            if not message.id:
                continue
            entry = catalog.get(message.id)
            if entry is None or not entry.string:
                found.append(
                    _("{po}: no translation for {msgid!r}").format(po=where, msgid=message.id)
                )
            elif entry.fuzzy:
                found.append(
                    _("{po}: fuzzy translation for {msgid!r}").format(po=where, msgid=message.id)
                )
            elif placeholders(entry.string) != placeholders(message.id):
                found.append(
                    _("{po}: placeholders of {msgid!r} differ in the translation").format(
                        po=where, msgid=message.id
                    )
                )
        unused = [m.id for m in catalog if m.id and m.id not in template]
        if unused:
            found.append(
                _("{po}: {n} entries no longer used (run `igcourse messages update`)").format(
                    po=where, n=len(unused)
                )
            )
        mo = path.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != _mo_bytes(catalog):
            found.append(_("{mo}: stale (run `igcourse messages update`)").format(mo=mo.name))
    return found
