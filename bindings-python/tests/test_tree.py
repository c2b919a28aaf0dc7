"""The GitOps tree on disk: `zave.write_tree` and `zave.check_tree` against `zave render --out`
and `--check` (the same writer), all or nothing, and never through a symbolic link."""

import os
import pathlib
import shutil
import subprocess
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple, Union

import pytest

import zave
from conftest import ROOT, load_cases

CASES = load_cases()
VALID = sorted((ROOT / "fixtures" / "contracts" / "valid").glob("*.yaml"))
PLATFORM = ROOT / "fixtures" / "contracts" / "platform"
MIA = PLATFORM / "mia.yaml"
#: The module without its types, to call it the wrong way on purpose.
untyped: Any = zave

Snapshot = Dict[str, Union[bytes, str]]


def snapshot(root: pathlib.Path) -> Snapshot:
    """Every entry below `root`: a file's bytes, a link's target, "<folder>" for a folder."""
    found: Snapshot = {}
    for folder, folders, files in os.walk(root):
        for name in folders + files:
            path = pathlib.Path(folder) / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[relative] = "-> " + os.readlink(path)
            elif path.is_dir():
                found[relative] = "<folder>"
            else:
                found[relative] = path.read_bytes()
    return dict(sorted(found.items()))


def files_of(root: pathlib.Path) -> Dict[str, bytes]:
    """The files of a tree, by tree path (folders and links are not files)."""
    return {path: data for path, data in snapshot(root).items() if isinstance(data, bytes)}


Run = subprocess.CompletedProcess[str]


def cli(zave_cli: pathlib.Path, *args: Union[str, "os.PathLike[str]"]) -> Run:
    command = [str(zave_cli), *map(str, args)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def cli_render(
    zave_cli: pathlib.Path,
    out: pathlib.Path,
    contracts: Sequence[pathlib.Path],
    *extra: str,
    profile: str = "kind",
) -> Run:
    return cli(zave_cli, "render", *contracts, "--profile", profile, "--out", out, *extra)


def listed(stdout: str) -> Set[Tuple[str, str]]:
    """The `(change, path)` pairs of the CLI's listing."""
    pairs = set()
    for line in stdout.splitlines():
        change, path = line.split(":", 1)
        pairs.add((change, path.strip()))
    return pairs


def name_of(path: pathlib.Path) -> str:
    return zave.render(path).name


# -- same bytes as the CLI ------------------------------------------------------------------


def profile_of(case: Dict[str, Any]) -> Union[str, zave.Profile]:
    if "profileFile" in case:
        return zave.Profile.from_yaml(ROOT / case["profileFile"])
    profile: str = case["profile"]
    return profile


def profile_args(case: Dict[str, Any]) -> List[str]:
    if "profileFile" in case:
        return ["--profile-file", case["profileFile"]]
    return ["--profile", case["profile"]]


def rendered_name(case: Dict[str, Any]) -> Optional[str]:
    """The tenant a case renders, or `None` when the case is refused."""
    options = {key: case[key] for key in ("image", "version", "bundle", "strict") if key in case}
    try:
        return zave.render(ROOT / case["contract"], profile=profile_of(case), **options).name
    except zave.ContractError:
        return None


RENDERED = [case for case in CASES["render"] if rendered_name(case) is not None]


def test_most_cases_render() -> None:
    assert len(RENDERED) > len(CASES["render"]) / 2


@pytest.mark.parametrize("case", RENDERED, ids=lambda case: case["id"])
def test_write_tree_writes_the_cli_tree(
    case: Dict[str, Any],
    tmp_path: pathlib.Path,
    zave_cli: pathlib.Path,
    expectations: Dict[str, Any],
) -> None:
    assert expectations["render"][case["id"]]["exit"] == 0
    name = rendered_name(case)
    assert name is not None
    report = zave.write_tree(
        tmp_path / "python",
        [ROOT / case["contract"]],
        profile=profile_of(case),
        images={name: case["image"]} if "image" in case else None,
        versions={name: case["version"]} if "version" in case else None,
        bundle=case.get("bundle"),
        strict=case.get("strict", False),
    )
    args: List[str] = [case["contract"], *profile_args(case), "--out", str(tmp_path / "cli")]
    for option, flag in (("image", "--image"), ("version", "--version-label"), ("bundle", "--bundle")):
        if option in case:
            args += [flag, case[option]]
    if case.get("strict"):
        args.append("--strict")
    run = cli(zave_cli, "render", *args)
    assert run.returncode == 0, run.stderr
    written = files_of(tmp_path / "python")
    assert written == files_of(tmp_path / "cli")
    assert {(d.change, d.path) for d in report.differences} == {("added", p) for p in written}
    assert report.tenants == 1
    assert not report.ok


def test_many_contracts_at_once_give_the_cli_tree(
    tmp_path: pathlib.Path, zave_cli: pathlib.Path
) -> None:
    report = zave.write_tree(tmp_path / "python", VALID, profile="kind")
    run = cli_render(zave_cli, tmp_path / "cli", VALID)
    assert run.returncode == 0, run.stderr
    assert files_of(tmp_path / "python") == files_of(tmp_path / "cli")
    assert report.tenants == len(VALID)
    assert len(report.differences) == len(files_of(tmp_path / "python"))


def test_a_second_run_over_a_subset_keeps_the_other_tenants(
    tmp_path: pathlib.Path, zave_cli: pathlib.Path
) -> None:
    python, native = tmp_path / "python", tmp_path / "cli"
    zave.write_tree(python, VALID)
    assert cli_render(zave_cli, native, VALID).returncode == 0
    before = files_of(python)
    subset = VALID[:2]
    name = name_of(subset[0])
    image = f"localhost:5001/{name}@sha256:" + "b" * 64
    report = zave.write_tree(python, subset, images={name: image})
    run = cli_render(zave_cli, native, subset, "--image", f"{name}={image}")
    assert run.returncode == 0, run.stderr
    after = files_of(python)
    assert after == files_of(native)
    assert after.keys() == before.keys()
    changed = {path for path in after if after[path] != before[path]}
    # Only the tenant with a new image changed; every file of the others is byte-identical.
    assert f"clusters/kind/tenants/{name}/deployment-{name}.yaml" in changed
    assert {tenant_of(path) for path in changed} == {name}
    assert [(d.change, d.path) for d in report.differences] == [
        ("changed", path) for path in sorted(changed)
    ]
    assert report.tenants == len(VALID)
    names = sorted(name_of(path) for path in VALID)
    index = after["clusters/kind/platform/tenants/kustomization.yaml"].decode()
    assert index.endswith("resources:\n" + "".join(f"- {n}\n" for n in names))
    applications = after["clusters/kind/platform/argocd/applications/kustomization.yaml"].decode()
    assert applications.endswith("resources:\n" + "".join(f"- {n}.yaml\n" for n in names))


# -- check_tree is `zave render --check` ----------------------------------------------------


def edit(out: pathlib.Path) -> None:
    path = out / "clusters/kind/tenants/docs/deployment-docs.yaml"
    path.write_bytes(path.read_bytes() + b"# edited by hand\n")


def delete(out: pathlib.Path) -> None:
    (out / "clusters/kind/tenants/docs/service-docs.yaml").unlink()


def unchanged(out: pathlib.Path) -> None:
    pass


@pytest.mark.parametrize(
    "change, contracts, prune, expected",
    [
        (unchanged, VALID, False, set()),
        (edit, VALID, False, {("changed", "clusters/kind/tenants/docs/deployment-docs.yaml")}),
        (delete, VALID, False, {("added", "clusters/kind/tenants/docs/service-docs.yaml")}),
        (unchanged, VALID[:2], False, set()),
        (unchanged, VALID[:2], True, None),
    ],
    ids=["unchanged", "edited", "deleted", "subset", "subset-pruned"],
)
def test_check_tree_agrees_with_the_cli_check(
    change: Any,
    contracts: List[pathlib.Path],
    prune: bool,
    expected: Optional[Set[Tuple[str, str]]],
    tmp_path: pathlib.Path,
    zave_cli: pathlib.Path,
) -> None:
    out = tmp_path / "out"
    zave.write_tree(out, VALID)
    change(out)
    before = snapshot(out)
    report = zave.check_tree(out, contracts, prune=prune)
    run = cli_render(zave_cli, out, contracts, "--check", *(["--prune"] if prune else []))
    assert snapshot(out) == before, "a check writes nothing"
    found = {(d.change, d.path) for d in report.differences}
    assert run.returncode == (0 if report.ok else 1), run.stderr
    assert listed(run.stdout) == found
    assert run.stdout == (str(report) + "\n" if report.differences else "")
    if expected is not None:
        assert found == expected
        assert report.tenants == len(VALID)
        return
    # Pruned: every file of the tenants the run does not name goes; the index lists the rest.
    kept = {name_of(path) for path in contracts}
    others = {name_of(path) for path in VALID} - kept
    gone = {("removed", path) for path in files_of(out) if tenant_of(path) in others}
    index = {
        ("changed", "clusters/kind/platform/argocd/applications/kustomization.yaml"),
        ("changed", "clusters/kind/platform/tenants/kustomization.yaml"),
    }
    assert found == gone | index
    assert report.tenants == len(kept)


def tenant_of(path: str) -> Optional[str]:
    """The tenant whose place holds tree path `path`; `None` for an index file."""
    for folder in ("clusters/kind/tenants/", "clusters/kind/platform/tenants/"):
        if path.startswith(folder) and path.count("/") == folder.count("/") + 1:
            return path[len(folder) :].split("/")[0]
    applications = "clusters/kind/platform/argocd/applications/"
    if path.startswith(applications) and path != applications + "kustomization.yaml":
        return path[len(applications) :].removesuffix(".yaml")
    return None


def test_check_tree_of_a_missing_folder_adds_everything_and_makes_nothing(
    tmp_path: pathlib.Path,
) -> None:
    report = zave.check_tree(tmp_path / "out", [MIA])
    assert not (tmp_path / "out").exists()
    assert report.differences and all(d.change == "added" for d in report.differences)
    assert report.tenants == 1


def test_a_pruning_write_takes_the_other_tenants_out(tmp_path: pathlib.Path) -> None:
    out = tmp_path / "out"
    zave.write_tree(out, VALID)
    checked = zave.check_tree(out, VALID[:1], prune=True)
    written = zave.write_tree(out, VALID[:1], prune=True)
    assert written.differences == checked.differences
    assert written.tenants == 1
    assert zave.check_tree(out, VALID[:1]).ok
    name = name_of(VALID[0])
    assert {tenant_of(path) for path in files_of(out)} == {name, None}
    assert sorted(p.name for p in (out / "clusters/kind/tenants").iterdir()) == [name]


# -- all or nothing -------------------------------------------------------------------------


def test_two_contracts_with_one_name_are_refused_and_nothing_is_written(
    tmp_path: pathlib.Path, zave_cli: pathlib.Path
) -> None:
    twins = [PLATFORM / "payments-api.yaml", PLATFORM / "payments-api-minimal.yaml"]
    out = tmp_path / "out"
    duplicate = 'another contract of this set is already named "payments-api"'
    with pytest.raises(zave.ContractError, match=duplicate) as refused:
        zave.write_tree(out, twins)
    assert str(PLATFORM / "payments-api-minimal.yaml") in str(refused.value)
    # The refused contract's findings: Z401, and its own report (a defaulted tier).
    errors = [d.code for d in refused.value.diagnostics if d.is_error]
    assert errors == ["Z401"]
    assert not out.exists()
    with pytest.raises(zave.ContractError, match=duplicate):
        zave.check_tree(out, twins)
    run = cli_render(zave_cli, tmp_path / "cli", twins)
    assert run.returncode == 1 and duplicate in run.stderr
    assert not (tmp_path / "cli").exists()
    # Over an existing tree: unchanged.
    zave.write_tree(out, VALID)
    before = snapshot(tmp_path)
    with pytest.raises(zave.ContractError):
        zave.write_tree(out, [*VALID, *twins])
    assert snapshot(tmp_path) == before


def test_every_refused_contract_is_reported_in_input_order(tmp_path: pathlib.Path) -> None:
    invalid = ROOT / "fixtures" / "contracts" / "invalid"
    refused = [invalid / "unknown-values.yaml", invalid / "name-upper-case.yaml"]
    expected: List[zave.ContractError] = []
    for path in refused:
        with pytest.raises(zave.ContractError) as one:
            zave.render(path)
        expected.append(one.value)
    out = tmp_path / "out"
    with pytest.raises(zave.ContractError) as all_of_them:
        zave.write_tree(out, [VALID[0], refused[0], VALID[1], refused[1]])
    error = all_of_them.value
    assert error.diagnostics == [d for e in expected for d in e.diagnostics]
    assert str(error) == "\n".join(str(e) for e in expected)
    assert not out.exists()


# -- never outside the output folder, never through a link ----------------------------------


def outside_folder(tmp_path: pathlib.Path) -> pathlib.Path:
    """A folder that is not the tree, with files that look like zave's."""
    outside = tmp_path / "outside"
    (outside / "nested").mkdir(parents=True)
    header = (ROOT / "fixtures" / "contracts" / "valid" / "engine-none.yaml").read_bytes()
    (outside / "sentinel").write_bytes(b"mine\n")
    (outside / "deployment-mia.yaml").write_bytes(b"# Generated by zave 0.1.0\n" + header)
    (outside / "kustomization.yaml").write_bytes(b"# Generated by zave 0.1.0\n")
    (outside / "nested" / "file").write_bytes(b"nested\n")
    return outside


@pytest.mark.parametrize("form", ["{link}", "{link}/.", "{link}/./"])
def test_out_as_a_symbolic_link_is_refused(tmp_path: pathlib.Path, form: str) -> None:
    target = outside_folder(tmp_path)
    link = tmp_path / "link"
    link.symlink_to(target, target_is_directory=True)
    before = snapshot(target)
    out = form.format(link=link)
    for run in (zave.write_tree, zave.check_tree):
        with pytest.raises(zave.TreeError, match="is a symbolic link") as refused:
            run(out, [MIA])
        assert isinstance(refused.value, OSError) and isinstance(refused.value, zave.ZaveError)
        assert refused.value.errno is None and refused.value.diagnostics == []
    assert snapshot(target) == before


def test_out_with_a_parent_step_is_refused(tmp_path: pathlib.Path) -> None:
    (tmp_path / "real").mkdir()
    before = snapshot(tmp_path)
    for run in (zave.write_tree, zave.check_tree):
        with pytest.raises(zave.TreeError, match="outside the output folder"):
            run(f"{tmp_path}/real/../x", [MIA])
    assert snapshot(tmp_path) == before


def test_an_empty_out_is_refused(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for run in (zave.write_tree, zave.check_tree):
        with pytest.raises(zave.TreeError, match="an empty path is not a folder"):
            run("", [MIA])
    assert snapshot(tmp_path) == {}


def test_out_that_is_a_file_is_refused(tmp_path: pathlib.Path) -> None:
    (tmp_path / "out").write_bytes(b"a file\n")
    with pytest.raises(zave.TreeError, match="is not a folder"):
        zave.write_tree(tmp_path / "out", [MIA])
    assert (tmp_path / "out").read_bytes() == b"a file\n"


@pytest.mark.parametrize(
    "place, target",
    [
        ("clusters/kind/tenants/mia", "."),
        ("clusters/kind/platform/tenants/mia", "."),
        ("clusters/kind/tenants", "."),
        ("clusters/kind/platform/argocd/applications/mia.yaml", "deployment-mia.yaml"),
        ("clusters/kind/tenants/mia/deployment-mia.yaml", "deployment-mia.yaml"),
    ],
)
@pytest.mark.parametrize("existing", [False, True], ids=["fresh", "existing"])
def test_a_planted_link_is_refused_and_its_target_unchanged(
    tmp_path: pathlib.Path, place: str, target: str, existing: bool
) -> None:
    outside = outside_folder(tmp_path)
    out = tmp_path / "out"
    if existing:
        zave.write_tree(out, [MIA])
    planted = out / place
    if planted.is_dir():
        shutil.rmtree(planted)
    elif planted.exists():
        planted.unlink()
    planted.parent.mkdir(parents=True, exist_ok=True)
    planted.symlink_to(outside / target, target_is_directory=target == ".")
    before = snapshot(outside)
    tree = snapshot(out)
    for run in (zave.write_tree, zave.check_tree):
        with pytest.raises(zave.TreeError, match="is a symbolic link"):
            run(out, [MIA])
    with pytest.raises(zave.TreeError, match="is a symbolic link"):
        zave.write_tree(out, [MIA], prune=True)
    assert snapshot(outside) == before
    assert snapshot(out) == tree


def test_a_file_zave_did_not_write_is_refused_and_kept(tmp_path: pathlib.Path) -> None:
    out = tmp_path / "out"
    zave.write_tree(out, [MIA])
    mine = out / "clusters/kind/tenants/mia/notes.yaml"
    mine.write_bytes(b"kind: ConfigMap\n")
    before = snapshot(out)
    with pytest.raises(zave.TreeError, match="was not generated by zave"):
        zave.write_tree(out, [MIA], images={"mia": "localhost:5001/mia@sha256:" + "c" * 64})
    assert snapshot(out) == before


def test_a_run_waits_for_another_holding_the_tree(tmp_path: pathlib.Path) -> None:
    import fcntl
    import threading

    out = tmp_path / "out"
    zave.write_tree(out, [MIA])
    holder = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(holder, fcntl.LOCK_SH)  # a check in progress: other checks share it
        assert zave.check_tree(out, [MIA], wait=0).ok
        with pytest.raises(zave.TreeError, match="another zave run is using"):
            zave.write_tree(out, [MIA], wait=0.05)
        # The GIL is released while waiting: this thread lets go of the lock meanwhile.
        release = threading.Timer(0.2, fcntl.flock, (holder, fcntl.LOCK_UN))
        release.start()
        assert zave.write_tree(out, [MIA], wait=30).ok
        release.join()
    finally:
        os.close(holder)


# -- inputs ---------------------------------------------------------------------------------


def test_a_tenant_keeps_the_image_and_version_its_tree_records(tmp_path: pathlib.Path) -> None:
    out = tmp_path / "out"
    image = "localhost:5001/mia@sha256:" + "a" * 64
    zave.write_tree(out, [MIA], images={"mia": image}, versions={"mia": "sha-abcdef0"})
    deployment = out / "clusters/kind/tenants/mia/deployment-mia.yaml"
    first = deployment.read_bytes()
    assert f"image: {image}".encode() in first
    again = zave.write_tree(out, [MIA])
    assert again.ok and again.tenants == 1
    assert deployment.read_bytes() == first
    assert zave.check_tree(out, [MIA]).ok


def test_an_image_for_a_tenant_the_run_does_not_render_is_refused(tmp_path: pathlib.Path) -> None:
    with pytest.raises(zave.TreeError, match='"web"'):
        zave.write_tree(tmp_path / "out", [MIA], images={"web": "localhost:5001/web:v1"})
    assert not (tmp_path / "out").exists()


def test_every_source_form_writes_the_same_tree(tmp_path: pathlib.Path) -> None:
    text = MIA.read_text()
    zave.write_tree(tmp_path / "path", [MIA])
    zave.write_tree(tmp_path / "str", [text])
    zave.write_tree(tmp_path / "bytes", iter([text.encode()]))
    reference = files_of(tmp_path / "path")
    assert files_of(tmp_path / "str") == reference
    assert files_of(tmp_path / "bytes") == reference


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda out: untyped.write_tree(out, MIA), "sources is an iterable of contracts"),
        (lambda out: untyped.write_tree(out, "kind: Workload"), "got one str"),
        (lambda out: untyped.write_tree(out, [42]), "a contract is YAML text"),
        (lambda out: untyped.write_tree(b"out", [MIA]), "out must be a str or an os.PathLike"),
        (lambda out: untyped.write_tree(out, [MIA], images={"mia": 1}), "images must map"),
        (lambda out: untyped.check_tree(out, [MIA], prune="yes"), "prune must be a bool"),
        (lambda out: untyped.write_tree(out, [MIA], wait="1"), "wait must be a number"),
    ],
)
def test_bad_argument_types_raise_type_error(
    call: Any, message: str, tmp_path: pathlib.Path
) -> None:
    with pytest.raises(TypeError, match=message):
        call(tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_report_lists_like_the_cli() -> None:
    report = zave.TreeReport(
        [
            zave.TreeDifference("a/b.yaml", "added"),
            zave.TreeDifference("a/c.yaml", "leftover"),
        ],
        tenants=2,
    )
    assert str(report) == "added:    a/b.yaml\nleftover: a/c.yaml"
    assert not report.ok and zave.TreeReport([], 0).ok
    with pytest.raises(AttributeError):
        untyped.TreeReport([], 0).tenants = 1
