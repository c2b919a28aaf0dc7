#!/usr/bin/env python3
"""Custom resources of a rendered tree against their CRDs' openAPIV3Schema.

    validate_crds.py DIR

Every object in DIR whose API group a CRD of crds/ defines is validated against the served
version's schema, structurally as the API server prunes: a field the schema does not name is
refused unless its object says x-kubernetes-preserve-unknown-fields. An object of such a group
whose kind or version no CRD serves fails. Prints one PASS/FAIL line per custom resource and
`validate-crds: N passed, M failed`; exit 0 all passed, 1 a failure, 2 usage.
"""
from __future__ import annotations

import copy
import sys
from pathlib import Path

import yaml
from jsonschema import Draft7Validator

CRDS = Path(__file__).resolve().parent / "crds"


def structural(schema: dict) -> dict:
    """The schema as JSON Schema, closed where the API server would prune."""
    schema = copy.deepcopy(schema)

    def close(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                close(item)
            return
        if not isinstance(node, dict):
            return
        if node.pop("x-kubernetes-int-or-string", False):
            node.pop("type", None)
            node["anyOf"] = [{"type": "integer"}, {"type": "string"}]
        if node.pop("nullable", False) and "type" in node:
            node["type"] = [node["type"], "null"]
        preserve = node.pop("x-kubernetes-preserve-unknown-fields", False)
        if node.get("type") == "object" and not preserve and "additionalProperties" not in node:
            node["additionalProperties"] = False
            node.setdefault("properties", {})
        for key, value in list(node.items()):
            if key.startswith("x-kubernetes-"):
                del node[key]
            else:
                close(value)

    close(schema)
    # metadata is the API server's ObjectMeta, not the CRD's to describe.
    schema.setdefault("properties", {})["metadata"] = {"type": "object"}
    return schema


def load_crds() -> dict[tuple[str, str, str], Draft7Validator]:
    validators = {}
    for path in sorted(CRDS.glob("*.yaml")):
        for crd in yaml.safe_load_all(path.read_text()):
            if not crd or crd.get("kind") != "CustomResourceDefinition":
                continue
            group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
            for version in crd["spec"]["versions"]:
                if not version.get("served"):
                    continue
                schema = structural(version["schema"]["openAPIV3Schema"])
                validators[(group, version["name"], kind)] = Draft7Validator(schema)
    return validators


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not Path(argv[1]).is_dir():
        print("usage: validate_crds.py DIR", file=sys.stderr)
        return 2
    root = Path(argv[1])
    validators = load_crds()
    groups = {group for group, _, _ in validators}
    passed = failed = 0
    for path in sorted(root.rglob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        rel = path.relative_to(root)
        try:
            documents = [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            print(f"FAIL {rel}: not YAML: {error}")
            failed += 1
            continue
        for obj in documents:
            api_version = str(obj.get("apiVersion", "")) if isinstance(obj, dict) else ""
            group, _, version = api_version.rpartition("/")
            if group not in groups:
                continue  # a built-in kind: kubernetes-validate's part
            kind = obj.get("kind", "")
            validator = validators.get((group, version, kind))
            if validator is None:
                print(f"FAIL {rel}: no served CRD version for {api_version} {kind}")
                failed += 1
                continue
            errors = sorted(validator.iter_errors(obj), key=lambda e: list(e.absolute_path))
            if errors:
                failed += 1
                for error in errors:
                    place = ".".join(str(p) for p in error.absolute_path) or "(root)"
                    print(f"FAIL {rel}: {place}: {error.message}")
            else:
                passed += 1
                print(f"PASS {rel} ({api_version} {kind})")
    print(f"validate-crds: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
