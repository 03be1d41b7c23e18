"""Where fetched data is cached: $IGCOURSE_DATA_DIR, else ~/.cache/igcourse."""

import os
from pathlib import Path


def data_dir(cache_dir=None):
    """The cache root: the argument, else $IGCOURSE_DATA_DIR, else ~/.cache/igcourse."""
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    custom = os.environ.get("IGCOURSE_DATA_DIR")
    return Path(custom).expanduser() if custom else Path.home() / ".cache" / "igcourse"


def dataset_dir(name, cache_dir=None):
    """The folder of one catalog entry inside the cache."""
    return data_dir(cache_dir) / name
