"""Who reaches whom, from the tenant list, the profile and SPEC.md §4 (Network).

Each rule is one sentence of the SPEC, a function of the world (tenants, the profile's peers,
the provisioning Jobs) returning edges (source, destination, connections). `expected` is the
union of the rules; the test compares it with the analyzer's WHOLE matrix: an edge missing or
one too many fails.

Between tenants, only declared dependencies are open: each caller reaches its callees' pods on
their port, and nothing else. The Jobs (provisioning, in the platform namespace; migrations, in
the tenant's) take no connection and reach only DNS and their database server itself.
"""

from __future__ import annotations

from matrix import ALL, ANYWHERE, conns

HTTP, GRPC, METRICS = 8080, 50051, 9090

DNS_CONNS = lambda world: conns(("UDP", dns_port(world)), ("TCP", dns_port(world)))  # noqa: E731


def dns_port(world) -> int:
    return world.profile["dns"].get("port", 53)


def peer_conns(peer: dict):
    """Egress to a profile peer: its TCP port, or every connection (`allPorts: true`)."""
    return conns(("TCP", peer["port"])) if peer.get("port") else ALL


def server(world, engine: str) -> dict:
    """Where tenants reach their engine: the server, or the pooler in front of it."""
    return world.profile["databases"][engine]["network"]


def server_itself(world, engine: str) -> dict:
    """Where the provisioning Job connects: the server itself (`serverNetwork`, which a
    profile with a pooler names), on the server's port; else the same peer as the tenants."""
    database = world.profile["databases"][engine]
    peer = dict(database.get("serverNetwork") or database["network"])
    peer["port"] = database.get("port", peer.get("port"))
    return peer


# --- SPEC §4 Network --------------------------------------------------------------------------


def ingress_controller_to_public(world):
    """The ingress controller → each public-http tenant on TCP 8080."""
    return [
        (src, t.endpoint, conns(("TCP", HTTP)))
        for t in world.tenants
        if t.exposure == "public-http"
        for src in world.peer(world.profile["ingress"]["from"])
    ]


def prometheus_to_metrics(world):
    """Prometheus → each tenant with `metrics` (declared or required by the profile) on TCP 9090."""
    return [
        (src, t.endpoint, conns(("TCP", METRICS)))
        for t in world.tenants
        if "metrics" in t.capabilities
        for src in world.peer(world.profile["telemetry"]["prometheus"])
    ]


def tenants_to_dns(world):
    """Every pod of a tenant namespace (the workload and a stray pod) → DNS on UDP/TCP 53."""
    return [
        (src, dst, DNS_CONNS(world))
        for t in world.tenants
        for src in (t.endpoint, t.stray)
        for dst in world.peer(world.profile["dns"])
    ]


def tenants_to_database(world):
    """Each tenant with engine X → X's server (or pooler) on its port."""
    return [
        (t.endpoint, dst, peer_conns(server(world, t.engine)))
        for t in world.tenants
        if t.engine
        for dst in world.peer(server(world, t.engine))
    ]


def tracing_to_collector(world):
    """Each tenant with `tracing` → the OTLP collector on its port."""
    collector = world.profile["telemetry"]["collector"]
    return [
        (t.endpoint, dst, peer_conns(collector))
        for t in world.tenants
        if "tracing" in t.capabilities
        for dst in world.peer(collector)
    ]


def unmanaged(world) -> list[str]:
    """Pods no zave policy selects: the platform's own."""
    return [p.endpoint for p in world.platform + world.neighbours]


def unmanaged_open(world):
    """Not zave's to isolate: pods without any policy reach each other and any address, and
    are reached from any address. (Stated so that the whole matrix can be compared.)"""
    pods = unmanaged(world)
    edges = [(a, b, ALL) for a in pods for b in pods if a != b]
    edges += [(a, ANYWHERE, ALL) for a in pods] + [(ANYWHERE, a, ALL) for a in pods]
    return edges


# --- Tenants calling tenants -----------------------------------------------------------------


def dependency_edges(world):
    """Each caller → each declared dependency's pods on the named port of its exposure
    (`http` = 8080 for internal-http, `grpc` = 50051), allowed by the callee's
    allow-from-tenants. Nothing else between tenants."""
    port = {"internal-http": HTTP, "grpc": GRPC}
    return [
        (t.endpoint, world.tenant(d).endpoint, conns(("TCP", port[world.tenant(d).exposure])))
        for t in world.tenants
        for d in t.dependencies
    ]


# --- The Jobs: provisioning and migrations --------------------------------------------------


def jobs_to_dns_and_their_server(world):
    """A Job: no ingress; egress only DNS and its tenant's database server itself (never the
    pooler: migrations hold session advisory locks)."""
    edges = []
    for j in world.jobs:
        edges += [(j.endpoint, dst, DNS_CONNS(world)) for dst in world.peer(world.profile["dns"])]
        s = server_itself(world, j.tenant.engine)
        edges += [(j.endpoint, dst, peer_conns(s)) for dst in world.peer(s)]
    return edges


def rules(world):
    """The rules in force for this world, by name."""
    r = {
        "ingress controller → public-http tenants, TCP 8080": ingress_controller_to_public,
        "Prometheus → metrics tenants, TCP 9090": prometheus_to_metrics,
        "tenant namespaces' pods → DNS, UDP/TCP 53": tenants_to_dns,
        "tenants → their engine's server, its port": tenants_to_database,
        "tracing tenants → OTLP collector, its port": tracing_to_collector,
        "unmanaged platform pods: open": unmanaged_open,
        "callers → declared dependencies, http/grpc": dependency_edges,
        "the Jobs → DNS and their database server only": jobs_to_dns_and_their_server,
    }
    return r


def expected(world):
    edges = []
    for rule in rules(world).values():
        edges += rule(world)
    return edges


# --- The sanity check ------------------------------------------------------------------------


def allowed_sanity_findings(world) -> set[str]:
    """Findings of `nca --sanity` that are expected, each for a stated reason."""
    # A callee no tenant of the set calls: its allow-from-tenants opens a door nobody uses.
    called = {d for t in world.tenants for d in t.dependencies}
    allowed = {
        f"NetworkPolicy {t.namespace}/allow-from-tenants is redundant"
        for t in world.tenants
        if t.exposure in ("internal-http", "grpc") and t.name not in called
    }
    return allowed
