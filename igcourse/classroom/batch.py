"""Grade every submission of a chapter: in parallel, resumable, with a progress bar.

Jobs run on local worker threads (each job is its own processes) or, given a scheduler
address, on a Dask distributed cluster.
"""

from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from tqdm.auto import tqdm

from igcourse.classroom.jobs import checks_version, grade_submission
from igcourse.classroom.store import ResultStore
from igcourse.classroom.submissions import find_submissions
from igcourse.grading.course import chapter_parts
from igcourse.i18n import _


def grade_all(
    folder, chapter, root, results_dir, workers=2, scheduler=None, time_limit_s=600, progress=True
):
    """Grade the submissions under folder; returns [Graded] in submission order."""
    notebooks = chapter_parts(root, chapter)
    submissions = find_submissions(folder, chapter, notebooks)
    store = ResultStore(results_dir, checks_version(root, chapter))
    graded = {index: store.get(s) for index, s in enumerate(submissions)}
    todo = [index for index, result in graded.items() if result is None]

    def job(index):
        submission = submissions[index]
        return index, grade_submission(
            submission, Path(root), chapter, notebooks[submission.notebook], time_limit_s
        )

    bar = tqdm(
        total=len(submissions),
        initial=len(submissions) - len(todo),
        desc=_("grading {chapter}").format(chapter=chapter),
        unit=_("submission"),
        disable=not progress,
    )
    for index, result in _run(job, todo, workers, scheduler):
        store.put(submissions[index], result)
        graded[index] = result
        bar.update(1)
    bar.close()
    return [graded[index] for index in range(len(submissions))]


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
