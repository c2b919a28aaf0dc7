"""What a refusal means, named once: every code a server answers for the same refusal.

A server release may move a refusal to another code: MariaDB 10.11.14 answered 1045 for
`SELECT ... INTO OUTFILE` without FILE, 10.11.19 answers 1227. The refusal is the same, so the
tests assert membership of a set named by its meaning, never one number or the wording. Each
set stays narrow: an attack that succeeds, or fails for another reason (a syntax error, a
missing table, a lost connection), still fails its test.

- MariaDB/MySQL: error numbers. Their SQLSTATE is too coarse (42000 holds both 1044
  ER_DBACCESS_DENIED_ERROR and 1064 ER_PARSE_ERROR).
- PostgreSQL: SQLSTATEs, one by one: a class holds other errors too (class 42 holds 42601
  syntax_error and 42P01 undefined_table beside 42501 insufficient_privilege).
- Redis: the error code, the first word of the error reply.

"Seen" names what the servers of scripts/test-persistence (Debian 12: PostgreSQL 15, MariaDB
10.11, Redis 7.0) answered to the suite's attacks.
"""

from __future__ import annotations


class MySQL:
    """MariaDB and MySQL error numbers (the two share them), by symbolic name."""

    # A statement, or a connection to a database, refused for want of a privilege.
    ACCESS_DENIED = frozenset({
        # ER_DBACCESS_DENIED_ERROR, MariaDB and MySQL: no right on the database. Seen: a
        # connection to or USE of another database, CREATE DATABASE / PROCEDURE / EVENT, a
        # GRANT on a database.
        1044,
        # ER_ACCESS_DENIED_ERROR, MariaDB and MySQL: a global right missing. Seen: GRANT ON *.*,
        # LOAD DATA INFILE without FILE (10.11.19), SELECT ... INTO OUTFILE without FILE
        # (10.11.14).
        1045,
        # ER_TABLEACCESS_DENIED_ERROR, MariaDB and MySQL: no right on the table. Seen: SELECT,
        # INSERT, DROP, CREATE TABLE in another database, the mysql.* tables, CREATE TRIGGER.
        1142,
        # ER_COLUMNACCESS_DENIED_ERROR, MariaDB and MySQL: no right on the column.
        1143,
        # ER_SPECIFIC_ACCESS_DENIED_ERROR, MariaDB and MySQL: "you need the X privilege". Seen:
        # CREATE / ALTER / DROP USER, SET GLOBAL, SHUTDOWN, FLUSH, SELECT ... INTO OUTFILE
        # without FILE (10.11.19).
        1227,
        # ER_PROCACCESS_DENIED_ERROR, MariaDB and MySQL: no right on the routine.
        1370,
        # ER_KILL_DENIED_ERROR, MariaDB and MySQL: KILL of another user's thread. Seen.
        1095,
    })

    # A login refused.
    LOGIN_REFUSED = frozenset({
        # ER_ACCESS_DENIED_ERROR, MariaDB and MySQL: wrong password or unknown user. Seen.
        1045,
        # ER_ACCESS_DENIED_NO_PASSWORD_ERROR, MariaDB and MySQL: refused by the account's
        # authentication plugin before any password (e.g. unix_socket over TCP).
        1698,
    })

    # A connection refused: the account holds as many connections as it may.
    USER_LIMIT = frozenset({
        # ER_USER_LIMIT_REACHED, MariaDB and MySQL: one of the account's limits, e.g.
        # MAX_USER_CONNECTIONS (the message names which). Seen.
        1226,
        # ER_TOO_MANY_USER_CONNECTIONS, MariaDB and MySQL: the same through the server-wide
        # max_user_connections variable.
        1203,
    })

    # A statement stopped by the account's statement time limit.
    STATEMENT_TIMEOUT = frozenset({
        # ER_STATEMENT_TIMEOUT, MariaDB 10.1+: max_statement_time. Seen.
        1969,
        # ER_QUERY_TIMEOUT, MySQL 5.7.8+: max_execution_time (unused in MariaDB).
        3024,
    })


class Postgres:
    """PostgreSQL SQLSTATEs, by condition name. All seen on PostgreSQL 15 unless stated."""

    # "permission denied for ...", "must be owner of ...", "must have admin option ...",
    # "must be superuser ...", for a statement or (FATAL) a connection: no CONNECT on the
    # database, a replication connection without REPLICATION.
    INSUFFICIENT_PRIVILEGE = frozenset({"42501"})  # insufficient_privilege

    # A login refused.
    LOGIN_REFUSED = frozenset({
        "28P01",  # invalid_password: the password check failed. Seen.
        "28000",  # invalid_authorization_specification: no pg_hba.conf entry, no LOGIN.
    })

    # The role's CONNECTION LIMIT reached. The server's max_connections answers the same: the
    # test tells them apart by letting the other tenant in.
    TOO_MANY_CONNECTIONS = frozenset({"53300"})  # too_many_connections

    # statement_timeout fired. A cancel request answers the same: the test tells them apart
    # by the time the statement ran.
    QUERY_CANCELED = frozenset({"57014"})  # query_canceled

    # lock_timeout fired (NOWAIT answers the same; the test's statement has none).
    LOCK_NOT_AVAILABLE = frozenset({"55P03"})  # lock_not_available

    # idle_in_transaction_session_timeout ended the session.
    IDLE_IN_TRANSACTION_TIMEOUT = frozenset({"25P03"})  # idle_in_transaction_session_timeout

    # "no schema has been selected to create in": the search_path offers nowhere to create.
    NO_SCHEMA_TO_CREATE_IN = frozenset({"3F000"})  # invalid_schema_name

    # A role name PostgreSQL keeps for itself (the `pg_` prefix).
    RESERVED_NAME = frozenset({"42939"})  # reserved_name

    # No such object, where that is the point: e.g. the foreign-data wrapper of an extension
    # no tenant can create.
    UNDEFINED_OBJECT = frozenset({"42704"})  # undefined_object

    # No such table, where that is the point: a name resolved in the tenant's own database,
    # which has no such table.
    UNDEFINED_TABLE = frozenset({"42P01"})  # undefined_table

    # The WARNING of a GRANT by a holder without grant option: nothing was granted.
    PRIVILEGE_NOT_GRANTED = frozenset({"01007"})  # warning_privilege_not_granted


class Redis:
    """Redis error codes, the first word of an error reply. All seen on Redis 7.0."""

    # The ACL refused a command, a key or a channel (Redis 6.0+).
    NO_PERMISSION = frozenset({"NOPERM"})

    # Authentication refused, or required first.
    AUTH_REFUSED = frozenset({
        "WRONGPASS",  # Redis 6.0+: AUTH or HELLO with a wrong pair, or a user that is off.
        "NOAUTH",  # a command before authenticating, e.g. while the default user is off.
    })

    # A redis.call() in a script refused by the ACL. Redis 7.0 answers the generic ERR (worded
    # "The user executing the script can't access ...", reworded in later releases): the code
    # alone does not say it, so the test also finds the ACL LOG entry the refusal records.
    SCRIPT_ACL_REFUSED = frozenset({"ERR"})

    # SORT's BY/GET patterns refused while SORT itself is allowed (zave denies it whole, with
    # @dangerous): Redis 7.0 refuses them to a user without access to every key with the
    # generic ERR and no ACL LOG entry. Only the wording tells that refusal from any other
    # error, so the test checks it, and only with this code.
    SORT_PATTERN_REFUSED = frozenset({"ERR"})
    SORT_PATTERN_WORDING = "BY option of SORT denied"


class PgBouncer:
    """What a client of PgBouncer is answered, by meaning. Seen on PgBouncer 1.18 (Debian 12):
    08P01 for every refusal below; a later release may relay the server's own code."""

    # A login refused through the pooler: by PgBouncer itself (a login its auth_file does not
    # list, a wrong password) or by the server behind it (no CONNECT on another tenant's
    # database), which PgBouncer answers with its own code.
    LOGIN_REFUSED = frozenset({
        "08P01",  # protocol_violation: PgBouncer's code for its own errors. Seen, for all.
        "28P01",  # invalid_password, should a release relay the password check's code.
        "42501",  # insufficient_privilege, should a release relay the server's refusal.
    })

    # query_wait_timeout: no server connection of the tenant's pool freed up in time. Seen.
    QUERY_WAIT_TIMEOUT = frozenset({"08P01"})
