"""Grade every submission of a chapter: in parallel, resumable, with a progress bar.

Submissions of one notebook (and one language) are graded in batches of up to BATCH_SIZE: one
check process per batch imports TensorFlow and the reference once, and its submissions run one
after another, each in a sandbox worker of its own (igcourse/classroom/jobs.py). Batches run on
local worker threads (each batch is its own processes) or, given a scheduler address, on a Dask
distributed cluster.
"""

from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from tqdm.auto import tqdm

from igcourse.classroom.jobs import checks_version, grade_submissions
from igcourse.classroom.staging import messages_language
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
    todo = [index for index, result in graded.items() if result is None]

    def job(indices):
        batch = [submissions[i] for i in indices]
        points = notebooks[batch[0].notebook]
        graded = grade_submissions(batch, Path(root), chapter, points, time_limit_s)
        return list(zip(indices, graded, strict=True))

    bar = tqdm(
        total=len(submissions),
        initial=len(submissions) - len(todo),
        desc=_("grading {chapter}").format(chapter=chapter),
        unit=_("submission"),
        disable=not progress,
    )
    for done in _run(job, batches(submissions, todo, workers), workers, scheduler):
        for index, result in done:
            store.put(submissions[index], result)
            graded[index] = result
        bar.update(len(done))
    bar.close()
    return [graded[index] for index in range(len(submissions))]


BATCH_SIZE = 8


def batches(submissions, todo, workers):
    """Lists of indices into submissions: same notebook and language, as even as the workers
    allow, at most BATCH_SIZE each."""
    groups = {}
    for index in todo:
        submission = submissions[index]
        key = (submission.notebook, messages_language(submission.path.name))
        groups.setdefault(key, []).append(index)
    chunks = []
    for indices in groups.values():
        size = min(BATCH_SIZE, max(1, -(-len(indices) // max(1, workers))))
        chunks += [indices[i : i + size] for i in range(0, len(indices), size)]
    return chunks


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
