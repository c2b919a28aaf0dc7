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
# The set as rendered by this zave: callers with their dependencies once hole (1) is closed.
TODAY = "today" if expectations.KNOWN_HOLES_UNTIL_DEPENDENCIES else "dependencies"


def test_the_pinned_analyzer_runs():
    assert analyzer.version() == f"NCA version {analyzer.NCA_VERSION}"


def check_matrix(cache, profile: str, mode: str):
    w, stream = cache.world(profile, mode)
    actual, run = cache.query("connectivity", profile, mode)
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


def check_sanity(cache, profile: str, mode: str):
    w, stream = cache.world(profile, mode)
    findings, run = cache.query("sanity", profile, mode)
    allowed = expectations.allowed_sanity_findings(w)
    unexpected = [f for f in findings if f not in allowed]
    assert not unexpected, (
        f"profile {profile}: sanity findings not in the allowed list:\n  "
        + "\n  ".join(unexpected)
        + f"\n(allowed: {sorted(allowed)})\n\n{run.explain()}"
    )
    # An allowance that no longer happens is stale: the hole it excuses is gone, flip its switch.
    stale = sorted(allowed - set(findings))
    assert not stale, f"profile {profile}: allowed findings the analyzer no longer reports: {stale}"


@pytest.mark.parametrize("profile", PROFILES)
def test_connectivity_matrix(cache, profile):
    check_matrix(cache, profile, TODAY)


@pytest.mark.parametrize("profile", PROFILES)
def test_sanity(cache, profile):
    check_sanity(cache, profile, TODAY)


@pytest.mark.parametrize("profile", PROFILES)
def test_the_stream_lists_namespaces_first(cache, profile):
    w, _ = cache.world(profile, TODAY)
    kinds = [d["kind"] for d in yaml.safe_load_all(w.stream)]
    first_other = next(i for i, k in enumerate(kinds) if k != "Namespace")
    assert "Namespace" not in kinds[first_other:], "a Namespace after a namespaced object"
    assert kinds.count("Namespace") == len(w.namespaces) + len(w.tenants)
    assert kinds.count("Job") == sum(1 for t in w.tenants if t.engine) == len(w.jobs)


@pytest.mark.parametrize("profile", PROFILES)
def test_no_tenant_reaches_a_callee_today(cache, profile):
    """Hole (1), named: while it lasts, no pod of any tenant namespace reaches a callee."""
    if not expectations.KNOWN_HOLES_UNTIL_DEPENDENCIES:
        pytest.xfail("KNOWN_HOLES_UNTIL_DEPENDENCIES is off: test_dependencies covers callers")
    w, _ = cache.world(profile, "today")
    actual, _ = cache.query("connectivity", profile, "today")
    callees = {t.endpoint for t in w.tenants if t.exposure in ("internal-http", "grpc")}
    assert callees, "the set has no callee"
    sources = {e for t in w.tenants for e in (t.endpoint, t.stray)}
    reached = sorted((s, d) for (s, d) in actual if s in sources and d in callees)
    assert not reached, f"hole (1) is closed, flip KNOWN_HOLES_UNTIL_DEPENDENCIES: {reached}"


@pytest.mark.parametrize("profile", PROFILES)
def test_dependencies(cache, zave, profile):
    """The fixed rule: callers (contracts/callers/) reach their declared dependencies only."""
    accepted, output = worlds.dependencies_accepted(zave)
    if not accepted:
        if expectations.KNOWN_HOLES_UNTIL_DEPENDENCIES:
            pytest.xfail(f"this zave refuses spec.dependencies (hole 1 still open):\n{output}")
        pytest.fail(f"KNOWN_HOLES_UNTIL_DEPENDENCIES is off but zave refuses spec.dependencies:\n{output}")
    check_matrix(cache, profile, "dependencies")
    check_sanity(cache, profile, "dependencies")


@pytest.mark.parametrize("profile", PROFILES)
def test_fixed_rules_against_the_spec_policies(cache, profile):
    """The FIXED rules (`dependency_edges`, `job_fixed`) already hold, per the analyzer, for
    policies hand-written from SPEC.md §4 on top of today's render (world.preview_policies):
    the switches can be flipped with rules that are known right. Delete this test (and
    preview_policies) once both holes are closed by the render itself."""
    check_matrix(cache, profile, "preview")
    check_sanity(cache, profile, "preview")
