"""Where the course's folders are."""

import os
from pathlib import Path

MARKER = "course_config.py"


def repo_root():
    """The course root: $IGCOURSE_ROOT, else the first folder upwards holding course_config.py."""
    if os.environ.get("IGCOURSE_ROOT"):
        return Path(os.environ["IGCOURSE_ROOT"]).resolve()
    for folder in [Path.cwd(), *Path.cwd().parents]:
        if (folder / MARKER).exists():
            return folder
    here = Path(__file__).resolve().parent.parent
    if (here / MARKER).exists():
        return here
    raise FileNotFoundError(
        f"No {MARKER} in {Path.cwd()} or above; run from the course folder or set IGCOURSE_ROOT"
    )
