"""Helpers for tests of a chapter's public checks: reference and stub namespaces, reports."""

import functools
import textwrap

from igcourse.checks import check_part
from igcourse.export import read_notebook, reference_module_source, submission_module_source
from igcourse.grading.course import chapter_parts
from igcourse.paths import repo_root

ROOT = repo_root()


class ChapterModules:
    """A chapter's reference module and untouched release stub, per notebook, as source."""

    def __init__(self, chapter):
        self.chapter = chapter
        self.parts = {nb: list(parts) for nb, parts in chapter_parts(ROOT, chapter).items()}
        self.notebook_of = {part: nb for nb, parts in self.parts.items() for part in parts}

    @functools.cached_property
    def sources(self):
        from nbgrader.preprocessors import ClearSolutions

        result = {}
        for notebook in self.parts:
            path = ROOT / "source" / self.chapter / f"{notebook}.ipynb"
            reference = reference_module_source(read_notebook(path), notebook)
            released, _ = ClearSolutions().preprocess(read_notebook(path), {})
            result[notebook] = {"reference": reference, "stub": submission_module_source(released)}
        return result

    def namespace(self, tmp_path, part, kind="reference", patch=""):
        """The reference (or stub) definitions of part's notebook, then `patch` run on top.

        The code runs from a real file, so that tf.function's autograph can read it.
        """
        notebook = self.notebook_of[part]
        source = self.sources[notebook][kind] + "\n\n" + textwrap.dedent(patch)
        path = tmp_path / f"{notebook}_{kind}.py"
        path.write_text(source)
        namespace = {"__name__": path.stem}
        exec(compile(source, str(path), "exec"), namespace)  # noqa: S102
        return namespace


def run_part(chapter, part, namespace, capsys):
    """(passed, printed report) of check_part on a namespace."""
    try:
        check_part(chapter, part, namespace)
    except AssertionError:
        return False, capsys.readouterr().out
    return True, capsys.readouterr().out
