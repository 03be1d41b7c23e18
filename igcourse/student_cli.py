"""The students' `igcourse` console script: `check NOTEBOOK` and `data list | fetch | where`.

The student wheel installs this one; the full repository's `igcourse` (igcourse.cli) has the
instructor's commands too. It imports nothing that the student wheel leaves out.
"""

import argparse
import os
import sys

from igcourse import __version__
from igcourse.i18n import _, set_language


def cmd_check(args):
    from igcourse.student import check_notebook, prepare_check

    prepare_check(args.notebook, bool(args.lang or os.environ.get("IGCOURSE_LANG")))
    return check_notebook(args.notebook)


def make_parser():
    parser = argparse.ArgumentParser(
        prog="igcourse",
        description=_(
            "Check your notebooks and get the data of the course Hands-On Image Generation "
            "with TensorFlow 2."
        ),
    )
    parser.add_argument("--lang", choices=("en", "zh"), help=_("language of messages"))
    parser.add_argument("--version", action="version", version=f"igcourse {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help=_("run the public checks of a saved notebook"))
    check.add_argument(
        "notebook", help=_("path of the notebook, e.g. notebooks/ch01_pixelcnn/pixelcnn.ipynb")
    )
    check.set_defaults(func=cmd_check)

    from igcourse.data.cli import add_data_parser

    add_data_parser(commands)
    return parser


def _message_language(argv):
    """--lang, else IGCOURSE_LANG, else English (`check` then takes the notebook's)."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("IGCOURSE_LANG") or "en"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    # The language is chosen before the parser exists, so that its help is translated too.
    set_language(_message_language(argv))
    args = make_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        return 0


if __name__ == "__main__":
    sys.exit(main())
