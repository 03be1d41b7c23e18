"""The grading API: results and scores, the zoo and mistake matching, implementations, helpers.

A toy chapter (ch99_toy, written to a temporary folder) exercises the pytest plugin and the
validator end to end in a few seconds, without TensorFlow.
"""

import subprocess
import sys
import textwrap

import nbformat
import numpy as np
import pytest

from igcourse.grading.checks import CheckFailed, assert_close, check, seeded_rng
from igcourse.grading.gradients import dependency_picture, future_dependencies
from igcourse.grading.implementations import (
    Chunk,
    Implementation,
    MissingDefinition,
    NotData,
    SpecError,
    load_mutant,
    notebook_name,
    parse_spec,
)
from igcourse.grading.mutants import (
    MistakeZoo,
    MutantFileError,
    discover_mutants,
    known_mistake_message,
    read_mutant,
)
from igcourse.grading.pictures import is_png_base64, png_base64
from igcourse.grading.results import CheckResult, part_scores, read_results, write_results
from igcourse.grading.validate import run_validation

# ---------------------------------------------------------------- a toy chapter
TOY_CONFIG = """
c = get_config()
c.Course.chapters = {"ch99_toy": {"toy": {"double": 1, "quadruple": 2}}}
"""

TOY_REFERENCE = """
def double(x):
    return 2 * x


def quadruple(x):
    return double(double(x))
"""

TOY_CHECKS = """
import pytest

from igcourse.grading.checks import check

PART_NAMES = {"double": ["double"], "quadruple": ["quadruple"]}


@pytest.mark.part("double")
def test_double(submission, mistakes):
    impl = submission.for_part("double")
    out = impl.double(3)
    check(out == 6, f"double(3) should be 6, not {out}.",
          lambda: mistakes.match("double", "double", (3,), out))


@pytest.mark.part("quadruple")
def test_quadruple(submission, mistakes):
    impl = submission.for_part("quadruple")
    out = impl.quadruple(3)
    check(out == 12, f"quadruple(3) should be 12, not {out}.",
          lambda: mistakes.match("quadruple", "quadruple", (3,), out))


@pytest.mark.part("quadruple")
def test_quadruple_of_zero(submission):
    assert submission.for_part("quadruple").quadruple(0) == 0
"""

TOY_MUTANTS = {
    "double_adds.py": 'PART = "double"\nMISTAKE = "double adds 2 instead of multiplying."\n\n'
    "def double(x):\n    return x + 2\n",
    "quadruple_once.py": 'PART = "quadruple"\nMISTAKE = "quadruple doubles only once."\n\n'
    "def quadruple(x):\n    return double(x)  # noqa: F821\n",
}


def _notebook(code):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Toy"), nbformat.v4.new_code_cell(code)]
    return notebook


def make_toy_course(root, mutants=TOY_MUTANTS):
    (root / "course_config.py").write_text(TOY_CONFIG)
    (root / "solutions" / "ch99_toy").mkdir(parents=True)
    (root / "solutions" / "ch99_toy" / "toy.py").write_text(TOY_REFERENCE)
    release = root / "release" / "ch99_toy"
    release.mkdir(parents=True)
    stub = (
        "def double(x):\n    raise NotImplementedError()\n\n\n"
        "def quadruple(x):\n    raise NotImplementedError()\n\nprint(double(1))\n"
    )
    nbformat.write(_notebook(stub), str(release / "toy.ipynb"))
    checks = root / "autograder" / "ch99_toy"
    (checks / "mutants").mkdir(parents=True)
    (checks / "test_toy.py").write_text(TOY_CHECKS)
    for name, text in mutants.items():
        (checks / "mutants" / name).write_text(text)
    return root


@pytest.fixture
def toy(tmp_path):
    return make_toy_course(tmp_path)


# The toy as validation sees it: checks through probes, a release with solution cells, and
# independent answer sets, so that answers and trivial answers are graded in the sandbox.
VALIDATION_CHECKS = """
import probes_toy as probes
import pytest

from igcourse.grading.checks import check

PART_NAMES = {"double": ["double"], "quadruple": ["quadruple"]}


@pytest.mark.part("double")
def test_double(submission, mistakes):
    out = submission.probe("double", probes.call, "double", 3)
    check(out == 6, f"double(3) should be 6, not {out}.",
          lambda: mistakes.explain("double", lambda ns: probes.call(ns, "double", 3), out))


@pytest.mark.part("quadruple")
def test_quadruple(submission, mistakes):
    out = submission.probe("quadruple", probes.call, "quadruple", 3)
    check(out == 12, f"quadruple(3) should be 12, not {out}.",
          lambda: mistakes.explain("quadruple", lambda ns: probes.call(ns, "quadruple", 3), out))


@pytest.mark.property
@pytest.mark.part("quadruple")
def test_quadruple_of_zero(submission):
    check(submission.probe("quadruple", probes.call, "quadruple", 0) == 0, "quadruple(0) is 0")
"""

VALIDATION_PROBES = """
STAND_INS = {"quadruple": {"double": "_double"}}


def _double(x):
    return 2 * x


def call(ns, name, *args):
    return getattr(ns, name)(*args)
"""

ANSWER_SETS = {
    "times": "def double(x):\n    return x * 2\n",
    "adds": "def double(x):\n    return x + x\n",
    "loop": "def double(x):\n    total = 0\n    for _ in range(2):\n        total += x\n"
    "    return total\n",
}
QUADRUPLE_ANSWER = "def quadruple(x):\n    return double(double(x))\n"


def _solution_cell(grade_id, code):
    cell = nbformat.v4.new_code_cell(code)
    cell.metadata["nbgrader"] = {
        "grade_id": grade_id,
        "solution": True,
        "grade": False,
        "locked": False,
        "schema_version": 3,
    }
    return cell


def make_validation_toy(root, mutants=TOY_MUTANTS):
    make_toy_course(root, mutants)
    checks = root / "autograder" / "ch99_toy"
    (checks / "test_toy.py").write_text(VALIDATION_CHECKS)
    (checks / "probes_toy.py").write_text(VALIDATION_PROBES)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Toy"),
        _solution_cell("double", "def double(x):\n    raise NotImplementedError()\n"),
        _solution_cell("quadruple", "def quadruple(x):\n    raise NotImplementedError()\n"),
        nbformat.v4.new_code_cell("print(double(1))"),
    ]
    nbformat.write(notebook, str(root / "release" / "ch99_toy" / "toy.ipynb"))
    answers = checks / "alternatives" / "toy"
    answers.mkdir(parents=True)
    for name, double in ANSWER_SETS.items():
        text = f"# %% part: double\n{double}\n# %% part: quadruple\n{QUADRUPLE_ANSWER}"
        (answers / f"{name}.py").write_text(text)
    return root


# ---------------------------------------------------------------- results and scores
def test_part_scores_are_proportional_and_ignore_skipped_checks():
    results = [
        CheckResult("a", "p", "passed"),
        CheckResult("b", "p", "failed", "fix b"),
        CheckResult("c", "p", "skipped", "no data"),
        CheckResult("d", "q", "passed"),
    ]
    scores = part_scores(results, {"p": 3, "q": 2, "r": 1})
    assert scores["p"].points == 1.5 and scores["p"].failed == 1
    assert scores["p"].failures[0].message == "fix b"
    assert scores["q"].points == 2
    assert scores["r"].points == 0 and scores["r"].passed == scores["r"].failed == 0


def test_property_checks_explain_but_earn_nothing():
    """Right shape, wrong values: the shape check passes, the part scores zero."""
    results = [
        CheckResult("shape", "p", "passed", kind="property"),
        CheckResult("values", "p", "failed", "wrong values"),
        CheckResult("shape", "q", "passed", kind="property"),
        CheckResult("values", "q", "passed"),
        CheckResult("range", "q", "failed", "out of range", kind="property"),
        CheckResult("only a shape", "r", "passed", kind="property"),
    ]
    scores = part_scores(results, {"p": 3, "q": 2, "r": 1})
    assert scores["p"].points == 0 and scores["p"].failed == 1
    assert scores["q"].points == 2 and scores["q"].failures[0].message == "out of range"
    assert scores["r"].points == 0


def test_public_checks_cost_a_share_but_never_earn_alone():
    results = [
        CheckResult("public", "p", "passed", kind="public"),
        CheckResult("values", "p", "failed", "wrong"),
        CheckResult("public", "q", "failed", "a public check fails", kind="public"),
        CheckResult("values", "q", "passed"),
    ]
    scores = part_scores(results, {"p": 2, "q": 2})
    assert scores["p"].points == 0 and scores["q"].points == 1


def test_a_failed_defining_check_forfeits_the_part():
    """A step that trains a network the wrong way has not solved its part, whatever else it
    gets right; a passing defining check earns its share like any behaviour check."""
    results = [
        CheckResult("updates", "p", "failed", "G ascends its loss", kind="defining"),
        CheckResult("returns", "p", "passed"),
        CheckResult("labels", "p", "passed"),
        CheckResult("updates", "q", "passed", kind="defining"),
        CheckResult("returns", "q", "failed", "wrong loss returned"),
    ]
    scores = part_scores(results, {"p": 3, "q": 2})
    assert scores["p"].points == 0 and scores["p"].failed == 1
    assert scores["q"].points == 1


def test_results_round_trip_through_json(tmp_path):
    results = [CheckResult("test_x", "part", "failed", "名字 and a message", 0.5, kind="property")]
    write_results(tmp_path / "r.json", {"reference": results, "mutant:m.py": []})
    assert read_results(tmp_path / "r.json") == {"reference": results, "mutant:m.py": []}


# ---------------------------------------------------------------- the zoo
def test_read_mutant_needs_part_and_mistake(tmp_path):
    good = tmp_path / "good.py"
    good.write_text('PART = "p"\nMISTAKE = ("it does " "the wrong thing.")\n')
    assert read_mutant(good).mistake == "it does the wrong thing."
    assert read_mutant(good).name == "good"
    bad = tmp_path / "bad.py"
    bad.write_text('PART = "p"\n')
    with pytest.raises(MutantFileError, match="MISTAKE"):
        read_mutant(bad)


def test_discover_mutants_skips_helpers(tmp_path):
    (tmp_path / "b.py").write_text('PART = "p"\nMISTAKE = "b"\n')
    (tmp_path / "a.py").write_text('PART = "p"\nMISTAKE = "a"\n')
    (tmp_path / "_shared.py").write_text("X = 1\n")
    assert [m.name for m in discover_mutants(tmp_path)] == ["a", "b"]
    assert discover_mutants(tmp_path / "missing") == []


def _toy_zoo(root):
    mutants = discover_mutants(root / "autograder" / "ch99_toy" / "mutants")
    return MistakeZoo(mutants, lambda m: load_mutant(root, "ch99_toy", "toy", m.path, False))


def test_match_names_the_mutant_that_gives_the_same_output(toy):
    zoo = _toy_zoo(toy)
    assert zoo.match("double", "double", (3,), 5) == (
        "This looks like a known mistake: double adds 2 instead of multiplying."
    )
    assert zoo.match("double", "double", (3,), 7) == ""
    assert zoo.match("quadruple", "quadruple", (3,), 6).endswith("quadruple doubles only once.")


def test_match_copies_arguments_so_random_generators_start_alike(toy):
    zoo = _toy_zoo(toy)
    rng = np.random.default_rng(0)
    expected = rng.integers(0, 10) + 2
    rng = np.random.default_rng(0)
    probe = lambda ns: ns.double(rng.integers(0, 10))  # noqa: E731 (a fresh draw each call)
    assert zoo.explain("double", probe, expected) == known_mistake_message(
        ["double adds 2 instead of multiplying."]
    )
    assert zoo.match(
        "double", "double", lambda: (np.random.default_rng(0).integers(0, 10),), expected
    )


def test_a_mutant_whose_probe_fails_does_not_match(toy):
    zoo = _toy_zoo(toy)
    assert zoo.matching("double", lambda ns: ns.not_defined(), None) == []


def test_several_matches_are_all_named():
    message = known_mistake_message(["one.", "two."])
    assert "one." in message and "two." in message


# ---------------------------------------------------------------- implementations
def test_spec_parsing_and_notebook_names():
    assert str(parse_spec("reference")) == "reference"
    assert parse_spec("mutant:a/b.py").path.name == "b.py"
    with pytest.raises(SpecError):
        parse_spec("notebook:")
    with pytest.raises(SpecError):
        parse_spec("student")
    assert notebook_name("release/ch01/pixelcnn.zh.ipynb") == "pixelcnn"
    assert notebook_name("pixelcnn.ipynb") == "pixelcnn"


def test_missing_definition_tells_students_to_keep_the_names():
    impl = Implementation("toy", [Chunk("X = 1\n", "<toy>")])
    assert impl.X == 1 and impl.defines("X") and not impl.defines("double")
    with pytest.raises(MissingDefinition, match="does not define `double`"):
        impl.double  # noqa: B018


def test_for_part_grades_each_part_with_the_reference_for_the_others():
    reference = Implementation("reference", [Chunk(TOY_REFERENCE, "<reference>")])
    wrong_double = TOY_REFERENCE.replace("return 2 * x", "return 3 * x")
    student = Implementation("student", [Chunk(wrong_double, "<student>")]).with_companions(
        reference, {"double": ["double"], "quadruple": ["quadruple"]}
    )
    assert student.quadruple(1) == 9  # the student's own chain
    assert student.for_part("quadruple").quadruple(1) == 4  # with the reference's double
    assert student.for_part("double").double(1) == 3


def _double_of(ns, x):
    return ns.double(x)


def test_a_probe_returns_plain_data_computed_with_the_parts_own_code():
    reference = Implementation("reference", [Chunk(TOY_REFERENCE, "<reference>")])
    student = Implementation("student", [Chunk(TOY_REFERENCE, "<student>")]).with_companions(
        reference, {"double": ["double"], "quadruple": ["quadruple"]}
    )
    value = student.probe("double", _double_of, np.arange(3))
    assert type(value) is np.ndarray and value.tolist() == [0, 2, 4]
    assert student.probe("double", lambda ns: (1, "a", {"k": 2.5})) == [1, "a", {"k": 2.5}]


def test_a_probe_that_returns_an_object_pretending_to_be_equal_fails_for_the_student():
    code = "class Liar:\n    def __eq__(self, other):\n        return True\n\ndef double(x):\n"
    code += "    return Liar()\n"
    student = Implementation("student", [Chunk(code, "<student>")])
    with pytest.raises(NotData, match="not data where _double_of expected"):
        student.probe("double", _double_of, 1)


def test_tf_function_with_python_control_flow_works_in_code_from_a_notebook():
    """autograph reads the source of tf.functions, which live in no file: linecache has it."""
    tf = pytest.importorskip("tensorflow")
    code = (
        "import tensorflow as tf\n\n\n@tf.function\ndef total(x):\n    result = 0.0\n"
        "    for _ in tf.range(3):\n        if x > 0:\n            result += x\n"
        "    return result\n"
    )
    impl = Implementation("student", [Chunk(code, "<notebook student.ipynb>")])
    assert float(impl.total(tf.constant(2.0))) == 6.0


def test_a_mutant_replaces_the_reference_for_every_caller(toy):
    mutant = load_mutant(toy, "ch99_toy", "toy", toy / "autograder/ch99_toy/mutants/double_adds.py")
    assert mutant.double(3) == 5
    assert mutant.quadruple(3) == 7  # the reference's quadruple calls the mutant's double


# ---------------------------------------------------------------- check helpers
def test_assert_close_says_where_and_by_how_much():
    with pytest.raises(CheckFailed, match=r"shape \(3,\)"):
        assert_close(np.zeros(2), np.zeros(3), "x")
    with pytest.raises(CheckFailed) as error:
        assert_close([1.0, 2.0, 3.0], [1.0, 2.5, 3.0], "x", explain=lambda: "A hint.")
    assert "1 of 3 positions" in str(error.value) and "index (1,)" in str(error.value)
    assert str(error.value).endswith("A hint.")
    assert_close(np.float32(1.0), 1.0 + 1e-7, "x")


def test_check_calls_explain_only_on_failure():
    calls = []
    check(True, "never", lambda: calls.append(1))
    assert calls == []
    with pytest.raises(CheckFailed, match="failed\nwhy"):
        check(False, "failed", lambda: "why")


def test_seeded_rng_is_stable_per_label():
    assert seeded_rng("a").integers(0, 10**9) == seeded_rng("a").integers(0, 10**9)
    assert seeded_rng("a").integers(0, 10**9) != seeded_rng("b").integers(0, 10**9)


def test_future_dependencies_follow_raster_order():
    deps = np.zeros((2, 2, 2, 2), dtype=bool)
    deps[0, 1, 0, 0] = True  # (0, 1) sees (0, 0): allowed
    deps[1, 0, 1, 0] = True  # (1, 0) sees itself: allowed for type B only
    assert future_dependencies(deps, include_centre=True) == []
    assert future_dependencies(deps, include_centre=False) == [((1, 0), (1, 0))]
    deps[0, 0, 1, 1] = True  # (0, 0) sees (1, 1): never allowed
    assert ((0, 0), (1, 1)) in future_dependencies(deps, include_centre=True)
    assert dependency_picture(deps, (1, 0)) == ". .\n@ ."


# ---------------------------------------------------------------- plugin and validator
def _pytest(root, *args):
    command = [
        sys.executable,
        "-m",
        "pytest",
        str(root / "autograder" / "ch99_toy"),
        "-q",
        "-p",
        "igcourse.grading.plugin",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        "--rootdir",
        str(root),
        *args,
    ]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120)


def test_plugin_writes_one_result_per_check_with_student_messages(toy):
    release = toy / "release" / "ch99_toy" / "toy.ipynb"
    run = _pytest(toy, f"--implementation=notebook:{release}", "--results", str(toy / "r.json"))
    assert run.returncode == 1, run.stdout + run.stderr
    runs = read_results(toy / "r.json")
    by_check = {r.check: r for r in runs[f"notebook:{release}"]}
    assert set(by_check) == {"test_double", "test_quadruple", "test_quadruple_of_zero"}
    assert by_check["test_double"].part == "double"
    assert by_check["test_double"].message == (
        "`double` is not implemented yet: replace `raise NotImplementedError()` with your code."
    )


def test_one_run_checks_several_implementations_each_on_its_own_parts(toy):
    """A mutant runs only its PART's checks; the reference runs them all; --parts filters."""
    mutants = toy / "autograder" / "ch99_toy" / "mutants"
    run = _pytest(
        toy,
        "--implementation=reference",
        f"--implementation=mutant:{mutants}/double_adds.py",
        f"--implementation=mutant:{mutants}/quadruple_once.py",
        "--results",
        str(toy / "r.json"),
    )
    assert run.returncode == 1, run.stdout + run.stderr
    runs = read_results(toy / "r.json")
    assert [r.outcome for r in runs["reference"]] == ["passed"] * 3
    (double,) = runs[f"mutant:{mutants}/double_adds.py"]
    assert double.check == "test_double" and double.outcome == "failed"
    assert double.message.endswith("double adds 2 instead of multiplying.")
    assert {r.part for r in runs[f"mutant:{mutants}/quadruple_once.py"]} == {"quadruple"}
    run = _pytest(toy, "--parts=quadruple", "--results", str(toy / "r.json"))
    assert {r.part for r in read_results(toy / "r.json")["reference"]} == {"quadruple"}


def test_plugin_rejects_checks_without_a_part(toy):
    checks = toy / "autograder" / "ch99_toy" / "test_toy.py"
    checks.write_text(checks.read_text() + "\n\ndef test_unmarked(submission):\n    pass\n")
    run = _pytest(toy)
    assert run.returncode == 4 and "test_unmarked" in run.stdout + run.stderr


def test_validation_passes_on_a_sound_chapter(tmp_path, capsys):
    root = make_validation_toy(tmp_path)
    assert run_validation("ch99_toy", root, workers=2, timeout=120) == 0
    table = capsys.readouterr().out
    assert "quadruple_once" in table and "validation passed" in table
    assert "mutants caught 2/2, named exactly 2/2" in table
    assert "correct answer sets at full marks 3/3; trivial answers at zero 4/4" in table


def test_validation_fails_when_a_correct_answer_loses_a_point(tmp_path, capsys):
    root = make_validation_toy(tmp_path)
    answer = root / "autograder" / "ch99_toy" / "alternatives" / "toy" / "loop.py"
    answer.write_text(answer.read_text().replace("return double(double(x))", "return 4.0 * x"))
    checks = root / "autograder" / "ch99_toy" / "test_toy.py"
    checks.write_text(checks.read_text().replace("out == 12,", "out == 12 and type(out) is int,"))
    assert run_validation("ch99_toy", root, workers=1, timeout=120) == 1
    assert "a correct answer loses points" in capsys.readouterr().out


def test_validation_fails_when_trivial_code_scores(tmp_path, capsys):
    root = make_validation_toy(tmp_path)
    checks = root / "autograder" / "ch99_toy" / "test_toy.py"
    checks.write_text(checks.read_text().replace("@pytest.mark.property\n", ""))
    assert run_validation("ch99_toy", root, workers=1, timeout=120) == 1
    out = capsys.readouterr().out
    assert "trivial:identity" in out and "without any code" in out


def test_validation_fails_with_too_few_answer_sets(tmp_path, capsys):
    root = make_validation_toy(tmp_path)
    (root / "autograder" / "ch99_toy" / "alternatives" / "toy" / "loop.py").unlink()
    assert run_validation("ch99_toy", root, workers=1, timeout=120) == 1
    assert "2 independent answer sets" in capsys.readouterr().out


def test_validation_fails_when_a_mutant_is_not_caught(tmp_path, capsys):
    harmless = {
        "double_times_two.py": 'PART = "double"\nMISTAKE = "not a mistake."\n\n'
        "def double(x):\n    return x * 2\n"
    }
    root = make_validation_toy(tmp_path, harmless)
    assert run_validation("ch99_toy", root, workers=1, timeout=120) == 1
    assert "not caught" in capsys.readouterr().out


def test_validation_fails_without_a_release(toy, capsys):
    (toy / "release" / "ch99_toy" / "toy.ipynb").unlink()
    assert run_validation("ch99_toy", toy, workers=1, timeout=120) == 1
    assert "release/ch99_toy/toy.ipynb is missing" in capsys.readouterr().out


def test_validation_fails_when_the_release_passes_a_check(toy, capsys):
    release = toy / "release" / "ch99_toy" / "toy.ipynb"
    nbformat.write(_notebook(textwrap.dedent(TOY_REFERENCE)), str(release))
    assert run_validation("ch99_toy", toy, workers=1, timeout=120) == 1
    assert "without any code" in capsys.readouterr().out


# ---------------------------------------------------------------- the sandboxed mode
TOY_PROBE_CHECKS = """
import numpy as np
import probes_toy as probes
import pytest

from igcourse.grading.checks import check


@pytest.mark.part("quadruple")
def test_no_reference_code_in_the_worker(submission):
    found = submission.probe("quadruple", probes.reference_code)
    check(found == [], f"reference code in the worker: {found}")

PART_NAMES = {"double": ["double"], "quadruple": ["quadruple"]}


@pytest.mark.part("double")
def test_double(submission, mistakes):
    out = submission.probe("double", probes.call, "double", 5)
    check(out == 10, f"double(5) should be 10, not {out}.",
          lambda: mistakes.explain("double", lambda ns: probes.call(ns, "double", 5), out),
          images=[("yours and the right one", np.array([[out, 10]]))])
    out = submission.probe("double", probes.call, "double", 3)
    check(out == 6, f"double(3) should be 6, not {out}.",
          lambda: mistakes.explain("double", lambda ns: probes.call(ns, "double", 3), out))


@pytest.mark.part("quadruple")
def test_quadruple(submission):
    out = submission.probe("quadruple", probes.call, "quadruple", 3)
    check(out == 12, f"quadruple(3) should be 12, not {out}.")


@pytest.mark.part("quadruple")
def test_quadruple_reads_a_handed_in_file(submission):
    text = submission.probe("quadruple", probes.handed_in, "answer.txt")
    check(text == "12", f"answer.txt should hold 12, not {text!r}.")


@pytest.mark.part("quadruple")
def test_direct_access(submission):
    submission.quadruple(0)


@pytest.mark.part("quadruple")
def test_probe_raises_by_itself(submission):
    submission.probe("quadruple", probes.own_error)


@pytest.mark.part("quadruple")
def test_stand_in_raises_when_the_student_calls_it(submission):
    submission.probe("quadruple", probes.call, "quadruple", 99)


@pytest.mark.part("quadruple")
def test_chokes_on_what_came_back(submission):
    out = submission.probe("quadruple", probes.call, "quadruple", 3)
    np.zeros(2) + np.zeros(out)  # a check's own error: no shape test before it
"""

TOY_PROBES = """
STAND_INS = {"quadruple": {"double": "_double"}}


def _double(x):
    if x == 99:
        raise ValueError("the grader has no double for 99")
    return 2 * x


def call(ns, name, *args):
    return getattr(ns, name)(*args)


def reference_code(ns):
    # Files of every function in the worker that look like the reference's.
    import gc

    files = set()
    for value in gc.get_objects():
        code = getattr(value, "__code__", None)
        name = getattr(code, "co_filename", "") if code is not None else ""
        if "reference" in name or "solutions" in name:
            files.add(name)
    return sorted(files)


def handed_in(ns, name):
    path = ns.folder / name if ns.folder else None
    return path.read_text() if path is not None and path.exists() else None


def own_error(ns):
    ns.quadruple  # the student's code is there; the probe's own next line fails
    return {}["no such key"]
"""


def test_a_part_is_graded_with_the_probes_stand_ins_and_otherwise_the_code_under_test():
    import types

    probes = types.ModuleType("toy_probes")
    probes.STAND_INS = {"quadruple": {"double": "_double"}}
    probes._double = lambda x: 2 * x
    wrong_double = TOY_REFERENCE.replace("return 2 * x", "return 3 * x")
    student = Implementation("student", [Chunk(wrong_double, "<student>")])
    assert student.for_part("quadruple", probes).quadruple(1) == 4  # the stand-in double
    assert student.for_part("double", probes).double(1) == 3
    assert student.for_part("quadruple").quadruple(1) == 9  # no stand-ins: its own chain


def test_sandboxed_checks_grade_each_part_with_stand_ins_and_never_see_the_reference(toy):
    """A wrong double costs only double: quadruple is graded with the probes' stand-in double;
    the worker holds no reference code; a crash in one probe costs that check only; checks
    cannot touch the submission directly."""
    checks = toy / "autograder" / "ch99_toy"
    (checks / "test_toy.py").write_text(TOY_PROBE_CHECKS)
    (checks / "probes_toy.py").write_text(TOY_PROBES)
    student = toy / "student" / "toy.ipynb"
    student.parent.mkdir()
    code = (
        "import os\n\ndef double(x):\n    if x == 3:\n        os._exit(3)\n    return x + 2\n\n\n"
        "def quadruple(x):\n    return double(double(x))\n"
    )
    nbformat.write(_notebook(code), str(student))
    (student.parent / "answer.txt").write_text("12")
    (student.parent / "link.txt").symlink_to(toy / "solutions" / "ch99_toy" / "toy.py")
    run = _pytest(
        toy, f"--implementation=notebook:{student}", "--sandbox", "--results", str(toy / "r.json")
    )
    by_check = {r.check: r for r in read_results(toy / "r.json")[f"notebook:{student}"]}
    assert by_check["test_double"].outcome == "failed", run.stdout
    assert by_check["test_double"].message.startswith("double(5) should be 10, not 7.")
    assert by_check["test_double"].message.endswith("double adds 2 instead of multiplying.")
    (image,) = by_check["test_double"].images
    assert image["caption"] == "yours and the right one" and is_png_base64(image["png"])
    student = toy / "student" / "toy.ipynb"
    code = code.replace("return x + 2", "return 2 * x")
    nbformat.write(_notebook(code), str(student))
    run = _pytest(
        toy, f"--implementation=notebook:{student}", "--sandbox", "--results", str(toy / "r.json")
    )
    by_check = {r.check: r for r in read_results(toy / "r.json")[f"notebook:{student}"]}
    assert "ended the process (exit code 3)" in by_check["test_double"].message
    assert by_check["test_quadruple"].outcome == "passed", by_check["test_quadruple"].message
    assert by_check["test_quadruple_reads_a_handed_in_file"].outcome == "passed"
    assert by_check["test_no_reference_code_in_the_worker"].outcome == "passed"
    assert "submission.probe" in by_check["test_direct_access"].message
    assert "not your code's fault" in by_check["test_direct_access"].message
    choked = by_check["test_chokes_on_what_came_back"].message
    assert choked.startswith("This check stopped with an error of its own (ValueError: ")
    assert "Your code raised" not in choked
    own = by_check["test_probe_raises_by_itself"].message
    assert own.startswith("This check stopped with an error of its own (KeyError: ")
    through = by_check["test_stand_in_raises_when_the_student_calls_it"].message
    assert through.startswith("Your code raised an error in `quadruple`: ValueError: ")


def test_pictures_are_grey_pngs_scaled_up_and_anything_else_is_refused():
    import base64

    png = png_base64(np.array([[0.0, 1.0], [float("nan"), 0.5]]))
    assert is_png_base64(png) and base64.b64decode(png)[:4] == b"\x89PNG"
    assert not is_png_base64("javascript:alert(1)") and not is_png_base64("aGVsbG8=")
    with pytest.raises(ValueError, match="2-D"):
        png_base64(np.zeros((2, 2, 3, 1)))


def test_workers_get_the_courses_memory_limit(toy):
    from igcourse.grading.sandboxed import default_isolation

    (toy / "course_config.py").write_text(TOY_CONFIG + "c.GradingLimits.memory_limit_mb = 1234\n")
    assert default_isolation(toy).limits.memory_mb == 1234


def test_workers_get_the_courses_process_and_output_limits(toy):
    from igcourse.grading.sandboxed import default_isolation

    extra = "c.GradingLimits.max_processes = 300\nc.GradingLimits.output_limit_kb = 8\n"
    (toy / "course_config.py").write_text(TOY_CONFIG + extra)
    limits = default_isolation(toy).limits
    assert (limits.processes, limits.output_kb) == (300, 8)


def test_a_library_not_implemented_error_is_not_called_a_stub():
    """NumPy called on a symbolic tensor raises NotImplementedError with a message: a real
    error of the student's code, not the release's `raise NotImplementedError()`."""
    from igcourse.checks import _explain
    from igcourse.grading.plugin import code_error_message

    library = NotImplementedError("Cannot convert a symbolic tf.Tensor to a numpy array.")
    assert "not implemented yet" not in _explain(library)
    assert "Cannot convert" in _explain(library)
    assert "not implemented yet" in _explain(NotImplementedError())
    message = code_error_message("NotImplementedError", str(library), "kl_divergence")
    assert "not implemented yet" not in message and "Cannot convert" in message


def test_an_error_that_says_no_gradient_reached_gets_the_tapes_advice_and_others_none():
    from igcourse.grading.plugin import code_error_message

    message = code_error_message(
        "ValueError", "in user code: ... No gradients provided for any variable.", "g_step"
    )
    assert "GradientTape" in message
    # Any other error is shown as it is: no fixed guess at its cause.
    other = code_error_message("ValueError", "shapes (2,) and (3,)", "g_step")
    assert other == "Your code raised an error in `g_step`: ValueError: shapes (2,) and (3,)."


def test_a_numpy_value_on_the_tape_and_a_fixed_reshape_get_advice_of_their_own():
    from igcourse.grading.plugin import code_error_message

    tape = code_error_message(
        "AttributeError", "'numpy.float32' object has no attribute '_id'", "generator_loss"
    )
    assert "NumPy value reached the gradient tape" in tape and "keras.ops" in tape
    reshape = code_error_message(
        "InvalidArgumentError",
        "Input to reshape is a tensor with 48 values, but the requested shape requires a "
        "multiple of 784 [Op:Reshape]",
        "vae_loss",
    )
    assert "fixed 784 values" in reshape and "input's own shape" in reshape
    # The same words without the tape's or the reshape's context: no advice.
    plain = code_error_message("AttributeError", "'Foo' object has no attribute '_id'", "f")
    assert (
        plain
        == "Your code raised an error in `f`: AttributeError: 'Foo' object has no attribute '_id'."
    )


def test_two_dtypes_in_one_operation_get_advice_with_both_named():
    from igcourse.grading.plugin import code_error_message

    message = code_error_message(
        "InvalidArgumentError",
        "cannot compute Mul as input #1(zero-based) was expected to be a double tensor but is "
        "a float tensor [Op:Mul] name: ",
        "call",
    )
    assert "a double and a float tensor" in message and "dtype=x.dtype" in message


def test_an_error_inside_a_tf_function_keeps_its_own_words_through_the_cut():
    from igcourse.sandbox.worker import MAX_MESSAGE, _brief

    frames = "".join(f'    File "lib.py", line {n}, in f\n        g()\n' for n in range(50))
    wrapped = (
        f"in user code:\n\n{frames}\n    ValueError: No gradients provided for any variable.\n"
    )
    brief = _brief(wrapped)
    assert brief.startswith("No gradients provided for any variable.")
    assert len(brief) == MAX_MESSAGE
    assert _brief("shapes (2,) and (3,)") == "shapes (2,) and (3,)"


def test_a_keras_layer_error_inside_a_tf_function_keeps_its_own_words_not_its_arguments():
    from igcourse.grading.plugin import code_error_message
    from igcourse.sandbox.worker import _brief

    wrapped = (
        'in user code:\n\n    File "lib.py", line 7, in call\n        g = SeedGenerator(1)\n\n'
        "    ValueError: Exception encountered when calling Sampling.call().\n"
        "    \x1b[1mtf.function only supports singleton tf.Variables created on the first call. "
        "Make sure the tf.Variable is only created once.\x1b[0m\n\n"
        "    Arguments received by Sampling.call():\n      \u2022 inputs=('tf.Tensor(...)',)\n"
    )
    brief = _brief(wrapped)
    assert brief.startswith("tf.function only supports singleton tf.Variables")
    message = code_error_message("ValueError", brief, "Sampling.call")
    assert "Create it once, in __init__ or build" in message


def test_a_softmax_cross_entropy_over_one_channel_is_told_to_use_the_sigmoid_one():
    from igcourse.grading.plugin import code_error_message

    detail = (
        "{{function_node __wrapped__SparseSoftmaxCrossEntropyWithLogits}} Received a label "
        "value of 1 which is outside the valid range of [0, 1).  Label values: 1 0 1"
    )
    message = code_error_message("InvalidArgumentError", detail, "bits_per_dim")
    assert "label 1 for logits with one channel" in message and "sigmoid" in message
    other = detail.replace("[0, 1)", "[0, 4)").replace("value of 1", "value of 7")
    assert "sigmoid" not in code_error_message("InvalidArgumentError", other, "f")


def test_a_list_of_candidate_mistakes_is_dropped_where_another_message_names_one_of_them():
    from igcourse.grading.mutants import known_mistake_message, without_redundant_lists

    single = "Loss is 1.\n" + known_mistake_message(["the sign is flipped."])
    listed = "Gradient is 0.\n" + known_mistake_message(["label 0.", "the sign is flipped."])
    other = "Shape is (2,).\n" + known_mistake_message(["label 0.", "sigmoid twice."])
    assert without_redundant_lists([single, listed, other]) == [single, "Gradient is 0.", other]
    assert without_redundant_lists([listed, other]) == [listed, other]


NEEDS_CHECKS = """
import probes_toy as probes
import pytest

from igcourse.grading.checks import check

PART_NAMES = {"double": ["double"], "quadruple": ["quadruple"]}


@pytest.mark.part("double")
def test_double(submission):
    out = submission.probe("double", probes.call, "double", 3)
    check(out == 6, f"double(3) should be 6, not {out}.")


@pytest.mark.needs("double")
@pytest.mark.part("quadruple")
def test_quadruple_with_the_students_double(submission):
    out = submission.probe(None, probes.call, "quadruple", 3)
    check(out == 12, f"quadruple(3) should be 12, not {out}.")
"""


def test_a_check_that_needs_a_failing_part_is_skipped_and_costs_nothing(tmp_path):
    """One mistake costs one part: a wrong double fails double; the quadruple check that runs
    the student's double too is skipped, with a message, instead of failing."""
    root = make_validation_toy(tmp_path)
    (root / "autograder" / "ch99_toy" / "test_toy.py").write_text(NEEDS_CHECKS)
    student = root / "student" / "toy.ipynb"
    student.parent.mkdir()
    code = "def double(x):\n    return x + 2\n\n\ndef quadruple(x):\n    return double(double(x))\n"
    nbformat.write(_notebook(code), str(student))
    _pytest(root, f"--implementation=notebook:{student}", "--results", str(root / "r.json"))
    by_check = {r.check: r for r in read_results(root / "r.json")[f"notebook:{student}"]}
    assert by_check["test_double"].outcome == "failed"
    skipped = by_check["test_quadruple_with_the_students_double"]
    assert skipped.outcome == "skipped" and "fail checks of their own" in skipped.message
    scores = part_scores(list(by_check.values()), {"double": 1, "quadruple": 2})
    assert scores["double"].points == 0 and scores["quadruple"].points == 0


EARLY_CHECKS = """
import probes_toy as probes
import pytest

from igcourse.grading.checks import seeded_rng

STARTED = []


def _label():
    return int(seeded_rng("early").integers(1_000_000))


def early_probes(submission):
    STARTED.append(submission.label)
    submission.start_early("double", probes.served, _label())
    raise RuntimeError("an early_probes that fails after starting costs no check anything")


@pytest.mark.part("double")
def test_the_checks_worker_answers_first(submission):
    assert submission.probe("double", probes.served, -1) == 1


@pytest.mark.part("double")
def test_the_early_worker_answers_the_same_request(submission):
    # The checks' worker has answered one probe; the early one none before this.
    assert submission.probe("double", probes.served, _label()) == 1
    assert STARTED.count(submission.label) == 1
"""

EARLY_PROBES = """
SERVED = []


def served(ns, label):
    SERVED.append(label)
    return len(SERVED)
"""


def test_a_check_files_early_probes_start_once_per_submission_with_its_salt(toy, tmp_path):
    """early_probes(submission) runs as each submission's first check starts, with its salt,
    once; the check that asks for the same request gets the early worker's answer."""
    import json

    checks = toy / "autograder" / "ch99_toy"
    (checks / "test_toy.py").write_text(EARLY_CHECKS)
    (checks / "probes_toy.py").write_text(EARLY_PROBES)
    students = []
    for name in ("ann", "bob"):
        student = toy / name / "toy.ipynb"
        student.parent.mkdir()
        nbformat.write(_notebook("def double(x):\n    return 2 * x\n"), str(student))
        students.append(f"notebook:{student}")
    salts = tmp_path / "salts.json"
    salts.write_text(json.dumps({students[0]: "salt one", students[1]: "salt two"}))
    run = _pytest(
        toy,
        *(f"--implementation={spec}" for spec in students),
        "--sandbox",
        f"--salts={salts}",
        "--results",
        str(toy / "r.json"),
    )
    results = read_results(toy / "r.json")
    for spec in students:
        assert [r.outcome for r in results[spec]] == ["passed", "passed"], run.stdout
