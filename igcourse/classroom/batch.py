"""Grade every submission of a chapter: in parallel, resumable, with a progress bar.

Submissions of one notebook (and one language) are graded in batches of up to BATCH_SIZE: one
check process per batch imports TensorFlow and the reference once, and its submissions run one
after another, each in a sandbox worker of its own (igcourse/classroom/jobs.py). Batches run on
local worker threads (each batch is its own processes) or, given a scheduler address, on a Dask
distributed cluster.

Content graded once: submissions with the same key (the notebook, its language and every
handed-in file, staging.content_key) meet the same inputs and get the same verdicts, so one of
them is graded and the others read its result under their own names, as the result store
does across runs (an untouched release handed in by many students is graded once).
"""

from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from tqdm.auto import tqdm

from igcourse.classroom.jobs import checks_version, grade_submissions
from igcourse.classroom.staging import code_cells, messages_language, notebook_stem
from igcourse.classroom.store import ResultStore
from igcourse.classroom.submissions import find_submissions
from igcourse.grading.course import chapter_parts
from igcourse.i18n import _


def grade_all(folder, chapter, root, results_dir, **options):
    """Grade the submissions under folder; returns [Graded] in submission order."""
    submissions = find_submissions(folder, chapter, chapter_parts(root, chapter))
    return grade_found(submissions, chapter, root, results_dir, **options)


def grade_found(
    submissions,
    chapter,
    root,
    results_dir,
    workers=2,
    scheduler=None,
    time_limit_s=600,
    progress=True,
):
    """Grade submissions that find_submissions found; returns [Graded] in their order."""
    notebooks = chapter_parts(root, chapter)
    store = ResultStore(results_dir, checks_version(root, chapter))
    graded = {index: store.get(s) for index, s in enumerate(submissions)}
    todo, copies = _graded_once([i for i, result in graded.items() if result is None], submissions)

    def job(indices):
        batch = [submissions[i] for i in indices]
        points = notebooks[batch[0].notebook]
        graded = grade_submissions(batch, Path(root), chapter, points, time_limit_s)
        return list(zip(indices, graded, strict=True))

    bar = tqdm(
        total=len(submissions),
        initial=sum(result is not None for result in graded.values()),  # read from the store
        desc=_("grading {chapter}").format(chapter=chapter),
        unit=_("submission"),
        disable=not progress,
    )
    release_code = release_code_cells(root, chapter, notebooks)
    for done in _run(job, batches(submissions, todo, workers, release_code), workers, scheduler):
        finished = 0
        for index, result in done:
            store.put(submissions[index], result)
            graded[index] = result
            for copy in copies.get(index, ()):
                graded[copy] = result.as_student(submissions[copy].student)
            finished += 1 + len(copies.get(index, ()))
        bar.update(finished)
    bar.close()
    return [graded[index] for index in range(len(submissions))]


def _graded_once(todo, submissions):
    """(indices to grade, {graded index: [indices that read its result]}): one submission of
    each content key is graded; a submission that cannot be staged (no key) is its own."""
    first, grade, copies = {}, [], {}
    for index in todo:
        submission = submissions[index]
        key = (submission.notebook, submission.sha256)
        if submission.sha256 and not submission.problem and key in first:
            copies.setdefault(first[key], []).append(index)
            continue
        first.setdefault(key, index)
        grade.append(index)
    return grade, copies


BATCH_SIZE = 8


def expected_cost(submission, release_code=None):
    """A rough rank of how long a submission takes to grade: a changed notebook before an
    untouched one (every part still its release's stub fails at once: start-up alone), then
    handed-in files (a trained model to evaluate), then the notebook's size."""
    try:
        size = submission.path.stat().st_size
    except OSError:
        size = 0
    return (not untouched(submission, release_code), len(submission.files) > 0, size)


def untouched(submission, release_code):
    """Whether the submission's code cells are those of its release, unchanged.
    release_code: {(notebook, language tag): [code cell source]}, from release_code_cells."""
    if not release_code:
        return False
    release = release_code.get((submission.notebook, notebook_stem(submission.path.name)[1]))
    return release is not None and code_cells(submission.path) == release


def release_code_cells(root, chapter, notebooks):
    """{(notebook, language tag): [code cell source]} of the chapter's release notebooks
    ("pixelcnn.zh.ipynb" is ("pixelcnn", ".zh"))."""
    found = {}
    for notebook in notebooks:
        for path in sorted((Path(root) / "release" / chapter).glob(f"{notebook}*.ipynb")):
            stem, tag = notebook_stem(path.name)
            codes = code_cells(path) if stem == notebook else None
            if codes is not None:
                found[notebook, tag] = codes
    return found


def batches(submissions, todo, workers, release_code=None):
    """Lists of indices into submissions: same notebook and language, at most BATCH_SIZE each,
    the costliest first in each and the costliest batches first, so that no worker is left
    with the slowest batch at the end while the others wait.

    A notebook's submissions are dealt into as many batches as there are workers, where it
    has that many changed notebooks, and no fewer than BATCH_SIZE allows: an untouched one
    joins a batch rather than start one of its own (a check process of its own would cost
    more than the few seconds its checks take once its worker has started, which happens while
    the submission before it is checked)."""
    groups = {}
    for index in todo:
        submission = submissions[index]
        key = (submission.notebook, messages_language(submission.path.name))
        groups.setdefault(key, []).append(index)
    cost = {index: expected_cost(submissions[index], release_code) for index in todo}
    chunks = []
    for indices in groups.values():
        ordered = sorted(indices, key=cost.get, reverse=True)
        changed = sum(1 for index in ordered if cost[index][0])
        count = max(-(-len(ordered) // BATCH_SIZE), min(workers, changed, len(ordered)), 1)
        chunks += [ordered[start::count] for start in range(count)]
    return sorted(chunks, key=lambda chunk: cost[chunk[0]], reverse=True)


def _run(job, todo, workers, scheduler):
    if scheduler:
        from dask.distributed import Client
        from dask.distributed import as_completed as dask_completed

        with Client(scheduler) as client:
            futures = [client.submit(job, index, pure=False) for index in todo]
            for future in dask_completed(futures):
                yield future.result()
        return
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = [pool.submit(job, index) for index in todo]
        for future in as_completed(futures):
            yield future.result()
