import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from course_factory import make_course  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def tiny_course(tmp_path):
    """A one-chapter, one-notebook course in a temporary folder."""
    return make_course(tmp_path)


@pytest.fixture
def repo_root():
    return ROOT
