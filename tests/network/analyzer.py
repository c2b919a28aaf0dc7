"""Runs IBM's network-config-analyzer (`nca`) on one stream, once per query."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import matrix

NCA_VERSION = "2.1.0"


def nca_binary() -> str:
    path = Path(sys.executable).parent / "nca"
    assert path.exists(), f"nca not found next to {sys.executable}: run scripts/test-network"
    return str(path)


@dataclass
class Run:
    command: list[str]
    returncode: int
    stdout: str
    stderr: str

    def explain(self) -> str:
        return f"$ {' '.join(self.command)}\n(exit {self.returncode})\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


def run(args: list[str], stream: Path) -> Run:
    command = [nca_binary(), *args, "--resource_list", str(stream)]
    env = dict(os.environ, PYTHONHASHSEED="0")
    p = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env)
    return Run(command, p.returncode, p.stdout, p.stderr)


def version() -> str:
    p = subprocess.run([nca_binary(), "--version"], capture_output=True, text=True, check=True)
    return (p.stdout + p.stderr).strip()


def connectivity(stream: Path) -> tuple[dict, Run]:
    """The whole connectivity map, one line per pair (`txt_no_fw_rules`), canonicalised."""
    r = run(["--connectivity", "--output_format", "txt_no_fw_rules"], stream)
    assert r.returncode == 0, r.explain()
    edges = matrix.parse(r.stdout)
    assert edges, f"the analyzer reported no connection at all:\n{r.explain()}"
    return matrix.canonical(edges), r


def sanity(stream: Path) -> tuple[list[str], Run]:
    """The findings of `--sanity` (redundant, empty, vacuous policies and rules), one per line."""
    r = run(["--sanity"], stream)
    assert r.returncode == 0 or "sanity check" in r.stdout, r.explain()
    lines = [l.rstrip() for l in r.stdout.splitlines()]
    passed = [l for l in lines if l.endswith("passed sanity check")]
    failed = [i for i, l in enumerate(lines) if l.endswith("failed sanity check:")]
    assert len(passed) + len(failed) == 1, f"no sanity verdict:\n{r.explain()}"
    if passed:
        return [], r
    findings = []
    for l in lines[failed[0] + 1 :]:
        l = l.strip()
        if not l or l.startswith("Total run time") or l.startswith("global:"):
            continue
        findings.append(l)
    assert findings, f"sanity failed without a finding:\n{r.explain()}"
    return findings, r
