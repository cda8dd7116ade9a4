"""Which mirrors still answer: `samizdat mirror check URL …`.

Every mirror build writes a small public file, samizdat-build.json, at the mirror's root: which
build it is (a hash of every file's content, so two builds of the same site are the same build)
and when it was built. The check fetches that file from each mirror, from wherever it runs (a
small server inside the country, a friend's machine), and says for each mirror:

    current   it serves the current build
    stale     it answers, with an older build (the copy to its host stopped)
    wrong     it answers with something else: a block page usually answers 200 with someone
              else's HTML, or redirects to another host
    unstamped it answers, but has no samizdat-build.json (built before the file existed)
    http      it answers with an error status (403, 451, 502…)
    dns, tls, timeout, refused, error   it cannot be reached, and why

The current build is the one in `--current` (a mirror folder the builder wrote, or the address
of a mirror that is known to be up to date), or a build id given with `--expect`; without
either, the newest build any of the mirrors serves.

Results can be posted back to the site (`--report-to`), signed with a shared secret
(SAMIZDAT_MIRROR_CHECK_SECRET on the site), and editors see them beside the list of mirrors.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import math
import os
import re
import socket
import ssl
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings

from samizdat.ids import parse_id

from .models import MirrorCheck, ReachPage

STAMP_NAME = "samizdat-build.json"
GENERATOR = "samizdat"
# Seconds to connect, and to wait for an answer: a mirror slower than this is as good as down
# for a reader behind a block.
DEFAULT_TIMEOUT = 10.0
# A signed report older (or newer) than this is refused: a captured one cannot be replayed.
REPORT_MAX_AGE = 300
SIGNATURE_HEADER = "X-Samizdat-Signature"
TIMESTAMP_HEADER = "X-Samizdat-Timestamp"
# Mirrors one report may carry.
MAX_RESULTS = 200
# Enough of a stamp or a wrong page to tell what it is.
READ_AT_MOST = 64 * 1024

OK_STATUSES = {"current"}


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# The stamp the builder writes -------------------------------------------------------------------


def build_id(files: Iterable[tuple[str, str]]) -> str:
    """One id for the content of a mirror: the hash of every (file, hash of its bytes)."""
    digest = hashlib.sha256()
    for name, file_hash in sorted(files):
        digest.update(f"{name}\0{file_hash}\n".encode())
    return digest.hexdigest()[:20]


def stamp(files: Iterable[tuple[str, str]], now: datetime.datetime | None = None) -> dict:
    return {
        "generator": GENERATOR,
        "build": build_id(files),
        "built_at": _iso(now or _now()),
        "site": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
    }


def write_stamp(out: Path, files: Iterable[tuple[str, str]]) -> dict:
    """Write samizdat-build.json into a mirror folder. A run that changed nothing leaves it
    alone: the build and its time stay those of the last change, and a sync uploads nothing."""
    data = stamp(files)
    path = Path(out) / STAMP_NAME
    previous = read_stamp(path)
    if previous and previous.get("build") == data["build"] and previous.get("site") == data["site"]:
        return previous
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(data, indent=1) + "\n", "utf-8")
    os.replace(temporary, path)
    return data


def write_build_stamp(out: Path, manifest) -> dict:
    """The stamp of a build the builder just finished (reach/mirror/manifest.py: its Manifest)."""
    files = [(record.file, record.hash) for record in manifest.targets.values()]
    files += [*manifest.generated.items(), *manifest.assets.items()]
    return write_stamp(out, files)


def read_stamp(path: Path) -> dict | None:
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("generator") == GENERATOR else None


# Checking one mirror ----------------------------------------------------------------------------


@dataclass
class Result:
    url: str
    status: str
    detail: str = ""
    build: str = ""
    built_at: str = ""
    http_status: int | None = None
    seconds: float = 0.0
    checked_at: str = ""

    @property
    def ok(self) -> bool:
        return self.status in OK_STATUSES

    def to_json(self) -> dict:
        return {**asdict(self), "ok": self.ok}


def _title(html: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", html, re.I | re.S)
    return " ".join(unescape(match[1]).split())[:120] if match else ""


def _reason(error: BaseException) -> tuple[str, str]:
    """What a failed request ran into: (status, detail)."""
    causes = []
    seen: BaseException | None = error
    while seen is not None and len(causes) < 10:
        causes.append(seen)
        seen = seen.__cause__ or seen.__context__
    text = " ".join(str(cause) for cause in causes)
    if isinstance(error, requests.exceptions.SSLError) or any(
        isinstance(c, ssl.SSLError) for c in causes
    ):
        return "tls", f"TLS failed: {causes[-1]}"
    if isinstance(error, requests.exceptions.Timeout) or any(
        isinstance(c, TimeoutError | socket.timeout) for c in causes
    ):
        return "timeout", "no answer in time"
    if (
        any(isinstance(c, socket.gaierror) for c in causes)
        or "NameResolution" in text
        or ("Name or service not known" in text or "nodename nor servname" in text)
    ):
        return "dns", "the name does not resolve (DNS)"
    if any(isinstance(c, ConnectionRefusedError) for c in causes) or "refused" in text.lower():
        return "refused", "connection refused"
    if any(isinstance(c, ConnectionResetError) for c in causes) or "reset" in text.lower():
        return "refused", "connection reset (often a block)"
    return "error", str(error)[:300]


def _get(session: requests.Session, url: str, timeout: float) -> tuple[requests.Response, bytes]:
    response = session.get(url, timeout=(timeout, timeout), stream=True, allow_redirects=True)
    try:
        body = response.raw.read(READ_AT_MOST, decode_content=True)
    finally:
        response.close()
    return response, body


def probe(url: str, timeout: float = DEFAULT_TIMEOUT, site: str | None = None) -> Result:
    """Fetch one mirror's stamp (its home page if it has none) and say what came back.

    `status` is "answered" when a stamp came back: whether it is current is for `check`.
    """
    base = url if url.endswith("/") else url + "/"
    started = time.monotonic()
    result = Result(url=url, status="error", checked_at=_iso(_now()))
    site = (site if site is not None else settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    session = requests.Session()
    session.headers["User-Agent"] = "samizdat-mirror-check"
    session.trust_env = False  # the check must see what this machine's network does
    try:
        response, body = _get(session, urljoin(base, STAMP_NAME), timeout)
        result.http_status = response.status_code
        final = urlsplit(response.url)
        if final.hostname != urlsplit(base).hostname:
            result.status = "wrong"
            result.detail = f"redirected to another host: {response.url}"
        elif response.status_code == 404:
            home, home_body = _get(session, base, timeout)
            result.http_status = home.status_code
            if home.status_code >= 400:
                result.status, result.detail = "http", f"HTTP {home.status_code}"
            else:
                result.status = "unstamped"
                result.detail = (
                    f"the home page answers (HTTP {home.status_code}) but there is no "
                    f"{STAMP_NAME}: build the mirror again with this version"
                )
        elif response.status_code >= 400:
            result.status, result.detail = "http", f"HTTP {response.status_code}"
        else:
            data = _json(body)
            if data is None or data.get("generator") != GENERATOR:
                text = body.decode("utf-8", "replace")
                kind = response.headers.get("Content-Type", "?").split(";")[0]
                title = _title(text)
                result.status = "wrong"
                result.detail = f"a different page (HTTP {response.status_code}, {kind}" + (
                    f", “{title}”)" if title else ")"
                )
            elif site and data.get("site") and data["site"].rstrip("/") != site:
                result.status = "wrong"
                result.detail = f"a mirror of another site: {data['site']}"
            else:
                result.status = "answered"
                result.build = str(data.get("build", ""))[:64]
                result.built_at = str(data.get("built_at", ""))[:40]
    except requests.exceptions.RequestException as error:
        result.status, result.detail = _reason(error)
    except (OSError, ValueError) as error:  # a socket error requests did not wrap
        result.status, result.detail = _reason(error)
    finally:
        session.close()
    result.seconds = round(time.monotonic() - started, 3)
    return result


def _json(body: bytes) -> dict | None:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


# Checking them all -----------------------------------------------------------------------------


def current_build(reference: str, timeout: float = DEFAULT_TIMEOUT) -> dict:
    """The build a --current folder or mirror address holds: {"build", "built_at"}."""
    if "://" not in reference:
        data = read_stamp(Path(reference) / STAMP_NAME)
        if data is None:
            raise ValueError(f"{reference} holds no {STAMP_NAME}: is it a mirror folder?")
        return data
    result = probe(reference, timeout)
    if result.status != "answered":
        raise ValueError(f"{reference} gives no current build: {result.status} {result.detail}")
    return {"build": result.build, "built_at": result.built_at}


def check(
    urls: list[str],
    *,
    expect: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    site: str | None = None,
) -> list[Result]:
    """Probe every mirror at once, then mark each answer current or stale."""
    with ThreadPoolExecutor(max_workers=min(16, max(1, len(urls)))) as pool:
        results = list(pool.map(lambda url: probe(url, timeout, site), urls))
    answered = [r for r in results if r.status == "answered"]
    if expect is None and answered:
        expect = max(answered, key=lambda r: r.built_at).build
    for result in answered:
        if result.build == expect:
            result.status, result.detail = "current", "serves the current build"
        else:
            result.status = "stale"
            result.detail = f"serves build {result.build}; the current one is {expect}"
    return results


def listed_mirrors() -> list[str]:
    """Every mirror the live "How to reach us" pages list, each once."""
    urls = []
    for page in ReachPage.objects.live():
        urls += [block.value["url"] for block in page.mirrors if block.value.get("url")]
    return list(dict.fromkeys(urls))


def describe(result: Result) -> str:
    """One line for a person reading the terminal."""
    mark = "ok  " if result.ok else "FAIL"
    built = f", built {result.built_at}" if result.built_at else ""
    return f"{mark} {result.url}  {result.status}: {result.detail}{built} ({result.seconds:.1f} s)"


# Reporting back ----------------------------------------------------------------------------------


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signed: str, now: float | None = None) -> bool:
    """A report signed with the secret, sent within REPORT_MAX_AGE seconds of now."""
    sent_at = parse_id(timestamp)
    if not secret or sent_at is None:
        return False
    if abs((now if now is not None else time.time()) - sent_at) > REPORT_MAX_AGE:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), signed or "")


def report_secret() -> str:
    value = getattr(settings, "SAMIZDAT_MIRROR_CHECK_SECRET", None)
    return str(value) if value else os.environ.get("SAMIZDAT_MIRROR_CHECK_SECRET", "")


def post_report(url: str, secret: str, vantage: str, results: list[Result]) -> None:
    """Send the results to the site's endpoint, signed. Raises if the site does not take them."""
    body = json.dumps(
        {"vantage": vantage, "results": [r.to_json() for r in results]}, ensure_ascii=False
    ).encode()
    timestamp = str(int(time.time()))
    response = requests.post(
        url,
        data=body,
        timeout=(DEFAULT_TIMEOUT, DEFAULT_TIMEOUT),
        headers={
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: signature(secret, timestamp, body),
        },
    )
    if response.status_code >= 300:
        raise ValueError(f"{url} refused the report: HTTP {response.status_code}")


def _when(value) -> datetime.datetime | None:
    try:
        moment = datetime.datetime.fromisoformat(str(value))
        moment = moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
        moment = moment.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        return None
    return moment if 2000 <= moment.year <= 2999 else None


def _seconds(value) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    return float(value) if math.isfinite(value) and 0 <= value < 86400 else 0.0


def store_report(data: object) -> int:
    """Keep a report's results as each mirror's last answer from that place. Returns how many.

    Raises ValueError for anything that is not a report (the view answers 400)."""
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise ValueError("a report is {'vantage': …, 'results': [...]}")
    vantage = str(data.get("vantage") or "unnamed")[:100]
    rows = data["results"][:MAX_RESULTS]
    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("url"), str):
            raise ValueError("every result needs a url")
    for row in rows:
        status = str(row.get("status", "error"))[:20]
        http_status = row.get("http_status")
        MirrorCheck.objects.update_or_create(
            vantage=vantage,
            url=row["url"][:500],
            defaults={
                "status": status,
                "ok": status in OK_STATUSES,
                "detail": str(row.get("detail", ""))[:300],
                "build": str(row.get("build", ""))[:64],
                "built_at": _when(row.get("built_at", "")),
                "http_status": http_status
                if isinstance(http_status, int) and 0 < http_status < 1000
                else None,
                "seconds": _seconds(row.get("seconds")),
                "checked_at": _when(row.get("checked_at", "")) or _now(),
            },
        )
    return len(rows)
