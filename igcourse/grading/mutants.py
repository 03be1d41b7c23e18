"""The zoo of wrong answers: reading mutant files, and naming the mistake a submission makes.

A mutant file redefines the one function or class it breaks and declares two constants:
PART (the grade id it breaks) and MISTAKE (one sentence naming the mistake, in words a
student understands). Matching runs a check's probe on every mutant of the given parts and
names the mistakes whose result equals the submission's.

A mutant may also declare NAMED_BY: the words in which a check names that mistake from its
own evidence (a training step's call log, say) rather than by matching; `igcourse validate`
then accepts a message with either text.
"""

import ast
import copy
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from igcourse.checks import N_
from igcourse.i18n import _, in_every_language


class MutantFileError(ValueError):
    """A mutant file lacks PART or MISTAKE, or they are not string literals."""


@dataclass(frozen=True)
class Mutant:
    path: Path
    part: str
    mistake: str
    named_by: str = ""  # words in which a check names the mistake from its own evidence

    @property
    def name(self):
        return self.path.stem


def read_mutant(path):
    """Read PART and MISTAKE without running the file."""
    path = Path(path)
    constants = {}
    for node in ast.parse(path.read_text(encoding="utf-8"), str(path)).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id in ("PART", "MISTAKE", "NAMED_BY"):
                if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                    constants[target.id] = node.value.value
    missing = [name for name in ("PART", "MISTAKE") if not constants.get(name)]
    if missing:
        raise MutantFileError(
            _("{path}: a mutant declares PART and MISTAKE as strings; missing {names}").format(
                path=path, names=", ".join(missing)
            )
        )
    return Mutant(path, constants["PART"], constants["MISTAKE"], constants.get("NAMED_BY", ""))


def discover_mutants(folder):
    """Every mutant in `folder` (files named _*.py are helpers, not mutants), sorted by name."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return [read_mutant(p) for p in sorted(folder.glob("*.py")) if not p.name.startswith("_")]


def to_numpy(value):
    if hasattr(value, "numpy"):
        value = value.numpy()
    return np.asarray(value)


def same_values(a, b, rtol=1e-6, atol=1e-8):
    """Equal shapes and values (arrays, tensors, numbers, or tuples of them)."""
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(
            same_values(x, y, rtol, atol) for x, y in zip(a, b, strict=False)
        )
    try:
        a, b = to_numpy(a), to_numpy(b)
    except (TypeError, ValueError):
        return a == b
    if a.shape != b.shape:
        return False
    if a.dtype.kind in "biufc" and b.dtype.kind in "biufc":
        return bool(np.allclose(a.astype(np.float64), b.astype(np.float64), rtol, atol, True))
    return bool(np.array_equal(a, b))


# Marked with N_ so that the catalogs keep them: they are translated where they are used.
ONE_KNOWN_MISTAKE = N_("This looks like a known mistake: {mistake}")
SOME_KNOWN_MISTAKES = N_("This looks like one of these known mistakes: {mistakes}")


def known_mistake_message(mistakes):
    if not mistakes:
        return ""
    if len(mistakes) == 1:
        return _(ONE_KNOWN_MISTAKE).format(mistake=mistakes[0])
    return _(SOME_KNOWN_MISTAKES).format(mistakes=" / ".join(mistakes))


def _openings(message):
    """The words before the placeholder of `message`, in every language of the course."""
    return tuple(text.split("{", 1)[0] for text in in_every_language(message))


def without_redundant_lists(messages):
    """A part's messages without the lists of candidate mistakes that another of its messages
    settles: where one check's evidence names a single known mistake and another check's
    evidence fits several, that one among them, the list adds only the candidates that are
    not the mistake."""
    single, some = _openings(ONE_KNOWN_MISTAKE), _openings(SOME_KNOWN_MISTAKES)
    named = [
        line.split(opening, 1)[1]
        for message in messages
        for line in message.splitlines()
        for opening in single
        if line.startswith(opening)
    ]
    if not named:
        return list(messages)

    def settled(line):
        return line.startswith(some) and any(mistake in line for mistake in named)

    kept = ["\n".join(line for line in m.splitlines() if not settled(line)) for m in messages]
    return list(dict.fromkeys(text for text in kept if text))


class MistakeZoo:
    """The mutants of one chapter, loaded on first use; `load(mutant)` builds one's namespace."""

    def __init__(self, mutants, load, probes=None, reference=None):
        self.mutants = list(mutants)
        self._load = load
        self._loaded = {}
        self.probes = probes  # the probes module: its STAND_INS apply to a mutant's part
        self.reference = reference  # reference(part): the reference's code of that part

    def of_parts(self, parts):
        parts = (parts,) if isinstance(parts, str) else tuple(parts)
        return [m for m in self.mutants if m.part in parts]

    def namespace(self, mutant):
        if mutant.path not in self._loaded:
            self._loaded[mutant.path] = self._load(mutant)
        return self._loaded[mutant.path]

    def matching(self, parts, probe, value, same=same_values):
        """The MISTAKE of every mutant of `parts` whose probe result equals `value`.

        probe(namespace) computes what the check compared; a mutant whose probe raises
        does not match.
        """
        if self._is_the_references(parts, probe, value, same):
            return []
        found = []
        for mutant in self.of_parts(parts):
            try:
                namespace = self.namespace(mutant)
                if hasattr(namespace, "for_part"):  # as the submission's part ran
                    namespace = namespace.for_part(mutant.part, self.probes)
                if same(value, probe(namespace)):
                    found.append(_(mutant.mistake))  # extracted by igcourse.messages
            except Exception:  # noqa: BLE001 (a mutant that cannot run the probe does not match)
                continue
        return found

    def _is_the_references(self, parts, probe, value, same):
        """Whether the reference's own code gives `value` on the probe: then the value is no
        evidence of any mistake, and a mutant that gives it too would be named wrongly."""
        mutants = self.of_parts(parts)
        if self.reference is None or not mutants:
            return False
        part = mutants[0].part
        try:
            return bool(same(value, probe(self.reference(part).for_part(part, self.probes))))
        except Exception:  # noqa: BLE001 (a probe the reference cannot run says nothing)
            return False

    def explain(self, parts, probe, value, same=same_values):
        """A sentence naming the known mistake(s) that give `value`, or ""."""
        return known_mistake_message(self.matching(parts, probe, value, same))

    def match(self, part, name, args=(), output=None, kwargs=None, same=same_values):
        """explain() for a plain call: name(*args, **kwargs) on each mutant of `part`.

        args may be a tuple (deep-copied for every call, so random generators start alike)
        or a function returning a fresh tuple.
        """
        kwargs = kwargs or {}

        def probe(namespace):
            call_args = args() if callable(args) else copy.deepcopy(args)
            return getattr(namespace, name)(*call_args, **copy.deepcopy(kwargs))

        return self.explain(part, probe, output, same)
