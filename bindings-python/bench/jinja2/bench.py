"""zave against a Jinja2 text template for the same tenant, in one Python process.

Run through ``scripts/bench-jinja2``, which makes the virtual environment (Jinja2, PyYAML and
zave) and calls this file under callgrind and as whole processes:

    bench.py check                      both render the minimal tenant; exit 1 unless identical
    bench.py loop (zave|jinja2) N       N renders of the minimal tenant (for instruction counts)
    bench.py batch DIR                  every DIR/*.yaml through the template, one stream on stdout

The template (tenant.yaml.j2) is compiled once, as a platform team's script would; each
render fills it from the values a script derives from the contract (``context``). zave's side is
``zave.render(...).to_yaml()`` of the contract's text: validation, defaults, the typed
objects and the YAML.
"""

import hashlib
import pathlib
import sys
from typing import Any, Dict

import jinja2
import yaml

import zave

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CONTRACT = (ROOT / "fixtures" / "contracts" / "platform" / "payments-api-minimal.yaml").read_bytes()
PROFILE = zave.Profile.builtin("kind")
SPEC = yaml.safe_load(CONTRACT)["spec"]
# What zave decides for a contract that leaves the tier and the image out (its report says
# so: W002, W004); the template is told.
MUTATIONS = "W002:spec.resources.tier,W004:image"
SHARDS = 32

TEMPLATE = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
    autoescape=False,
).get_template("tenant.yaml.j2")


# The kind profile's tier table, as the template's values need it.
TIERS = {
    "standard": {
        "quota": {
            "limits.cpu": '"2"',
            "limits.memory": "1Gi",
            "pods": '"20"',
            "requests.cpu": '"2"',
            "requests.memory": "1Gi",
            "services.loadbalancers": '"0"',
            "services.nodeports": '"0"',
        },
        "limits": {"cpu": "500m", "memory": "256Mi"},
        "requests": {"cpu": "100m", "memory": "128Mi"},
    },
}
POD_SECURITY = {
    f"pod-security.kubernetes.io/{mode}{suffix}": value
    for mode in ("audit", "enforce", "warn")
    for suffix, value in (("", "restricted"), ("-version", "v1.33"))
}


def context(name: str, contract_hash: str, spec: Dict[str, Any]) -> Dict[str, Any]:
    """The template's values for a tenant: what a platform script derives from its contract."""
    annotations = {
        "zave.io/contract-hash": contract_hash,
        "zave.io/generator-version": '"0.1.0"',
        "zave.io/mutations": MUTATIONS,
        "zave.io/platform-bundle": "unpinned",
        "zave.io/profile": "kind",
    }
    labels = {
        "app.kubernetes.io/managed-by": "zave",
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/part-of": name,
        "zave.io/tenant": '"true"',
        "zave.io/workload": name,
    }
    return {
        "name": name,
        "namespace": f"ns-{name}",
        "exposure": spec["exposure"],
        "tier": TIERS[spec.get("resources", {}).get("tier", "standard")],
        "replicas": 1,
        "env": [{"name": "PORT", "value": '"8080"'}],
        "image": f"localhost:5001/{name}:bootstrap",
        "shard": f"{hashlib.sha256(name.encode()).digest()[0] % SHARDS:02}",
        "annotations": annotations,
        "labels": labels,
        "namespace_labels": dict(sorted({**labels, **POD_SECURITY}.items())),
        "application_annotations": {
            "argocd.argoproj.io/manifest-generate-paths": '"."',
            **annotations,
        },
        "application_finalizers": ["resources-finalizer.argocd.argoproj.io/foreground"],
        "selector": {"app.kubernetes.io/name": name, "zave.io/workload": name},
    }


def render_zave() -> str:
    return zave.render(CONTRACT, profile=PROFILE).to_yaml()


def check() -> int:
    ours = render_zave()
    rendered = zave.render(CONTRACT, profile=PROFILE)
    theirs = TEMPLATE.render(context(rendered.name, rendered.contract_hash, SPEC))
    if ours != theirs:
        print("bench.py: the template and zave disagree on the minimal tenant", file=sys.stderr)
        return 1
    print(f"bench.py: the template and zave print the same {len(ours)} bytes")
    return 0


def loop(engine: str, count: int) -> int:
    if engine == "zave":
        for _ in range(count):
            render_zave()
    elif engine == "jinja2":
        values = context("payments-api", zave.render(CONTRACT, profile=PROFILE).contract_hash, SPEC)
        for _ in range(count):
            TEMPLATE.render(values)
    else:
        print(f"bench.py: no engine {engine!r} (zave, jinja2)", file=sys.stderr)
        return 2
    return 0


def batch(folder: str) -> int:
    """The Python process a template user runs: read, parse, fill, print."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    out = sys.stdout
    for path in sorted(pathlib.Path(folder).glob("*.yaml")):
        text = path.read_bytes()
        contract = yaml.load(text, Loader=loader)
        name = contract["metadata"]["name"]
        digest = "sha256:" + hashlib.sha256(text).hexdigest()
        out.write(TEMPLATE.render(context(name, digest, contract["spec"])))
    return 0


def main(argv: list) -> int:
    if argv[:1] == ["check"]:
        return check()
    if argv[:1] == ["loop"] and len(argv) == 3:
        return loop(argv[1], int(argv[2]))
    if argv[:1] == ["batch"] and len(argv) == 2:
        return batch(argv[1])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
