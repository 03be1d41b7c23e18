"""Implementations under test: the reference, a notebook, or a zoo mutant.

Each one is a fresh module built from code: the reference module of a notebook, the
definitions of a student's notebook (training loops, plots and stray calls are dropped), or the
reference with a mutant file run on top, so that the mutant's redefinitions replace the
reference's for every caller in the module.
"""

import itertools
import json
import linecache
import sys
import types
from dataclasses import dataclass
from pathlib import Path

from igcourse.i18n import _
from igcourse.sandbox import wire
from igcourse.sandbox.worker import to_data

LANGUAGE_SUFFIXES = (".en", ".zh")
_counter = itertools.count()
# Files whose code is under test; the plugin points students at frames from these files.
UNDER_TEST = set()


class MissingDefinition(AssertionError):
    """The implementation does not define a name the checks need."""


def missing_definition(name):
    """The student's message for a name their code does not define."""
    return _(
        "Your code does not define `{name}`. Keep the names and signatures that the "
        "notebook gives, and run the cell that defines it."
    ).format(name=name)


class NotData(AssertionError):
    """A probe's result is not plain data (an object that pretends to be an array, say)."""


class SpecError(ValueError):
    """An --implementation value that is not reference, notebook:PATH or mutant:PATH."""


@dataclass(frozen=True)
class Chunk:
    """Code that goes into a module, and the file name its tracebacks show."""

    source: str
    filename: str


@dataclass(frozen=True)
class Spec:
    """What to test: kind is reference, notebook or mutant; path is None for reference."""

    kind: str
    path: Path = None

    def __str__(self):
        return self.kind if self.path is None else f"{self.kind}:{self.path}"


def parse_spec(text):
    kind, _sep, path = text.partition(":")
    if kind == "reference" and not path:
        return Spec("reference")
    if kind in ("notebook", "mutant") and path:
        return Spec(kind, Path(path))
    raise SpecError(
        _("--implementation must be reference, notebook:PATH or mutant:PATH, not {text!r}").format(
            text=text
        )
    )


def notebook_name(path):
    """The notebook a file stands for: release/ch/pixelcnn.zh.ipynb -> pixelcnn."""
    name = Path(path).name.split(".ipynb")[0]
    for suffix in LANGUAGE_SUFFIXES:
        name = name.removesuffix(suffix)
    return name


def _register_source(chunk):
    # Registered sources make tracebacks readable and let tf.function's autograph read the code.
    lines = chunk.source.splitlines(keepends=True)
    linecache.cache[chunk.filename] = (len(chunk.source), None, lines, chunk.filename)


def build_module(chunks, name):
    """Run the chunks, in order, in one fresh module registered in sys.modules."""
    module_name = f"igcourse_impl_{next(_counter)}_{name}"
    module = types.ModuleType(module_name)
    sys.modules[module_name] = module
    for chunk in chunks:
        if not Path(chunk.filename).exists():
            _register_source(chunk)
        exec(compile(chunk.source, chunk.filename, "exec"), module.__dict__)  # noqa: S102
    return module


class Implementation:
    """A namespace under test; `impl.quantize` reads its definition of quantize.

    A name it does not define raises MissingDefinition, whose message tells the student to
    keep the names the notebook gives. `for_part(part)` returns the same code with every
    other part's definitions taken from the reference, so that each part is graded on its own.
    """

    def __init__(self, label, chunks, reference=None, part_names=None, module=None, folder=None):
        self._label = label
        self._folder = Path(folder) if folder else None
        self._chunks = tuple(chunks)
        self._reference = reference
        self._part_names = dict(part_names or {})
        self._module = module if module is not None else build_module(self._chunks, "module")
        self._parts = {}
        self.probes_module = None  # the check file's probes (STAND_INS), set by the plugin

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return getattr(self._module, name)
        except AttributeError:
            raise MissingDefinition(missing_definition(name)) from None

    def __repr__(self):
        return f"<Implementation {self._label}>"

    @property
    def label(self):
        return self._label

    @property
    def folder(self):
        """Where the files handed in with this code lie (trained weights, say), or None."""
        return self._folder

    def defines(self, name):
        return hasattr(self._module, name)

    def names(self):
        """Every name the code defines, as a notebook's globals() would show them."""
        return vars(self._module)

    def replace(self, name, value):
        """Give this code `value` for `name`, as the sandbox worker's Namespace.replace does."""
        setattr(self._module, name, value)

    def with_companions(self, reference, part_names):
        """The same code, able to isolate parts with the reference's definitions."""
        return Implementation(
            self._label, self._chunks, reference, part_names, self._module, self._folder
        )

    def for_part(self, part, probes=None):
        """The code to grade `part` with; part None: all of this code, nothing replaced.

        Other parts' definitions come from the reference (when companions are set), and the
        names in the probes module's STAND_INS[part] are replaced by its stand-ins, as the
        sandbox worker does (igcourse/sandbox/worker.py)."""
        stand_ins = getattr(probes, "STAND_INS", {}).get(part, {}) if part is not None else {}
        companions = self._reference is not None and self._part_names
        if part is None or not (companions or stand_ins):
            return self
        key = (part, id(probes))
        if key not in self._parts:
            module = build_module(self._chunks, part)
            for other, names in (self._part_names if companions else {}).items():
                if other == part:
                    continue
                for name in names:
                    setattr(module, name, getattr(self._reference._module, name))
            for name, attribute in stand_ins.items():
                setattr(module, name, getattr(probes, attribute))
            self._parts[key] = Implementation(
                f"{self._label} [{part}]", self._chunks, None, None, module, self._folder
            )
        return self._parts[key]

    def probe(self, part, fn, *args, **kwargs):
        """fn(the code of `part`, *args, **kwargs), returned as plain data only.

        part None runs fn on all of this code (a training run that uses every part, say).
        A probe exercises the code under test and returns what a check judges: numbers,
        strings, NumPy arrays, and lists, tuples or dicts of them (tuples come back as lists),
        never live objects. Probes live in a chapter's `probes_<notebook>.py`, apart from the
        checks, so that they can run where the judging cannot be reached (igcourse.sandbox).
        Anything else that comes back fails with a message for the student.
        """
        probes = self.probes_module or sys.modules.get(getattr(fn, "__module__", ""))
        value = to_data(fn(self.for_part(part, probes), *args, **kwargs))
        try:
            return wire.decode(wire.encode(value))
        except wire.WireError as error:
            raise NotData(
                _(
                    "Your code returned something that is not data where {probe} expected "
                    "numbers or arrays: {error}. Return tensors or NumPy arrays."
                ).format(probe=fn.__name__, error=error)
            ) from None


def read_notebook_cells(path):
    """A notebook's cells as dicts with text sources, without nbformat's slow import.

    Enough for submission_module_source; notebooks older than format 4 go through nbformat.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("nbformat", 4) < 4:
        from igcourse.export import read_notebook

        return read_notebook(path)
    cells = []
    for cell in data.get("cells", []):
        source = cell.get("source", "")
        cells.append({**cell, "source": "".join(source) if isinstance(source, list) else source})
    return types.SimpleNamespace(cells=cells)


def reference_chunk(root, chapter, notebook):
    """The reference module: solutions/<chapter>/<nb>.py, else the source notebook's export."""
    root = Path(root)
    solution = root / "solutions" / chapter / f"{notebook}.py"
    if solution.exists():
        return Chunk(solution.read_text(encoding="utf-8"), str(solution))
    master = root / "source" / chapter / f"{notebook}.ipynb"
    if master.exists():
        from igcourse.export import read_notebook, reference_module_source

        source = reference_module_source(read_notebook(master), str(master))
        return Chunk(source, f"<reference {master}>")
    raise FileNotFoundError(
        _("No reference for {chapter}/{notebook}: neither {solution} nor {master} exists").format(
            chapter=chapter, notebook=notebook, solution=solution, master=master
        )
    )


def load_reference(root, chapter, notebook, under_test=False):
    chunk = reference_chunk(root, chapter, notebook)
    if under_test:
        UNDER_TEST.add(chunk.filename)
    return Implementation("reference", [chunk], folder=Path(root) / "solutions" / chapter)


def load_notebook(path):
    """A student's (or the release) notebook: its definitions only."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(_("Notebook {path} does not exist").format(path=path))
    from igcourse.export import submission_module_source

    chunk = Chunk(submission_module_source(read_notebook_cells(path)), f"<notebook {path}>")
    UNDER_TEST.add(chunk.filename)
    return Implementation(f"notebook {path}", [chunk], folder=path.parent)


def load_mutant(root, chapter, notebook, path, under_test=True):
    """The reference with the mutant file run on top of it."""
    path = Path(path)
    mutant = Chunk(path.read_text(encoding="utf-8"), str(path))
    if under_test:
        UNDER_TEST.add(mutant.filename)
    return Implementation(
        f"mutant {path.stem}",
        [reference_chunk(root, chapter, notebook), mutant],
        folder=Path(root) / "solutions" / chapter,  # the reference's trained model
    )


def load_implementation(spec, root, chapter, notebook):
    """The implementation that `spec` names, for one notebook of the chapter."""
    if spec.kind == "reference":
        return load_reference(root, chapter, notebook, under_test=True)
    if spec.kind == "mutant":
        return load_mutant(root, chapter, notebook, spec.path)
    path = spec.path / f"{notebook}.ipynb" if spec.path.is_dir() else spec.path
    return load_notebook(path)
