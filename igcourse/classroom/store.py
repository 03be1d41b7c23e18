"""Results on disk, one JSON file per submission content and checks version.

A batch that crashed resumes where it stopped, and grading the same notebook again with the
same checks reads the stored result instead of running anything.
"""

import json
import os
from pathlib import Path

from igcourse.classroom.jobs import Graded


class ResultStore:
    def __init__(self, folder, checks_version):
        self.folder = Path(folder) / checks_version
        self.folder.mkdir(parents=True, exist_ok=True)

    def _path(self, submission):
        return self.folder / f"{submission.notebook}-{submission.sha256}.json"

    def get(self, submission):
        path = self._path(submission)
        if not submission.sha256 or not path.exists():
            return None
        try:
            graded = Graded.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, TypeError):
            return None  # a torn write from a crash: grade again
        # Same content from another student: same verdicts, under their name.
        graded.student = submission.student
        return graded

    def put(self, submission, graded):
        if not submission.sha256:
            return
        path = self._path(submission)
        partial = path.with_suffix(".part")
        partial.write_text(json.dumps(graded.to_json(), ensure_ascii=False), encoding="utf-8")
        os.replace(partial, path)  # atomic: a crash never leaves half a result
