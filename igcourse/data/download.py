"""Download one URL to a file with a progress bar, resuming a partial download (HTTP Range)."""

import http.client
import re
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from tqdm.auto import tqdm

from igcourse.data.errors import DownloadFailed, IncompleteDownload, OfflineError
from igcourse.i18n import _

_CHUNK = 1 << 16
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")
USER_AGENT = "igcourse-data/0.1"


class _Interrupted(Exception):
    """The connection broke mid-way; what arrived is kept in the .part file."""


def partial_path(dest):
    """Where the bytes of an unfinished download of `dest` are kept."""
    return dest.with_name(dest.name + ".part")


def download(url, dest, *, size=None, progress=True, timeout=30, retries=3):
    """Download `url` to `dest`, resuming from `dest`.part; return `dest`.

    A broken connection is retried (from where it broke) `retries` times, then
    IncompleteDownload is raised with the partial file kept, so the next call resumes.
    OfflineError: the host cannot be reached at all. DownloadFailed: an HTTP error.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = partial_path(dest)
    for attempt in range(retries + 1):
        try:
            _attempt(url, part, size, progress, timeout)
        except _Interrupted:
            if attempt == retries:
                have = part.stat().st_size if part.exists() else 0
                raise IncompleteDownload(
                    _(
                        "The download of {url} broke off after {have} bytes, {tries} times. "
                        "The part is kept in {part}; run the same command again to resume."
                    ).format(url=url, have=have, tries=retries + 1, part=part)
                ) from None
            continue
        part.replace(dest)
        return dest
    raise AssertionError("unreachable")


def _attempt(url, part, size, progress, timeout):
    offset = part.stat().st_size if part.exists() else 0
    if size is not None and offset > size:
        part.unlink()
        offset = 0
    if size is not None and offset == size:
        return
    headers = {"User-Agent": USER_AGENT}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    try:
        request = urllib.request.Request(url, headers=headers)
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        if error.code == 416 and offset:
            # Nothing after `offset`: the part is whole if no size says otherwise.
            if size is None:
                return
            part.unlink()
            raise _Interrupted from None
        raise DownloadFailed(
            _("{url} answered HTTP {code} ({reason}).").format(
                url=url, code=error.code, reason=error.reason
            )
        ) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        reason = getattr(error, "reason", error)
        raise OfflineError(
            _("could not reach {host}: {reason}").format(host=urlsplit(url).netloc, reason=reason)
        ) from None
    with response:
        total = _total_size(response, offset)
        if response.status != 206:
            offset = 0  # the server ignored Range: start again
        expected = total if total is not None else size
        _copy(response, part, offset, expected, progress)
    if expected is not None and part.stat().st_size < expected:
        raise _Interrupted


def _total_size(response, offset):
    if response.status == 206:
        match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
        if not match or int(match.group(1)) != offset:
            raise _Interrupted  # a range we did not ask for
        return None if match.group(3) == "*" else int(match.group(3))
    length = response.headers.get("Content-Length")
    return int(length) if length and length.isdigit() else None


def _copy(response, part, offset, expected, progress):
    bar = tqdm(
        total=expected,
        initial=offset,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc=part.name.removesuffix(".part"),
        disable=not progress,
    )
    with bar, open(part, "ab" if offset else "wb") as f:
        while chunk := _read(response):
            f.write(chunk)
            bar.update(len(chunk))


def _read(response):
    try:
        return response.read(_CHUNK)
    except (http.client.HTTPException, OSError):  # reset, timeout, short chunked read
        raise _Interrupted from None
