"""Results on disk, one JSON file per graded content and checks version.

The key of a result (Submission.sha256, see staging.content_key) covers everything graded: the
notebook, the language its checks answer in, and each handed-in file's name and bytes. So a
second student with the same notebook but other files (or none) is graded on their own, and a
re-run reads back each student's own verdicts. A batch that crashed resumes where it stopped,
and grading the same content again with the same checks reads the stored result instead of
running anything.
"""

import json
import os
from pathlib import Path

from igcourse.classroom.jobs import Graded


class ResultStore:
    def __init__(self, folder, checks_version):
        self.folder = Path(folder) / checks_version
        self.folder.mkdir(parents=True, exist_ok=True)

    def _path(self, notebook, key):
        return self.folder / f"{notebook}-{key}.json"

    def get(self, submission):
        """The stored result of the submission's content, under its student's name; or None."""
        if not submission.sha256:
            return None
        path = self._path(submission.notebook, submission.sha256)
        if not path.exists():
            return None
        try:
            graded = Graded.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, TypeError):
            return None  # a torn write from a crash: grade again
        # The same content from another student: the same verdicts, under their name.
        return graded.as_student(submission.student)

    def put(self, submission, graded):
        """Keep a result under the key of what was graded (graded.sha256, set when staged)."""
        if not graded.sha256:
            return  # nothing was graded (a problem, or staging failed): the next run tries
        path = self._path(submission.notebook, graded.sha256)
        partial = path.with_suffix(".part")
        partial.write_text(json.dumps(graded.to_json(), ensure_ascii=False), encoding="utf-8")
        os.replace(partial, path)  # atomic: a crash never leaves half a result
