"""Grade one submission: the chapter's hidden checks run in a separate pytest process.

The submission is first staged: its notebook and exactly its own handed-in files are copied
into a fresh private folder (staging.py), and the checks run on that copy, so the folder they
read handed-in files from holds this student's files and nothing else. That process runs the
checks with --sandbox: the submission's definitions load in a sandbox worker of its own,
which only probes reach; the checks' results come back as JSON and are scored here against
the points of course_config.py. A crash, a time-out or a broken notebook is reported for
this submission only.
"""

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from igcourse.classroom.staging import messages_language, stage
from igcourse.grading.mutants import without_redundant_lists
from igcourse.grading.results import read_results
from igcourse.i18n import _

CHECKS_VERSION_FILES = ("autograder", "solutions")


@dataclass
class Graded:
    """What grading one submission produced."""

    student: str
    notebook: str
    sha256: str
    scores: dict = field(default_factory=dict)  # part -> points earned
    max_scores: dict = field(default_factory=dict)  # part -> points available
    checks: list = field(default_factory=list)  # [{check, part, outcome, message, images}]
    error: str = ""  # why nothing could be graded, if so
    note: str = ""  # what a reader of the grade should know (outputs dropped), if anything
    seconds: float = 0.0

    @property
    def total(self):
        return round(sum(self.scores.values()), 2)

    @property
    def max_total(self):
        return round(sum(self.max_scores.values()), 2)

    def failure_messages(self, part):
        """The distinct messages of the part's failed checks, in order (a list of candidate
        mistakes left out where another message names the one among them)."""
        messages = [
            c["message"]
            for c in self.checks
            if c["part"] == part and c["outcome"] == "failed" and c["message"]
        ]
        return without_redundant_lists(list(dict.fromkeys(messages)))

    def failure_images(self, part):
        """The pictures of the part's failed checks ({"caption", "png"}), without repeats."""
        seen, images = set(), []
        for c in self.checks:
            if c["part"] != part or c["outcome"] != "failed":
                continue
            for image in c.get("images", ()):
                if image.get("png") not in seen:
                    seen.add(image.get("png"))
                    images.append(image)
        return images

    def to_json(self):
        return asdict(self)

    def as_student(self, student):
        """The same verdicts under another student's name (a copy: the same content)."""
        copy = Graded.from_json(self.to_json())
        copy.student = student
        return copy

    @classmethod
    def from_json(cls, data):
        return cls(**data)


def probe_timeout_s(time_limit_s):
    """Seconds one probe may run: a third of the submission's time, so that one runaway part
    leaves time for the others (the chapter 1 training check needs about 30 s)."""
    return round(max(5.0, time_limit_s / 3), 1)


class ChecksStopped(RuntimeError):
    """The checks ran past the submission's time limit; `results` holds those that finished,
    `planned` how many checks each part has ({part: n}, from the plugin's plan file)."""

    def __init__(self, results, seconds, planned=None):
        super().__init__(seconds)
        self.results = results
        self.seconds = seconds
        self.planned = planned or {}


def _complete_parts(results, planned):
    """The results of the parts whose every planned check finished (a part half-checked when
    the time ran out would otherwise score on its first checks alone)."""
    done = {}
    for result in results:
        done[result.part] = done.get(result.part, 0) + 1
    return [
        r for r in results if planned.get(r.part) is not None and done[r.part] >= planned[r.part]
    ]


def _part_time_s(root):
    from igcourse.config import load_config

    try:
        return load_config(root).limits.part_time_limit_s
    except Exception:  # noqa: BLE001 (a course without a readable config: the default)
        return 120.0


def run_checks(root, chapter, notebook, path, time_limit_s, workdir, salt=""):
    """Run the hidden checks of one notebook on `path`; return [CheckResult] or raise.

    salt: mixed into the checks' inputs (igcourse.grading.secret.submission_salt). When the
    time limit stops the checks, ChecksStopped carries the results that were written."""
    try:
        found = run_batch_checks(root, chapter, notebook, {str(path): salt}, time_limit_s, workdir)
    except ChecksStopped as stopped:
        stopped.results = stopped.results.get(str(path), [])
        stopped.planned = stopped.planned.get(f"notebook:{path}", {})
        raise
    return found[str(path)]


def run_batch_checks(root, chapter, notebook, salts, time_limit_s, workdir):
    """Run the hidden checks of one notebook on several submissions in ONE pytest process
    (TensorFlow and the reference imported once), each in its own sandbox worker with its own
    salt; salts: {staged notebook path: salt}, all in one language. Returns {path: [result]}."""
    import json

    results = Path(workdir) / "results.json"
    salts_file = Path(workdir) / "salts.json"
    specs = {path: f"notebook:{path}" for path in salts}
    salts_file.write_text(json.dumps({specs[p]: s for p, s in salts.items()}), encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "igcourse.classroom.check_process",  # pytest, without TensorFlow's slow teardown
        "-q",
        "-p",
        "no:cacheprovider",
        "--no-header",
        "-o",
        "addopts=",
        str(Path(root) / "autograder" / chapter / f"test_{notebook}.py"),
        *(f"--implementation={spec}" for spec in specs.values()),
        "--sandbox",
        f"--as-notebook={notebook}",
        f"--probe-timeout={probe_timeout_s(time_limit_s)}",
        f"--part-time={_part_time_s(root)}",
        f"--salts={salts_file}",
        f"--results={results}",
        f"--course-root={root}",
    ]
    # A student who answered the Chinese notebook reads the checks' messages in Chinese.
    language = messages_language(Path(next(iter(salts))).name)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", MPLBACKEND="Agg", IGCOURSE_LANG=language)
    timeout = time_limit_s * len(salts)
    try:
        done = subprocess.run(
            command, cwd=workdir, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        runs = read_results(results) if results.exists() else {}
        plan = Path(f"{results}.plan")
        planned = json.loads(plan.read_text(encoding="utf-8")) if plan.exists() else {}
        found = {p: runs.get(spec, []) for p, spec in specs.items()}
        raise ChecksStopped(found, timeout, planned) from None
    tail = (done.stdout + done.stderr)[-1500:]
    if not results.exists():
        raise RuntimeError(_("the checks did not run:\n{tail}").format(tail=tail))
    runs = read_results(results)
    if not any(runs.get(spec) for spec in specs.values()):
        raise RuntimeError(_("no hidden check ran on this notebook:\n{tail}").format(tail=tail))
    return {path: runs.get(spec, []) for path, spec in specs.items()}


def notebook_problem(path):
    """Why a file is not a notebook that can be graded, or "" if it is one."""
    import nbformat

    try:
        text = Path(path).read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return _(
            "The file is not UTF-8 text, so it is not a notebook. Download it again from "
            "JupyterLab (File > Download) and resubmit."
        )
    try:
        nbformat.reads(text, as_version=4)
    except Exception as error:  # nbformat raises several kinds for broken JSON
        return _(
            "The file is not a valid notebook ({error}). Open it in JupyterLab, save it "
            "and resubmit."
        ).format(error=str(error).splitlines()[0][:200])
    return ""


def grade_submission(submission, root, chapter, points, time_limit_s):
    """Grade one Submission on a staged copy; never raises: problems become the result's error.

    The result's sha256 is the key of what was staged and graded; it is empty when nothing
    could be staged, so that the store keeps no result and the next run tries again.
    """
    started = time.monotonic()
    graded = _new_graded(submission, points)
    with tempfile.TemporaryDirectory(prefix="igcourse-grade-") as workdir:
        notebook = _stage(submission, graded, Path(workdir) / "submission")
        if notebook is not None:
            _check_and_score(graded, root, chapter, notebook, points, time_limit_s, workdir)
    graded.seconds = round(time.monotonic() - started, 2)
    return graded


def grade_submissions(submissions, root, chapter, points, time_limit_s):
    """Grade submissions of one notebook and one language together: one check process for
    all (igcourse/grading/plugin.py runs them one after another, each in its own worker with
    its own salt). Returns [Graded] in order; never raises. A submission the batch did not
    grade (its time ran out, its process died) is graded again alone, so that none pays for
    another."""
    from igcourse.grading.secret import submission_salt

    started = time.monotonic()
    graded = [_new_graded(s, points) for s in submissions]
    with tempfile.TemporaryDirectory(prefix="igcourse-grade-") as workdir:
        staged = {}  # index -> staged notebook
        for index, (submission, result) in enumerate(zip(submissions, graded, strict=True)):
            notebook = _stage(submission, result, Path(workdir) / f"s{index}")
            if notebook is not None:
                staged[index] = notebook
        if staged:
            salts = {
                str(staged[i].resolve()): submission_salt(root, graded[i].sha256) for i in staged
            }
            try:
                runs = run_batch_checks(
                    root, chapter, submissions[0].notebook, salts, time_limit_s, workdir
                )
            except Exception:  # noqa: BLE001 (time ran out, or the process died: see below)
                runs = {}
            for i, notebook in staged.items():
                found = runs.get(str(notebook.resolve()), [])
                if found:
                    _score(graded[i], found, points)
                else:  # graded again on its own, so that no submission pays for another
                    alone = grade_submission(submissions[i], root, chapter, points, time_limit_s)
                    graded[i] = alone
    seconds = round((time.monotonic() - started) / max(1, len(submissions)), 2)
    for result in graded:
        result.seconds = seconds  # each submission's share of the batch's time
    return graded


def _new_graded(submission, points):
    graded = Graded(
        submission.student,
        submission.notebook,
        submission.sha256,
        max_scores=dict(points),
        note=submission.note,
    )
    graded.scores = {part: 0.0 for part in points}
    graded.error = submission.problem
    return graded


def _stage(submission, graded, folder):
    """The staged notebook of a submission that can be graded, else None (graded says why)."""
    if submission.problem:
        return None
    folder.mkdir()
    try:
        notebook, graded.sha256 = stage(submission, folder)
    except (OSError, ValueError) as error:
        graded.sha256 = ""
        graded.error = _("the submission could not be copied for grading: {error}").format(
            error=_reason(error)
        )
        return None
    graded.error = notebook_problem(notebook)
    return None if graded.error else notebook


def _reason(error):
    # An OSError's own words, without the grader's paths, which feedback has no need of.
    return (error.strerror if isinstance(error, OSError) else None) or str(error)


def _check_and_score(graded, root, chapter, notebook, points, time_limit_s, workdir):
    """Run the hidden checks on the staged notebook; their verdicts and scores into graded.

    The checks' inputs are drawn with this submission's salt (the course's secret and the key
    of what was staged), so the same submission always meets the same inputs."""
    from igcourse.grading.secret import submission_salt

    try:
        results = run_checks(
            root,
            chapter,
            graded.notebook,
            notebook.resolve(),
            time_limit_s,
            workdir,
            salt=submission_salt(root, graded.sha256),
        )
    except ChecksStopped as stopped:  # parts whose every check ran count; the rest score nothing
        graded.error = _(
            "grading stopped after {seconds:.0f} s; the checks that had not run score nothing"
        ).format(seconds=stopped.seconds)
        results = _complete_parts(stopped.results, stopped.planned)
    except Exception as error:  # the report must go on for the other submissions
        graded.error = str(error)
        return
    _score(graded, results, points)


def _score(graded, results, points):
    from igcourse.grading.results import part_scores

    scores = part_scores(results, points)
    graded.scores = {part: score.points for part, score in scores.items()}
    graded.checks = [
        {
            "check": r.check,
            "part": r.part,
            "outcome": r.outcome,
            "message": r.message,
            "images": list(r.images),
        }
        for r in results
    ]


def checks_version(root, chapter):
    """A digest of the hidden checks and the reference: a change regrades everything."""
    import hashlib

    digest = hashlib.sha256()
    for folder in CHECKS_VERSION_FILES:
        base = Path(root) / folder / chapter
        for path in sorted(base.rglob("*.py")) if base.exists() else []:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
