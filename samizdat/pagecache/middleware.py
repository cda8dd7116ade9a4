"""The full-page cache for anonymous readers.

Right after SecurityMiddleware and WhiteNoise: a hit runs no other middleware and no query. The
headers those middlewares add were stored with the page and depend on no reader (no CSP nonces;
host, path and language are in the key). Stored: 200 answers to session-less GETs of reader
pages, without a query string but a list's `?before=`/`?after=`. Never: the admin, previews,
search, forms, POSTs, editors, answers that set a cookie or say private/no-store/no-cache, and
internal renders (the mirror build).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from itertools import chain

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import get_language_from_path, get_language_from_request

from samizdat.core import generations
from samizdat.newsroom import listing

from . import store

X_CACHE = "X-Cache"
# nginx's own cache time (proxy_cache in front, README "Running in production"): read before
# Cache-Control, never passed on to readers. Only on pages stored here, so only on what is the
# same for every reader: nginx lets this header override a private or no-cache Cache-Control.
X_ACCEL_EXPIRES = "X-Accel-Expires"
# The views whose answers are the same for every reader. Not the full sitemap: it is streamed
# so the whole archive never sits in memory, and crawlers read it rarely.
READER_VIEWS = frozenset({"wagtail_serve", "robots_txt", "news_sitemap", "giving_safely"})
# Routes of reader pages whose answer depends on more than the URL's path.
UNCACHED_ROUTES = frozenset({"search"})
# Request environ keys that mark an internal render with different output (the mirror build).
INTERNAL_RENDER_KEYS = ("samizdat.mirror", "samizdat.checkout_origin")
# A list's pages: `?before=<cursor>`, `?after=<cursor>`, or an old `?page=N` (a redirect).
PAGINATION_QUERY = listing.LIST_QUERY
# Headers made per response, never replayed from the store.
NOT_STORED = frozenset({"date", "set-cookie", "x-cache", "age", "x-accel-expires"})
UNCACHEABLE_DIRECTIVES = re.compile(r"\b(private|no-store|no-cache)\b", re.IGNORECASE)
# What get_conditional_response reads: without any of them, a page goes out whole.
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def cache_key(request: HttpRequest) -> str | None:
    """The key of the page this request asks for, or None if it may not come from the cache."""
    if request.method not in ("GET", "HEAD"):
        return None
    meta = request.META
    query = meta.get("QUERY_STRING", "")
    if query and not PAGINATION_QUERY.fullmatch(query):
        return None
    if (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or "HTTP_AUTHORIZATION" in meta
        or any(key in meta for key in INTERNAL_RENDER_KEYS)
        or request.path_info.startswith("/admin/")
    ):
        return None
    path = request.path_info
    language = get_language_from_path(path) or get_language_from_request(request)
    return store.entry_key(f"{request.scheme}://{request.get_host()}{path}?{query}#{language}")


def is_storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    match = request.resolver_match
    routable = getattr(request, "routable_resolver_match", None)
    user = getattr(request, "user", None)
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.cookies
        and not UNCACHEABLE_DIRECTIVES.search(response.get("Cache-Control", ""))
        and match is not None
        and match.url_name in READER_VIEWS
        and not (routable is not None and routable.url_name in UNCACHED_ROUTES)
        and not getattr(request, "is_preview", False)
        and not getattr(request, "is_dummy", False)
        and not (user is not None and user.is_authenticated)
    )


def _buffer(response: StreamingHttpResponse, limit: int) -> bytes | None:
    """A streamed answer (the news sitemap) as bytes, if it is small enough to store; if not, the
    response keeps streaming what was read and the rest."""
    chunks: list[bytes] = []
    size = 0
    stream = iter(response.streaming_content)
    for chunk in stream:
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            response.streaming_content = chain(chunks, stream)
            return None
    return b"".join(chunks)


def _store(
    response: HttpResponseBase, key: str, kept_under: tuple[tuple[str, int], ...]
) -> tuple[HttpResponseBase, bool]:
    """Store the response and give back what is sent: the same page, ready for HTTP caches,
    and whether it was stored."""
    if response.streaming:
        content = _buffer(response, settings.SAMIZDAT_PAGE_CACHE_MAX_BYTES)
        if content is None:
            return response, False
        response.streaming_content = [content]
        response.headers["Content-Length"] = str(len(content))
    else:
        content = response.content
    stored_at = time.time()
    if not response.has_header("ETag"):
        response.headers["ETag"] = quote_etag(
            hashlib.md5(content, usedforsecurity=False).hexdigest()
        )
    if not response.has_header("Last-Modified"):
        response.headers["Last-Modified"] = http_date(stored_at)
    if "max-age" in response.get("Cache-Control", ""):
        patch_cache_control(response, public=True)  # the view chose how long (the feeds)
    else:
        patch_cache_control(
            response,
            public=True,
            max_age=settings.SAMIZDAT_PAGE_MAX_AGE,
            s_maxage=settings.SAMIZDAT_PAGE_SHARED_MAX_AGE,
        )
    headers = tuple(
        (name, value) for name, value in response.items() if name.lower() not in NOT_STORED
    )
    entry = store.Entry(
        kept_under, stored_at, response["ETag"], headers, content, response.streaming
    )
    store.save(key, entry)
    return response, True


def _replay(entry: store.Entry) -> HttpResponseBase:
    if entry.streamed:
        response = StreamingHttpResponse([entry.content])
    else:
        response = HttpResponse(entry.content)
    headers = response.headers
    for name, value in entry.headers:
        headers[name] = value
    headers["Age"] = str(max(0, int(time.time() - entry.stored_at)))
    return response


def _conditional(request: HttpRequest, response: HttpResponseBase, status: str) -> HttpResponseBase:
    """304 Not Modified when the reader's copy is still this one; a whole page also tells the
    front server how long it may keep it."""
    if any(name in request.META for name in CONDITIONAL_HEADERS):
        response = get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=parse_http_date_safe(response["Last-Modified"]),
            response=response,
        )
    headers = response.headers
    headers[X_CACHE] = status
    fresh = status != "stale"
    if response.status_code == 200 and settings.SAMIZDAT_FRONT_CACHE_SECONDS > 0 and fresh:
        headers[X_ACCEL_EXPIRES] = str(settings.SAMIZDAT_FRONT_CACHE_SECONDS)
    return response


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        key = cache_key(request) if settings.SAMIZDAT_PAGE_CACHE else None
        if key is None:
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                # An editor's page (userbar, drafts in lists) is for nobody else, CDNs included.
                patch_cache_control(response, private=True, no_cache=True)
            return response

        entry, current, previous = store.fetch_or_previous(key)
        if entry is not None:
            return _conditional(request, _replay(entry), "hit")
        if not store.claim(key):
            # Another request is rendering this page: the previous one meanwhile, or its
            # result once stored (a crowd asking for a page nobody has is one render).
            if previous is not None:
                # Kept by nobody in front: the new page is on its way.
                stale = _replay(previous)
                patch_cache_control(stale, s_maxage=0)
                return _conditional(request, stale, "stale")
            entry = store.wait_for(key, settings.SAMIZDAT_PAGE_RENDER_WAIT_SECONDS)
            if entry is not None:
                return _conditional(request, _replay(entry), "hit")
            return self._render(request, key, current)  # not stored in time: its own
        try:
            return self._render(request, key, current)
        finally:
            store.release(key)

    def _render(self, request: HttpRequest, key: str, current: dict[str, int]) -> HttpResponseBase:
        """Render the page, and store it under the generations that were current before."""
        with generations.recording() as read:
            response = self.get_response(request)
        kept_under = store.generations_of(read, current)
        if kept_under is None or not is_storable(request, response):
            if response.status_code != 200:
                store.forget(key)  # its previous copy is no longer the page
            response.headers[X_CACHE] = "pass"
            return response
        response, stored = _store(response, key, kept_under)
        if not stored:
            response.headers[X_CACHE] = "pass"
            return response
        return _conditional(request, response, "miss")
