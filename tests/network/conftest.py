"""Fixtures of the NetworkPolicy semantics suite: one world and one analyzer run per query."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import analyzer  # noqa: E402
import world as worlds  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def zave() -> str:
    path = os.environ.get("ZAVE_BIN") or str(REPO / "target" / "debug" / "zave")
    assert Path(path).exists(), f"{path} missing: run scripts/test-network (it builds zave)"
    return path


class Cache:
    def __init__(self, zave: str, root: Path):
        self.zave, self.root, self.items = zave, root, {}

    def world(self, profile: str):
        key = ("world", profile)
        if key not in self.items:
            work = self.root / profile
            w = worlds.build(self.zave, profile, work)
            stream = work / "stream.yaml"
            stream.write_text(w.stream)
            self.items[key] = (w, stream)
        return self.items[key]

    def query(self, name: str, profile: str):
        key = (name, profile)
        if key not in self.items:
            _, stream = self.world(profile)
            self.items[key] = getattr(analyzer, name)(stream)
        return self.items[key]


@pytest.fixture(scope="session")
def cache(zave, tmp_path_factory) -> Cache:
    return Cache(zave, tmp_path_factory.mktemp("network"))
