"""Rendering releases the GIL and is safe from many threads at once."""

import pathlib
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Dict, List, Tuple, Union

import zave
from conftest import ROOT

CONTRACTS = sorted((ROOT / "fixtures" / "contracts" / "valid").glob("*.yaml"))


Outcome = Union[Dict[str, str], List[str]]


def outcome(path: pathlib.Path, profile: str) -> Outcome:
    """The files of a render, or the codes of its refusal."""
    try:
        return zave.render(path, profile=profile).files
    except zave.ContractError as error:
        return [d.code for d in error.diagnostics]


def render_all(profile: str) -> List[Tuple[str, Outcome]]:
    return [(path.name, outcome(path, profile)) for path in CONTRACTS]


def test_eight_threads_render_what_one_thread_renders() -> None:
    profiles = ["kind", "linode", "aws"]
    sequential = {profile: render_all(profile) for profile in profiles}
    start = threading.Barrier(8)

    def work(index: int) -> Tuple[str, List[Tuple[str, Outcome]]]:
        profile = profiles[index % len(profiles)]
        start.wait()
        results = []
        for _ in range(5):
            results = render_all(profile)
        return profile, results

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(work, range(8)))
    assert len(outcomes) == 8
    for profile, results in outcomes:
        assert results == sequential[profile]


def ticks_of_another_thread_during(work: Callable[[], object]) -> int:
    """How often a second Python thread ran while `work` ran in this one.

    With a switch interval far longer than the test, CPython never takes the GIL from a
    thread by itself: the second thread runs only when this one releases the GIL.
    """
    previous = sys.getswitchinterval()
    sys.setswitchinterval(100.0)
    try:
        started = threading.Event()
        stop = threading.Event()
        ticks = [0]

        def count() -> None:
            started.set()
            while not stop.is_set():
                ticks[0] += 1
                time.sleep(0.0005)  # gives the GIL back at once

        counter = threading.Thread(target=count)
        counter.start()
        started.wait()
        before = ticks[0]
        work()
        during = ticks[0] - before
        stop.set()
        counter.join()
        return during
    finally:
        sys.setswitchinterval(previous)


def busy_python(seconds: float = 0.1) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def test_the_gil_is_released_while_rendering() -> None:
    assert ticks_of_another_thread_during(busy_python) == 0, "the control holds the GIL"
    source = (ROOT / "examples" / "zave.yaml").read_bytes()
    renders = ticks_of_another_thread_during(
        lambda: [zave.render(source, profile="aws") for _ in range(40)]
    )
    assert renders > 0, "another thread ran while the core rendered"
