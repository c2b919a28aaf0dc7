"""Redis: a tenant's ACL user reaches its own keys and channels, and runs no admin command.

Every refusal is asserted by what it means: the error code (the first word of the reply) is
in one of the sets named in refusals.py (`Redis.NO_PERMISSION`, NOPERM, unless stated), never
by the wording. redis-py strips the codes it knows from the message into `status_code` and
leaves an unknown one at the message's head; a lost connection has no code and fails.
"""

from __future__ import annotations

import pytest
import redis

from conftest import redis_admin, redis_connect
from refusals import Redis


def reply_code(error: redis.RedisError) -> str | None:
    """The error code of the server's reply that raised `error`, None if none did."""
    if error.status_code:
        return error.status_code
    if isinstance(error, redis.ResponseError):
        return str(error).split(" ", 1)[0]
    return None


def refused(client: redis.Redis, *command, meaning: frozenset[str] = Redis.NO_PERMISSION) -> None:
    """Runs `command` and expects the server to refuse it with an error code in `meaning`."""
    what = " ".join(map(str, command))
    try:
        client.execute_command(*command)
    except redis.RedisError as error:
        code = reply_code(error)
        assert code in meaning, f"{what}: {code} {type(error).__name__}: {error}"
    else:
        pytest.fail(f"{what}: not refused")


def refused_in_script(client: redis.Redis, user: str, key: str, script: str) -> None:
    """Runs `script` (no declared key) and expects its access to `key` refused by the ACL: the
    reply's code only says ERR, so the ACL LOG must hold the refusal, reason `key`."""
    admin = redis_admin()
    admin.execute_command("ACL", "LOG", "RESET")
    refused(client, "EVAL", script, 0, meaning=Redis.SCRIPT_ACL_REFUSED)
    entries = [
        (entry["reason"], entry["context"], entry["object"], entry["username"])
        for entry in admin.execute_command("ACL", "LOG")
    ]
    assert ("key", "lua", key, user) in entries, f"{script}: no ACL refusal of {key}: {entries}"


@pytest.fixture
def a(redis_tenants) -> redis.Redis:
    return redis_connect(redis_tenants.a)


@pytest.fixture
def other_key(redis_tenants) -> str:
    key = f"{redis_tenants.b.name}:secret"
    redis_connect(redis_tenants.b).set(key, "b-only")
    return key


def test_the_user_creates_reads_updates_and_deletes_its_keys(redis_tenants, a):
    key = f"{redis_tenants.a.name}:counter"
    assert a.set(key, 1)
    assert a.incr(key) == 2
    assert a.get(key) == "2"
    assert a.hset(f"{redis_tenants.a.name}:hash", "field", "v") == 1
    assert a.delete(key, f"{redis_tenants.a.name}:hash") == 2
    assert a.publish(f"{redis_tenants.a.name}:events", "hello") == 0
    assert a.eval("return redis.call('set', KEYS[1], 'x')", 1, f"{redis_tenants.a.name}:s") == "OK"


def test_cannot_read_or_write_the_other_tenants_keys(redis_tenants, a, other_key):
    refused(a, "GET", other_key)
    refused(a, "SET", other_key, "overwritten")
    refused(a, "DEL", other_key)
    refused(a, "RENAME", other_key, "shop-a:stolen")
    refused(a, "COPY", other_key, "shop-a:copy")
    refused(a, "SET", "unprefixed", "x")
    refused(a, "EVAL", "return redis.call('get', KEYS[1])", 1, other_key)
    script = f"return redis.call('get', '{other_key}')"
    refused_in_script(a, redis_tenants.a.app, other_key, script)
    assert redis_admin().get(other_key) == "b-only"


def test_cannot_reach_the_other_tenants_keys_indirectly(redis_tenants, a, other_key):
    own = f"{redis_tenants.a.name}:list"
    a.rpush(own, "1")
    # Refused whole while SORT is (NOPERM); were SORT allowed, its patterns would be refused
    # with ERR, told from other errors by the wording alone (see refusals.py).
    other = redis_tenants.b.name
    sort = ("SORT", own, "BY", f"{other}:*", "GET", f"{other}:*")
    try:
        a.execute_command(*sort)
    except redis.RedisError as error:
        code = reply_code(error)
        worded = code in Redis.SORT_PATTERN_REFUSED and Redis.SORT_PATTERN_WORDING in str(error)
        assert code in Redis.NO_PERMISSION or worded, f"{' '.join(sort)}: {code}: {error}"
    else:
        pytest.fail(f"{' '.join(sort)}: not refused")
    refused(a, "MEMORY", "USAGE", other_key)
    refused(a, "OBJECT", "ENCODING", other_key)
    refused(a, "DUMP", other_key)
    refused(a, "TYPE", other_key)
    refused(a, "EXISTS", other_key)
    a.delete(own)


def test_cannot_log_in_as_the_other_tenant(redis_tenants, a):
    refused(
        a, "AUTH", redis_tenants.b.name, redis_tenants.a.app_password, meaning=Redis.AUTH_REFUSED
    )


def test_cannot_listen_to_the_other_tenants_channels(redis_tenants, a):
    other = f"{redis_tenants.b.name}:events"
    refused(a, "PUBLISH", other, "spoofed")
    pubsub = a.pubsub()
    try:
        pubsub.subscribe(other)
        pubsub.get_message(timeout=1)
    except redis.RedisError as error:
        code = reply_code(error)
        assert code in Redis.NO_PERMISSION, f"SUBSCRIBE {other}: {code} {error!r}: {error}"
    else:
        pytest.fail(f"SUBSCRIBE {other}: not refused")
    finally:
        pubsub.close()
    refused(a, "PUBSUB", "CHANNELS")


@pytest.mark.parametrize(
    "command",
    [
        ("CONFIG", "GET", "*"),
        ("CONFIG", "SET", "requirepass", "x"),
        ("FLUSHALL",),
        ("FLUSHDB",),
        ("KEYS", "*"),
        ("SCAN", "0"),
        ("RANDOMKEY",),
        ("DBSIZE",),
        ("SELECT", "1"),
        ("SWAPDB", "0", "1"),
        ("ACL", "LIST"),
        ("ACL", "SETUSER", "shop-a", "~*"),
        ("ACL", "GETUSER", "shop1a"),
        ("CLIENT", "LIST"),
        ("CLIENT", "KILL", "ID", "1"),
        ("INFO",),
        ("MONITOR",),
        ("DEBUG", "SLEEP", "0"),
        ("SHUTDOWN",),
        ("SAVE",),
        ("BGREWRITEAOF",),
        ("REPLICAOF", "127.0.0.1", "1"),
        ("MIGRATE", "127.0.0.1", "1", "shop-a:k", "0", "1"),
        ("MODULE", "LIST"),
        ("FUNCTION", "FLUSH"),
        ("SCRIPT", "FLUSH"),
        ("SCRIPT", "KILL"),
        ("SLOWLOG", "GET"),
    ],
    ids=lambda command: " ".join(command[:2]),
)
def test_cannot_run_admin_or_dangerous_commands(a, command):
    refused(a, *command)


def test_a_wrong_password_is_refused(redis_tenants):
    client = redis_connect(redis_tenants.a, password_override="not-the-password-1234")
    refused(client, "PING", meaning=Redis.AUTH_REFUSED)
    assert redis_connect(redis_tenants.a).ping()  # the same user, with its password, is let in


def test_the_default_user_is_off(redis_tenants):
    client = redis.Redis(host="127.0.0.1", port=redis_admin().connection_pool.connection_kwargs["port"])
    refused(client, "PING", meaning=Redis.AUTH_REFUSED)
