"""Shared fixtures of the Python suite: the repository, the CLI and its parity expectations.

`scripts/test-python` builds the CLI, writes the expectations with
`scripts/parity-expectations`, and passes both through the environment.
"""

import json
import os
import pathlib
from typing import Any, Dict

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _required_path(variable: str) -> pathlib.Path:
    value = os.environ.get(variable)
    if not value:
        raise RuntimeError(f"{variable} is not set; run the suite through scripts/test-python")
    return pathlib.Path(value)


@pytest.fixture(scope="session")
def root() -> pathlib.Path:
    return ROOT


@pytest.fixture(scope="session")
def zave_cli() -> pathlib.Path:
    """The native `zave` binary the binding is compared with."""
    return _required_path("ZAVE_CLI")


@pytest.fixture(scope="session")
def expectations() -> Dict[str, Any]:
    """What the CLI produced for every case of fixtures/parity/cases.json."""
    with open(_required_path("ZAVE_PARITY_EXPECTATIONS"), encoding="utf-8") as file:
        expected: Dict[str, Any] = json.load(file)
    return expected


def load_cases() -> Dict[str, Any]:
    with open(ROOT / "fixtures" / "parity" / "cases.json", encoding="utf-8") as file:
        cases: Dict[str, Any] = json.load(file)
    return cases
