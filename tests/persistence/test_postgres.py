"""PostgreSQL: what a tenant can do through its roles, and every attack the model refuses.

Each test taking `pg` runs under database-per-tenant and schema-per-tenant. Refusals are
asserted by SQLSTATE class: 42501 insufficient_privilege unless stated.
"""

from __future__ import annotations

import os
import time

import psycopg
import pytest
from psycopg import errors

from conftest import (
    ADMIN_PASSWORD,
    ADMIN_USER,
    CONNECTION_LIMIT,
    HOST,
    TIMEOUTS,
    pg_connect,
    pg_superuser,
    run_script,
    wait_until_closed,
    zave,
)


def refused(conn: psycopg.Connection, sql: str, error=errors.InsufficientPrivilege) -> str:
    """Runs `sql`, expects `error`, and returns its message."""
    with pytest.raises(error) as caught:
        conn.execute(sql)
    conn.rollback()
    return str(caught.value)


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
        assert "must be owner" in refused(conn, "ALTER TABLE items ADD COLUMN x int")
        assert "must be owner" in refused(conn, "DROP TABLE items")
        refused(conn, "TRUNCATE items")


def test_cannot_connect_to_another_tenants_or_the_servers_databases(pg):
    others = ["postgres", "template1"]
    if pg.a.mode == "database":
        others.append(pg.b.database)
    for database in others:
        for role in ("app", "migrator"):
            with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
                pg_connect(pg.a, role, dbname=database).close()


def test_cannot_read_or_write_another_tenants_tables(pg):
    with pg_connect(pg.b, "migrator", autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS secrets (v text)")
        conn.execute("INSERT INTO secrets VALUES ('b-only')")
    try:
        if pg.a.mode == "database":
            # B's database is out of reach (above); the same name in A's database is not B's.
            with pg_connect(pg.a) as conn:
                refused(conn, "SELECT * FROM secrets", errors.UndefinedTable)
        else:
            for role in ("app", "migrator"):
                with pg_connect(pg.a, role) as conn:
                    message = refused(conn, f"SELECT * FROM {pg.b.schema}.secrets")
                    assert f"permission denied for schema {pg.b.schema}" in message
                    refused(conn, f"INSERT INTO {pg.b.schema}.secrets VALUES ('a')")
    finally:
        with pg_connect(pg.b, "migrator", autocommit=True) as conn:
            conn.execute("DROP TABLE secrets")


def test_cannot_create_objects_in_public(pg):
    for role in ("app", "migrator"):
        with pg_connect(pg.a, role) as conn:
            assert "permission denied for schema public" in refused(
                conn, "CREATE TABLE public.planted (id int)"
            )
            refused(conn, "CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1'")


def test_cannot_create_extensions(pg):
    for role in ("app", "migrator"):
        with pg_connect(pg.a, role) as conn:
            # pgcrypto is a trusted extension: only CREATE on the database would allow it.
            assert "permission denied to create extension" in refused(
                conn, "CREATE EXTENSION pgcrypto"
            )
            refused(conn, "CREATE EXTENSION postgres_fdw")
            refused(conn, "CREATE EXTENSION dblink")


def test_cannot_create_foreign_data_wrappers_or_servers(pg):
    for role in ("app", "migrator"):
        with pg_connect(pg.a, role) as conn:
            assert "permission denied to create foreign-data wrapper" in refused(
                conn, "CREATE FOREIGN DATA WRAPPER sneaky"
            )
    with pg_connect(pg.a, "migrator") as conn:
        refused(conn, "CREATE SERVER sneaky FOREIGN DATA WRAPPER postgres_fdw", errors.UndefinedObject)


def test_cannot_escape_the_search_path(pg):
    for role in ("app", "migrator"):
        with pg_connect(pg.a, role) as conn:
            # Without USAGE on public, naming it in the path leaves nowhere to create.
            conn.execute("SET search_path = public")
            assert "no schema has been selected" in refused(
                conn, "CREATE TABLE t (id int)", errors.InvalidSchemaName
            )
            conn.execute("SET search_path = pg_temp, public")
            assert "permission denied to create temporary tables" in refused(
                conn, "CREATE TABLE shadow (id int)"
            )
            assert "permission denied to create temporary tables" in refused(
                conn, "CREATE TEMP TABLE shadow (id int)"
            )
            refused(conn, "CREATE SCHEMA escape")
            if pg.a.mode == "schema":
                refused(conn, f"CREATE TABLE {pg.b.schema}.planted (id int)")


def test_cannot_grant_rights_to_anyone(pg, table):
    other = pg.b.app
    with pg_connect(pg.a) as conn:
        # Holding a right without grant option: PostgreSQL warns and grants nothing.
        warnings: list[str] = []
        conn.add_notice_handler(lambda notice: warnings.append(notice.message_primary))
        conn.execute(f'GRANT SELECT ON items TO "{other}"')
        conn.commit()
        assert any("no privileges were granted" in w for w in warnings)
        refused(conn, f'GRANT "{pg.a.owner}" TO "{other}"')
        refused(conn, f'GRANT "{pg.a.migrator}" TO "{pg.a.app}"')
        assert "must have admin option" in refused(conn, f'GRANT "{pg.a.app}" TO "{other}"')
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
            assert "permission denied to create role" in refused(conn, "CREATE ROLE intruder LOGIN")
            refused(conn, f'ALTER ROLE "{pg.b.app}" PASSWORD \'taken-over-1234567\'')
            refused(conn, f'ALTER ROLE "{pg.a.app}" CONNECTION LIMIT -1')
            refused(conn, f'ALTER ROLE "{pg.a.app}" CREATEDB')
            refused(conn, f'ALTER ROLE "{pg.a.app}" SUPERUSER')
            refused(conn, f'DROP ROLE "{pg.b.app}"')
            assert "permission denied to create database" in refused(conn, "CREATE DATABASE intruder")
            assert "must be owner of database" in refused(
                conn, f'ALTER DATABASE "{pg.a.database}" SET search_path = public'
            )
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
            assert "permission denied for table pg_authid" in refused(
                conn, "SELECT rolpassword FROM pg_authid"
            )
            assert "permission denied for view pg_shadow" in refused(
                conn, "SELECT passwd FROM pg_shadow"
            )
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
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(f'ALTER FUNCTION {schema}.escalate() OWNER TO "{target}"')
        with pytest.raises(errors.InsufficientPrivilege, match="permission denied for language c"):
            conn.execute(
                f"CREATE FUNCTION {schema}.native() RETURNS int LANGUAGE c"
                " AS '/lib/x86_64-linux-gnu/libc.so.6', 'getpid'"
            )
    try:
        with pg_connect(pg.a) as conn:
            assert "permission denied for table pg_authid" in refused(
                conn, f"SELECT * FROM {schema}.escalate()"
            )
            assert "permission denied to create role" in refused(
                conn, f"SELECT {schema}.make_role()"
            )
    finally:
        with pg_connect(pg.a, "migrator", autocommit=True) as conn:
            conn.execute(f"DROP FUNCTION {schema}.escalate(), {schema}.make_role()")


def test_cannot_take_another_identity(pg):
    for role in ("app", "migrator"):
        with pg_connect(pg.a, role) as conn:
            for target in ("postgres", "zave_admin", pg.b.owner, pg.b.app):
                assert "permission denied to set role" in refused(conn, f'SET ROLE "{target}"')
            refused(conn, 'SET SESSION AUTHORIZATION "postgres"')
    with pg_connect(pg.a) as conn:
        # The app role is not a member of its own owner: no schema rights through SET ROLE.
        refused(conn, f'SET ROLE "{pg.a.owner}"')
        refused(conn, f'SET ROLE "{pg.a.migrator}"')
    with pytest.raises(psycopg.OperationalError, match="replication"):
        pg_connect(pg.a, replication="database").close()


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
        with pytest.raises(psycopg.OperationalError, match="too many connections for role"):
            pg_connect(pg.a).close()
        # The other tenant is not starved by A's connections.
        pg_connect(pg.b).close()
    finally:
        for conn in open_connections:
            conn.close()
    pg_connect(pg.a).close()


def test_a_long_statement_is_cancelled(pg):
    with pg_connect(pg.a) as conn:
        started = time.monotonic()
        assert "statement timeout" in refused(
            conn, "SELECT pg_sleep(30)", errors.QueryCanceled
        )
        assert time.monotonic() - started < TIMEOUTS["statementSeconds"] + 3


def test_a_lock_wait_gives_up(pg, table):
    with pg_connect(pg.a) as holder, pg_connect(pg.a) as waiter:
        holder.execute("INSERT INTO items (name) VALUES ('locked')")
        holder.commit()
        holder.execute("SELECT * FROM items FOR UPDATE")
        assert "lock timeout" in refused(
            waiter, "UPDATE items SET name = 'stolen'", errors.LockNotAvailable
        )
        holder.rollback()


def test_an_idle_transaction_is_ended(pg):
    conn = pg_connect(pg.a)
    conn.execute("SELECT 1")  # opens a transaction and leaves it idle
    time.sleep(TIMEOUTS["idleInTransactionSeconds"] + 1.5)
    with pytest.raises(errors.IdleInTransactionSessionTimeout, match="idle-in-transaction timeout"):
        conn.execute("SELECT 1")
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
        host=HOST, port=os.environ["ZAVE_PG_PORT"], user=ADMIN_USER, password=ADMIN_PASSWORD,
        dbname="postgres", autocommit=True,
    ) as admin:
        with pytest.raises(errors.ReservedName, match='role name "pg_stats_app" is reserved'):
            admin.execute('CREATE ROLE "pg_stats_app"')


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
