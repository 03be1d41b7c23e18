"""A probe started early (SandboxedImplementation.start_early) runs on a worker of its own, and
the check that later asks for the same request takes its answer, charged as if it ran there."""

import importlib.util

import pytest

from igcourse.grading.sandboxed import SandboxedImplementation, StudentCodeError
from igcourse.sandbox import SandboxTimeout
from igcourse.sandbox.isolation import Isolation, Limits

PROBES = """
import time

SERVED = []


def count(ns, label):
    SERVED.append(label)
    return len(SERVED)  # how many probes this worker has answered


def slow(ns, seconds):
    time.sleep(seconds)
    return seconds


def broken(ns):
    return ns.boom()
"""

SOURCE = "def boom():\n    raise ValueError('the shapes do not match')\n"


@pytest.fixture
def probes(tmp_path):
    path = tmp_path / "probes_early.py"
    path.write_text(PROBES, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("probes_early", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _implementation(probes, **options):
    isolation = Isolation(limits=Limits(memory_mb=2048, cpu_seconds=60))
    implementation = SandboxedImplementation(
        "early", SOURCE, isolation=isolation, current_part=lambda: "part", **options
    )
    implementation.probes_module = probes
    return implementation


def test_the_check_takes_the_answer_of_the_probe_started_early_once(probes):
    with_early = _implementation(probes)
    try:
        assert with_early.probe(None, probes.count, "a") == 1
        assert with_early.probe(None, probes.count, "b") == 2
        with_early.start_early(None, probes.count, "c")
        with_early.start_early(None, probes.count, "c")  # the same request starts nothing more
        # Its own worker had answered nothing before; the checks' worker had answered two.
        assert with_early.probe(None, probes.count, "c") == 1
        assert with_early.probe(None, probes.count, "c") == 3  # asked again: it runs again
        assert with_early.probe(None, probes.count, "d") == 4  # another request: not early
    finally:
        with_early.close()


def test_an_error_of_the_early_probe_reaches_the_check_that_asks_for_it(probes):
    with_early = _implementation(probes)
    try:
        with_early.start_early(None, probes.broken)
        with pytest.raises(StudentCodeError) as raised:
            with_early.probe(None, probes.broken)
        assert raised.value.error == "ValueError"
        assert raised.value.function == "boom"
    finally:
        with_early.close()


def test_the_early_probes_seconds_count_against_its_parts_time_when_asked_for(probes):
    with_early = _implementation(probes, part_time=4.0)
    try:
        with_early.start_early(None, probes.slow, 1.5)
        assert with_early.probe(None, probes.slow, 3.0) == 3.0  # 1 s of the part's 4 left
        with pytest.raises(SandboxTimeout, match="did not finish within 1 s"):
            with_early.probe(None, probes.slow, 1.5)
    finally:
        with_early.close()


def test_an_early_probe_never_asked_for_ends_with_the_submission(probes):
    with_early = _implementation(probes)
    with_early.start_early(None, probes.slow, 30.0)
    (box,) = with_early._early_boxes
    with_early.close()
    assert box._process is None
