"""Validate custom resources against upstream CustomResourceDefinitions; used by validate_tree.py.

The CRDs in crds/ are the projects' own (crds/README.md says where each comes from). A custom
resource is checked against its served version's openAPIV3Schema the way the API server reads a
structural schema: a field the schema does not declare is refused unless the schema says
x-kubernetes-preserve-unknown-fields. CEL rules (x-kubernetes-validations) are not evaluated.
"""

from __future__ import annotations

import jsonschema
import yaml

from validate_crds import CRDS, structural

# The API groups @kubernetes-models publishes no package for (Flux): their kinds are checked here,
# against the CRD alone. Every other custom resource goes to the models, and validate_crds.py
# checks it against its CRD beside them.
WITHOUT_MODELS = ("kustomize.toolkit.fluxcd.io", "source.toolkit.fluxcd.io")


def load() -> dict[tuple[str, str], tuple[str, jsonschema.Validator]]:
    """{(apiVersion, kind): (CRD file name, validator)} for every served version."""
    validators = {}
    for path in sorted(CRDS.glob("*.yaml")):
        crd = yaml.safe_load(path.read_text(encoding="utf-8"))
        spec = crd["spec"]
        if spec["group"] not in WITHOUT_MODELS:
            continue
        for version in spec["versions"]:
            if not version.get("served"):
                continue
            schema = structural(version["schema"]["openAPIV3Schema"])
            key = (f"{spec['group']}/{version['name']}", spec["names"]["kind"])
            validators[key] = (path.name, jsonschema.Draft7Validator(schema))
    return validators


def errors(validator: jsonschema.Validator, obj: dict) -> list[str]:
    """Every way `obj` breaks the schema, one line each, by field path."""
    found = []
    for error in sorted(validator.iter_errors(obj), key=lambda e: list(map(str, e.path))):
        where = ".".join(str(part) for part in error.path) or "(root)"
        found.append(f"{where}: {error.message}")
    return found
