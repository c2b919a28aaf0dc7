"""PgBouncer in transaction mode in front of the test PostgreSQL, configured only from what
zave rendered; the tenant's migrations run as the Job would; statement statistics.

The fixture renders two tenants into a GitOps tree with `zave render --out`, provisions them
with their scripts, and starts Debian's PgBouncer (as the postgres user) on loopback with the
rendered `[databases]` file and the `auth_file` its ExternalSecret templates, filled with the
passwords the store would hold.
"""

from __future__ import annotations

import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pg8000.native
import psycopg
import pytest
import yaml

from conftest import (
    ENV, HOST, TIER, TIMEOUTS, WORK, Tenant, pg_connect, pg_superuser, run_script, write_profile,
    zave,
)
from refusals import PgBouncer, Postgres

NAMES = ("pool-a", "pool1a")
# The tier's pool on the pooler: two server connections per role, three per database.
POOL = {"size": 2, "maxDbConnections": 3}
MIGRATE = Path(__file__).with_name("migrate.py")


@dataclass
class Pooled:
    """The rendered tree, the provisioned tenants and where the pooler listens."""

    tree: Path
    tenants: tuple[Tenant, Tenant]
    port: int

    @property
    def a(self) -> Tenant:
        return self.tenants[0]

    @property
    def b(self) -> Tenant:
        return self.tenants[1]


def read_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def fill(template: str, values: dict[str, str]) -> str:
    """What External Secrets' template engine makes of `{{ .key }}` and `{{ .key | urlquery }}`
    here: the passwords are letters and digits, so `urlquery` changes nothing."""
    return re.sub(r"\{\{ \.(\w+)(?: \| urlquery)? \}\}", lambda m: values[m.group(1)], template)


def store_passwords(tenants: tuple[Tenant, ...]) -> dict[str, str]:
    """The store as the tenants' generators filled it: key -> password."""
    store = {}
    for tenant in tenants:
        store[f"tenants/{tenant.name}/db"] = tenant.app_password
        store[f"tenants/{tenant.name}/db-migrator"] = tenant.migrator_password
    return store


def templated(external_secret: dict, store: dict[str, str]) -> dict[str, str]:
    """The Secret an ExternalSecret would write, given the store."""
    values = {
        item["secretKey"]: store[item["remoteRef"]["key"]] for item in external_secret["spec"]["data"]
    }
    template = external_secret["spec"]["target"]["template"]["data"]
    return {key: fill(text, values) for key, text in template.items()}


@pytest.fixture(scope="session")
def pooled(tmp_path_factory) -> Pooled:
    root = tmp_path_factory.mktemp("pooled")
    profile_path = write_profile(root / "profile.yaml", "database")
    profile = yaml.safe_load(profile_path.read_text())
    port = int(ENV["ZAVE_PGBOUNCER_PORT"])
    postgres = profile["spec"]["databases"]["postgres"]
    postgres["pooler"] = {"host": HOST, "port": port}
    postgres["preloadLibraries"] = ["pg_stat_statements"]
    profile["spec"]["tiers"][TIER]["dbPool"] = dict(POOL)
    profile_path.write_text(yaml.safe_dump(profile, sort_keys=False))
    tenants = tuple(Tenant(name, "postgres") for name in NAMES)
    contracts = []
    for tenant in tenants:
        contract = root / f"{tenant.name}.yaml"
        contract.write_text(
            "apiVersion: zave.io/v1\nkind: Workload\n"
            f"metadata: {{name: {tenant.name}}}\n"
            "spec:\n  runtime: container\n  exposure: internal-http\n  delivery: rolling\n"
            "  persistence:\n    engine: postgres\n"
            f"    migrations: {{command: [{sys.executable}, {MIGRATE}]}}\n"
            f"  resources: {{tier: {TIER}}}\n"
        )
        contracts.append(str(contract))
        tenant.script_dir = root / f"script-{tenant.name}"
        result = zave("provision-script", str(contract), "--profile-file", str(profile_path),
                      "--out", str(tenant.script_dir))
        assert result.returncode == 0, result.stderr
        run_script(tenant)
    tree = root / "tree"
    tree.mkdir()
    result = zave("render", *contracts, "--profile-file", str(profile_path), "--out", str(tree))
    assert result.returncode == 0, result.stderr

    pooler_dir = next(tree.rglob("platform/pooler"))
    databases = read_yaml(pooler_dir / "configmap-pgbouncer-databases.yaml")["data"]
    userlist = templated(read_yaml(pooler_dir / "externalsecret-pgbouncer-userlist.yaml"),
                         store_passwords(tenants))
    run = WORK / "pgbouncer"  # the servers' folder: readable by the postgres user
    run.mkdir()
    (run / "databases.ini").write_text(databases["pgbouncer-databases.ini"])
    (run / "userlist.txt").write_text(userlist["userlist.txt"])
    # The platform's own settings; everything about the tenants comes from the two files.
    (run / "pgbouncer.ini").write_text(
        "[pgbouncer]\n"
        f"listen_addr = {HOST}\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = scram-sha-256\nauth_file = {run}/userlist.txt\n"
        f"logfile = {run}/pgbouncer.log\npidfile = {run}/pgbouncer.pid\n"
        "query_wait_timeout = 1\nserver_reset_query_always = 1\n"
        f"%include {run}/databases.ini\n"
    )
    subprocess.run(["chown", "-R", "postgres:", str(run)], check=True)
    os.chmod(run / "userlist.txt", 0o600)
    output = (run / "output.log").open("wb")
    process = subprocess.Popen(
        ["runuser", "-u", "postgres", "--", ENV["ZAVE_PGBOUNCER"], str(run / "pgbouncer.ini")],
        stdout=output, stderr=subprocess.STDOUT,
    )
    pooled = Pooled(tree, tenants, port)
    for _ in range(50):
        if process.poll() is not None:
            break
        try:
            pooled_connect(pooled, tenants[0]).close()
            break
        except psycopg.OperationalError:
            time.sleep(0.1)
    else:
        process.terminate()
    if process.poll() is not None:
        logs = [(run / name).read_text(errors="replace") for name in ("output.log", "pgbouncer.log")
                if (run / name).exists()]
        pytest.fail("PgBouncer did not start:\n" + "\n".join(logs))
    yield pooled
    process.terminate()
    process.wait(timeout=10)


def pooled_connect(pooled: Pooled, tenant: Tenant, dbname: str | None = None, **kwargs):
    """Connects through PgBouncer with the tenant's `<name>-db` credentials."""
    kwargs.setdefault("autocommit", True)
    return psycopg.connect(
        host=HOST, port=pooled.port, user=tenant.app, password=tenant.app_password,
        dbname=dbname or tenant.database, connect_timeout=5, **kwargs,
    )


def login_refusal(pooled: Pooled, user: str, password: str, database: str) -> str | None:
    """Logs in through PgBouncer (pg8000: the SQLSTATE of a failed login) and returns the
    SQLSTATE it was refused with; fails the test when it was not refused."""
    try:
        pg8000.native.Connection(user, host=HOST, port=pooled.port, database=database,
                                 password=password, timeout=5).close()
    except pg8000.exceptions.DatabaseError as error:
        fields = error.args[0] if error.args and isinstance(error.args[0], dict) else {}
        return fields.get("C")
    pytest.fail(f"{user} logging in to {database} through the pooler: not refused")


def secret_of(pooled: Pooled, tenant: Tenant, leaf: str) -> dict[str, str]:
    """The connection Secret `<name>-<leaf>` as its ExternalSecret would template it."""
    path = next(pooled.tree.rglob(f"tenants/{tenant.name}/externalsecret-{tenant.name}-{leaf}.yaml"))
    return templated(read_yaml(path), store_passwords(pooled.tenants))


def test_each_tenant_connects_through_the_pooler_with_its_secret(pooled):
    for tenant in pooled.tenants:
        secret = secret_of(pooled, tenant, "db")
        assert (secret["DB_HOST"], int(secret["DB_PORT"])) == (HOST, pooled.port)
        with psycopg.connect(secret["DATABASE_URL"], connect_timeout=5) as conn:
            user, database = conn.execute("SELECT current_user, current_database()").fetchone()
        assert (user, database) == (tenant.app, tenant.database)


def test_the_pooler_file_lists_every_tenant_with_its_limits(pooled):
    text = next(pooled.tree.rglob("configmap-pgbouncer-databases.yaml")).read_text()
    for tenant in pooled.tenants:
        assert re.search(
            rf"^    {tenant.database} = .*dbname={tenant.database} pool_mode=transaction"
            rf" pool_size={POOL['size']} max_db_connections={POOL['maxDbConnections']}$",
            text, re.M,
        ), text


def test_a_tenant_cannot_reach_another_tenants_database_through_the_pooler(pooled):
    for tenant, other in ((pooled.a, pooled.b), (pooled.b, pooled.a)):
        code = login_refusal(pooled, tenant.app, tenant.app_password, other.database)
        assert code in PgBouncer.LOGIN_REFUSED, code


def test_the_pooler_admits_only_the_tenants_application_roles(pooled):
    # The auth_file lists each tenant's app role and nothing else: not its migrator (which
    # connects to the server itself), not the admin.
    for tenant in pooled.tenants:
        code = login_refusal(pooled, tenant.migrator, tenant.migrator_password, tenant.database)
        assert code in PgBouncer.LOGIN_REFUSED, code
    code = login_refusal(pooled, ENV["ZAVE_ADMIN_USER"], ENV["ZAVE_ADMIN_PASSWORD"], "postgres")
    assert code in PgBouncer.LOGIN_REFUSED, code


def test_a_wrong_password_is_refused_by_the_pooler(pooled):
    code = login_refusal(pooled, pooled.a.app, "x" * 32, pooled.a.database)
    assert code in PgBouncer.LOGIN_REFUSED, code


def test_role_settings_hold_through_pooled_transactions(pooled):
    expected = (
        "app", f"{TIMEOUTS['statementSeconds']}s", f"{TIMEOUTS['lockSeconds']}s",
        f"{TIMEOUTS['idleInTransactionSeconds']}s",
    )
    show = ("SELECT current_setting('search_path'), current_setting('statement_timeout'),"
            " current_setting('lock_timeout'),"
            " current_setting('idle_in_transaction_session_timeout')")
    with pooled_connect(pooled, pooled.a) as conn:
        # A client's own SET lasts no longer than its server connection's turn: the pooler
        # resets the connection (DISCARD ALL) and the role's settings apply again.
        conn.execute("SET statement_timeout = 0")
    for _ in range(6):
        with pooled_connect(pooled, pooled.a) as conn:
            assert conn.execute(show).fetchone() == expected
            with pytest.raises(psycopg.Error) as cancelled:
                conn.execute("SELECT pg_sleep(%s)", (TIMEOUTS["statementSeconds"] + 2,))
            assert cancelled.value.sqlstate in Postgres.QUERY_CANCELED


def server_connections(tenant: Tenant) -> int:
    """The server connections of the tenant's application role, counted by the superuser."""
    with pg_superuser() as conn:
        (count,) = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE usename = %s", (tenant.app,)
        ).fetchone()
    return count


def test_pool_limits_hold_per_tenant_while_another_tenant_connects(pooled):
    # Clients beyond the pool wait for a server connection (query_wait_timeout, 1 s here)
    # rather than open one: the holders' open transactions keep both for longer than that
    # and shorter than the tier's idle-in-transaction timeout.
    clients = POOL["maxDbConnections"] + 2
    holders = [pooled_connect(pooled, pooled.a, autocommit=False) for _ in range(clients)]

    def begin(conn) -> str | None:
        try:
            conn.execute("SELECT 1")
        except psycopg.Error as error:
            return error.sqlstate or "no SQLSTATE"
        return None

    try:
        with ThreadPoolExecutor(max_workers=clients) as pool:
            outcomes = list(pool.map(begin, holders))
        queued = [code for code in outcomes if code is not None]
        assert len(outcomes) - len(queued) == POOL["size"], outcomes
        assert set(queued) <= PgBouncer.QUERY_WAIT_TIMEOUT, queued
        assert server_connections(pooled.a) <= POOL["size"]
        with pooled_connect(pooled, pooled.b) as other:
            assert other.execute("SELECT current_user").fetchone() == (pooled.b.app,)
    finally:
        for conn in holders:
            conn.close()


# ---------------------------------------------------------------- migrations


def migration_job(pooled: Pooled, tenant: Tenant) -> dict:
    (path,) = pooled.tree.rglob(f"tenants/{tenant.name}/job-{tenant.name}-migrate-*.yaml")
    return read_yaml(path)


def run_migration(pooled: Pooled, tenant: Tenant) -> subprocess.CompletedProcess[str]:
    """Runs the Job's command with the environment its pod gets: the migrator's Secret."""
    container = migration_job(pooled, tenant)["spec"]["template"]["spec"]["containers"][0]
    (source,) = container["envFrom"]
    secret = secret_of(pooled, tenant, source["secretRef"]["name"].removeprefix(f"{tenant.name}-"))
    env = {"PATH": ENV["PATH"], **secret}
    return subprocess.run(container["command"], env=env, capture_output=True, text=True,
                          check=False, timeout=60)


def test_the_migration_job_is_a_presync_hook_that_connects_to_the_server(pooled):
    job = migration_job(pooled, pooled.a)
    annotations = job["metadata"]["annotations"]
    assert annotations["argocd.argoproj.io/hook"] == "PreSync"
    assert annotations["argocd.argoproj.io/hook-delete-policy"] == "BeforeHookCreation"
    url = urlsplit(secret_of(pooled, pooled.a, "db-migrator")["DATABASE_URL"])
    assert (url.hostname, url.port) == (HOST, int(ENV["ZAVE_PG_PORT"]))  # not the pooler


def test_migrations_run_twice_and_the_app_role_uses_but_cannot_alter_the_table(pooled):
    for _ in range(2):
        result = run_migration(pooled, pooled.a)
        assert result.returncode == 0, result.stderr
    with pooled_connect(pooled, pooled.a) as conn:
        conn.execute("INSERT INTO orders (id, total, note) VALUES (1, 9.5, 'first')")
        assert conn.execute("SELECT id, note FROM orders").fetchall() == [(1, "first")]
        with pytest.raises(psycopg.Error) as refused:
            conn.execute("ALTER TABLE orders ADD COLUMN extra int")
        assert refused.value.sqlstate in Postgres.INSUFFICIENT_PRIVILEGE
    with pooled_connect(pooled, pooled.b) as other:
        with pytest.raises(psycopg.Error) as missing:
            other.execute("SELECT 1 FROM orders")
        assert missing.value.sqlstate in Postgres.UNDEFINED_TABLE


# ---------------------------------------------------------------- statement statistics


def test_a_tenant_reads_its_own_statements_text_and_not_another_tenants(pooled):
    # pg_stat_statements keys a statement by its shape (constants and aliases left out), so
    # each tenant runs a shape no other test runs.
    a_statement, b_statement = "pg_backend_pid() + ", "pg_backend_pid() - "
    with pg_connect(pooled.a) as conn:
        conn.execute(f"SELECT pg_catalog.{a_statement}7141")
    with pg_connect(pooled.b) as conn:
        conn.execute(f"SELECT pg_catalog.{b_statement}7141")
    with pg_connect(pooled.a) as conn:
        rows = conn.execute(
            "SELECT pg_catalog.pg_get_userbyid(userid), query FROM zave_stats.pg_stat_statements"
        ).fetchall()
    own = [query for user, query in rows if user == pooled.a.app]
    others = [query for user, query in rows if user == pooled.b.app]
    assert any(a_statement in query for query in own), own
    assert others and all(query == "<insufficient privilege>" for query in others), others
    assert not any(b_statement in query for _, query in rows)
