"""Validate a rendered GitOps tree; run by scripts/validate-manifests.

Usage: python validate_tree.py DIR   (with the repo's .venv python, after the
validate-manifests script installed the pinned tools)

Every file under DIR ends up in exactly one of these checks, or fails:
  1. built-in Kubernetes kinds  -> `kubernetes-validate --strict`, once per
     Kubernetes version (1.33 and the newest bundled version up to 1.37)
  2. custom resources           -> validate-custom-resources.mjs (one node process), or for
                                   Flux's kinds, which have no models, their upstream CRD in
                                   crds/ (validate_crd.py); validate_crds.py checks every
                                   custom resource against its CRD besides
  3. kustomization.yaml         -> `kubectl kustomize DIR` must build
  4. anything else (unknown kind, unparseable YAML, several objects in one
     file, non-.yaml file)       -> failure
The closing line is `validate-manifests: N passed, M failed` (N + M = number of
files). Exit code: 0 all passed, 1 some file failed, 2 a tool could not run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from packaging.version import Version

import kubernetes_validate
import kubernetes_validate.utils as kv_utils
from kubernetes_validate.version import __version__ as KV_VERSION

import validate_crd

HERE = Path(__file__).resolve().parent
NODE_VALIDATOR = HERE / "validate-custom-resources.mjs"
KUBERNETES_VALIDATE = Path(sys.executable).parent / "kubernetes-validate"

OLDEST_TARGET = Version("1.33")
NEWEST_TARGET = Version("1.37")
KV_BATCH = 500  # files per kubernetes-validate process (keeps argv small)
MAX_MESSAGE = 400


# ---------------------------------------------------------------- results

@dataclass
class FileResult:
    rel: str  # path relative to DIR, as printed
    check: str = ""  # "builtin" | "custom" | "kustomize" | "other"
    what: str = ""  # "apps/v1 Deployment web"
    errors: list[str] = field(default_factory=list)
    done: bool = False  # a check produced a verdict for this file

    def fail(self, message: str, limit: int = MAX_MESSAGE) -> None:
        message = " ".join(message.split())
        if len(message) > limit:
            message = message[:limit] + " ..."
        self.errors.append(message)
        self.done = True

    def ok(self) -> None:
        self.done = True

    @property
    def passed(self) -> bool:
        return self.done and not self.errors


class ToolError(Exception):
    """A validator could not run at all."""


def say(line: str = "") -> None:
    print(line, flush=True)


# ---------------------------------------------------------------- YAML

class StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate mapping keys (kubectl does too)."""


def _construct_mapping(loader, node, deep=False):
    loader.flatten_mapping(node)
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in seen
        except TypeError:
            continue
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_single_object(path: Path) -> dict:
    """The one Kubernetes object in `path`, or ValueError saying why not."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"cannot read file: {e}") from None
    try:
        docs = [d for d in yaml.load_all(text, Loader=StrictLoader) if d is not None]
    except yaml.MarkedYAMLError as e:
        where = ""
        if e.problem_mark is not None:
            where = f" at line {e.problem_mark.line + 1}, column {e.problem_mark.column + 1}"
        what = "; ".join(x for x in (e.context, e.problem) if x)
        raise ValueError(f"YAML parse error{where}: {what}") from None
    except yaml.YAMLError as e:
        raise ValueError(f"YAML parse error: {e}") from None
    if len(docs) != 1:
        raise ValueError(
            f"expected exactly one Kubernetes object, found {len(docs)} YAML documents with content")
    obj = docs[0]
    if not isinstance(obj, dict):
        raise ValueError("top-level YAML value is not a mapping")
    for key in ("apiVersion", "kind"):
        if not isinstance(obj.get(key), str) or not obj.get(key):
            raise ValueError(f"{key} must be a non-empty string")
    meta = obj.get("metadata")
    if not isinstance(meta, dict) or not isinstance(meta.get("name"), str) or not meta.get("name"):
        raise ValueError("metadata.name must be a non-empty string")
    return obj


# ---------------------------------------------------------------- kubernetes-validate

def kv_schema_root() -> Path:
    return Path(kubernetes_validate.__file__).resolve().parent / "kubernetes-json-schema"


def pick_kubernetes_versions() -> tuple[str, str, str]:
    """(oldest, newest, note) among the versions kubernetes-validate bundles."""
    bundled = sorted({v for v in kv_utils.all_versions()}, key=Version)
    old = [v for v in bundled if Version(v).release[:2] == OLDEST_TARGET.release]
    if not old:
        raise ToolError(f"kubernetes-validate {KV_VERSION} bundles no Kubernetes 1.33 schemas "
                        f"(bundled: {', '.join(bundled)})")
    oldest = old[-1]
    newest_ok = [v for v in bundled
                 if OLDEST_TARGET.release <= Version(v).release[:2] <= NEWEST_TARGET.release]
    newest = newest_ok[-1]
    if Version(newest).release[:2] == NEWEST_TARGET.release:
        note = f"(kubernetes-validate {KV_VERSION})"
    else:
        kv_major_minor = ".".join(KV_VERSION.split(".")[:2])
        note = f"(1.37 not bundled in kubernetes-validate {kv_major_minor})"
    return oldest, newest, note


def builtin_kinds(versions: list[str]) -> dict[tuple[str, str], set[str]]:
    """{(apiVersion, kind): {versions serving it}} for top-level objects."""
    kinds: dict[tuple[str, str], set[str]] = {}
    for version in versions:
        defs_file = kv_schema_root() / f"v{version}-local-strict" / "_definitions.json"
        try:
            defs = json.loads(defs_file.read_text())["$defs"]
        except (OSError, ValueError, KeyError) as e:
            raise ToolError(f"cannot read kubernetes-validate schemas for {version}: {e}") from None
        for schema in defs.values():
            meta_ref = schema.get("properties", {}).get("metadata", {}).get("$ref", "")
            if not meta_ref.endswith("meta.v1.ObjectMeta"):
                continue  # lists, options, sub-objects: not something one applies
            for gvk in schema.get("x-kubernetes-group-version-kind", []):
                api_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
                kinds.setdefault((api_version, gvk["kind"]), set()).add(version)
    if not kinds:
        raise ToolError("kubernetes-validate schemas list no built-in kinds")
    return kinds


_KV_LINE = re.compile(
    r"^(?:INFO (?P<ok>.+?) passed for resource "
    r"|ERROR (?P<err>.+?) did not validate for resource \S+ against version [^:]+: (?P<errmsg>.*)"
    r"|ERROR (?P<exc>.+?) could not be validated: (?P<excmsg>.*)"
    r"|WARN (?P<warn>.+?) (?P<warnmsg>Couldn't find schema .*))")


def run_kubernetes_validate(version: str, files: list[str], cwd: Path
                            ) -> tuple[dict[str, str | None], list[str]]:
    """({file: None (passed) or error message}, problems running the tool).
    Files missing from the verdicts were not validated."""
    verdicts: dict[str, str | None] = {}
    problems: list[str] = []
    wanted = set(files)
    for start in range(0, len(files), KV_BATCH):
        batch = files[start:start + KV_BATCH]
        cmd = [str(KUBERNETES_VALIDATE), "--strict", "-k", version, *batch]
        try:
            proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
        except OSError as e:
            problems.append(f"cannot run kubernetes-validate: {e}")
            continue
        stray = []
        for line in proc.stdout.splitlines():
            m = _KV_LINE.match(line)
            name = m and next((m.group(g) for g in ("ok", "err", "exc", "warn") if m.group(g)), None)
            if not m or name not in wanted:
                stray.append(line)
                continue
            if m.group("ok"):
                verdicts.setdefault(name, None)
            elif m.group("err"):
                msg = m.group("errmsg")
                verdicts[name] = "(root)" + msg if msg.startswith(": ") else msg
            elif m.group("exc"):
                verdicts[name] = f"could not be validated: {m.group('excmsg')}"
            else:
                verdicts[name] = (f"no schema for this apiVersion/kind in Kubernetes {version} "
                                  f"(API not served in that version)")
        missing = [f for f in batch if f not in verdicts]
        # kubernetes-validate exits 0 (all passed), 1 (invalid) or 2|3 (could not validate one).
        if missing or proc.returncode not in (0, 1, 2, 3) or stray:
            detail = "\n".join((stray + proc.stderr.strip().splitlines())[-15:])
            if missing or proc.returncode not in (0, 1, 2, 3):
                problems.append(
                    f"kubernetes-validate -k {version} exited {proc.returncode} without a verdict "
                    f"for {len(missing)} file(s) (first: {missing[:1]}):\n{detail}")
            else:
                say(f"note: unexpected kubernetes-validate output:\n{detail}")
    return verdicts, problems


# ---------------------------------------------------------------- node models

def run_custom_resources(files: list[str], cwd: Path) -> dict[str, dict]:
    node = shutil.which("node")
    if not node:
        raise ToolError("node is not installed")
    try:
        proc = subprocess.run([node, str(NODE_VALIDATOR), "--json", *files],
                              cwd=cwd, capture_output=True, text=True)
    except OSError as e:
        raise ToolError(f"cannot run node: {e}") from None
    verdicts: dict[str, dict] = {}
    for line in proc.stdout.splitlines():
        try:
            r = json.loads(line)
            verdicts[r["file"]] = r
        except (ValueError, KeyError, TypeError):
            pass
    missing = [f for f in files if f not in verdicts]
    if missing or proc.returncode not in (0, 1):
        raise ToolError(
            f"validate-custom-resources.mjs exited {proc.returncode} without a verdict for "
            f"{len(missing)} file(s):\n{proc.stderr.strip()[-2000:]}")
    return verdicts


# ---------------------------------------------------------------- kustomize

def kustomize_version(kubectl: str) -> str:
    try:
        out = subprocess.run([kubectl, "version", "--client", "-o", "json"],
                             capture_output=True, text=True, timeout=60).stdout
        return json.loads(out).get("kustomizeVersion", "?")
    except (OSError, ValueError, subprocess.SubprocessError):
        return "?"


_KLOG_ERR = re.compile(r'^E\d{4} [\d:.]+\s+\d+ \S+\] "command failed" err="(?P<err>.*)"$', re.S)


def kustomize_build(kubectl: str, directory: Path, root: Path) -> str | None:
    """None if `kubectl kustomize directory` builds, else its error."""
    try:
        proc = subprocess.run([kubectl, "kustomize", str(directory)],
                              capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.SubprocessError) as e:
        return f"kubectl kustomize could not run: {e}"
    if proc.returncode == 0:
        return None
    err = proc.stderr.strip() or f"exit code {proc.returncode}"
    m = _KLOG_ERR.match(err)
    if m:  # unwrap kubectl's log line: E1123 12:00:00.1 123 run.go:72] "command failed" err="..."
        err = m.group("err").replace('\\"', '"')
    return err.removeprefix("error: ").replace(f"{root}/", "")


def jsonschema_version() -> str:
    from importlib.metadata import version
    return version("jsonschema")


# ---------------------------------------------------------------- main

def walk(root: Path, results: dict[str, FileResult]) -> None:
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        for d in sorted(dirnames):
            if (here / d).is_symlink():
                rel = (here / d).relative_to(root).as_posix()
                results[rel] = r = FileResult(rel, check="other", what="symlinked directory")
                r.fail("symlinked directory: not followed, so its files would go unchecked")
        if ".git" in dirnames and here == root:
            say("note: skipping .git/ (version control data, not manifests)")
        dirnames[:] = sorted(d for d in dirnames
                             if not (here / d).is_symlink() and not (here == root and d == ".git"))
        for name in sorted(filenames):
            rel = (here / name).relative_to(root).as_posix()
            results[rel] = FileResult(rel)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: validate_tree.py DIR", file=sys.stderr)
        return 2
    root = Path(argv[0]).resolve()
    if not root.is_dir():
        print(f"validate-manifests: {argv[0]} is not a directory", file=sys.stderr)
        return 2

    results: dict[str, FileResult] = {}
    walk(root, results)

    tool_errors: list[str] = []
    oldest, newest, version_note = pick_kubernetes_versions()
    k8s_versions = sorted({oldest, newest}, key=Version)
    builtins = builtin_kinds(k8s_versions)
    builtin_by_kind: dict[str, set[str]] = {}
    for api_version, kind in builtins:
        builtin_by_kind.setdefault(kind, set()).add(api_version)
    builtin_groups = {av.split("/")[0] if "/" in av else "" for av, _ in builtins} | {"extensions"}
    crds = validate_crd.load()

    # ---- classify
    builtin_files: list[str] = []
    custom_files: list[str] = []
    crd_files: dict[str, dict] = {}
    kustomize_dirs: list[str] = []
    for rel, r in results.items():
        if r.done:
            continue
        path = root / rel
        if not rel.endswith(".yaml"):
            r.check, r.what = "other", "not a .yaml file"
            r.fail("unexpected file: the tree should hold only *.yaml manifests")
            continue
        if path.name == "kustomization.yaml":
            r.check, r.what = "kustomize", "kustomization"
            kustomize_dirs.append(rel)
            continue
        try:
            obj = load_single_object(path)
        except ValueError as e:
            r.check, r.what = "other", "unreadable"
            r.fail(str(e))
            continue
        api_version, kind = obj["apiVersion"], obj["kind"]
        r.what = f"{api_version} {kind} {obj['metadata']['name']}"
        group = api_version.split("/")[0] if "/" in api_version else ""
        if (api_version, kind) in builtins:
            r.check = "builtin"
            builtin_files.append(rel)
        elif group in builtin_groups:  # a Kubernetes API group, but no such kind/version in it
            r.check = "other"
            if kind in builtin_by_kind:
                served = ", ".join(sorted(builtin_by_kind[kind]))
                r.fail(f"{kind} is not served as {api_version} in Kubernetes {oldest} or {newest} "
                       f"(served as: {served})")
            else:
                r.fail(f"unknown kind: no {kind} in Kubernetes API {api_version} "
                       f"(checked {oldest} and {newest})")
        elif (api_version, kind) in crds:
            r.check = "crd"
            crd_files[rel] = obj
        else:
            r.check = "custom"
            custom_files.append(rel)

    # ---- run the checks: each tool is a separate process, all started together
    def rel_arg(rel: str) -> str:
        return "./" + rel

    kubectl = shutil.which("kubectl")
    if kustomize_dirs and not kubectl:
        tool_errors.append("kubectl is not installed; cannot build kustomizations")
    kustomize_ver = "?"

    # 3 long-running tool processes plus 2 threads for the kustomize builds.
    with ThreadPoolExecutor(max_workers=5) as pool:
        kv_jobs = {v: pool.submit(run_kubernetes_validate, v, [rel_arg(f) for f in builtin_files], root)
                   for v in k8s_versions} if builtin_files else {}
        cr_job = pool.submit(run_custom_resources, [rel_arg(f) for f in custom_files], root) \
            if custom_files else None
        if kustomize_dirs and kubectl:
            version_job = pool.submit(kustomize_version, kubectl)
            build_jobs = {rel: pool.submit(kustomize_build, kubectl, (root / rel).parent, root)
                          for rel in kustomize_dirs}
        else:
            version_job, build_jobs = None, {}

        kv_verdicts: dict[str, dict[str, str | None]] = {}
        for v, job in kv_jobs.items():
            kv_verdicts[v], problems = job.result()
            tool_errors.extend(problems)
        cr_verdicts: dict[str, dict] = {}
        if cr_job:
            try:
                cr_verdicts = cr_job.result()
            except ToolError as e:
                tool_errors.append(str(e))
        builds = {rel: job.result() for rel, job in build_jobs.items()}
        if version_job:
            kustomize_ver = version_job.result()

    # check 1: built-in kinds
    for rel in builtin_files:
        r = results[rel]
        by_message: dict[str, list[str]] = {}
        for v in k8s_versions:
            verdicts = kv_verdicts.get(v, {})
            if rel_arg(rel) not in verdicts:
                by_message.setdefault("not validated: kubernetes-validate did not run", []).append(v)
                continue
            if verdicts[rel_arg(rel)] is not None:
                by_message.setdefault(verdicts[rel_arg(rel)], []).append(v)
        for message, versions in by_message.items():
            r.fail(f"[Kubernetes {' + '.join(versions)}] {message}")
        r.ok()

    # check 2: custom resources (an unknown kind moves to check 4)
    unknown_custom: set[str] = set()
    for rel in custom_files:
        r = results[rel]
        verdict = cr_verdicts.get(rel_arg(rel))
        if verdict is None:
            r.fail("not validated: validate-custom-resources.mjs did not run")
            continue
        if verdict["status"] == "unknown":
            unknown_custom.add(rel)
            r.check = "other"
            for e in verdict["errors"]:
                r.fail(f"unknown kind: {e}")
        elif verdict["status"] == "pass":
            r.what += f" [{verdict.get('model')}]"
            r.ok()
        else:
            for e in verdict["errors"]:
                r.fail(e)
            r.ok()

    # check 2, upstream CRDs: in this process, no tool to run
    for rel, obj in crd_files.items():
        r = results[rel]
        crd_name, validator = crds[(obj["apiVersion"], obj["kind"])]
        for e in validate_crd.errors(validator, obj):
            r.fail(e)
        if not r.errors:
            r.what += f" [{crd_name}]"
        r.ok()

    # check 3: kustomize builds
    for rel in kustomize_dirs:
        if rel not in builds:
            results[rel].fail("not validated: kubectl is not installed")
        elif builds[rel]:
            results[rel].fail(f"kubectl kustomize {Path(rel).parent.as_posix()} failed: {builds[rel]}",
                              limit=3 * MAX_MESSAGE)
        else:
            results[rel].ok()

    # ---- report
    check_names = {
        "builtin": "check 1 built-in kinds",
        "custom": "check 2 custom resources",
        "crd": "check 2 custom resources (upstream CRD)",
        "kustomize": "check 3 kustomize build",
        "other": "check 4 unknown/unreadable",
    }
    for r in results.values():
        if not r.done:  # nothing may pass unexamined
            r.fail("not validated (internal error: no check produced a verdict)")
    failures = [r for r in results.values() if not r.passed]
    for r in failures:
        for e in r.errors:
            say(f"FAIL {r.rel} ({r.what}) [{check_names.get(r.check, r.check)}]: {e}")

    def tally(check: str) -> tuple[int, int]:
        rs = [r for r in results.values() if r.check == check]
        return len(rs), sum(1 for r in rs if not r.passed)

    n, m = tally("builtin")
    say(f"check 1 built-in kinds (kubernetes-validate {KV_VERSION} --strict): "
        f"{n} files, {n - m} passed, {m} failed")
    say(f"kubernetes-validate: checked against {oldest} and {newest} {version_note}")
    n, m = tally("custom")
    say(f"check 2 custom resources (@kubernetes-models schemas + unknown-field check): "
        f"{n} files, {n - m} passed, {m} failed")
    n, m = tally("crd")
    say(f"check 2 custom resources against their upstream CRD (crds/, structural, jsonschema "
        f"{jsonschema_version()}): {n} files, {n - m} passed, {m} failed")
    n, m = tally("kustomize")
    tool = "kubectl kustomize" + (f", kustomize {kustomize_ver}" if kustomize_ver != "?" else "")
    say(f"check 3 kustomize build ({tool}): "
        f"{n} directories, {n - m} passed, {m} failed")
    n, m = tally("other")
    say(f"check 4 unknown kinds / unreadable files: {m} failed"
        + (f" ({len(unknown_custom)} unknown kinds)" if unknown_custom else ""))
    for e in tool_errors:
        say(f"ERROR could not run: {e}")
    if not results:
        tool_errors.append("no files")
        say(f"ERROR no files found under {argv[0]}: nothing was validated")

    failed = len(failures)
    say(f"validate-manifests: {len(results) - failed} passed, {failed} failed")
    if tool_errors:
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except ToolError as e:
        print(f"validate-manifests: could not run: {e}", file=sys.stderr)
        sys.exit(2)
