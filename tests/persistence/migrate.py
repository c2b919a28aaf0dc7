"""A tenant's small migration tool, as its image would ship one: run by the migration Job
with the migrator's connection in DATABASE_URL. Holds a session advisory lock for the whole
run (so two runs never migrate at once), creates a table and adds a column, idempotently."""

import os
import sys

import psycopg

LOCK = 727_001  # the tool's own advisory lock key

with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True, connect_timeout=5) as conn:
    conn.execute("SELECT pg_advisory_lock(%s)", (LOCK,))
    held = conn.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = %s"
        " AND pid = pg_backend_pid() AND granted", (LOCK,),
    ).fetchone()[0]
    if held != 1:
        sys.exit("the advisory lock is not held by this session")
    conn.execute("CREATE TABLE IF NOT EXISTS orders (id bigint PRIMARY KEY, total numeric)")
    conn.execute("ALTER TABLE orders ADD COLUMN IF NOT EXISTS note text")
    conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK,))
print("migrated")
