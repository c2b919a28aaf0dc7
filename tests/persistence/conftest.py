"""Shared set-up of the isolation suite: zave's scripts for two tenants per engine, run twice.

scripts/test-persistence starts the servers and exports where they are (ZAVE_* variables).
Each engine's fixture writes a profile pointing at the loopback server, renders two contracts
with `zave provision-script`, runs each tenant's `run.sh` as the Job would (credentials in the
environment only), snapshots the server's catalogue, runs every script again and snapshots
once more: the idempotence tests compare the two.
"""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pymysql
import pytest
import redis
import yaml

ENV = os.environ
HOST = "127.0.0.1"
ADMIN_USER = ENV.get("ZAVE_ADMIN_USER", "")
ADMIN_PASSWORD = ENV.get("ZAVE_ADMIN_PASSWORD", "")
WORK = Path(ENV.get("ZAVE_WORK", "/nonexistent"))

# The tier every test tenant uses, and the limits the test profile gives it: short timeouts
# so the suite can watch them fire.
TIER = "small"
CONNECTION_LIMIT = 5
TIMEOUTS = {"statementSeconds": 2, "lockSeconds": 1, "idleInTransactionSeconds": 2}

# Two tenants per engine. `shop-a` and `shop1a` are chosen so that MySQL's GRANT wildcard
# (`_` matches any character) would give `db_shop_a`'s user `db_shop1a` unless escaped.
TENANTS = ("shop-a", "shop1a")
# Schema-per-tenant PostgreSQL tenants live on the same server: role names are server-wide.
SCHEMA_TENANTS = ("team-a", "team1a")
SHARED_DATABASE = "tenants"


def password() -> str:
    """A password like the ESO Password generator's: 32 letters and digits."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


@dataclass
class Tenant:
    """One provisioned tenant: its names and the passwords its runs were given."""

    name: str
    engine: str
    mode: str = "database"
    app_password: str = field(default_factory=password)
    migrator_password: str = field(default_factory=password)
    script_dir: Path = Path()
    outputs: list[str] = field(default_factory=list)

    @property
    def ident(self) -> str:
        return self.name.replace("-", "_")

    @property
    def app(self) -> str:
        return self.name if self.engine == "redis" else f"{self.ident}_app"

    @property
    def migrator(self) -> str:
        return f"{self.ident}_migrator"

    @property
    def owner(self) -> str:
        return f"{self.ident}_owner"

    @property
    def database(self) -> str:
        return SHARED_DATABASE if self.mode == "schema" else f"db_{self.ident}"

    @property
    def schema(self) -> str:
        return f"tenant_{self.ident}" if self.mode == "schema" else "app"


def wait_until_closed(count_sessions, who: str) -> None:
    """Closed connections end asynchronously on a server: wait (up to 5 s) until
    `count_sessions()` is zero, so a test counts from zero."""
    for _ in range(50):
        if count_sessions() == 0:
            return
        time.sleep(0.1)
    raise AssertionError(f"connections of {who} are still open")


def zave(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ENV["ZAVE_BIN"], *args], capture_output=True, text=True, check=False)


def write_profile(path: Path, postgres_mode: str) -> Path:
    """The kind profile, with every database server on loopback and short test timeouts."""
    shown = zave("profile", "show", "kind")
    assert shown.returncode == 0, shown.stderr
    profile = yaml.safe_load(shown.stdout)
    profile["metadata"]["name"] = f"loopback-{postgres_mode}"
    databases = profile["spec"]["databases"]
    ports = {"postgres": "ZAVE_PG_PORT", "mysql": "ZAVE_MYSQL_PORT", "redis": "ZAVE_REDIS_PORT"}
    for engine, variable in ports.items():
        databases[engine]["host"] = HOST
        databases[engine]["port"] = int(ENV[variable])
    postgres = databases["postgres"]
    if postgres_mode == "schema":
        postgres["isolation"] = "schema-per-tenant"
        postgres["sharedDatabase"] = SHARED_DATABASE
    else:
        postgres["isolation"] = "database-per-tenant"
        postgres.pop("sharedDatabase", None)
    tier = profile["spec"]["tiers"][TIER]
    tier["dbConnectionLimit"] = CONNECTION_LIMIT
    tier["dbTimeouts"] = dict(TIMEOUTS)
    path.write_text(yaml.safe_dump(profile, sort_keys=False))
    return path


def render_script(tenant: Tenant, profile: Path, root: Path) -> None:
    contract = root / f"{tenant.engine}-{tenant.name}.yaml"
    contract.write_text(
        "apiVersion: zave.io/v1\nkind: Workload\n"
        f"metadata: {{name: {tenant.name}}}\n"
        "spec:\n  runtime: container\n  exposure: internal-http\n  delivery: rolling\n"
        f"  persistence: {{engine: {tenant.engine}}}\n  resources: {{tier: {TIER}}}\n"
    )
    tenant.script_dir = root / f"{tenant.engine}-{tenant.mode}-{tenant.name}"
    result = zave(
        "provision-script", str(contract), "--profile-file", str(profile),
        "--out", str(tenant.script_dir),
    )
    assert result.returncode == 0, result.stderr


def run_script(tenant: Tenant) -> None:
    """Runs the tenant's `run.sh` as the Job does: credentials only in the environment."""
    env = {
        "PATH": ENV["PATH"],
        "HOME": str(WORK),
        "ZAVE_ADMIN_USER": ADMIN_USER,
        "ZAVE_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "ZAVE_APP_PASSWORD": tenant.app_password,
        "ZAVE_MIGRATOR_PASSWORD": tenant.migrator_password,
    }
    result = subprocess.run(
        ["/bin/sh", str(tenant.script_dir / "run.sh")],
        env=env, capture_output=True, text=True, check=False, timeout=120,
    )
    assert result.returncode == 0, f"{tenant.name}: {result.stdout}\n{result.stderr}"
    tenant.outputs.append(result.stdout + result.stderr)


@dataclass
class Provisioned:
    """Tenants of one engine (and mode) after two runs, with the catalogue after each."""

    tenants: tuple[Tenant, ...]
    first: str
    second: str

    @property
    def a(self) -> Tenant:
        return self.tenants[0]

    @property
    def b(self) -> Tenant:
        return self.tenants[1]


def provision(engine: str, names: tuple[str, ...], mode: str, root: Path, catalogue) -> Provisioned:
    profile = write_profile(root / f"profile-{engine}-{mode}.yaml", mode)
    tenants = tuple(Tenant(name, engine, mode) for name in names)
    for tenant in tenants:
        render_script(tenant, profile, root)
        run_script(tenant)
    first = catalogue(tenants)
    for tenant in tenants:
        run_script(tenant)
    return Provisioned(tenants, first, catalogue(tenants))


# ---------------------------------------------------------------- PostgreSQL


def pg_superuser(dbname: str = "postgres") -> psycopg.Connection:
    return psycopg.connect(
        host=ENV["ZAVE_PG_SOCKET"], port=ENV["ZAVE_PG_PORT"], user="postgres", dbname=dbname,
        autocommit=True,
    )


def pg_catalogue(tenants: tuple[Tenant, ...]) -> str:
    """Roles, memberships, settings, database, schema and default ACLs, as text. Password
    verifiers are left out: PostgreSQL salts each one afresh (the password stays the same)."""
    lines: list[str] = []
    with pg_superuser() as conn:
        queries = [
            "SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin,"
            " rolreplication, rolbypassrls, rolconnlimit, rolconfig::text"
            " FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY 1",
            "SELECT r.rolname, m.rolname, a.admin_option FROM pg_auth_members a"
            " JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member ORDER BY 1, 2",
            "SELECT datname, pg_get_userbyid(datdba), datacl::text FROM pg_database ORDER BY 1",
        ]
        for query in queries:
            lines += [repr(row) for row in conn.execute(query).fetchall()]
    for database in sorted({t.database for t in tenants}):
        with pg_superuser(database) as conn:
            for query in (
                "SELECT nspname, pg_get_userbyid(nspowner), nspacl::text FROM pg_namespace"
                " ORDER BY 1",
                "SELECT defaclrole::regrole::text, defaclnamespace::regnamespace::text,"
                " defaclobjtype, defaclacl::text FROM pg_default_acl ORDER BY 1, 2, 3",
            ):
                lines += [f"{database}: {row!r}" for row in conn.execute(query).fetchall()]
    return "\n".join(lines)


@pytest.fixture(scope="session")
def postgres(tmp_path_factory) -> Provisioned:
    root = tmp_path_factory.mktemp("postgres-database")
    return provision("postgres", TENANTS, "database", root, pg_catalogue)


@pytest.fixture(scope="session")
def postgres_schema(tmp_path_factory) -> Provisioned:
    root = tmp_path_factory.mktemp("postgres-schema")
    return provision("postgres", SCHEMA_TENANTS, "schema", root, pg_catalogue)


@pytest.fixture(scope="session", params=["database", "schema"])
def pg(request) -> Provisioned:
    """Both PostgreSQL tenancy modes: every test taking `pg` runs under each."""
    fixture = "postgres" if request.param == "database" else "postgres_schema"
    return request.getfixturevalue(fixture)


def pg_login(tenant: Tenant, role: str = "app") -> tuple[str, str]:
    """The user name and password of the tenant's `app` or `migrator` role."""
    if role == "app":
        return tenant.app, tenant.app_password
    return tenant.migrator, tenant.migrator_password


def pg_connect(tenant: Tenant, role: str = "app", dbname: str | None = None, **kwargs) -> psycopg.Connection:
    user, secret = pg_login(tenant, role)
    return psycopg.connect(
        host=HOST, port=ENV["ZAVE_PG_PORT"], user=user, password=secret,
        dbname=dbname or tenant.database, connect_timeout=5, **kwargs,
    )


# ---------------------------------------------------------------- MariaDB


def mysql_root() -> pymysql.Connection:
    return pymysql.connect(unix_socket=ENV["ZAVE_MYSQL_SOCKET"], user="root", autocommit=True)


def mysql_catalogue(tenants: tuple[Tenant, ...]) -> str:
    """Each tenant user's account row (hash, limits) and grants, and the databases."""
    lines: list[str] = []
    with mysql_root() as conn, conn.cursor() as cursor:
        for tenant in tenants:
            cursor.execute(
                "SELECT User, Host, authentication_string, max_user_connections, max_statement_time,"
                " Select_priv,"
                " File_priv, Super_priv, Grant_priv FROM mysql.user WHERE User = %s",
                (tenant.app,),
            )
            lines += [repr(row) for row in cursor.fetchall()]
            cursor.execute(f"SHOW GRANTS FOR '{tenant.app}'@'%'")
            lines += [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT Db, User, Host FROM mysql.db ORDER BY 1, 2")
        lines += [repr(row) for row in cursor.fetchall()]
        cursor.execute("SHOW DATABASES")
        lines += [row[0] for row in cursor.fetchall()]
    return "\n".join(lines)


@pytest.fixture(scope="session")
def mysql(tmp_path_factory) -> Provisioned:
    return provision("mysql", TENANTS, "database", tmp_path_factory.mktemp("mysql"), mysql_catalogue)


def mysql_connect(tenant: Tenant, database: str | None = None, **kwargs) -> pymysql.Connection:
    return pymysql.connect(
        host=HOST, port=int(ENV["ZAVE_MYSQL_PORT"]), user=tenant.app,
        password=tenant.app_password, database=database, autocommit=True, connect_timeout=5,
        **kwargs,
    )


# ---------------------------------------------------------------- Redis


def redis_admin() -> redis.Redis:
    return redis.Redis(
        host=HOST, port=int(ENV["ZAVE_REDIS_PORT"]), username=ADMIN_USER, password=ADMIN_PASSWORD,
        decode_responses=True,
    )


def redis_catalogue(tenants: tuple[Tenant, ...]) -> str:
    admin = redis_admin()
    return "\n".join(admin.execute_command("ACL", "LIST"))


@pytest.fixture(scope="session")
def redis_tenants(tmp_path_factory) -> Provisioned:
    return provision("redis", TENANTS, "database", tmp_path_factory.mktemp("redis"), redis_catalogue)


def redis_connect(tenant: Tenant, password_override: str | None = None) -> redis.Redis:
    client = redis.Redis(
        host=HOST, port=int(ENV["ZAVE_REDIS_PORT"]), username=tenant.app,
        password=password_override or tenant.app_password, decode_responses=True,
        socket_timeout=5,
    )
    return client


# ---------------------------------------------------------------- report header


def server_versions() -> list[str]:
    """Each running server's release, asked of the server: refusal codes move between them."""
    versions: list[str] = []
    try:
        with pg_superuser() as conn:
            (version,) = conn.execute("SHOW server_version").fetchone()
        versions.append(f"PostgreSQL {version.split()[0]}")
    except (KeyError, psycopg.Error) as error:
        versions.append(f"PostgreSQL unreachable ({type(error).__name__})")
    try:
        with mysql_root() as conn, conn.cursor() as cursor:
            cursor.execute("SELECT VERSION()")
            (version,) = cursor.fetchone()
        flavour = "MariaDB" if "MariaDB" in version else "MySQL"
        versions.append(f"{flavour} {version.split('-')[0]}")
    except (KeyError, pymysql.err.Error) as error:
        versions.append(f"MariaDB unreachable ({type(error).__name__})")
    try:
        out = subprocess.run([ENV["ZAVE_PGBOUNCER"], "--version"], capture_output=True, text=True,
                             check=True).stdout
        versions.append(out.splitlines()[0] if out else "PgBouncer (no version)")
    except (KeyError, OSError, subprocess.CalledProcessError) as error:
        versions.append(f"PgBouncer unavailable ({type(error).__name__})")
    try:
        versions.append(f"Redis {redis_admin().info('server')['redis_version']}")
    except (KeyError, ValueError, redis.RedisError) as error:
        versions.append(f"Redis unreachable ({type(error).__name__})")
    return versions


def pytest_report_header(config) -> str:
    """Names the server releases at the top of the run."""
    return "servers: " + ", ".join(server_versions())
