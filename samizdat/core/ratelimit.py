"""Who is asking, and how often: the rate limits of the readers' pages.

Counts are kept under a keyed hash of what they count, so no store holds an IP address or a
donor id in clear, and vanish when their window ends. They live in a store every worker shares
(Redis, or else the SQLite file SAMIZDAT_RATE_LIMIT_STORE): per-process memory would give every
gunicorn worker a budget of its own.
"""

from __future__ import annotations

import ipaddress
import logging
import sqlite3
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str:
    """The reader's address. Behind a proxy, REMOTE_ADDR is the proxy: the deployment names
    the header carrying the reader's address (settings.SAMIZDAT_CLIENT_IP_HEADER, e.g.
    HTTP_X_REAL_IP) so that readers do not share one budget. A proxy appends the address it
    was called from to the right of what the client sent, so the address is read
    SAMIZDAT_TRUSTED_PROXIES entries from the right: never an entry the client wrote. Without
    the setting, or without a usable value, it is REMOTE_ADDR."""
    header = getattr(settings, "SAMIZDAT_CLIENT_IP_HEADER", "")
    if header:
        entries = [e.strip() for e in request.META.get(header, "").split(",") if e.strip()]
        trusted = max(1, getattr(settings, "SAMIZDAT_TRUSTED_PROXIES", 1))
        if entries:
            candidate = entries[max(0, len(entries) - trusted)]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR", "")


def over_limit(scope: str, subject: str, allowed: int, window: int) -> bool:
    """Count one more hit of `subject` in `scope`; True once there were more than `allowed`
    in the `window` seconds that began with the first of them."""
    key = "samizdat:limit:" + salted_hmac(scope, subject).hexdigest()[:32]
    store = getattr(settings, "SAMIZDAT_RATE_LIMIT_STORE", None)
    if store:
        try:
            return _count_in_file(Path(store), key, window) > allowed
        except sqlite3.Error:
            logger.exception("rate limits: %s cannot be used; counting in this process", store)
    return _count_in_cache(key, window) > allowed


def _count_in_cache(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, timeout=window)
        return 1


_SCHEMA = """
CREATE TABLE IF NOT EXISTS hits (key TEXT PRIMARY KEY, hits INTEGER NOT NULL, ends REAL NOT NULL)
    WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS hits_ends ON hits (ends);
"""
# One statement, so two processes counting at once never both read the same old count; a
# window that has ended starts again at 1. (In an upsert's SET, every column names its old
# value.)
_COUNT = """
INSERT INTO hits (key, hits, ends) VALUES (:key, 1, :ends)
ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN ends <= :now THEN 1 ELSE hits + 1 END,
    ends = CASE WHEN ends <= :now THEN :ends ELSE ends END
RETURNING hits
"""
_now = time.time  # wall-clock time, which every process on the machine agrees on


_ready: set[Path] = set()  # the files this process has seen to be in WAL mode, with the table


def _prepare(connection: sqlite3.Connection, attempts: int = 200) -> None:
    """WAL mode (kept in the file) and the table. Switching the mode does not wait for a busy
    file as other statements do, so processes starting at once retry it rather than giving
    up (which would have counted that hit in one process only)."""
    for attempt in range(attempts):
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(_SCHEMA)
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.01)


def _count_in_file(path: Path, key: str, window: int) -> int:
    # A connection per hit: cheap for SQLite, and safe across gunicorn's fork and threads.
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        if path not in _ready:
            _prepare(connection)
            _ready.add(path)
        connection.execute("PRAGMA synchronous=NORMAL")
        now = _now()
        connection.execute("BEGIN IMMEDIATE")
        try:
            # Forget every window that has ended: nothing is kept longer than its limit needs.
            connection.execute("DELETE FROM hits WHERE ends <= ?", (now,))
            (hits,) = connection.execute(
                _COUNT, {"key": key, "ends": now + window, "now": now}
            ).fetchone()
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        return hits
    finally:
        connection.close()
