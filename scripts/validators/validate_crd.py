"""Validate custom resources against upstream CustomResourceDefinitions; used by validate_tree.py.

The CRDs in crds/ are the projects' own (crds/README.md says where each comes from). A custom
resource is checked against its served version's openAPIV3Schema the way the API server reads a
structural schema: a field the schema does not declare is refused unless the schema says
x-kubernetes-preserve-unknown-fields. CEL rules (x-kubernetes-validations) are not evaluated.
"""

from __future__ import annotations

from pathlib import Path

import jsonschema
import yaml

CRDS = Path(__file__).resolve().parent / "crds"


def _structural(schema: dict) -> dict:
    """The schema with unknown fields refused wherever the API server would prune them."""
    out = {}
    for key, value in schema.items():
        if key == "properties":
            out[key] = {name: _structural(sub) for name, sub in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            out[key] = _structural(value)
        elif key in ("allOf", "anyOf", "oneOf"):
            out[key] = [_structural(sub) for sub in value]
        else:
            out[key] = value
    preserve = schema.get("x-kubernetes-preserve-unknown-fields") is True
    if "properties" in schema and "additionalProperties" not in schema and not preserve:
        out["additionalProperties"] = False
    return out


def load() -> dict[tuple[str, str], tuple[str, jsonschema.Validator]]:
    """{(apiVersion, kind): (CRD file name, validator)} for every served version."""
    validators = {}
    for path in sorted(CRDS.glob("*.yaml")):
        crd = yaml.safe_load(path.read_text(encoding="utf-8"))
        spec = crd["spec"]
        for version in spec["versions"]:
            if not version.get("served"):
                continue
            schema = _structural(version["schema"]["openAPIV3Schema"])
            # metadata is the API server's (ObjectMeta): the CRD only says it is an object.
            schema.get("properties", {}).pop("metadata", None)
            schema.setdefault("properties", {})["metadata"] = {"type": "object"}
            cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft4Validator)
            key = (f"{spec['group']}/{version['name']}", spec["names"]["kind"])
            validators[key] = (path.name, cls(schema))
    return validators


def errors(validator: jsonschema.Validator, obj: dict) -> list[str]:
    """Every way `obj` breaks the schema, one line each, by field path."""
    found = []
    for error in sorted(validator.iter_errors(obj), key=lambda e: list(map(str, e.path))):
        where = ".".join(str(part) for part in error.path) or "(root)"
        found.append(f"{where}: {error.message}")
    return found
