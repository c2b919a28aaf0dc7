"""Redis: a tenant's ACL user reaches its own keys and channels, and runs no admin command.

Every refusal is asserted as a NOPERM error (redis-py's NoPermissionError).
"""

from __future__ import annotations

import pytest
import redis

from conftest import redis_admin, redis_connect


def refused(client: redis.Redis, *command) -> str:
    with pytest.raises(redis.exceptions.NoPermissionError) as caught:
        client.execute_command(*command)
    return str(caught.value)


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


def test_cannot_read_or_write_the_other_tenants_keys(a, other_key):
    assert "no permissions to access" in refused(a, "GET", other_key)
    refused(a, "SET", other_key, "overwritten")
    refused(a, "DEL", other_key)
    refused(a, "RENAME", other_key, "shop-a:stolen")
    refused(a, "COPY", other_key, "shop-a:copy")
    refused(a, "SET", "unprefixed", "x")
    refused(a, "EVAL", "return redis.call('get', KEYS[1])", 1, other_key)
    with pytest.raises(redis.exceptions.ResponseError, match="can't access at least one of the keys"):
        a.eval(f"return redis.call('get', '{other_key}')", 0)
    assert redis_admin().get(other_key) == "b-only"


def test_cannot_reach_the_other_tenants_keys_indirectly(redis_tenants, a, other_key):
    own = f"{redis_tenants.a.name}:list"
    a.rpush(own, "1")
    with pytest.raises(redis.exceptions.ResponseError, match="(?i)denied|permission"):
        a.execute_command("SORT", own, "BY", f"{redis_tenants.b.name}:*", "GET", f"{redis_tenants.b.name}:*")
    refused(a, "MEMORY", "USAGE", other_key)
    refused(a, "OBJECT", "ENCODING", other_key)
    refused(a, "DUMP", other_key)
    refused(a, "TYPE", other_key)
    refused(a, "EXISTS", other_key)
    a.delete(own)


def test_cannot_log_in_as_the_other_tenant(redis_tenants, a):
    with pytest.raises(redis.exceptions.AuthenticationError):
        a.execute_command("AUTH", redis_tenants.b.name, redis_tenants.a.app_password)


def test_cannot_listen_to_the_other_tenants_channels(redis_tenants, a):
    other = f"{redis_tenants.b.name}:events"
    refused(a, "PUBLISH", other, "spoofed")
    pubsub = a.pubsub()
    with pytest.raises(redis.exceptions.NoPermissionError):
        pubsub.subscribe(other)
        pubsub.get_message(timeout=1)
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
    with pytest.raises(redis.exceptions.AuthenticationError):
        client.ping()


def test_the_default_user_is_off(redis_tenants):
    client = redis.Redis(host="127.0.0.1", port=redis_admin().connection_pool.connection_kwargs["port"])
    with pytest.raises((redis.exceptions.AuthenticationError, redis.exceptions.ResponseError)):
        client.ping()
