"""A submission graded in a sandbox worker: `submission.probe(part, fn, ...)` runs fn there.

The plugin's --sandbox mode gives a check this object instead of an in-process
Implementation when the code under test is a student's notebook. Its definitions are loaded
in an igcourse.sandbox worker (limits, and as root namespaces and a user id of its own); a
probe call sends the probe's name and the source of its probes module, and gets plain data
back. The judging stays in the check, in the grader's process.

Parts (`for_part` in-process): a probe of part P runs on a fresh copy of the submission's
code in the worker, in which the other parts' definitions that P needs are the reference's.
Only those definitions travel: `reference_slice` keeps the reference's imports and the
definitions reachable from P's reference code and from the names the probe uses (`ns.X`),
never P's own reference code, with docstrings and comments stripped. The cost: code under test
can see that slice (the reference's answers for the other parts), and what it raises reaches
feedback, so feedback shows at most a short, truncated message of its errors; the worker's
stdout never reaches feedback.
"""

import ast
import inspect
import sys
from functools import lru_cache
from pathlib import Path

from igcourse.grading.implementations import MissingDefinition, NotData, missing_definition
from igcourse.i18n import _
from igcourse.sandbox import ProbeFailed, Sandbox, wire
from igcourse.sandbox.isolation import Isolation, Limits

DEFAULT_PROBE_TIMEOUT_S = 180


class StudentCodeError(Exception):
    """The submission's code raised `error` (a type name) in the worker."""

    def __init__(self, failure):
        super().__init__(failure.detail or str(failure))
        self.error = failure.error
        self.detail = failure.detail or ""
        self.function = failure.function


class CheckAuthoringError(TypeError):
    """A check touched the submission directly instead of through submission.probe."""


def _strip_docstrings(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                if isinstance(body[0].value.value, str):
                    node.body = body[1:] or [ast.Pass()]
    return tree


def _bound(node):
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return set()


def _uses(node):
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            names.add(sub.id)
        elif isinstance(sub, ast.Attribute):
            names.add(sub.attr)
    return names


@lru_cache(maxsize=64)
def _parsed(source):
    return ast.parse(source)


@lru_cache(maxsize=256)
def probe_uses(probes_source, probe):
    """The names a probe (and the probes module's functions it calls) uses: `ns.X` included."""
    tree = _parsed(probes_source)
    defs = {}
    for node in tree.body:
        for name in _bound(node):
            defs[name] = node
    seen, todo, used = set(), [probe], set()
    while todo:
        name = todo.pop()
        if name in seen or name not in defs:
            continue
        seen.add(name)
        names = _uses(defs[name])
        used |= names
        todo += [n for n in names if n in defs]
    return frozenset(used)


def reference_slice(reference_source, part_names, part, seeds=frozenset()):
    """{"source", "override"}: the reference definitions that `part`'s probes need, or None.

    override: the other parts' names to take from the slice. The slice never holds the
    reference's own definitions of `part`; where its code uses them, it gets the student's.
    """
    own = set(part_names.get(part, ()))
    others = {n for p, names in part_names.items() if p != part for n in names}
    tree = _strip_docstrings(ast.parse(reference_source))
    defs, always = {}, []
    for index, node in enumerate(tree.body):
        bound = _bound(node)
        if bound:
            for name in bound:
                defs[name] = index
        elif not isinstance(node, ast.Expr):  # imports, try/except imports: not docstrings
            always.append(index)
    start = set(seeds)
    for name in own:
        if name in defs:
            start |= _uses(tree.body[defs[name]])
    needed, todo = set(), [n for n in start if n in defs and n not in own]
    while todo:
        name = todo.pop()
        if name in needed:
            continue
        needed.add(name)
        todo += [n for n in _uses(tree.body[defs[name]]) if n in defs and n not in own]
    override = sorted(needed & others)
    if not override:
        return None
    keep = sorted(set(always) | {defs[n] for n in needed})
    body = [tree.body[i] for i in keep]
    return {"source": ast.unparse(ast.Module(body=body, type_ignores=[])), "override": override}


def default_isolation(root):
    """The fence for a course's workers, with course_config.py's limits
    (GradingLimits.memory_limit_mb, max_processes and output_limit_kb)."""
    from igcourse.config import load_config

    try:
        config = load_config(root).limits
        limits = Limits(
            memory_mb=config.memory_limit_mb,
            processes=config.max_processes,
            output_kb=config.output_limit_kb,
        )
    except Exception:  # noqa: BLE001 (a course without a readable config: the defaults)
        limits = Limits()
    return Isolation(limits=limits)


class SandboxedImplementation:
    """A student's notebook under test in a sandbox worker (one worker per probes module)."""

    def __init__(
        self,
        label,
        source,
        reference_source="",
        part_names=None,
        folder=None,
        isolation=None,
        timeout=DEFAULT_PROBE_TIMEOUT_S,
    ):
        self._label = label
        self._source = source
        self._reference_source = reference_source
        self._part_names = dict(part_names or {})
        self._folder = Path(folder) if folder else None
        self._isolation = isolation
        self._timeout = timeout
        self._boxes = {}  # probes file -> Sandbox

    def __repr__(self):
        return f"<SandboxedImplementation {self._label}>"

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        raise CheckAuthoringError(
            f"a check read submission.{name}; in the sandbox a check reaches the submission "
            "only through submission.probe(part, probes.<function>, ...)"
        )

    @property
    def label(self):
        return self._label

    @property
    def folder(self):
        return self._folder

    @property
    def output(self):
        """What the submission printed, for the grader's log only (never for feedback)."""
        return "".join(box.output for box in self._boxes.values())

    def with_companions(self, reference, part_names):
        return self

    def set_part_names(self, part_names):
        """The check module's PART_NAMES (known once it is imported)."""
        self._part_names = dict(part_names or {})

    def warm_up(self, probes_path):
        """Start the worker for the probes module at probes_path now, in the background."""
        self._box_at(str(probes_path)).warm_up()

    def for_part(self, part):
        return self

    def _box(self, fn):
        return self._box_at(inspect.getsourcefile(sys.modules[fn.__module__]))

    def _box_at(self, path):
        path = str(Path(path).resolve())
        if path not in self._boxes:
            probes_source = Path(path).read_text(encoding="utf-8")
            self._boxes[path] = Sandbox(
                self._source, probes_source, self._isolation, files=self._folder
            )
        return self._boxes[path]

    def probe(self, part, fn, *args, **kwargs):
        """fn(the code of `part` in the worker, *args, **kwargs), as plain data."""
        try:
            wire.encode([list(args), kwargs])
        except wire.WireError as error:
            raise CheckAuthoringError(f"arguments of {fn.__name__} are not data: {error}") from None
        box = self._box(fn)
        extra = {}
        if part is not None and self._part_names:
            seeds = probe_uses(box.probes_source, fn.__name__)
            extra = {
                "part": part,
                "names": self._part_names.get(part, []),
                "reference": reference_slice(self._reference_source, self._part_names, part, seeds),
            }
        try:
            return box.probe(fn.__name__, *args, timeout=self._timeout, **extra, **kwargs)
        except ProbeFailed as failure:
            if failure.missing:
                raise MissingDefinition(missing_definition(failure.missing)) from None
            if failure.error == "NotData":
                raise NotData(
                    _(
                        "Your code returned something that is not data where {probe} expected "
                        "numbers or arrays: {error}. Return tensors or NumPy arrays."
                    ).format(probe=fn.__name__, error=failure.detail or str(failure))
                ) from None
            raise StudentCodeError(failure) from None

    def close(self):
        for box in self._boxes.values():
            box.close()
        self._boxes.clear()
