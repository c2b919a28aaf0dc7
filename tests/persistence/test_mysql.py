"""MariaDB (MySQL-compatible): a tenant's user works in its own database and nowhere else.

Every refusal is asserted by what it means: the error number is in one of the sets named in
refusals.py (`MySQL.ACCESS_DENIED` unless stated), whichever number this server release
answers. Any other failure (1064 a syntax error, 1146 a missing table, 2013 a lost
connection, another exception) fails the test, like success does.
"""

from __future__ import annotations

import pymysql
import pytest

from conftest import CONNECTION_LIMIT, Tenant, mysql_connect, mysql_root, wait_until_closed
from refusals import MySQL


def error_number(error: pymysql.err.MySQLError) -> object:
    """The server's error number (PyMySQL's first argument), or what stands there instead."""
    return error.args[0] if error.args else None


def refused(cursor, sql: str, meaning: frozenset[int] = MySQL.ACCESS_DENIED) -> None:
    """Runs `sql` and expects the server to refuse it with an error number in `meaning`."""
    try:
        cursor.execute(sql)
    except pymysql.err.MySQLError as error:
        assert error_number(error) in meaning, f"{sql}: error {error.args}"
    else:
        pytest.fail(f"{sql}: not refused")


def refused_to_connect(
    tenant: Tenant, meaning: frozenset[int], database: str | None = None
) -> None:
    """Connects as the tenant's user and expects a refusal with an error number in `meaning`."""
    what = f"{tenant.app} connecting to {database or 'no database'}"
    try:
        mysql_connect(tenant, database).close()
    except pymysql.err.MySQLError as error:
        assert error_number(error) in meaning, f"{what}: error {error.args}"
    else:
        pytest.fail(f"{what}: not refused")


@pytest.fixture
def own(mysql):
    conn = mysql_connect(mysql.a, mysql.a.database)
    with conn.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS items")
        cursor.execute("CREATE TABLE items (id INT AUTO_INCREMENT PRIMARY KEY, name TEXT)")
        yield cursor
        cursor.execute("DROP TABLE IF EXISTS items")
    conn.close()


def test_the_user_creates_reads_updates_and_deletes_its_data(own):
    own.execute("INSERT INTO items (name) VALUES ('one'), ('two')")
    own.execute("UPDATE items SET name = 'uno' WHERE name = 'one'")
    own.execute("DELETE FROM items WHERE name = 'two'")
    own.execute("SELECT name FROM items")
    assert own.fetchall() == (("uno",),)


def test_the_user_runs_its_migrations(own):
    own.execute("ALTER TABLE items ADD COLUMN price DECIMAL(10, 2)")
    own.execute("CREATE INDEX items_name ON items (name(20))")
    own.execute("CREATE TABLE audit (id INT)")
    own.execute("CREATE VIEW named AS SELECT name FROM items")
    own.execute("DROP VIEW named")
    own.execute("DROP TABLE audit")


def test_cannot_reach_the_other_tenants_database(mysql):
    other = mysql.b.database
    refused_to_connect(mysql.a, MySQL.ACCESS_DENIED, other)
    with mysql_connect(mysql.b, other) as conn, conn.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS secrets (v TEXT)")
    with mysql_connect(mysql.a) as conn, conn.cursor() as cursor:
        refused(cursor, f"SELECT * FROM `{other}`.secrets")
        refused(cursor, f"INSERT INTO `{other}`.secrets VALUES ('a')")
        refused(cursor, f"DROP TABLE `{other}`.secrets")
        refused(cursor, f"USE `{other}`")
        cursor.execute("SHOW DATABASES")
        assert other not in {row[0] for row in cursor.fetchall()}


def test_the_grant_wildcard_does_not_reach_a_lookalike_database(mysql):
    """`db_shop_a` in a GRANT would match `db_shop1a` (`_` is a wildcard): zave escapes it."""
    assert mysql.b.database == "db_shop1a" and mysql.a.database == "db_shop_a"
    with mysql_connect(mysql.a) as conn, conn.cursor() as cursor:
        refused(cursor, "CREATE TABLE `db_shop1a`.planted (id INT)")
        refused(cursor, "CREATE DATABASE `db_shopXa`")
        cursor.execute("SHOW GRANTS")
        grants = " ".join(row[0] for row in cursor.fetchall())
        assert "`db\\_shop\\_a`.*" in grants


def test_cannot_create_users_or_grant(mysql, own):
    refused(own, "CREATE USER 'intruder'@'%' IDENTIFIED BY 'x'")
    refused(own, f"GRANT SELECT ON `{mysql.a.database}`.* TO '{mysql.b.app}'@'%'")
    refused(own, f"GRANT ALL ON *.* TO '{mysql.a.app}'@'%'")
    refused(own, f"ALTER USER '{mysql.b.app}'@'%' IDENTIFIED BY 'taken-over'")
    refused(own, f"DROP USER '{mysql.b.app}'@'%'")
    refused(own, "CREATE DATABASE intruder")


def test_cannot_read_the_grant_tables(own):
    refused(own, "SELECT authentication_string FROM mysql.user")
    refused(own, "SELECT * FROM mysql.global_priv")


def test_cannot_read_or_write_server_files(own):
    own.execute("SELECT LOAD_FILE('/etc/passwd')")
    assert own.fetchone() == (None,)  # without FILE, LOAD_FILE reads nothing
    refused(own, "LOAD DATA INFILE '/etc/passwd' INTO TABLE items (name)")
    refused(own, "SELECT name INTO OUTFILE '/tmp/zave-exfiltrated' FROM items")


def test_cannot_run_server_administration(mysql, own):
    refused(own, "SET GLOBAL max_connections = 1")
    refused(own, "SHUTDOWN")
    refused(own, "FLUSH PRIVILEGES")
    refused(own, "CREATE PROCEDURE p() SELECT 1")
    refused(own, "CREATE TRIGGER t BEFORE INSERT ON items FOR EACH ROW SET NEW.name = 'x'")
    refused(own, "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO SELECT 1")
    with mysql_connect(mysql.b) as other, other.cursor() as cursor:
        cursor.execute("SELECT CONNECTION_ID()")
        (thread,) = cursor.fetchone()
        refused(own, f"KILL {thread}")
        own.execute("SHOW PROCESSLIST")
        assert {row[1] for row in own.fetchall()} == {mysql.a.app}


def wait_until_no_sessions(user: str) -> None:
    with mysql_root() as conn, conn.cursor() as cursor:

        def count() -> int:
            cursor.execute("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = %s", (user,))
            return cursor.fetchone()[0]

        wait_until_closed(count, user)


def test_the_connection_limit_holds(mysql):
    # The account has no limit but MAX_USER_CONNECTIONS, and the server none of its own: a
    # refusal in USER_LIMIT can only be that one (1226's message alone would name it).
    with mysql_root() as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT max_questions, max_updates, max_connections, max_user_connections"
            " FROM mysql.user WHERE User = %s", (mysql.a.app,),
        )
        assert cursor.fetchall() == ((0, 0, 0, CONNECTION_LIMIT),)
        cursor.execute("SELECT @@GLOBAL.max_user_connections")
        assert cursor.fetchone() == (0,)
    wait_until_no_sessions(mysql.a.app)
    connections = [mysql_connect(mysql.a) for _ in range(CONNECTION_LIMIT)]
    try:
        refused_to_connect(mysql.a, MySQL.USER_LIMIT)
        mysql_connect(mysql.b).close()
    finally:
        for conn in connections:
            conn.close()


def test_a_wrong_password_is_refused(mysql):
    tenant = Tenant(mysql.a.name, "mysql", app_password="not-the-password-1234")
    refused_to_connect(tenant, MySQL.LOGIN_REFUSED)
    mysql_connect(mysql.a).close()  # the same user, with its password, is let in


def test_the_account_has_no_server_wide_right(mysql):
    with mysql_root() as conn, conn.cursor() as cursor:
        cursor.execute(f"SHOW GRANTS FOR '{mysql.a.app}'@'%'")
        grants = [row[0] for row in cursor.fetchall()]
    assert grants[0].startswith(f"GRANT USAGE ON *.* TO `{mysql.a.app}`@`%`")
    assert f"MAX_USER_CONNECTIONS {CONNECTION_LIMIT}" in grants[0]
    assert all("WITH GRANT OPTION" not in grant for grant in grants)


def test_a_long_statement_is_stopped(mysql):
    """MariaDB's per-user MAX_STATEMENT_TIME, from the tier's statementSeconds."""
    with mysql_connect(mysql.a) as conn, conn.cursor() as cursor:
        refused(
            cursor, "SELECT SLEEP(30) FROM (SELECT 1 UNION SELECT 2) AS t", MySQL.STATEMENT_TIMEOUT
        )
