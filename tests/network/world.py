"""One profile's cluster, as the analyzer sees it: zave's render plus the platform around it.

The platform pods are not invented by the suite: each is made from a peer the profile names
(ingress controller, Prometheus, DNS, OTLP collector, each database server or pooler), with
the namespace and labels the profile says its policies select. Peers given as a CIDR stay
address blocks. Beside them, the suite adds pods the policies must NOT let through:
- a `neighbour` pod in every platform namespace (same namespace as a peer, other labels), so a
  namespace-wide hole would show;
- a `stray` pod in every tenant namespace (a pod zave did not render: `kubectl run`), which
  only the tenant's default-deny and allow-dns govern.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from matrix import Ip

HERE = Path(__file__).resolve().parent
CONTRACTS = sorted((HERE / "contracts").glob("*.yaml"))
CALLERS = sorted((HERE / "contracts" / "callers").glob("*.yaml"))
PROFILES = ("kind", "linode", "aws")
# What the analyzer models for NetworkPolicy semantics. Ingress and Service objects are left
# out: from an Ingress the analyzer simulates an ingress controller of its own
# (`ingress-controller-ns`), where this suite places the profile's real one.
MODELLED_KINDS = ("Namespace", "Pod", "Deployment", "Job", "NetworkPolicy")


@dataclass
class Tenant:
    name: str
    namespace: str
    exposure: str
    engine: str | None
    capabilities: set[str]
    dependencies: list[str]
    migrates: bool = False  # spec.persistence.migrations: a migration Job in its namespace

    @property
    def endpoint(self) -> str:
        return f"{self.namespace}/{self.name}[Deployment]"

    @property
    def stray(self) -> str:
        return f"{self.namespace}/stray[Pod]"


@dataclass
class Job:
    name: str
    namespace: str
    tenant: Tenant
    labels: dict[str, str]  # of its pods

    @property
    def endpoint(self) -> str:
        return f"{self.namespace}/{self.name}[Job]"


@dataclass
class PlatformPod:
    name: str
    namespace: str
    labels: dict[str, str]
    roles: set[str] = field(default_factory=set)

    @property
    def endpoint(self) -> str:
        return f"{self.namespace}/{self.name}[Pod]"


@dataclass
class World:
    profile_name: str
    profile: dict  # the `spec` of `zave profile show NAME`
    tenants: list[Tenant]
    jobs: list[Job]
    platform: list[PlatformPod]  # pods made from the profile's peers
    neighbours: list[PlatformPod]
    namespaces: list[str]  # platform namespaces the suite adds
    stream: str  # the one YAML stream given to the analyzer

    def peer(self, peer: dict) -> list:
        """Endpoints a profile peer selects: an address block, or the pods matching it."""
        if peer.get("cidr"):
            return [Ip.cidr(peer["cidr"])]
        if not peer.get("namespace"):
            raise NotImplementedError(f"peer without a namespace: {peer}")
        wanted = peer.get("podLabels") or {}
        pods = [
            p
            for p in self.platform + self.neighbours
            if p.namespace == peer["namespace"]
            and all(p.labels.get(k) == v for k, v in wanted.items())
        ]
        assert pods, f"no synthetic pod for peer {peer}"
        return [p.endpoint for p in pods]

    def tenant(self, name: str) -> Tenant:
        return next(t for t in self.tenants if t.name == name)


def profile_spec(zave: str, name: str) -> dict:
    out = subprocess.run([zave, "profile", "show", name], check=True, capture_output=True, text=True)
    return yaml.safe_load(out.stdout)["spec"]


def profile_peers(spec: dict) -> list[tuple[str, dict]]:
    """(role, peer) for every peer the profile names."""
    peers = [
        ("ingress", spec["ingress"]["from"]),
        ("prometheus", spec["telemetry"]["prometheus"]),
        ("collector", spec["telemetry"]["collector"]),
        ("dns", spec["dns"]),
    ]
    for engine, server in sorted(spec["databases"].items()):
        peers.append((f"database:{engine}", server["network"]))
    return peers


def slug(labels: dict[str, str], fallback: str) -> str:
    value = labels.get("app.kubernetes.io/name") or labels.get("k8s-app") or next(iter(labels.values()), fallback)
    return re.sub(r"[^a-z0-9-]", "-", value.lower())


def synthetic_platform(spec: dict) -> tuple[list[str], list[PlatformPod], list[PlatformPod]]:
    namespaces = [spec["gitops"]["platformNamespace"]]
    pods: dict[tuple, PlatformPod] = {}
    for role, peer in profile_peers(spec):
        if peer.get("cidr"):
            continue
        ns = peer["namespace"]
        labels = dict(peer.get("podLabels") or {}) or {"app.kubernetes.io/name": f"{role.split(':')[-1]}-server"}
        key = (ns, tuple(sorted(labels.items())))
        pods.setdefault(key, PlatformPod(slug(labels, role), ns, labels)).roles.add(role)
        if ns not in namespaces:
            namespaces.append(ns)
    neighbours = [PlatformPod("neighbour", ns, {"app.kubernetes.io/name": "neighbour"}) for ns in namespaces]
    return namespaces, list(pods.values()), neighbours


def load_contract(path: Path, spec: dict) -> tuple[dict, Tenant]:
    doc = yaml.safe_load(path.read_text())
    s = doc["spec"]
    name = doc["metadata"]["name"]
    caps = {c["name"] for c in s.get("capabilities", [])}
    caps |= set(spec["policy"].get("requiredCapabilities", []))  # W003: injected by the profile
    return doc, Tenant(
        name=name,
        namespace=spec["namespacePattern"].replace("{name}", name),
        exposure=s["exposure"],
        engine=(s.get("persistence") or {}).get("engine") if (s.get("persistence") or {}).get("engine") != "none" else None,
        capabilities=caps,
        dependencies=[d["workload"] for d in s.get("dependencies", [])],
        migrates="migrations" in (s.get("persistence") or {}),
    )


def pod(name: str, namespace: str, labels: dict[str, str]) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": labels},
        "spec": {"containers": [{"name": "main", "image": "synthetic"}]},
    }


def namespace(name: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": name, "labels": {"kubernetes.io/metadata.name": name}},
    }


def build(zave: str, profile_name: str, work: Path) -> World:
    """Renders the set (callers with their dependencies) under `profile_name` and builds the
    analyzer's stream around it."""
    spec = profile_spec(zave, profile_name)
    contracts_dir = work / "contracts"
    if contracts_dir.exists():
        shutil.rmtree(contracts_dir)
    contracts_dir.mkdir(parents=True)
    tenants = []
    for path in CONTRACTS + CALLERS:
        doc, tenant = load_contract(path, spec)
        (contracts_dir / path.name).write_text(yaml.safe_dump(doc, sort_keys=False))
        tenants.append(tenant)

    tree = work / "tree"
    if tree.exists():
        shutil.rmtree(tree)
    run = subprocess.run(
        [zave, "render", *sorted(map(str, contracts_dir.glob("*.yaml"))), "--profile", profile_name, "--out", str(tree)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, f"zave render --profile {profile_name} failed:\n{run.stderr}"

    by_name = {t.name: t for t in tenants}
    rendered_ns, others, jobs = [], [], []
    for path in sorted(tree.rglob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        obj = yaml.safe_load(path.read_text())
        if obj is None or obj.get("kind") not in MODELLED_KINDS:
            continue
        (rendered_ns if obj["kind"] == "Namespace" else others).append(obj)
        if obj["kind"] == "Job":
            # platform/tenants/<name>/job-*.yaml (provisioning) or tenants/<name>/job-*.yaml
            # (migrations): the tenant is the folder.
            assert path.parent.parent.name == "tenants" and path.name.startswith("job-"), path
            meta = obj["metadata"]
            labels = obj["spec"]["template"]["metadata"]["labels"]
            jobs.append(Job(meta["name"], meta["namespace"], by_name[path.parent.name], labels))

    namespaces, platform, neighbours = synthetic_platform(spec)
    for ns in namespaces:
        assert ns not in {t.namespace for t in tenants}, ns
    synthetic_pods = [pod(p.name, p.namespace, p.labels) for p in platform + neighbours]
    synthetic_pods += [pod("stray", t.namespace, {"app.kubernetes.io/name": "stray"}) for t in tenants]
    # ONE stream, Namespaces first: the analyzer drops a pod whose namespace it has not read.
    docs = [namespace(ns) for ns in namespaces] + rendered_ns + synthetic_pods + others
    stream = yaml.safe_dump_all(docs, sort_keys=False)
    return World(
        profile_name,
        spec,
        tenants,
        jobs,
        platform,
        neighbours,
        namespaces,
        stream,
    )
