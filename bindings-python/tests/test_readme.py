"""The README's Python examples run as written, from the repository root."""

import pathlib
import re
from typing import List

import pytest

from conftest import ROOT


def python_examples() -> List[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_the_readme_has_python_examples() -> None:
    assert len(python_examples()) >= 2


@pytest.mark.parametrize("index", range(len(python_examples())))
def test_readme_example_runs(index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code = compile(python_examples()[index], f"README.md python example {index + 1}", "exec")
    exec(code, {"__name__": "__readme__"})


def test_the_folder_example_renders_a_tree(tmp_path: pathlib.Path) -> None:
    import subprocess
    import sys

    script = ROOT / "examples" / "python" / "render_folder.py"
    contracts = ROOT / "fixtures" / "contracts" / "valid"
    run = subprocess.run(
        [sys.executable, str(script), str(contracts), str(tmp_path), "--profile", "kind"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.rstrip().endswith("0 contracts refused")
    assert (tmp_path / "clusters").is_dir()


def test_the_folder_example_writes_nothing_for_two_contracts_of_one_name(
    tmp_path: pathlib.Path,
) -> None:
    import shutil
    import subprocess
    import sys

    contracts = tmp_path / "contracts"
    contracts.mkdir()
    for name in ("payments-api.yaml", "payments-api-minimal.yaml"):
        shutil.copy(ROOT / "fixtures" / "contracts" / "platform" / name, contracts)
    script = ROOT / "examples" / "python" / "render_folder.py"
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, str(script), str(contracts), str(out)], capture_output=True, text=True
    )
    assert run.returncode == 1
    assert 'error[Z401]: metadata.name: another contract of this set is already named "payments-api"' in run.stderr
    assert run.stdout.startswith("nothing written")
    assert not out.exists()
