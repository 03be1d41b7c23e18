"""pytest plugin that runs a chapter's hidden checks on one or more implementations.

    pytest autograder/ch01_pixelcnn --implementation=notebook:path/to/pixelcnn.ipynb \
        --results=results.json

Hidden checks live in autograder/<chapter>/test_<notebook>.py. Each check is marked with the
part it scores (`@pytest.mark.part("masked_conv")`) and receives the code under test through
fixtures: `submission` (an implementation named by --implementation), `reference`,
`reference_for(notebook)` and `mistakes` (the chapter's zoo, for naming known mistakes).
A test module may declare PART_NAMES = {part: [names it defines]}, so that
`submission.for_part(part)` grades each part with the reference's definitions of the others.

--implementation may be given several times (the validator runs many mutants in one process,
to import TensorFlow once); every check then runs once per implementation that it concerns:
a notebook's checks for that notebook, a mutant's for its own PART only. One CheckResult per
check and implementation goes to the --results file (JSON).

With --sandbox, a notebook's code runs in a sandbox worker process (igcourse/sandbox): checks
reach it only through `submission.probe(part, probes.fn, ...)`, which runs fn there and
returns plain data, and an error, crash or time-out of the student's code becomes that check's
message (igcourse/grading/sandboxed.py). The reference and the zoo are trusted and run in this
process, so validation stays fast. Grading submissions (`igcourse grade`, `igcourse check
--hidden`) always uses --sandbox; without it, everything runs in this process.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from igcourse.checks import error_words
from igcourse.grading.course import chapter_parts, notebook_of_part
from igcourse.grading.implementations import (
    UNDER_TEST,
    MissingDefinition,
    SpecError,
    load_implementation,
    load_mutant,
    load_reference,
    notebook_name,
    parse_spec,
)
from igcourse.grading.mutants import MistakeZoo, discover_mutants, read_mutant
from igcourse.grading.results import FAILED, PASSED, SKIPPED, CheckResult, write_results
from igcourse.i18n import _
from igcourse.sandbox import SandboxError

MAX_DETAIL = 600


@dataclass
class _State:
    specs: list  # of Spec, in the order given
    root: Path = None
    parts: frozenset = None
    sandbox: bool = False
    as_notebook: str = None
    probe_timeout: float = 180
    part_time: float = None
    salt: str = ""
    salts: dict = field(default_factory=dict)  # spec -> its own salt, in a batch
    current_part: str = None  # of the check running now: the sandbox charges its time to it
    results: dict = field(default_factory=dict)  # (spec, nodeid) -> CheckResult
    chapters: dict = field(default_factory=dict)
    loaded: dict = field(default_factory=dict)
    early: set = field(default_factory=set)  # (spec, check file) whose early probes started


_STATE = pytest.StashKey()


def pytest_addoption(parser):
    group = parser.getgroup("igcourse", "igcourse hidden checks")
    group.addoption(
        "--implementation",
        action="append",
        default=None,
        help="code under test: reference (the default), notebook:PATH (a notebook, or a folder "
        "of them) or mutant:PATH (a file of the chapter's zoo); repeat to check several",
    )
    group.addoption("--results", default=None, help="write one result per check to this file")
    group.addoption("--parts", default=None, help="comma-separated grade ids: only their checks")
    group.addoption(
        "--sandbox",
        action="store_true",
        default=False,
        help="run notebooks' code in a sandbox worker; checks reach it through probes only",
    )
    group.addoption(
        "--as-notebook",
        default=None,
        help="the notebook that a notebook:FILE answers, whatever the file's name "
        "(alice_pixelcnn.ipynb, say)",
    )
    group.addoption(
        "--probe-timeout",
        type=float,
        default=180,
        help="seconds one probe may run in the sandbox (default 180)",
    )
    group.addoption(
        "--part-time",
        type=float,
        default=None,
        help="seconds the submission's code may run for one part's checks in the sandbox, all "
        "together (default: no budget beyond --probe-timeout)",
    )
    group.addoption(
        "--salts",
        default=None,
        help="a JSON file {implementation spec: salt}: each submission of a batch draws its "
        "inputs with its own salt (default: --salt for all)",
    )
    group.addoption(
        "--salt",
        default=None,
        help="the salt every check's inputs are drawn with (grading passes one per submission; "
        f"default: {'validation'!r})",
    )
    group.addoption(
        "--course-root",
        default=None,
        help="course folder (default: two levels above the chapter's check folder)",
    )


def pytest_configure(config):
    config.addinivalue_line("markers", "part(name): the grade id (part) that a hidden check scores")
    config.addinivalue_line(
        "markers",
        "expensive: a long check (a training run); the validator runs it on the reference only",
    )
    config.addinivalue_line(
        "markers",
        "property: a check of a property (shape, range, determinism) that explains a failure "
        "but earns no points on its own",
    )
    config.addinivalue_line(
        "markers",
        "handed_in: a check of the files handed in with the notebook (a trained model)",
    )
    config.addinivalue_line(
        "markers",
        "defining: a behaviour without which the part is not solved (a training step that "
        "updates a network the wrong way): failing it, the part earns nothing",
    )
    config.addinivalue_line(
        "markers",
        "public: the part's public checks run again in grading: a share of the points, but "
        "never earned without a behaviour check",
    )
    config.addinivalue_line(
        "markers",
        "needs(*parts): a check that runs the student's code of other parts too (a training "
        "run): skipped, so that it costs nothing, when a check of those parts failed first",
    )
    # Short failure reports: pytest's long ones parse source with ast, and CPython 3.11 before
    # 3.11.9 (python/cpython#106905) keeps the AST recursion depth in global state, so a parse
    # while a sandbox's warm-up or output thread uses ast fails with "AST constructor recursion
    # depth mismatch", an INTERNALERROR that loses the whole run. Students read the checks' own
    # messages, never pytest's traceback.
    if config.getoption("tbstyle", "auto") == "auto":
        config.option.tbstyle = "line"
    try:
        specs = [parse_spec(text) for text in config.getoption("--implementation") or []]
    except SpecError as error:
        raise pytest.UsageError(str(error)) from None
    parts = config.getoption("--parts")
    root = config.getoption("--course-root")
    from igcourse.grading.checks import set_salt
    from igcourse.grading.secret import VALIDATION_SALT

    salt = config.getoption("--salt")
    set_salt(VALIDATION_SALT if salt is None else salt)
    config.stash[_STATE] = _State(
        specs=specs or [parse_spec("reference")],
        root=Path(root).absolute() if root else None,
        parts=frozenset(p for p in parts.split(",") if p) if parts else None,
        sandbox=config.getoption("--sandbox"),
        probe_timeout=config.getoption("--probe-timeout"),
        as_notebook=config.getoption("--as-notebook"),
        salt=VALIDATION_SALT if salt is None else salt,
        part_time=config.getoption("--part-time"),
        salts=_read_salts(config.getoption("--salts")),
    )
    if config.stash[_STATE].sandbox:
        from igcourse.lean_imports import lean_tensorflow

        lean_tensorflow()  # a grading process: the checks never run on JAX, nor plot with Keras
        _warm_up_sandboxes(config, config.stash[_STATE])


def _state(config):
    return config.stash[_STATE]


def _read_salts(path):
    if not path:
        return {}
    import json

    return {str(k): str(v) for k, v in json.loads(Path(path).read_text(encoding="utf-8")).items()}


def _salt_of(state, spec):
    return state.salts.get(str(spec), state.salt)


def _where(state, path):
    """(root, chapter, notebook) of a check file autograder/<chapter>/test_<notebook>.py."""
    path = Path(path)
    root = state.root or path.parent.parent.parent
    return root, path.parent.name, path.stem.removeprefix("test_")


def _notebooks(state, root, chapter):
    key = (root, chapter)
    if key not in state.chapters:
        state.chapters[key] = chapter_parts(root, chapter)
    return state.chapters[key]


def _kind_of(item):
    """What a check proves: `property`, `public` and `defining` marks, else behaviour."""
    from igcourse.checks.result import BEHAVIOUR, DEFINING, PROPERTY, PUBLIC

    if item.get_closest_marker("property"):
        return PROPERTY
    if item.get_closest_marker("public"):
        return PUBLIC
    return DEFINING if item.get_closest_marker("defining") else BEHAVIOUR


def _part_of(item):
    marker = item.get_closest_marker("part")
    return marker.args[0] if marker and marker.args else None


def _notebook_of_file(state, spec):
    """The notebook a notebook file answers: --as-notebook, or its name (pixelcnn.zh.ipynb)."""
    return state.as_notebook or notebook_name(spec.path)


def _label(spec):
    if spec.kind == "reference":
        return "reference"
    return spec.path.stem if spec.kind == "mutant" else f"notebook:{spec.path.name}"


def _concerns(state, spec, notebooks, notebook, part):
    """Whether a check of (notebook, part) runs on the implementation `spec`."""
    if state.parts is not None and part not in state.parts:
        return False
    if spec.kind == "mutant":
        return read_mutant(spec.path).part == part
    if spec.kind == "notebook" and not spec.path.is_dir():
        return _notebook_of_file(state, spec) == notebook
    return notebook in notebooks


def pytest_generate_tests(metafunc):
    if "submission" in metafunc.fixturenames:
        specs = _state(metafunc.config).specs
        metafunc.parametrize("submission", specs, indirect=True, ids=[_label(s) for s in specs])


def pytest_collection_modifyitems(session, config, items):
    state = _state(config)
    problems, selected, deselected = [], [], []
    for item in items:
        root, chapter, notebook = _where(state, item.path)
        notebooks = _notebooks(state, root, chapter)
        parts = notebooks.get(notebook)
        part = _part_of(item)
        spec = getattr(item, "callspec", None) and item.callspec.params.get("submission")
        if parts is None:
            problems.append(
                _("{test}: notebook {notebook!r} is not in course_config.py").format(
                    test=item.nodeid, notebook=notebook
                )
            )
        elif part not in parts:
            problems.append(
                _("{test}: mark it with @pytest.mark.part(<grade id>), one of {parts}").format(
                    test=item.nodeid, parts=", ".join(parts)
                )
            )
        elif spec is None:
            problems.append(
                _("{test}: a hidden check must use the `submission` fixture").format(
                    test=item.nodeid
                )
            )
        elif _concerns(state, spec, notebooks, notebook, part):
            selected.append(item)
        else:
            deselected.append(item)
    if problems:
        raise pytest.UsageError("\n".join(problems))
    # One submission's checks after another: in a batch, one worker at a time is alive.
    order = {str(spec): index for index, spec in enumerate(state.specs)}
    selected.sort(key=lambda item: order[str(item.callspec.params["submission"])])
    _write_plan(config, selected)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    items[:] = selected


def _cached(state, key, make):
    if key not in state.loaded:
        try:
            state.loaded[key] = (make(), None)
        except Exception as error:  # noqa: BLE001 (reported to every check that needs it)
            state.loaded[key] = (None, error)
    value, error = state.loaded[key]
    if error is not None:
        raise error
    return value


def _reference(state, root, chapter, notebook):
    return _cached(
        state,
        ("reference", root, chapter, notebook),
        lambda: load_reference(root, chapter, notebook),
    )


@pytest.fixture(scope="module")
def reference(request):
    """The reference implementation of this check file's notebook."""
    state = _state(request.config)
    impl = _reference(state, *_where(state, request.path))
    impl.probes_module = _probes_module(request)
    return impl


def _probes_module(request):
    """The check file's probes module (`import probes_<notebook> as probes`): its STAND_INS
    and its probes serve every probe call of the file, whatever module a probe came from."""
    return getattr(request.module, "probes", None)


@pytest.fixture(scope="module")
def reference_for(request):
    """reference_for(notebook): the reference of another notebook of the same chapter."""
    state = _state(request.config)
    root, chapter, _notebook = _where(state, request.path)
    return lambda notebook: _reference(state, root, chapter, notebook)


@pytest.fixture(scope="module")
def submission(request, reference):
    """The implementation under test, for this check file's notebook."""
    state = _state(request.config)
    spec = request.param
    root, chapter, notebook = _where(state, request.path)

    def load():
        try:
            return load_implementation(spec, root, chapter, notebook)
        except (FileNotFoundError, MissingDefinition):
            raise
        except Exception as error:  # noqa: BLE001 (the student's code failed to load)
            raise MissingDefinition(
                _(
                    "Your code could not be loaded: {error}. Run your notebook from the top, fix "
                    "the first cell that fails, and save it."
                ).format(error=_short(f"{type(error).__name__}: {error}"))
            ) from error

    part_names = getattr(request.module, "PART_NAMES", None)
    if state.sandbox and spec.kind == "notebook":
        impl = _sandboxed_cached(state, spec, root, chapter, notebook)
    else:
        impl = _cached(state, ("submission", str(spec), root, chapter, notebook), load)
        impl = impl.with_companions(reference, part_names)
    impl.probes_module = _probes_module(request)
    return impl


def _sandboxed_cached(state, spec, root, chapter, notebook):
    key = ("sandboxed", str(spec), root, chapter, notebook)
    return _cached(state, key, lambda: _sandboxed(state, spec, root, chapter, notebook))


def _warm_up_sandboxes(config, state):
    """Start the sandbox workers of the check files named on the command line right away, so
    that they load the submission while this process imports the checks (TensorFlow, say)."""
    for arg in config.args:
        path = Path(str(arg).split("::")[0]).absolute()
        if not (path.is_file() and path.name.startswith("test_") and path.suffix == ".py"):
            continue
        root, chapter, notebook = _where(state, path)
        probes = path.parent / f"probes_{notebook}.py"
        for spec in state.specs[:1]:  # the others warm up while the one before is checked
            _warm_up(state, spec, root, chapter, notebook, probes)


def _warm_up(state, spec, root, chapter, notebook, probes):
    concerns = spec.kind == "notebook" and (
        spec.path.is_dir() or _notebook_of_file(state, spec) == notebook
    )
    if not concerns or not Path(probes).exists():
        return
    try:
        _sandboxed_cached(state, spec, root, chapter, notebook).warm_up(probes)
    except Exception:  # noqa: BLE001 (the submission fixture reports it to every check)
        pass


def _sandboxed(state, spec, root, chapter, notebook):
    from igcourse.export import submission_module_source
    from igcourse.grading.implementations import read_notebook_cells
    from igcourse.grading.sandboxed import SandboxedImplementation, default_isolation

    path = spec.path / f"{notebook}.ipynb" if spec.path.is_dir() else spec.path
    if not path.exists():
        raise FileNotFoundError(_("Notebook {path} does not exist").format(path=path))
    source = submission_module_source(read_notebook_cells(path))
    return SandboxedImplementation(
        f"notebook {path}",
        source,
        folder=path.parent,
        isolation=default_isolation(root),
        timeout=state.probe_timeout,
        salt=_salt_of(state, spec),
        part_time=state.part_time,
        current_part=lambda: state.current_part,
    )


@pytest.fixture(scope="module")
def mistakes(request):
    """The chapter's zoo: mistakes.match(...) / mistakes.explain(...) name known mistakes."""
    state = _state(request.config)
    root, chapter, _notebook = _where(state, request.path)
    notebooks = _notebooks(state, root, chapter)

    def load(mutant):
        notebook = notebook_of_part(notebooks, mutant.part)
        return load_mutant(root, chapter, notebook, mutant.path, under_test=False)

    folder = Path(request.path).parent / "mutants"
    zoo = _cached(state, ("zoo", folder), lambda: MistakeZoo(discover_mutants(folder), load))
    zoo.probes = _probes_module(request)  # a mutant's part runs with the part's stand-ins
    zoo.reference = lambda part: _reference(state, root, chapter, notebook_of_part(notebooks, part))
    return zoo


def _short(text):
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 3] + "..."


def _student_frame(excinfo):
    """The deepest traceback entry in code under test, or None."""
    for entry in reversed(excinfo.traceback):
        if entry.frame.code.raw.co_filename in UNDER_TEST:
            return entry
    return None


def student_message(excinfo, sandboxed=False):
    """What a student reads for a failed check: the check's own message, or what their code did.

    sandboxed: the submission's code ran in a sandbox worker, so an exception raised here (in
    the check process) came from the check's own code, never from the student's."""
    from igcourse.grading.sandboxed import CheckAuthoringError, ProbeCodeError, StudentCodeError

    error = excinfo.value
    if isinstance(error, CheckAuthoringError):  # the check's fault, not the student's
        return _(
            "This check could not run ({error}); it is not your code's fault: tell your instructor."
        ).format(error=_short(error))
    if isinstance(error, AssertionError) and type(error) is not AssertionError:
        return str(error)  # CheckFailed, MissingDefinition: written for students
    if isinstance(error, StudentCodeError):  # raised in the sandbox worker
        return code_error_message(error.error, error.detail, error.function)
    if isinstance(error, SandboxError):  # a crash or a time-out: the message is for students
        return str(error)
    # In the sandbox only the worker runs the student's code: an error raised here, or by a
    # probe's own code there, is the check's, perhaps on odd data the student's code returned.
    if sandboxed or isinstance(error, ProbeCodeError):
        own = f"{type(error).__name__}: {error}"
        if isinstance(error, ProbeCodeError):
            own = str(error)  # the worker's exception, "AttributeError: ..."
        return _(
            "This check stopped with an error of its own ({error}) while it examined what your "
            "code returned. Make sure your code returns what the task asks for (its type, shape "
            "and dtype); if it does, tell your instructor: the check may be at fault."
        ).format(error=_short(error_words(own, limit=10 * MAX_DETAIL)))
    entry = _student_frame(excinfo)
    function = None
    if entry is not None:  # MaskedConv2D.__init__ says more than __init__
        code = entry.frame.code.raw
        function = getattr(code, "co_qualname", code.co_name)
    if isinstance(error, NotImplementedError) and not str(error):  # the release's stub
        kind = "NotImplementedError"
    elif isinstance(error, AssertionError):
        kind = "AssertionError"
    else:
        kind = type(error).__name__
    return code_error_message(kind, str(error), function)


def _known_error_advice(detail):
    """Advice for an error whose own words say what happened, or ""."""
    if "No gradients provided for any variable" in detail:
        return _(
            "No gradient reached any variable: the tape recorded no path from them to the loss. "
            "Compute the networks' outputs and the loss inside the `with tf.GradientTape() as "
            "tape:` block (with nothing such as tf.stop_gradient or NumPy cutting the path), "
            "then take tape.gradient(loss, variables) after it."
        )
    if "numpy" in detail and "has no attribute '_id'" in detail:  # the tape met a NumPy value
        return _(
            "A NumPy value reached the gradient tape, which can only differentiate tensors: "
            "NumPy functions (np.exp, np.log, np.logaddexp, ...) on a tensor return NumPy "
            "values without a gradient. Compute it with keras.ops or TensorFlow ops."
        )
    if "tf.function only supports singleton tf.Variables created on the first call" in detail:
        return _(
            "Inside a tf.function your code made new variables on a later call: it creates a "
            "variable (a keras.random.SeedGenerator, a layer, a tf.Variable) each time it runs. "
            "Create it once, in __init__ or build, and reuse it."
        )
    one_class = r"Received a label value of (\d+) which is outside the valid range of \[0, 1\)"
    labels = re.search(one_class, detail)
    if labels:
        return _(
            "A softmax cross-entropy got label {label} for logits with one channel: softmax over "
            "a single logit always gives probability 1 to class 0. One logit channel is a binary "
            "model (the logit of a 1): use the sigmoid cross-entropy from logits for it."
        ).format(label=labels.group(1))
    dtypes = re.search(r"was expected to be a (\w+) tensor but is a (\w+) tensor", detail)
    if dtypes:
        return _(
            "Two tensors of different dtypes met in one operation (a {expected} and a {got} "
            "tensor; TensorFlow calls float64 'double' and float32 'float'), and TensorFlow "
            "does not convert between them: make new tensors (random noise, constants) in the "
            "dtype of the tensors they are combined with, for example "
            "keras.random.normal(shape, dtype=x.dtype), or cast with keras.ops.cast."
        ).format(expected=dtypes.group(1), got=dtypes.group(2))
    fixed = re.search(
        r"Input to reshape is a tensor with \d+ values, but the requested shape "
        r"requires a multiple of (\d+)",
        detail,
    )
    if fixed:
        return _(
            "Your code reshapes to a fixed {size} values per row, but the checks also use other "
            "shapes than the notebook's (other image sizes, channels or batches): take the sizes "
            "from the input's own shape."
        ).format(size=fixed.group(1))
    return ""


def code_error_message(kind, detail, function):
    """The message for an exception of type `kind` raised by the student's code."""
    if kind == "NotImplementedError" and not detail:  # the stub; a library's has a message
        if function:
            return _(
                "`{function}` is not implemented yet: replace `raise NotImplementedError()` "
                "with your code."
            ).format(function=function)
        return _(
            "Part of your code is not implemented yet: replace every "
            "`raise NotImplementedError()` with your code."
        )
    if kind == "AssertionError":
        return _("A check failed: {detail}").format(detail=_short(detail))
    detail = error_words(detail, limit=10 * MAX_DETAIL)  # no colour codes, no Keras wrapper
    advice = _known_error_advice(detail)
    detail = _short(f"{kind}: {detail}")
    if advice:
        return _("Your code raised an error: {detail}. {advice}").format(
            detail=detail, advice=advice
        )
    # The error as it is, without a guess at its cause: a fixed guess misleads more often
    # than it helps (the blind classes of #24).
    if function:
        return _("Your code raised an error in `{function}`: {detail}.").format(
            function=function, detail=detail
        )
    return _("Your code raised an error: {detail}.").format(detail=detail)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    from igcourse.grading.checks import set_salt

    state = _state(item.config)
    state.current_part = _part_of(item)
    spec = item.callspec.params["submission"]
    set_salt(_salt_of(state, spec))  # a batch's submissions each have their own inputs
    _skip_when_needed_parts_failed(state, item, spec)
    if state.sandbox and state.specs.index(spec) + 1 < len(state.specs):
        root, chapter, notebook = _where(state, item.path)
        probes = Path(item.path).parent / f"probes_{notebook}.py"
        _warm_up(state, state.specs[state.specs.index(spec) + 1], root, chapter, notebook, probes)
    done = yield
    if state.sandbox:
        _start_early_probes(state, item, spec)
    return done


def _start_early_probes(state, item, spec):
    """A check file's early_probes(submission) runs once per submission in the sandbox, as its
    first check starts (its salt set): the slow probes it starts (SandboxedImplementation.
    start_early) run on workers of their own while the other checks run."""
    from igcourse.grading.sandboxed import SandboxedImplementation

    start = getattr(item.module, "early_probes", None)
    submission = item.funcargs.get("submission")
    key = (str(spec), str(item.path))
    if start is None or key in state.early or not isinstance(submission, SandboxedImplementation):
        return
    state.early.add(key)
    try:
        start(submission)
    except (Exception, pytest.skip.Exception):  # noqa: BLE001 (the check that asks reports it)
        pass


def _skip_when_needed_parts_failed(state, item, spec):
    """One mistake costs one part: a check that runs other parts' code too is skipped (and
    scores nothing either way) when those parts already failed a check of their own."""
    marker = item.get_closest_marker("needs")
    if marker is None:
        return
    failed = sorted(
        {
            result.part
            for (run, _nodeid), result in state.results.items()
            if run == str(spec) and result.outcome == FAILED and result.part in marker.args
        }
    )
    if failed:
        pytest.skip(
            _(
                "This check also runs your {parts}, which fail checks of their own: it runs "
                "again once they pass."
            ).format(parts=", ".join(failed))
        )


def pytest_runtest_teardown(item, nextitem):
    """A submission's worker ends with its last check (in a batch, the next one starts)."""
    state = _state(item.config)
    spec = item.callspec.params["submission"]
    if nextitem is not None and nextitem.callspec.params["submission"] == spec:
        return
    for key, (value, _error) in list(state.loaded.items()):
        if key[0] == "sandboxed" and key[1] == str(spec) and value is not None:
            value.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" or (report.when == "setup" and not report.passed):
        if report.passed:
            outcome, message = PASSED, ""
        elif report.skipped:
            outcome = SKIPPED
            longrepr = report.longrepr
            message = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        else:
            sandboxed = (
                _state(item.config).sandbox
                and item.callspec.params["submission"].kind == "notebook"
            )
            outcome, message = FAILED, student_message(call.excinfo, sandboxed)
        images = ()
        if outcome == FAILED and getattr(call.excinfo.value, "images", None):
            from igcourse.grading.pictures import encode_images

            images = tuple(encode_images(call.excinfo.value.images))
        spec = str(item.callspec.params["submission"])
        _state(item.config).results[spec, item.nodeid] = CheckResult(
            item.originalname,
            _part_of(item),
            outcome,
            message,
            round(report.duration, 3),
            images,
            kind=_kind_of(item),
        )
        _write_results(item.config)  # so far: a run stopped by its time limit keeps them
    return report


def pytest_sessionfinish(session):
    state = _state(session.config)
    for key, (value, _error) in state.loaded.items():
        if key[0] == "sandboxed" and value is not None:
            value.close()
    _write_results(session.config)


def _write_plan(config, items):
    """<results>.plan: {spec: {part: checks}}, so that a run stopped by its time limit tells
    which parts had every check done."""
    path = config.getoption("--results")
    if not path:
        return
    import json

    plan = {}
    for item in items:
        counts = plan.setdefault(str(item.callspec.params["submission"]), {})
        counts[_part_of(item)] = counts.get(_part_of(item), 0) + 1
    Path(f"{path}.plan").write_text(json.dumps(plan), encoding="utf-8")


def _write_results(config):
    path = config.getoption("--results")
    if path:
        state = _state(config)
        runs = {str(spec): [] for spec in state.specs}
        for (spec, _nodeid), result in state.results.items():
            runs[spec].append(result)
        write_results(path, runs)


def pytest_terminal_summary(terminalreporter, config):
    state = _state(config)
    failed = [(spec, r) for (spec, _n), r in state.results.items() if r.outcome == FAILED]
    if not failed:
        return
    terminalreporter.section(_("what students read"))
    for spec, result in failed:
        terminalreporter.write_line(f"[{spec}] [{result.part}] {result.check}: {result.message}")
