"""`igcourse data list | fetch NAME | where NAME`: the catalog from the command line."""

import sys
import warnings

from igcourse.data.catalog import load_catalog
from igcourse.data.errors import DataError
from igcourse.data.fetch import fetch, format_size, status, where
from igcourse.i18n import _


def add_data_parser(subparsers):
    """Add the `data` command and its subcommands to the console script's parser."""
    data = subparsers.add_parser("data", help=_("list, fetch and locate datasets and weights"))
    data.add_argument(
        "--cache-dir", help=_("cache folder (default: $IGCOURSE_DATA_DIR or ~/.cache/igcourse)")
    )
    commands = data.add_subparsers(dest="data_command", required=True)
    commands.add_parser("list", help=_("every catalog entry, its size and where it is"))
    fetch_parser = commands.add_parser(
        "fetch", help=_("download, verify and unpack an entry (or find its Debian copy)")
    )
    fetch_parser.add_argument("name", help=_("catalog name, e.g. mnist"))
    fetch_parser.add_argument(
        "--no-local", action="store_true", help=_("download even if a Debian package has it")
    )
    fetch_parser.add_argument("--quiet", action="store_true", help=_("no progress bar"))
    where_parser = commands.add_parser("where", help=_("print the folder holding an entry"))
    where_parser.add_argument("name", help=_("catalog name, e.g. fashion-mnist"))
    data.set_defaults(func=cmd_data)
    return data


def cmd_data(args):
    """Run one `igcourse data` subcommand; a DataError becomes one message and exit code 1."""
    handler = {"list": _list, "fetch": _fetch, "where": _where}[args.data_command]
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            code = handler(args)
        for warning in caught:
            print(_("warning: {message}").format(message=warning.message), file=sys.stderr)
        return code
    except DataError as error:
        print(_("error: {message}").format(message=error), file=sys.stderr)
        return 1


def _list(args):
    words = {
        "local": _("installed (Debian)"),
        "cached": _("in the cache"),
        "partial": _("partly downloaded"),
        "missing": _("not here"),
    }
    for name, entry in sorted(load_catalog().items()):
        state = words[status(name, args.cache_dir)]
        how = _("manual download") if entry.manual else _("automatic download")
        print(
            _("{name:<20} {size:>10}  {state:<20} {how:<18} ch. {chapters}").format(
                name=name,
                size=format_size(entry.size),
                state=state,
                how=how,
                chapters=", ".join(str(c) for c in entry.chapters),
            )
        )
    return 0


def _fetch(args):
    folder = fetch(
        args.name, args.cache_dir, progress=not args.quiet, prefer_local=not args.no_local
    )
    print(folder)
    return 0


def _where(args):
    folder = where(args.name, args.cache_dir)
    if folder is None:
        print(
            _("{name} is not on this machine; get it with `igcourse data fetch {name}`.").format(
                name=args.name
            ),
            file=sys.stderr,
        )
        return 1
    print(folder)
    return 0
