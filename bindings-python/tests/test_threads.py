"""Rendering releases the GIL and is safe from many threads at once."""

import pathlib
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List, Tuple, Union

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


def test_the_gil_is_released_while_rendering() -> None:
    """A thread counting in pure Python keeps running while others render."""
    stop = threading.Event()
    ticks = [0]

    def count() -> None:
        while not stop.is_set():
            ticks[0] += 1

    counter = threading.Thread(target=count)
    counter.start()
    try:
        for _ in range(20):
            render_all("kind")
    finally:
        stop.set()
        counter.join()
    assert ticks[0] > 0
