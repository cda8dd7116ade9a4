"""Who is asking, and how often: the rate limits of the readers' pages.

Limits count hits in the cache under a keyed hash of what they count (a client address, a
donor), so the cache never holds a reader's IP address or a donor id in clear, and the count
is gone when its window ends.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac


def client_ip(request: HttpRequest) -> str:
    """The reader's address. Behind a proxy, REMOTE_ADDR is the proxy: the deployment names
    the header carrying the reader's address (settings.SAMIZDAT_CLIENT_IP_HEADER, e.g.
    HTTP_X_REAL_IP) so that readers do not share one budget. Without that setting it is
    REMOTE_ADDR, never a header any client could write."""
    header = getattr(settings, "SAMIZDAT_CLIENT_IP_HEADER", "")
    forwarded = request.META.get(header, "").split(",")[0].strip() if header else ""
    return forwarded or request.META.get("REMOTE_ADDR", "")


def over_limit(scope: str, subject: str, allowed: int, window: int) -> bool:
    """Count one more hit of `subject` in `scope`; True once there were more than `allowed`
    in the `window` seconds that began with the first of them."""
    key = "samizdat:limit:" + salted_hmac(scope, subject).hexdigest()[:32]
    cache.add(key, 0, timeout=window)
    try:
        hits = cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, timeout=window)
        hits = 1
    return hits > allowed
