"""The course's own settings, read from course_config.py (the file nbgrader reads too).

Each class is a traitlets Configurable, so settings have types and help text
(`igcourse config --help-all` lists them) and nbgrader's config loading rules apply.
"""

import difflib
import numbers
import os
from pathlib import Path

from traitlets import Dict, Float, Integer, List, TraitError, Unicode, validate
from traitlets.config import Configurable
from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

from igcourse.i18n import _
from igcourse.paths import repo_root

CONFIG_FILE = "course_config.py"


class ConfigError(ValueError):
    """course_config.py is missing, does not run, or holds a wrong value."""


def _is_identifier(name):
    return isinstance(name, str) and name.isidentifier()


class Course(Configurable):
    """What the course teaches: chapters, their notebooks, graded parts and points."""

    chapters = Dict(
        help="chapter -> notebook -> part (the grade_id of its solution cell) -> points. "
        "Chapters are named chNN_slug, as their folders in source/."
    ).tag(config=True)

    handed_in = Dict(
        help="chapter -> [parts graded only from the files handed in beside the notebook (a "
        "trained model)]. Such a part has a check cell but no solution cell.",
    ).tag(config=True)

    languages = List(
        Unicode(),
        default_value=["en", "zh"],
        help="Languages of the release notebooks; the first is the default.",
    ).tag(config=True)

    message_language = Unicode(
        "en",
        help="Language of messages (check reports, feedback, command output): en or zh. "
        "IGCOURSE_LANG and the --lang flag override it.",
    ).tag(config=True)

    @validate("message_language")
    def _check_message_language(self, proposal):
        if proposal["value"] not in ("en", "zh"):
            raise TraitError(
                _("Course.message_language must be en or zh, not {value!r}").format(
                    value=proposal["value"]
                )
            )
        return proposal["value"]

    @validate("chapters")
    def _check_chapters(self, proposal):
        chapters = proposal["value"]
        for chapter, notebooks in chapters.items():
            where = f"Course.chapters[{chapter!r}]"
            if not (
                _is_identifier(chapter) and chapter.startswith("ch") and chapter[2:4].isdigit()
            ):
                raise TraitError(_("{where}: a chapter is named chNN_slug").format(where=where))
            if not isinstance(notebooks, dict) or not notebooks:
                raise TraitError(
                    _("{where}: must map notebook names to their parts").format(where=where)
                )
            for notebook, parts in notebooks.items():
                self._check_parts(f"{where}[{notebook!r}]", notebook, parts)
        return chapters

    @staticmethod
    def _check_parts(where, notebook, parts):
        if not _is_identifier(notebook):
            raise TraitError(_("{where}: notebook names are identifiers").format(where=where))
        if not isinstance(parts, dict) or not parts:
            raise TraitError(_("{where}: must map grade ids to points").format(where=where))
        for part, points in parts.items():
            if not _is_identifier(part):
                raise TraitError(
                    _("{where}: grade id {part!r} is not an identifier").format(
                        where=where, part=part
                    )
                )
            is_number = isinstance(points, numbers.Real) and not isinstance(points, bool)
            if not is_number or points <= 0:
                raise TraitError(
                    _("{where}[{part!r}]: points must be a positive number, not {points!r}").format(
                        where=where, part=part, points=points
                    )
                )

    @validate("languages")
    def _check_languages(self, proposal):
        languages = proposal["value"]
        unknown = [lang for lang in languages if lang not in ("en", "zh")]
        if not languages or unknown or languages[0] != "en":
            raise TraitError(
                _("Course.languages: English first, then any of en, zh; got {languages!r}").format(
                    languages=languages
                )
            )
        return languages

    def parts(self, chapter, notebook):
        return self.chapters[chapter][notebook]

    def handed_in_parts(self, chapter):
        """The chapter's parts graded from handed-in files (no solution cell)."""
        return frozenset(self.handed_in.get(chapter, ()))


class GradingLimits(Configurable):
    """Limits for the process that runs one submission's code."""

    time_limit_s = Float(
        600.0,
        help="Wall-clock seconds for one submission's grading, all parts together; what was "
        "graded when it runs out is kept.",
    ).tag(config=True)
    part_time_limit_s = Float(
        120.0,
        help="Seconds the code of one part may run in the sandbox, all its checks together: a "
        "part that loops costs that part only.",
    ).tag(config=True)
    memory_limit_mb = Integer(4096, help="Address-space limit in MiB.").tag(config=True)
    output_limit_kb = Integer(256, help="Output kept from one submission, in KiB.").tag(config=True)
    max_processes = Integer(
        256,
        help="Processes and threads a submission's worker may run (TensorFlow starts several "
        "threads per core, and they count).",
    ).tag(config=True)

    @validate(
        "time_limit_s", "part_time_limit_s", "memory_limit_mb", "output_limit_kb", "max_processes"
    )
    def _positive(self, proposal):
        if proposal["value"] <= 0:
            name = proposal["trait"].name
            raise TraitError(
                _("GradingLimits.{name} must be positive, not {value!r}").format(
                    name=name, value=proposal["value"]
                )
            )
        return proposal["value"]


class Quality(Configurable):
    """Sample-quality thresholds that grading uses, set from recorded reference runs."""

    thresholds = Dict(
        help="chapter -> metric name -> threshold. Each value comes from a reference run "
        "recorded in solutions/<chapter>/ with the command that produced it."
    ).tag(config=True)

    @validate("thresholds")
    def _check_thresholds(self, proposal):
        for chapter, metrics in proposal["value"].items():
            if not isinstance(metrics, dict):
                raise TraitError(
                    _("Quality.thresholds[{chapter!r}] must map metric names to numbers").format(
                        chapter=chapter
                    )
                )
            for metric, value in metrics.items():
                if not isinstance(value, numbers.Real) or isinstance(value, bool):
                    raise TraitError(
                        _("Quality.thresholds[{chapter!r}][{metric!r}] must be a number").format(
                            chapter=chapter, metric=metric
                        )
                    )
        return proposal["value"]


def _unknown_settings(config):
    """Misspelled settings of the course's own classes (traitlets only warns about them)."""
    problems = []
    for cls in CONFIGURABLES:
        known = cls.class_own_traits(config=True)
        for name in config.get(cls.__name__, {}):
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                hint = _(" (did you mean {cls}.{name}?)").format(cls=cls.__name__, name=close[0])
                problems.append(
                    _("{cls}.{name} is not a setting{hint}").format(
                        cls=cls.__name__, name=name, hint=hint if close else ""
                    )
                )
    return problems


class CourseConfig:
    """All course settings, loaded and validated together."""

    def __init__(self, config):
        unknown = _unknown_settings(config)
        if unknown:
            raise ConfigError(
                _("{file}: {error}").format(file=CONFIG_FILE, error="; ".join(unknown))
            )
        try:
            self.course = Course(config=config)
            self.limits = GradingLimits(config=config)
            self.quality = Quality(config=config)
        except TraitError as error:
            raise ConfigError(_("{file}: {error}").format(file=CONFIG_FILE, error=error)) from None
        self.raw = config

    @property
    def chapters(self):
        return self.course.chapters


def course_language(root=None):
    """The language of the course's messages: IGCOURSE_LANG, else Course.message_language in
    the course_config.py of root (default: the course folder found from here)."""
    if os.environ.get("IGCOURSE_LANG"):
        return os.environ["IGCOURSE_LANG"]
    return load_config(root).course.message_language


def load_config(root=None):
    """Load and validate course_config.py from the course root."""
    root = Path(root) if root else repo_root()
    loader = PyFileConfigLoader(CONFIG_FILE, path=str(root))
    try:
        config = loader.load_config()
    except ConfigFileNotFound:
        raise ConfigError(
            _("{file} not found in {root}").format(file=CONFIG_FILE, root=root)
        ) from None
    except Exception as error:  # a syntax or runtime error inside the config file
        raise ConfigError(
            _("{file} could not be read: {error}").format(file=CONFIG_FILE, error=error)
        ) from None
    return CourseConfig(config)


CONFIGURABLES = (Course, GradingLimits, Quality)
