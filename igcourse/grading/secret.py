"""The course's grading secret, and the salt each submission's hidden inputs are drawn with.

Hidden checks draw their inputs from seeded_rng, whose seeds mix in a salt. Grading derives
that salt from a secret only the grader holds and the content of what is graded, so:
- the same submission always gets the same inputs, hence the same score;
- a student cannot predict another submission's inputs, so inputs and answers read in one
  submission's feedback are worth nothing in the next.
The secret lives in <course>/.igcourse/grading-secret (created on first use, mode 0600, ignored
by git), or in IGCOURSE_GRADING_SECRET, which also lets an instructor reproduce a grade.
Validation uses a fixed salt, VALIDATION_SALT, so that its verdicts are reproducible.
"""

import hashlib
import hmac
import os
import secrets
from pathlib import Path

SECRET_FILE = Path(".igcourse") / "grading-secret"
VALIDATION_SALT = "validation"


def course_secret(root):
    """The grading secret of the course at root (made on first use)."""
    given = os.environ.get("IGCOURSE_GRADING_SECRET")
    if given:
        return given
    path = Path(root) / SECRET_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another grader made it first
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(value + "\n")
    return value


def submission_salt(root, content_key):
    """The salt of a submission whose graded content has the digest content_key."""
    key = course_secret(root).encode()
    return hmac.new(key, content_key.encode(), hashlib.sha256).hexdigest()[:32]
