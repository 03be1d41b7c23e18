"""What can go wrong with data, as exceptions whose message tells a person what to do."""


class DataError(Exception):
    """A data problem; str(error) is a complete message for the person at the keyboard."""


class DatasetNotFound(DataError, FileNotFoundError):
    """A dataset is not on this machine; the message says how to get it."""


class ManualDownloadRequired(DatasetNotFound):
    """The dataset cannot be downloaded automatically; the message says what to fetch by hand."""


class UnknownDataset(DataError, LookupError):
    """The name is not in the catalog."""


class OfflineError(DataError, ConnectionError):
    """No server could be reached; the message says what to download by hand and where."""


class DownloadFailed(DataError):
    """A server answered, but not with the file (an HTTP error)."""


class IncompleteDownload(DataError):
    """The connection broke before the end; the partial file is kept so the next try resumes."""


class ChecksumMismatch(DataError):
    """A file's size or checksum differs from the catalog's; the bad file has been removed."""


class UnsafeArchive(DataError):
    """An archive would write outside its folder, through a link, a device file, or too much."""


class ChecksumNotPinned(UserWarning):
    """A file was accepted without a checksum because the catalog has none for it."""
