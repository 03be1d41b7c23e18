"""Validate a chapter's hidden checks against the reference, the release and the zoo.

    igcourse validate ch01_pixelcnn
    python -m igcourse.grading.validate ch01_pixelcnn

For each notebook of the chapter, the hidden checks (autograder/<chapter>/test_<nb>.py) run
on every implementation, in a few pytest subprocesses, two at a time by default (the reference
alone; the release and the mutants shared out among the others):
- the reference must score full marks on every part;
- the untouched release notebook (release/<chapter>/<nb>.ipynb) must score zero on every part;
- every mutant in autograder/<chapter>/mutants/ must lose points on its PART, and a failed
  check of that part must name its MISTAKE (directly or through mutant matching);
- every independent correct answer set in autograder/<chapter>/alternatives/<nb>/ (written
  from the task text alone, igcourse/grading/alternatives.py) must score full marks, and each
  notebook needs at least MIN_ALTERNATIVES of them;
- trivial answers made from the release (every stub returns None, its first argument, zeros
  like it, or a constant) must score zero on every part.
Only the checks of a mutant's own part run for that mutant, and checks marked `expensive`
(training runs) run on the reference only: a mistake must be caught by a cheaper check.

The reference, the release and the mutants are the course's own code, so their probes run in
the checks' process (one subprocess per group of implementations, with a time limit), which
keeps validation fast. Answer sets and trivial answers are notebooks graded as students' are,
with the plugin's --sandbox: their code runs in a sandbox worker and only data comes back
(igcourse/grading/sandboxed.py), so the loader and the stand-ins are proved too. Checks of
handed-in files (marked `handed_in`) do not run on them: they hand in no trained model.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from igcourse.grading.course import chapter_parts, handed_in_parts, notebook_of_part
from igcourse.grading.mutants import MutantFileError, discover_mutants
from igcourse.grading.results import SKIPPED, part_scores, read_results
from igcourse.i18n import _

DEFAULT_TIMEOUT_S = 600
MIN_ALTERNATIVES = 3  # independent correct answer sets per notebook
NO_TESTS_COLLECTED = 5  # pytest's exit code when -m leaves no check of a notebook
LOG_TAIL = 3000


@dataclass(frozen=True)
class Target:
    """One implementation to check: the reference, the release, or one mutant."""

    name: str  # reference, release or the mutant's name
    kind: str  # reference, release or mutant
    notebook: str
    spec: str  # the --implementation value
    part: str = None  # a mutant's PART (only that part's checks run)
    mistake: str = None  # a mutant's MISTAKE
    named_by: str = ""  # a mutant's NAMED_BY: its name in a check's own words

    @property
    def sandboxed(self):
        """Graded as a student's notebook is: in a sandbox worker."""
        return self.kind in ("alternative", "trivial", "isolated")


@dataclass(frozen=True)
class Job:
    """One pytest subprocess: the checks of one notebook, on one or more targets."""

    notebook: str
    targets: tuple

    @property
    def sandboxed(self):
        return self.targets[0].sandboxed


@dataclass
class Outcome:
    target: Target
    results: list = field(default_factory=list)
    seconds: float = 0.0  # of the whole job the target ran in
    error: str = ""  # why the run gave no usable results
    log: str = ""


@dataclass(frozen=True)
class Verdict:
    implementation: str
    notebook: str
    part: str
    points: str
    ok: bool
    note: str = ""
    kind: str = ""  # the target's kind: reference, release, mutant, alternative, trivial
    caught: bool = False  # a mutant that lost points (named or not)


def plan_targets(root, chapter, folder=None):
    """(targets, problems): what to check, and what is missing before anything runs.

    folder: where the answer sets' and the trivial answers' notebooks are written (without
    it, they are not planned)."""
    root = Path(root)
    notebooks = chapter_parts(root, chapter)
    targets, problems = [], []
    for notebook in notebooks:
        if not (root / "autograder" / chapter / f"test_{notebook}.py").exists():
            problems.append(
                Verdict(
                    "-",
                    notebook,
                    "-",
                    "-",
                    False,
                    _(
                        "no hidden checks: autograder/{chapter}/test_{notebook}.py is missing"
                    ).format(chapter=chapter, notebook=notebook),
                )
            )
            continue
        targets.append(Target("reference", "reference", notebook, "reference"))
        release = root / "release" / chapter / f"{notebook}.ipynb"
        if release.exists():
            targets.append(Target("release", "release", notebook, f"notebook:{release}"))
        else:
            problems.append(
                Verdict(
                    "release",
                    notebook,
                    "-",
                    "-",
                    False,
                    _("release/{chapter}/{notebook}.ipynb is missing: run `igcourse build`").format(
                        chapter=chapter, notebook=notebook
                    ),
                )
            )
    try:
        mutants = discover_mutants(root / "autograder" / chapter / "mutants")
    except MutantFileError as error:
        problems.append(Verdict("zoo", "-", "-", "-", False, str(error)))
        mutants = []
    tested = {target.notebook for target in targets}
    for mutant in mutants:
        notebook = notebook_of_part(notebooks, mutant.part)
        if notebook is None:
            problems.append(
                Verdict(
                    mutant.name,
                    "-",
                    mutant.part,
                    "-",
                    False,
                    _("PART {part!r} is not a part of {chapter} in course_config.py").format(
                        part=mutant.part, chapter=chapter
                    ),
                )
            )
        elif notebook in tested:
            targets.append(
                Target(
                    mutant.name,
                    "mutant",
                    notebook,
                    f"mutant:{mutant.path}",
                    mutant.part,
                    mutant.mistake,
                    mutant.named_by,
                )
            )
    if folder is not None:
        more, more_problems = plan_notebook_answers(root, chapter, tested, Path(folder))
        targets += more
        problems += more_problems
    return targets, problems


def plan_notebook_answers(root, chapter, notebooks, folder):
    """Targets for the chapter's answer sets and for trivial answers, as filled notebooks."""
    from igcourse.grading.alternatives import (
        AnswerSetError,
        discover_answer_sets,
        write_filled,
        write_trivial,
    )

    targets, problems = [], []
    try:
        answer_sets = discover_answer_sets(Path(root) / "autograder" / chapter)
    except (AnswerSetError, OSError) as error:
        return [], [Verdict("alternatives", "-", "-", "-", False, str(error))]
    for answer_set in answer_sets:
        if answer_set.notebook not in notebooks:
            continue
        path = folder / "alternatives" / answer_set.path.stem / f"{answer_set.notebook}.ipynb"
        try:
            write_filled(answer_set, root, path)
        except AnswerSetError as error:
            name = f"alt:{answer_set.name}"
            problems.append(Verdict(name, answer_set.notebook, "-", "-", False, str(error)))
            continue
        name = f"alt:{answer_set.path.stem}"
        targets.append(Target(name, "alternative", answer_set.notebook, f"notebook:{path}"))
    for notebook in notebooks:
        count = sum(t.notebook == notebook for t in targets)
        if count < MIN_ALTERNATIVES:
            problems.append(
                Verdict(
                    "alternatives",
                    notebook,
                    "-",
                    "-",
                    False,
                    _(
                        "{n} independent answer sets in autograder/{chapter}/alternatives/"
                        "{notebook}/; at least {minimum} are needed"
                    ).format(n=count, chapter=chapter, notebook=notebook, minimum=MIN_ALTERNATIVES),
                )
            )
        release = Path(root) / "release" / chapter / f"{notebook}.ipynb"
        if release.exists():
            for style, path in write_trivial(release, folder / "trivial"):
                targets.append(Target(f"trivial:{style}", "trivial", notebook, f"notebook:{path}"))
    return targets, problems


def plan_jobs(targets, workers):
    """Group targets into pytest runs: the reference alone (it runs every check), and the
    release and mutants of each notebook spread over `workers` runs, so that TensorFlow is
    imported a few times rather than once per mutant."""
    jobs = []
    notebooks = list(dict.fromkeys(t.notebook for t in targets))
    # The notebook with the most mutants first, so the short runs fill in at the end.
    notebooks.sort(key=lambda nb: -sum(t.notebook == nb for t in targets))
    for notebook in notebooks:
        jobs += [
            Job(notebook, (t,)) for t in targets if t.notebook == notebook and t.kind == "reference"
        ]
        for sandboxed in (False, True):
            rest = [
                t
                for t in targets
                if t.notebook == notebook and t.kind != "reference" and t.sandboxed == sandboxed
            ]
            for index in range(min(workers, len(rest))):
                jobs.append(Job(notebook, tuple(rest[index::workers])))
    return jobs


def _environment(threads):
    env = dict(os.environ)
    env.update(
        {
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "TF_NUM_INTRAOP_THREADS": str(threads),
            "TF_NUM_INTEROP_THREADS": "1",
            "OMP_NUM_THREADS": str(threads),
            "PYTHONHASHSEED": "0",
            "IGCOURSE_LANG": "en",  # MISTAKE texts are matched in English
        }
    )
    return env


def run_job(job, root, chapter, timeout, threads, folder, marks=None, salt=None):
    """Run one job's pytest subprocess; return one Outcome per target.

    marks: a pytest -m expression; by default, every check for the reference and all but
    the expensive ones for the others."""
    root = Path(root)
    results_file = Path(folder) / f"{job.notebook}-{job.targets[0].kind}-{job.targets[0].name}.json"
    checks = root / "autograder" / chapter / f"test_{job.notebook}.py"
    command = [
        sys.executable,
        "-m",
        "pytest",
        str(checks),
        "-p",
        "igcourse.grading.plugin",
        "-p",
        "no:cacheprovider",
        "-q",
        "-o",
        "addopts=",
        "--rootdir",
        str(root),
        "--course-root",
        str(root),
        "--results",
        str(results_file),
    ]
    for target in job.targets:
        command.append(f"--implementation={target.spec}")
    if job.sandboxed:
        command.append("--sandbox")
    if salt is not None:  # other inputs than validation's own: checks must hold for any salt
        command.append(f"--salt={salt}")
    if marks is None and job.sandboxed:
        marks = "not expensive and not handed_in"  # notebooks without a trained model
    elif marks is None and any(target.kind != "reference" for target in job.targets):
        # Training runs cost the most; a wrong answer must be caught by a cheaper check.
        marks = "not expensive"
    if marks:
        command += ["-m", marks]
    start = time.monotonic()
    error, log = "", ""
    try:
        process = subprocess.run(
            command,
            cwd=root,
            env=_environment(threads),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        log = (process.stdout + process.stderr)[-LOG_TAIL:]
        if process.returncode == NO_TESTS_COLLECTED and marks == "expensive":
            return [Outcome(t, [], time.monotonic() - start) for t in job.targets]
        if process.returncode not in (0, 1) or not results_file.exists():
            error = _("pytest exited with code {code} and no results").format(
                code=process.returncode
            )
    except subprocess.TimeoutExpired:
        error = _("timed out after {seconds:g} s").format(seconds=timeout)
    seconds = time.monotonic() - start
    runs = {} if error else read_results(results_file)
    return [Outcome(t, runs.get(t.spec, []), seconds, error, log) for t in job.targets]


def judge(outcome, points, handed_in=frozenset(), zoo=()):
    """Verdicts for one outcome; points is {part: max points} of the outcome's notebook.

    Answer sets and trivial answers hand in no trained model: the parts graded from handed-in
    files are not judged on them. zoo: the chapter's mutant targets; a mutant whose messages
    carry another mutant's MISTAKE is misnamed (a wrong name is worse than none)."""
    job = outcome.target
    parts = (job.part,) if job.part else tuple(points)
    if job.sandboxed:
        parts = tuple(p for p in parts if p not in handed_in)
    if outcome.error:
        return [Verdict(job.name, job.notebook, part, "-", False, outcome.error) for part in parts]
    scores = part_scores(outcome.results, {part: points[part] for part in parts})
    verdicts = []
    for part, score in scores.items():
        ran = score.passed + score.failed
        shown = f"{score.points:g}/{score.max_points:g}"
        failed_checks = ", ".join(r.check for r in score.failures)
        if ran == 0:
            skipped = [r for r in outcome.results if r.part == part and r.outcome == SKIPPED]
            note = (
                _("no check of this part ran")
                if not skipped
                else _("every check of this part was skipped: {why}").format(why=skipped[0].message)
            )
            verdicts.append(Verdict(job.name, job.notebook, part, shown, False, note))
        elif job.kind == "reference":
            ok = score.points == score.max_points
            note = (
                ""
                if ok
                else _("fails {checks}: {message}").format(
                    checks=failed_checks, message=score.failures[0].message
                )
            )
            verdicts.append(Verdict(job.name, job.notebook, part, shown, ok, note))
        elif job.kind == "alternative":
            ok = score.points == score.max_points
            note = (
                ""
                if ok
                else _("a correct answer loses points: {checks}: {message}").format(
                    checks=failed_checks, message=score.failures[0].message
                )
            )
            verdicts.append(Verdict(job.name, job.notebook, part, shown, ok, note))
        elif job.kind in ("release", "trivial"):
            ok = score.points == 0
            passed = [r.check for r in outcome.results if r.part == part and r.passed]
            note = (
                "" if ok else _("passes {checks} without any code").format(checks=", ".join(passed))
            )
            verdicts.append(Verdict(job.name, job.notebook, part, shown, ok, note))
        else:
            names = [text for text in (job.mistake, job.named_by) if text]
            named = [r.check for r in score.failures if any(t in r.message for t in names)]
            misnamed = _other_mistakes_named(job, score.failures, zoo)
            caught = score.points < score.max_points
            if score.points >= score.max_points:
                ok, note = False, _("not caught: every check of {part} passes").format(part=part)
            elif misnamed:
                ok, note = (
                    False,
                    _("misnamed: its messages name the mistake of {others}").format(
                        others=", ".join(misnamed)
                    ),
                )
            elif not named:
                ok, note = (
                    False,
                    _(
                        "caught by {checks}, but no message names the mistake (first: {message})"
                    ).format(checks=failed_checks, message=score.failures[0].message),
                )
            else:
                ok, note = (
                    True,
                    _("caught by {checks}; named by {named}").format(
                        checks=failed_checks, named=", ".join(named)
                    ),
                )
            verdicts.append(Verdict(job.name, job.notebook, part, shown, ok, note, caught=caught))
    return [replace(v, kind=job.kind) for v in verdicts]


def _other_mistakes_named(target, failures, zoo):
    """The names of the other mutants whose MISTAKE appears in `failures`' messages.

    A mutant that computes the same as another on every probe shares its name only where the
    two MISTAKEs are the same sentence."""
    own = {text for text in (target.mistake, target.named_by) if text}
    return sorted(
        {
            other.name
            for other in zoo
            if other.name != target.name
            and other.mistake
            and other.mistake not in own
            and not any(other.mistake in text for text in own)
            and any(other.mistake in r.message for r in failures)
        }
    )


def format_table(verdicts):
    header = (_("implementation"), _("notebook"), _("part"), _("points"), _("verdict"))
    rows = [
        (
            v.implementation,
            v.notebook,
            v.part,
            v.points,
            (_("ok") if v.ok else _("FAIL")) + (f"  {v.note}" if v.note else ""),
        )
        for v in verdicts
    ]
    return _aligned(header, rows)


def _aligned(header, rows):
    """Rows of text under a header, every column but the last padded to its widest cell."""
    lines = [header, *rows]
    widths = [max(len(str(row[i])) for row in lines) for i in range(len(header) - 1)]
    return "\n".join(
        "  ".join([*(str(c).ljust(w) for c, w in zip(row[:-1], widths, strict=True)), str(row[-1])])
        for row in lines
    )


def _threads_per_run(workers):
    """TensorFlow threads for each of `workers` pytest runs at a time."""
    return max(1, (os.cpu_count() or 1) // max(1, workers))


def run_validation(chapter, root=None, workers=2, timeout=DEFAULT_TIMEOUT_S, out=None, salt=None):
    """Validate one chapter; print a table; return 0 when every requirement holds, else 1."""
    from igcourse.paths import repo_root

    out = out or sys.stdout
    root = Path(root).absolute() if root else repo_root()
    started = time.monotonic()
    notebooks = chapter_parts(root, chapter)
    with tempfile.TemporaryDirectory(prefix="igcourse-validate-") as folder:
        targets, problems = plan_targets(root, chapter, folder)
        jobs = plan_jobs(targets, max(1, workers))
        threads = _threads_per_run(workers)
        print(
            _(
                "validate {chapter}: {n} implementations in {runs} pytest runs, {workers} at a time"
            ).format(chapter=chapter, n=len(targets), runs=len(jobs), workers=workers),
            file=out,
            flush=True,
        )
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            outcomes = [
                o
                for batch in pool.map(
                    lambda job: run_job(job, root, chapter, timeout, threads, folder, salt=salt),
                    jobs,
                )
                for o in batch
            ]
    outcomes.sort(key=lambda o: targets.index(o.target))
    verdicts = list(problems)
    handed_in = handed_in_parts(root, chapter)
    zoo = [t for t in targets if t.kind == "mutant"]
    for outcome in outcomes:
        verdicts += judge(outcome, notebooks[outcome.target.notebook], handed_in, zoo)
    print(format_table(verdicts), file=out)
    logged = set()
    for outcome in outcomes:
        if outcome.error and outcome.log not in logged:
            logged.add(outcome.log)
            print(
                _("\n--- {name} ({notebook}): {error}\n{log}").format(
                    name=outcome.target.name,
                    notebook=outcome.target.notebook,
                    error=outcome.error,
                    log=outcome.log,
                ),
                file=out,
            )
    runs = {}
    for outcome in outcomes:
        key = (outcome.target.notebook, outcome.seconds)
        runs.setdefault(key, []).append(outcome.target.name)
    print(
        _("\n{n} implementations in {seconds:.0f} s; pytest runs: {runs}").format(
            n=len(outcomes),
            seconds=time.monotonic() - started,
            runs="; ".join(
                f"{nb} {len(names)} impl. {sec:.0f} s" for (nb, sec), names in runs.items()
            ),
        ),
        file=out,
    )
    print(summary(chapter, verdicts), file=out)
    failed = [v for v in verdicts if not v.ok]
    if failed:
        print(_("validation FAILED: {n} requirement(s) not met").format(n=len(failed)), file=out)
        return 1
    print(_("validation passed"), file=out)
    return 0


def summary(chapter, verdicts):
    """One line: mutants caught and named, correct answers at full marks, trivial at zero."""
    mutants = [v for v in verdicts if v.kind == "mutant"]
    caught = [v for v in mutants if v.caught]
    named = [v for v in mutants if v.ok]
    answers = {}
    for v in verdicts:
        if v.kind == "alternative":
            answers.setdefault((v.implementation, v.notebook), []).append(v.ok)
    trivial = {}
    for v in verdicts:
        if v.kind == "trivial":
            trivial.setdefault((v.implementation, v.notebook), []).append(v.ok)
    return _(
        "{chapter}: mutants caught {caught}/{n}, named exactly {named}/{n}; correct answer "
        "sets at full marks {full}/{sets}; trivial answers at zero {zero}/{trivial}"
    ).format(
        chapter=chapter,
        caught=len(caught),
        named=len(named),
        n=len(mutants),
        full=sum(all(oks) for oks in answers.values()),
        sets=len(answers),
        zero=sum(all(oks) for oks in trivial.values()),
        trivial=len(trivial),
    )


def run_expensive_validation(
    chapter, root=None, workers=2, timeout=DEFAULT_TIMEOUT_S, only=None, out=None
):
    """Prove each `expensive` check (a training run) fails on a wrong answer; 0 when it does.

    The reference runs the expensive checks first and must pass them; then the mutants of
    the parts those checks score (or only the mutants named in `only`, and then only their
    notebooks' checks) run the expensive checks alone. Each expensive check must fail on at
    least one of them. A mutant need not fail them (a cheaper check catches every mutant:
    run_validation), so the table only says which ones do.
    """
    from igcourse.paths import repo_root

    out = out or sys.stdout
    root = Path(root).absolute() if root else repo_root()
    started = time.monotonic()
    targets, problems = plan_targets(root, chapter)
    threads = _threads_per_run(workers)
    if only:  # the reference runs the checks of the named mutants' notebooks only
        notebooks = {t.notebook for t in targets if t.kind == "mutant" and t.name in only}
    else:
        notebooks = {t.notebook for t in targets}
    references = [t for t in targets if t.kind == "reference" and t.notebook in notebooks]
    rows, failed = [], [v for v in problems if v.implementation != "release"]
    known = {t.name for t in targets if t.kind == "mutant"}
    for name in sorted(set(only or ()) - known):
        failed.append(Verdict(name, "-", "-", "-", False, _("no mutant of this name")))
    with tempfile.TemporaryDirectory(prefix="igcourse-validate-") as folder:

        def run_all(jobs):
            def run(job):
                return run_job(job, root, chapter, timeout, threads, folder, marks="expensive")

            with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
                return [o for batch in pool.map(run, jobs) for o in batch]

        outcomes = run_all(plan_jobs(references, workers))
        checks = {}  # (notebook, check) -> part, of every expensive check the reference ran
        for outcome in outcomes:
            if outcome.error:
                failed.append(
                    Verdict("reference", outcome.target.notebook, "-", "-", False, outcome.error)
                )
            for result in outcome.results:
                checks[outcome.target.notebook, result.check] = result.part
                ok = result.passed
                rows.append(
                    (
                        "reference",
                        outcome.target.notebook,
                        result.check,
                        _("passes") if ok else _("FAILS: {message}").format(message=result.message),
                    )
                )
                if not ok:
                    failed.append(
                        Verdict(
                            "reference",
                            outcome.target.notebook,
                            result.part,
                            "-",
                            False,
                            result.message,
                        )
                    )
        parts = set(checks.values())
        mutants = [
            t
            for t in targets
            if t.kind == "mutant" and t.part in parts and (not only or t.name in only)
        ]
        outcomes = run_all(plan_jobs(mutants, max(1, workers)))
    caught = {key: [] for key in checks}
    for outcome in sorted(outcomes, key=lambda o: mutants.index(o.target)):
        name, notebook = outcome.target.name, outcome.target.notebook
        if outcome.error:
            rows.append((name, notebook, "-", outcome.error))
            continue
        for result in outcome.results:
            if result.outcome == SKIPPED:
                verdict = _("skipped: {message}").format(message=result.message)
            elif result.passed:
                verdict = _("passes")
            else:
                caught[notebook, result.check].append(name)
                verdict = _("fails: {message}").format(message=result.message[:160])
            rows.append((name, notebook, result.check, verdict))
    for (notebook, check), names in caught.items():
        if not names:
            failed.append(
                Verdict(
                    "-",
                    notebook,
                    checks[notebook, check],
                    "-",
                    False,
                    _("the expensive check {check} failed on none of the {n} mutants run").format(
                        check=check, n=sum(t.notebook == notebook for t in mutants)
                    ),
                )
            )
    header = (_("implementation"), _("notebook"), _("check"), _("verdict"))
    print(_aligned(header, rows), file=out)
    print(file=out)
    for (notebook, check), names in caught.items():
        print(
            _("{notebook} {check}: fails on {n} mutant(s): {names}").format(
                notebook=notebook, check=check, n=len(names), names=", ".join(names) or "-"
            ),
            file=out,
        )
    print(
        _("{n} mutants in {seconds:.0f} s").format(
            n=len(mutants), seconds=time.monotonic() - started
        ),
        file=out,
    )
    for verdict in failed:
        print(
            f"FAIL {verdict.implementation} {verdict.notebook} {verdict.part}: {verdict.note}",
            file=out,
        )
    if failed or not checks:
        print(_("expensive validation FAILED"), file=out)
        return 1
    print(_("expensive validation passed"), file=out)
    return 0


def write_isolation_notebooks(root, chapter, mutants, folder):
    """[Target]: for each mutant, the master notebook with the mutant's code as a last cell (a
    student whose one mistake is that mutant), graded in the sandbox."""
    import nbformat

    targets = []
    notebooks = chapter_parts(root, chapter)
    for mutant in mutants:
        notebook = notebook_of_part(notebooks, mutant.part)
        master = Path(root) / "source" / chapter / f"{notebook}.ipynb"
        student = nbformat.read(str(master), as_version=4)
        student.cells.append(nbformat.v4.new_code_cell(mutant.path.read_text(encoding="utf-8")))
        path = Path(folder) / "isolation" / mutant.name / f"{notebook}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(student, str(path))
        targets.append(Target(mutant.name, "isolated", notebook, f"notebook:{path}", mutant.part))
    return targets


def run_isolation_validation(
    chapter, root=None, workers=2, timeout=DEFAULT_TIMEOUT_S, only=None, out=None, salt=None
):
    """Prove that one mistake costs only its own part: every mutant (or those in `only`),
    written into the master notebook as a student would make it, is graded in the sandbox;
    it must lose points on its PART and keep full marks on every other part (those graded
    from handed-in files aside). 0 when every mutant does."""
    from igcourse.paths import repo_root

    out = out or sys.stdout
    root = Path(root).absolute() if root else repo_root()
    started = time.monotonic()
    notebooks = chapter_parts(root, chapter)
    handed_in = handed_in_parts(root, chapter)
    mutants = [
        m
        for m in discover_mutants(root / "autograder" / chapter / "mutants")
        if not only or m.name in only
    ]
    # A mutant of a handed-in part stands for a wrong handed-in file, not a notebook mistake:
    # written into the notebook it would replace the student's code, so it is not graded here.
    skipped = [m.name for m in mutants if m.part in handed_in]
    mutants = [m for m in mutants if m.part not in handed_in]
    if skipped:
        print(
            _("not graded as notebooks (mutants of handed-in parts): {names}").format(
                names=", ".join(skipped)
            ),
            file=out,
        )
    verdicts = []
    with tempfile.TemporaryDirectory(prefix="igcourse-isolation-") as folder:
        targets = write_isolation_notebooks(root, chapter, mutants, folder)
        jobs = plan_jobs(targets, max(1, workers))
        threads = _threads_per_run(workers)
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            outcomes = [
                o
                for batch in pool.map(
                    lambda job: run_job(job, root, chapter, timeout, threads, folder, salt=salt),
                    jobs,
                )
                for o in batch
            ]
    for outcome in sorted(outcomes, key=lambda o: targets.index(o.target)):
        target = outcome.target
        points = {p: n for p, n in notebooks[target.notebook].items() if p not in handed_in}
        if outcome.error:
            verdicts.append(Verdict(target.name, target.notebook, "-", "-", False, outcome.error))
            continue
        for part, score in part_scores(outcome.results, points).items():
            shown = f"{score.points:g}/{score.max_points:g}"
            failed = ", ".join(r.check for r in score.failures)
            if part == target.part:
                ok = score.points < score.max_points
                note = "" if ok else _("its own part keeps full marks")
            else:
                ok = score.points == score.max_points
                note = (
                    ""
                    if ok
                    else _("a mistake in {own} costs {part} too: {checks}: {message}").format(
                        own=target.part,
                        part=part,
                        checks=failed,
                        message=score.failures[0].message if score.failures else "",
                    )
                )
            verdicts.append(Verdict(target.name, target.notebook, part, shown, ok, note))
    print(format_table(verdicts), file=out)
    costly = sorted({v.implementation for v in verdicts if not v.ok})
    print(
        _(
            "{chapter}: {n} mutants graded as notebooks in {seconds:.0f} s; {isolated} cost only "
            "their own part"
        ).format(
            chapter=chapter,
            n=len(mutants),
            seconds=time.monotonic() - started,
            isolated=len(mutants) - len(costly),
        ),
        file=out,
    )
    if costly:
        print(_("isolation FAILED: {names}").format(names=", ".join(costly)), file=out)
        return 1
    print(_("isolation passed"), file=out)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m igcourse.grading.validate",
        description=_(
            "Check a chapter's hidden checks: reference full marks, release zero, "
            "every mutant of the zoo caught and named."
        ),
    )
    parser.add_argument("chapter", help=_("chapter id, e.g. ch01_pixelcnn"))
    parser.add_argument("--root", help=_("course folder (default: found from here upwards)"))
    parser.add_argument("--workers", type=int, default=2, help=_("runs at a time (default 2)"))
    add_expensive_arguments(parser)
    args = parser.parse_args(argv)
    if args.isolation:
        return run_isolation_validation(
            args.chapter, args.root, args.workers, args.timeout, only=args.mutants, salt=args.salt
        )
    if args.expensive:
        return run_expensive_validation(
            args.chapter, args.root, args.workers, args.timeout, only=args.mutants
        )
    return run_validation(args.chapter, args.root, args.workers, args.timeout, salt=args.salt)


def add_expensive_arguments(parser):
    if not any(action.dest == "timeout" for action in parser._actions):
        parser.add_argument(
            "--timeout",
            type=float,
            default=DEFAULT_TIMEOUT_S,
            help=_("seconds allowed for one pytest run (default {n})").format(n=DEFAULT_TIMEOUT_S),
        )
    parser.add_argument(
        "--salt",
        default=None,
        help=_(
            "draw the checks' inputs with this salt instead of validation's own (grading gives "
            "each submission its own; a check must hold for any)"
        ),
    )
    parser.add_argument(
        "--expensive",
        action="store_true",
        help=_(
            "instead: run the expensive checks (training runs) on the reference and the "
            "mutants of their parts, and require each to fail on at least one mutant"
        ),
    )
    parser.add_argument(
        "--isolation",
        action="store_true",
        help=_(
            "instead: grade each mutant written into the master notebook in the sandbox, and "
            "require it to cost points on its own part only"
        ),
    )
    parser.add_argument(
        "--mutants",
        type=lambda text: set(text.split(",")),
        help=_("with --expensive or --isolation: only these mutants (comma-separated names)"),
    )


if __name__ == "__main__":
    sys.exit(main())
