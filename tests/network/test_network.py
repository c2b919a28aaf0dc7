"""NetworkPolicy semantics of zave's render, proved by IBM's network-config-analyzer.

Per built-in profile: the analyzer's whole connectivity matrix equals the one the rules of
expectations.py give (nothing missing, nothing extra), and its sanity check finds no redundant,
empty or vacuous policy except the listed ones.
"""

from __future__ import annotations

import pytest
import yaml

import analyzer
import expectations
import matrix
import world as worlds

PROFILES = worlds.PROFILES


def test_the_pinned_analyzer_runs():
    assert analyzer.version() == f"NCA version {analyzer.NCA_VERSION}"


def check_matrix(cache, profile: str):
    w, stream = cache.world(profile)
    actual, run = cache.query("connectivity", profile)
    wanted = matrix.canonical(expectations.expected(w))
    lines = matrix.diff(wanted, actual)
    if lines:
        rules = "\n".join(f"  - {name}" for name in expectations.rules(w))
        pytest.fail(
            f"profile {profile}: the analyzer's matrix differs from the expected one "
            f"({len(lines)} pairs; + open but not expected, - expected but closed):\n"
            + "\n".join(lines)
            + f"\n\nrules in force:\n{rules}\n\nthe analyzer's whole matrix:\n{matrix.table(actual)}"
            + f"\n\nstream: {stream}\nwarnings:\n{run.stderr}"
        )


def check_sanity(cache, profile: str):
    w, stream = cache.world(profile)
    findings, run = cache.query("sanity", profile)
    allowed = expectations.allowed_sanity_findings(w)
    unexpected = [f for f in findings if f not in allowed]
    assert not unexpected, (
        f"profile {profile}: sanity findings not in the allowed list:\n  "
        + "\n  ".join(unexpected)
        + f"\n(allowed: {sorted(allowed)})\n\n{run.explain()}"
    )
    # An allowance that no longer happens is stale: what it excuses is gone.
    stale = sorted(allowed - set(findings))
    assert not stale, f"profile {profile}: allowed findings the analyzer no longer reports: {stale}"


@pytest.mark.parametrize("profile", PROFILES)
def test_connectivity_matrix(cache, profile):
    check_matrix(cache, profile)


@pytest.mark.parametrize("profile", PROFILES)
def test_sanity(cache, profile):
    check_sanity(cache, profile)


@pytest.mark.parametrize("profile", PROFILES)
def test_the_stream_lists_namespaces_first(cache, profile):
    w, _ = cache.world(profile)
    kinds = [d["kind"] for d in yaml.safe_load_all(w.stream)]
    first_other = next(i for i, k in enumerate(kinds) if k != "Namespace")
    assert "Namespace" not in kinds[first_other:], "a Namespace after a namespaced object"
    assert kinds.count("Namespace") == len(w.namespaces) + len(w.tenants)
    # A provisioning Job per tenant with a database, a migration Job per tenant that migrates.
    jobs = sum(1 for t in w.tenants if t.engine) + sum(1 for t in w.tenants if t.migrates)
    assert kinds.count("Job") == jobs == len(w.jobs)


@pytest.mark.parametrize("profile", PROFILES)
def test_a_callee_is_reached_only_by_its_callers(cache, profile):
    """Named: of all pods in tenant namespaces, only a callee's declared callers reach it."""
    w, _ = cache.world(profile)
    actual, _ = cache.query("connectivity", profile)
    callers_of = {t.endpoint: set() for t in w.tenants if t.exposure in ("internal-http", "grpc")}
    for t in w.tenants:
        for d in t.dependencies:
            callers_of[w.tenant(d).endpoint].add(t.endpoint)
    assert any(callers_of.values()), "the set has no caller"
    sources = {e for t in w.tenants for e in (t.endpoint, t.stray)}
    for callee, callers in callers_of.items():
        reached_by = {s for (s, d) in actual if d == callee and s in sources}
        assert reached_by == callers, f"{callee}: reached by {sorted(reached_by)}"
