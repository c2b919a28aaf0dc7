"""Parity: for every shared case, the binding gives byte for byte what the CLI gives."""

import dataclasses
import pathlib
import subprocess
from typing import Any, Dict, List, Union

import pytest

import zave
from conftest import ROOT, load_cases

CASES = load_cases()


def profile_of(case: Dict[str, Any]) -> Union[str, zave.Profile]:
    if "profileFile" in case:
        return zave.Profile.from_yaml(ROOT / case["profileFile"])
    profile: str = case["profile"]
    return profile


def as_dicts(diagnostics: List[zave.Diagnostic]) -> List[Dict[str, Any]]:
    return [dataclasses.asdict(d) for d in diagnostics]


def is_set_file(path: str) -> bool:
    """What a one-contract `--out` render adds around the tenant's files: the index
    kustomizations and, for a tenant on a pooler, the pooler's files."""
    parts = path.split("/")
    index = parts[-1] == "kustomization.yaml" and parts[-2] in ("tenants", "applications")
    return index or parts[-3:-1] == ["platform", "pooler"]


@pytest.mark.parametrize("case", CASES["render"], ids=lambda case: case["id"])
def test_render_matches_the_cli(case: Dict[str, Any], expectations: Dict[str, Any]) -> None:
    expected = expectations["render"][case["id"]]
    options = {key: case[key] for key in ("image", "version", "bundle", "strict") if key in case}
    source = (ROOT / case["contract"]).read_bytes()
    try:
        render = zave.render(source, profile=profile_of(case), **options)
    except zave.ContractError as error:
        assert expected["exit"] == 1, "the CLI rendered what the binding refused"
        assert as_dicts(error.diagnostics) == expected["diagnostics"]
        return
    assert expected["exit"] == 0, "the binding rendered what the CLI refused"
    assert render.to_yaml() == expected["stream"]
    assert as_dicts(render.diagnostics) == expected["diagnostics"]
    tree = expected["tree"]
    for path, content in render.files.items():
        assert tree.get(path) == content, path
    assert all(is_set_file(path) for path in tree.keys() - render.files.keys())
    assert render.tree == tree, "the whole tree is the CLI's, index included"
    assert list(render.tree)[: len(render.files)] == list(render.files), "tenant files first"


@pytest.mark.parametrize("case", CASES["validate"], ids=lambda case: case["id"])
def test_validate_matches_the_cli(case: Dict[str, Any], expectations: Dict[str, Any]) -> None:
    expected = expectations["validate"][case["id"]]
    profile = profile_of(case) if "profile" in case or "profileFile" in case else None
    diagnostics = zave.validate(
        ROOT / case["contract"], profile=profile, strict=case.get("strict", False)
    )
    assert as_dicts(diagnostics) == expected["diagnostics"]
    assert any(d.is_error for d in diagnostics) == (expected["exit"] == 1)


INVALID = sorted((ROOT / "fixtures" / "contracts" / "invalid").glob("*.yaml"))


@pytest.mark.parametrize("path", INVALID, ids=lambda path: path.stem)
def test_error_text_is_the_cli_text(
    path: pathlib.Path, zave_cli: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    relative = path.relative_to(ROOT)
    run = subprocess.run(
        [str(zave_cli), "validate", str(relative)], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 1
    cli_text = run.stdout[: run.stdout.rindex("1 contract checked")]
    monkeypatch.chdir(ROOT)
    with pytest.raises(zave.ContractError) as refused:
        zave.render(relative)
    assert str(refused.value) + "\n" == cli_text
