"""PostgreSQL: what a tenant can do through its roles, and every attack the model refuses.

Each test taking `pg` runs under database-per-tenant and schema-per-tenant. Every refusal is
asserted by what it means: its SQLSTATE is in one of the sets named in refusals.py
(`Postgres.INSUFFICIENT_PRIVILEGE`, 42501, unless stated), never by the message. Any other
failure (42601 a syntax error, 42P01 a missing table, a lost connection without SQLSTATE,
another exception) fails the test, like success does.

Connection attempts that must be refused go through pg8000, not psycopg: psycopg 3 has a
failed connection's error from libpq as text only (`sqlstate` and `diag.sqlstate` of its
OperationalError are None), while pg8000 reads the server's ErrorResponse itself and keeps
every field, `C` the SQLSTATE among them.
"""

from __future__ import annotations

import time

import pg8000.exceptions
import pg8000.native
import psycopg
import pytest

from conftest import (
    ADMIN_PASSWORD,
    ADMIN_USER,
    CONNECTION_LIMIT,
    ENV,
    HOST,
    TIMEOUTS,
    Tenant,
    pg_connect,
    pg_login,
    pg_superuser,
    run_script,
    wait_until_closed,
    zave,
)
from refusals import Postgres


def refused(
    conn: psycopg.Connection, sql: str, meaning: frozenset[str] = Postgres.INSUFFICIENT_PRIVILEGE
) -> None:
    """Runs `sql` and expects the server to refuse it with a SQLSTATE in `meaning`."""
    try:
        conn.execute(sql)
    except psycopg.Error as error:
        assert error.sqlstate in meaning, f"{sql}: SQLSTATE {error.sqlstate}: {error}"
    else:
        pytest.fail(f"{sql}: not refused")
    if not conn.broken:
        conn.rollback()


def refused_to_connect(
    tenant: Tenant, meaning: frozenset[str], role: str = "app", dbname: str | None = None,
    password: str | None = None, **kwargs,
) -> None:
    """Connects as the tenant's role (pg8000: the SQLSTATE of a failed connection) and
    expects the server to refuse with a SQLSTATE in `meaning`."""
    user, secret = pg_login(tenant, role)
    database = dbname or tenant.database
    what = f"{user} connecting to {database} {kwargs or ''}".rstrip()
    try:
        pg8000.native.Connection(
            user, host=HOST, port=int(ENV["ZAVE_PG_PORT"]), database=database,
            password=password or secret, timeout=5, **kwargs,
        ).close()
    except pg8000.exceptions.DatabaseError as error:
        fields = error.args[0] if error.args and isinstance(error.args[0], dict) else {}
        sqlstate = fields.get("C")
        assert sqlstate in meaning, f"{what}: SQLSTATE {sqlstate}: {error.args}"
    else:
        pytest.fail(f"{what}: not refused")


def lacks(conn: psycopg.Connection, check: str, *args: str) -> None:
    """Asserts the catalogue denies the session's user a right, e.g.
    `lacks(conn, "has_schema_privilege(%s, 'CREATE')", "public")`."""
    (granted,) = conn.execute(f"SELECT {check}", args).fetchone()
    conn.rollback()
    assert granted is False, f"{check} {args}: {granted}"


@pytest.fixture
def table(pg):
    """A table created by A's migrator, as a migration would, dropped afterwards."""
    with pg_connect(pg.a, "migrator", autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS items")
        conn.execute("CREATE TABLE items (id bigserial PRIMARY KEY, name text NOT NULL)")
    yield f"{pg.a.schema}.items"
    with pg_connect(pg.a, "migrator", autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS items")


# ---------------------------------------------------------------- what tenants can do


def test_app_role_creates_reads_updates_and_deletes_its_data(pg, table):
    with pg_connect(pg.a) as conn:
        conn.execute("INSERT INTO items (name) VALUES ('one'), ('two')")
        conn.execute("UPDATE items SET name = 'uno' WHERE name = 'one'")
        conn.execute("DELETE FROM items WHERE name = 'two'")
        assert conn.execute("SELECT name FROM items").fetchall() == [("uno",)]
        conn.commit()


def test_migrator_changes_the_schema_and_objects_belong_to_the_owner_role(pg, table):
    with pg_connect(pg.a, "migrator", autocommit=True) as conn:
        conn.execute("ALTER TABLE items ADD COLUMN price numeric")
        conn.execute("CREATE INDEX items_name ON items (name)")
        conn.execute("CREATE TABLE audit (id int)")
        conn.execute("DROP TABLE audit")
        owner = conn.execute(
            "SELECT tableowner FROM pg_tables WHERE schemaname = %s AND tablename = 'items'",
            (pg.a.schema,),
        ).fetchone()
        assert owner == (pg.a.owner,)
    with pg_connect(pg.a) as conn:
        conn.execute("INSERT INTO items (name, price) VALUES ('x', 1.5)")


def test_sessions_start_in_the_tenant_schema_with_the_tier_timeouts(pg):
    with pg_connect(pg.a) as conn:
        settings = conn.execute(
            "SELECT current_setting('search_path'), current_setting('statement_timeout'),"
            " current_setting('lock_timeout'),"
            " current_setting('idle_in_transaction_session_timeout')"
        ).fetchone()
    assert settings == (
        pg.a.schema,
        f"{TIMEOUTS['statementSeconds']}s",
        f"{TIMEOUTS['lockSeconds']}s",
        f"{TIMEOUTS['idleInTransactionSeconds']}s",
    )


# ---------------------------------------------------------------- attacks


def test_app_role_cannot_change_the_schema(pg, table):
    with pg_connect(pg.a) as conn:
        refused(conn, "CREATE TABLE sneaky (id int)")
        refused(conn, "ALTER TABLE items ADD COLUMN x int")
        refused(conn, "DROP TABLE items")
        refused(conn, "TRUNCATE items")


def test_cannot_connect_to_another_tenants_or_the_servers_databases(pg):
    others = ["postgres", "template1"]
    if pg.a.mode == "database":
        others.append(pg.b.database)
    for database in others:
        for role in ("app", "migrator"):
            refused_to_connect(pg.a, Postgres.INSUFFICIENT_PRIVILEGE, role, dbname=database)


def test_a_wrong_password_is_refused(pg):
    for role in ("app", "migrator"):
        refused_to_connect(pg.a, Postgres.LOGIN_REFUSED, role, password="not-the-password-1234")
        pg_connect(pg.a, role).close()  # the same role, with its password, is let in


def test_cannot_read_or_write_another_tenants_tables(pg):
    with pg_connect(pg.b, "migrator", autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS secrets (v text)")
        conn.execute("INSERT INTO secrets VALUES ('b-only')")
    try:
        if pg.a.mode == "database":
            # B's database is out of reach (above); the same name in A's database is not B's.
            with pg_connect(pg.a) as conn:
                refused(conn, "SELECT * FROM secrets", Postgres.UNDEFINED_TABLE)
        else:
            for role in ("app", "migrator"):
                with pg_connect(pg.a, role) as conn:
                    refused(conn, f"SELECT * FROM {pg.b.schema}.secrets")
                    refused(conn, f"INSERT INTO {pg.b.schema}.secrets VALUES ('a')")
                    # Refused at B's schema already, not only at its table.
                    lacks(conn, "has_schema_privilege(%s, 'USAGE')", pg.b.schema)
    finally:
        with pg_connect(pg.b, "migrator", autocommit=True) as conn:
            conn.execute("DROP TABLE secrets")


def test_cannot_create_objects_in_public(pg):
    for role in ("app", "migrator"):
        with pg_connect(pg.a, role) as conn:
            refused(conn, "CREATE TABLE public.planted (id int)")
            refused(conn, "CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1'")
            lacks(conn, "has_schema_privilege('public', 'CREATE')")


def test_cannot_create_extensions(pg):
    for role in ("app", "migrator"):
        with pg_connect(pg.a, role) as conn:
            # pgcrypto is a trusted extension: only CREATE on the database would allow it.
            refused(conn, "CREATE EXTENSION pgcrypto")
            refused(conn, "CREATE EXTENSION postgres_fdw")
            refused(conn, "CREATE EXTENSION dblink")


def test_cannot_create_foreign_data_wrappers_or_servers(pg):
    for role in ("app", "migrator"):
        with pg_connect(pg.a, role) as conn:
            refused(conn, "CREATE FOREIGN DATA WRAPPER sneaky")
    with pg_connect(pg.a, "migrator") as conn:
        # postgres_fdw's wrapper does not exist: creating the extension is refused (above).
        refused(
            conn, "CREATE SERVER sneaky FOREIGN DATA WRAPPER postgres_fdw",
            Postgres.UNDEFINED_OBJECT,
        )


def test_cannot_escape_the_search_path(pg):
    for role in ("app", "migrator"):
        with pg_connect(pg.a, role) as conn:
            # Without USAGE on public, naming it in the path leaves nowhere to create.
            conn.execute("SET search_path = public")
            refused(conn, "CREATE TABLE t (id int)", Postgres.NO_SCHEMA_TO_CREATE_IN)
            conn.execute("SET search_path = pg_temp, public")
            # pg_temp first: the table would be temporary, and TEMP is not granted.
            refused(conn, "CREATE TABLE shadow (id int)")
            refused(conn, "CREATE TEMP TABLE shadow (id int)")
            refused(conn, "CREATE SCHEMA escape")
            if pg.a.mode == "schema":
                refused(conn, f"CREATE TABLE {pg.b.schema}.planted (id int)")


def test_cannot_grant_rights_to_anyone(pg, table):
    other = pg.b.app
    with pg_connect(pg.a) as conn:
        # Holding a right without grant option: PostgreSQL warns and grants nothing.
        warnings: list[str | None] = []
        conn.add_notice_handler(lambda notice: warnings.append(notice.sqlstate))
        conn.execute(f'GRANT SELECT ON items TO "{other}"')
        conn.commit()
        assert Postgres.PRIVILEGE_NOT_GRANTED & set(warnings), warnings
        refused(conn, f'GRANT "{pg.a.owner}" TO "{other}"')
        refused(conn, f'GRANT "{pg.a.migrator}" TO "{pg.a.app}"')
        refused(conn, f'GRANT "{pg.a.app}" TO "{other}"')
    with pg_connect(pg.a, "migrator") as conn:
        refused(conn, f'GRANT "{pg.a.owner}" TO "{pg.a.app}"')
        refused(conn, f'GRANT "{pg.b.owner}" TO "{pg.a.migrator}"')
        refused(conn, f'GRANT CONNECT ON DATABASE "{pg.a.database}" TO "{other}"')
    with pg_superuser(pg.a.database) as conn:
        granted = conn.execute(
            "SELECT has_table_privilege(%s, %s, 'SELECT')", (other, table)
        ).fetchone()
        assert granted == (False,)


def test_cannot_create_or_alter_roles_databases_or_tablespaces(pg):
    for role in ("app", "migrator"):
        with pg_connect(pg.a, role, autocommit=True) as conn:
            refused(conn, "CREATE ROLE intruder LOGIN")
            refused(conn, f'ALTER ROLE "{pg.b.app}" PASSWORD \'taken-over-1234567\'')
            refused(conn, f'ALTER ROLE "{pg.a.app}" CONNECTION LIMIT -1')
            refused(conn, f'ALTER ROLE "{pg.a.app}" CREATEDB')
            refused(conn, f'ALTER ROLE "{pg.a.app}" SUPERUSER')
            refused(conn, f'DROP ROLE "{pg.b.app}"')
            refused(conn, "CREATE DATABASE intruder")
            refused(conn, f'ALTER DATABASE "{pg.a.database}" SET search_path = public')
            refused(conn, f'DROP DATABASE "{pg.b.database}"')
            refused(conn, "CREATE TABLESPACE intruder LOCATION '/tmp'")


def test_cannot_read_server_files(pg, table):
    for role in ("app", "migrator"):
        with pg_connect(pg.a, role) as conn:
            for attack in (
                "COPY items (name) FROM '/etc/passwd'",
                "COPY items (name) FROM PROGRAM 'id'",
                "COPY items TO '/tmp/zave-exfiltrated'",
                "SELECT pg_read_file('/etc/passwd')",
                "SELECT pg_read_binary_file('/etc/passwd')",
                "SELECT pg_ls_dir('.')",
                "SELECT pg_stat_file('postgresql.conf')",
                "SELECT lo_import('/etc/passwd')",
            ):
                refused(conn, attack)


def test_cannot_read_password_verifiers(pg):
    for role in ("app", "migrator"):
        with pg_connect(pg.a, role) as conn:
            refused(conn, "SELECT rolpassword FROM pg_authid")
            refused(conn, "SELECT passwd FROM pg_shadow")
            masked = conn.execute(
                "SELECT DISTINCT rolpassword FROM pg_roles WHERE rolcanlogin"
            ).fetchall()
            assert masked == [("********",)]


def test_cannot_see_or_stop_another_tenants_activity(pg):
    marker = "zave-marker-of-the-other-tenant"
    with pg_connect(pg.b, autocommit=True) as other:
        other.execute(f"SELECT '{marker}'")
        pid = other.info.backend_pid
        with pg_connect(pg.a) as conn:
            row = conn.execute(
                "SELECT query, client_addr FROM pg_stat_activity WHERE pid = %s", (pid,)
            ).fetchone()
            assert row == ("<insufficient privilege>", None)
            queries = [q for (q,) in conn.execute("SELECT query FROM pg_stat_activity").fetchall()]
            assert not any(marker in (q or "") for q in queries)
            conn.rollback()
            refused(conn, f"SELECT pg_terminate_backend({pid})")
            refused(conn, f"SELECT pg_cancel_backend({pid})")
        assert other.execute("SELECT 1").fetchone() == (1,)


def test_security_definer_functions_do_not_escalate(pg, table):
    schema = pg.a.schema
    with pg_connect(pg.a, "migrator", autocommit=True) as conn:
        conn.execute(
            f"CREATE OR REPLACE FUNCTION {schema}.escalate() RETURNS SETOF text"
            " LANGUAGE plpgsql SECURITY DEFINER AS"
            " $$ BEGIN RETURN QUERY SELECT rolpassword FROM pg_authid; END $$"
        )
        conn.execute(
            f"CREATE OR REPLACE FUNCTION {schema}.make_role() RETURNS void"
            " LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN CREATE ROLE planted; END $$"
        )
        # The definer is the tenant's own owner role: it cannot be handed to anyone stronger.
        for target in ("postgres", "zave_admin", pg.b.owner):
            refused(conn, f'ALTER FUNCTION {schema}.escalate() OWNER TO "{target}"')
        refused(
            conn,
            f"CREATE FUNCTION {schema}.native() RETURNS int LANGUAGE c"
            " AS '/lib/x86_64-linux-gnu/libc.so.6', 'getpid'",
        )
    try:
        with pg_connect(pg.a) as conn:
            refused(conn, f"SELECT * FROM {schema}.escalate()")
            refused(conn, f"SELECT {schema}.make_role()")
    finally:
        with pg_connect(pg.a, "migrator", autocommit=True) as conn:
            conn.execute(f"DROP FUNCTION {schema}.escalate(), {schema}.make_role()")


def test_cannot_take_another_identity(pg):
    for role in ("app", "migrator"):
        with pg_connect(pg.a, role) as conn:
            for target in ("postgres", "zave_admin", pg.b.owner, pg.b.app):
                refused(conn, f'SET ROLE "{target}"')
            refused(conn, 'SET SESSION AUTHORIZATION "postgres"')
    with pg_connect(pg.a) as conn:
        # The app role is not a member of its own owner: no schema rights through SET ROLE.
        refused(conn, f'SET ROLE "{pg.a.owner}"')
        refused(conn, f'SET ROLE "{pg.a.migrator}"')
    refused_to_connect(pg.a, Postgres.INSUFFICIENT_PRIVILEGE, replication="database")


def test_cannot_administer_the_server(pg):
    for role in ("app", "migrator"):
        with pg_connect(pg.a, role, autocommit=True) as conn:
            for attack in (
                "ALTER SYSTEM SET log_statement = 'none'",
                "SELECT pg_reload_conf()",
                "CHECKPOINT",
                "LOAD 'passwordcheck'",
                "CREATE EVENT TRIGGER spy ON ddl_command_start EXECUTE FUNCTION pg_catalog.now()",
                "CREATE PUBLICATION leak FOR ALL TABLES",
                "CREATE SUBSCRIPTION pull CONNECTION 'host=127.0.0.1' PUBLICATION p",
                f'REASSIGN OWNED BY "{pg.b.owner}" TO "{pg.a.owner}"',
                f'DROP OWNED BY "{pg.b.owner}"',
                "SELECT lo_export(0, '/tmp/zave-exfiltrated')",
                "SELECT pg_create_logical_replication_slot('leak', 'pgoutput')",
            ):
                refused(conn, attack)


# ---------------------------------------------------------------- limits


def wait_until_no_sessions(role: str) -> None:
    with pg_superuser() as conn:

        def count() -> int:
            (sessions,) = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = %s", (role,)
            ).fetchone()
            return sessions

        wait_until_closed(count, role)


def test_the_connection_limit_holds(pg):
    wait_until_no_sessions(pg.a.app)
    open_connections = [pg_connect(pg.a) for _ in range(CONNECTION_LIMIT)]
    try:
        refused_to_connect(pg.a, Postgres.TOO_MANY_CONNECTIONS)
        # The other tenant is not starved by A's connections.
        pg_connect(pg.b).close()
    finally:
        for conn in open_connections:
            conn.close()
    pg_connect(pg.a).close()


def test_a_long_statement_is_cancelled(pg):
    with pg_connect(pg.a) as conn:
        started = time.monotonic()
        refused(conn, "SELECT pg_sleep(30)", Postgres.QUERY_CANCELED)
        # Cancelled when statement_timeout fires: not before (a cancel request), nor long after.
        elapsed = time.monotonic() - started
        assert TIMEOUTS["statementSeconds"] - 0.5 < elapsed < TIMEOUTS["statementSeconds"] + 3


def test_a_lock_wait_gives_up(pg, table):
    with pg_connect(pg.a) as holder, pg_connect(pg.a) as waiter:
        holder.execute("INSERT INTO items (name) VALUES ('locked')")
        holder.commit()
        holder.execute("SELECT * FROM items FOR UPDATE")
        started = time.monotonic()
        refused(waiter, "UPDATE items SET name = 'stolen'", Postgres.LOCK_NOT_AVAILABLE)
        elapsed = time.monotonic() - started
        assert TIMEOUTS["lockSeconds"] - 0.5 < elapsed < TIMEOUTS["lockSeconds"] + 3
        holder.rollback()


def test_an_idle_transaction_is_ended(pg):
    conn = pg_connect(pg.a)
    conn.execute("SELECT 1")  # opens a transaction and leaves it idle
    time.sleep(TIMEOUTS["idleInTransactionSeconds"] + 1.5)
    refused(conn, "SELECT 1", Postgres.IDLE_IN_TRANSACTION_TIMEOUT)
    conn.close()


def test_the_timeouts_are_defaults_a_tenant_may_change_until_the_next_run(pg):
    """Documented limit: PostgreSQL has no per-role ceiling. A session may SET its own
    timeouts and a role may ALTER its own settings; the next provisioning run restores them."""
    with pg_connect(pg.a, autocommit=True) as conn:
        conn.execute("SET statement_timeout = '5s'")
        assert conn.execute("SHOW statement_timeout").fetchone() == ("5s",)
        conn.execute(f'ALTER ROLE "{pg.a.app}" SET statement_timeout = 0')
    try:
        with pg_connect(pg.a) as conn:
            assert conn.execute("SHOW statement_timeout").fetchone() == ("0",)
    finally:
        run_script(pg.a)
    with pg_connect(pg.a) as conn:
        expected = f"{TIMEOUTS['statementSeconds']}s"
        assert conn.execute("SHOW statement_timeout").fetchone() == (expected,)


def test_the_name_zave_refuses_is_one_postgresql_refuses(tmp_path):
    """Z207 is not caution for its own sake: `pg-stats` would need the role `pg_stats_app`."""
    contract = tmp_path / "pg-stats.yaml"
    contract.write_text(
        "apiVersion: zave.io/v1\nkind: Workload\nmetadata: {name: pg-stats}\n"
        "spec: {runtime: container, exposure: none, delivery: rolling,"
        " persistence: {engine: postgres}}\n"
    )
    result = zave("provision-script", str(contract), "--profile", "kind")
    assert result.returncode == 1 and "error[Z207]" in result.stderr
    with psycopg.connect(
        host=HOST, port=ENV["ZAVE_PG_PORT"], user=ADMIN_USER, password=ADMIN_PASSWORD,
        dbname="postgres", autocommit=True,
    ) as admin:
        refused(admin, 'CREATE ROLE "pg_stats_app"', Postgres.RESERVED_NAME)


def test_schema_per_tenant_shares_the_catalogue_but_not_the_data(postgres_schema):
    """Documented limit of schema per tenant (the kind profile's mode): the catalogue is one,
    so a tenant sees the other's schema and table names, never their rows."""
    a, b = postgres_schema.a, postgres_schema.b
    with pg_connect(b, "migrator", autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS visible_name (v text)")
    try:
        with pg_connect(a) as conn:
            names = conn.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = %s",
                (b.schema,),
            ).fetchall()
            assert ("visible_name",) in names
            refused(conn, f"SELECT * FROM {b.schema}.visible_name")
    finally:
        with pg_connect(b, "migrator", autocommit=True) as conn:
            conn.execute("DROP TABLE visible_name")
