"""The main job on the embedded default: build every chapter and show what was built."""

from igcourse.build import build
from igcourse.config import load_config
from igcourse.i18n import _
from igcourse.paths import repo_root


def run_demo(root=None):
    root = root or repo_root()
    config = load_config(root)
    print(_("Building every chapter from source/ ..."))
    result = build(root)
    for problem in result.problems:
        print(problem)
    if result.problems:
        return 1
    print()
    print(
        _("{chapter:<16} {notebook:<22} {parts:>5} {points:>6}  {files}").format(
            chapter=_("chapter"),
            notebook=_("notebook"),
            parts=_("parts"),
            points=_("points"),
            files=_("generated files"),
        )
    )
    for chapter, notebooks in config.chapters.items():
        for notebook, parts in notebooks.items():
            generated = sorted(
                path
                for path in result.files
                if path.split("/")[1] == chapter and path.split("/")[2].split(".")[0] == notebook
            )
            print(
                f"{chapter:<16} {notebook:<22} {len(parts):>5} {sum(parts.values()):>6}  "
                + ", ".join(generated)
            )
    changed = len(result.stale) + len(result.extra)
    print()
    print(
        _("{n} files generated, {changed} changed on disk.").format(
            n=len(result.files), changed=changed
        )
    )
    return 0
