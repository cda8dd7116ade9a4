"""Static mirrors: the exported folder works on a plain static server, links and all.

Each test builds a small bilingual newsroom on "news.origin.test", exports it, and looks at the
files the way a reader's browser (or a feed reader) would.
"""

from __future__ import annotations

import contextlib
import functools
import os
import tarfile
import threading
import time
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urljoin, urlsplit
from urllib.request import urlopen

import pytest
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.core.management import call_command

from samizdat.reach.mirror import MANIFEST_NAME, MirrorOptions, build_mirror
from tests.factories import PhotoFactory
from tests.support.factories import AppealFactory, DonationFormFactory

ORIGIN_HOST = "news.origin.test"
CHECKOUT = "https://give.example"


@pytest.fixture(autouse=True)
def _origin(settings):
    """The newsroom answers on its own domain, which the mirror must never name."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ORIGIN_HOST]
    settings.SAMIZDAT_CHECKOUT_URL = CHECKOUT
    # The structure, appeals and renditions caches outlive a test's database and media folder.
    for name in ("default", "renditions"):
        caches[name].clear()
    yield
    for name in ("default", "renditions"):
        caches[name].clear()


@pytest.fixture
def gazette(newsroom):
    """Two editions: a ferry strike and a port story in News, a choir in Culture; the strike is
    translated into Russian. Each story has its own tag; one reporter writes News."""
    newsroom.site.hostname = ORIGIN_HOST
    newsroom.site.save()
    ida = newsroom.author("Ida Reporter")
    oleg = newsroom.author("Oleg Critic")
    ida_ru = newsroom.author("Ида Репортёр", "ru")
    strike = newsroom.article(
        "Ferry workers strike",
        authors=[ida],
        tags=["ferries"],
        lead_image=PhotoFactory(file__width=480, file__height=270),  # small: quick renditions
        slug="ferry-strike",
    )
    port = newsroom.article("Port contracts go to friends", authors=[ida], tags=["ports"])
    choir = newsroom.article("A choir sings again", section="culture", authors=[oleg])
    choir.tags.set(["music"])
    choir.save_revision().publish()
    strike_ru = newsroom.article(
        "Паромщики бастуют", language="ru", authors=[ida_ru], translation_of=strike
    )
    strike_ru.tags.set(["ferries"])
    strike_ru.save_revision().publish()
    DonationFormFactory()
    AppealFactory()
    return {"strike": strike, "port": port, "choir": choir, "strike_ru": strike_ru}


@pytest.fixture
def folder(tmp_path):
    """The export's folder (tmp_path itself holds the site's media)."""
    return tmp_path / "mirror"


@pytest.fixture
def static_server(tmp_path):
    """A plain static file server on 127.0.0.1, like any static host; yields (folder, base)."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    with serving(folder) as base:
        yield folder, base


@contextlib.contextmanager
def serving(root: Path) -> Iterator[str]:
    """`root` on a plain static file server on 127.0.0.1: yields its address."""
    handler = functools.partial(QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".xml": "application/xml"}

    def log_message(self, format, *args):
        pass


def export(folder: Path, base: str, **options):
    options.setdefault("checkout_url", CHECKOUT)
    return build_mirror(MirrorOptions(base_url=base, out=folder, **options))


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except HTTPError as error:
        return error.code, "", b""


def links_in(url: str, content_type: str, body: bytes) -> set[str]:
    """Every address a browser or feed reader would fetch or follow from this file."""
    found = set()
    if "html" in content_type:
        soup = BeautifulSoup(body, "html.parser")
        for tag in soup.find_all(True):
            for attribute in ("href", "src", "action", "data-url"):
                if tag.get(attribute):
                    found.add(tag[attribute])
            for attribute in ("srcset", "imagesrcset"):
                for candidate in (tag.get(attribute) or "").split(","):
                    if candidate.strip():
                        found.add(candidate.split()[0])
            if tag.name == "meta" and (tag.get("content") or "").startswith("http"):
                found.add(tag["content"])
            if tag.name == "meta" and tag.get("http-equiv") == "refresh":
                found.add(tag["content"].split("url=", 1)[1])
    elif content_type.startswith("text/plain"):  # robots.txt
        for line in body.decode().splitlines():
            if line.lower().startswith("sitemap:"):
                found.add(line.split(":", 1)[1].strip())
    elif "xml" in content_type:
        root = ET.fromstring(body)
        for element in root.iter():
            if element.tag.rsplit("}", 1)[-1] in ("link", "loc", "enclosure"):
                value = element.get("href") or element.get("url") or (element.text or "")
                if value.strip():
                    found.add(value.strip())
    return {urljoin(url, link.strip()).split("#")[0] for link in found}


def files(root: Path) -> dict[str, bytes]:
    """Every file of an exported folder, by path."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def crawl(base: str) -> dict[str, tuple[int, str, bytes]]:
    """Follow every link on the mirror's host from its front door, sitemap and robots.txt."""
    host = urlsplit(base).netloc
    queue = [base, urljoin(base, "sitemap.xml"), urljoin(base, "robots.txt")]
    seen: dict[str, tuple[int, str, bytes]] = {}
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen[url] = status, content_type, body = fetch(url)
        if status != 200:
            continue
        for link in links_in(url, content_type, body):
            if urlsplit(link).netloc == host and link not in seen:
                queue.append(link)
    return seen


def test_every_link_on_a_mirror_resolves_and_none_leads_to_the_origin(gazette, static_server):
    folder, base = static_server
    report = export(folder, base)

    pages = crawl(base)

    broken = sorted(url for url, (status, _type, _body) in pages.items() if status != 200)
    assert broken == []
    assert report.warnings == []
    for path in (
        "en/",
        "ru/",
        "en/news/",
        "en/culture/",
        "en/news/ferry-strike/",
        "ru/news/ferry-strike/",
        "en/authors/",
        "en/tags/ferries/",
        "en/support/giving-safely/",  # linked from the donation form
        "en/feed/rss.xml",
        "ru/news/feed/atom.xml",
        "sitemap-news.xml",
        "static/samizdat/samizdat.css",
    ):
        assert base + path in pages, f"the crawler never reached {path}"
    assert any("/media/images/" in url for url in pages), "no image was reached"
    for url, (_status, _type, body) in pages.items():
        text = body.decode("utf-8", errors="replace")
        assert f"//{ORIGIN_HOST}" not in text, f"{url} links to the origin"
        # Feed entry ids are names, not addresses: they keep the origin's so that a reader
        # following the origin and a mirror never sees a story twice.
        assert text.count(ORIGIN_HOST) == text.count(f"tag:{ORIGIN_HOST},"), url


@pytest.fixture
def sub_path_server(tmp_path):
    """A static server whose mirror lives under a sub-path, as on a shared cloud bucket (what
    "collateral freedom" mirrors use); yields (folder, the mirror's address)."""
    root = tmp_path / "bucket"
    folder = root / "lantern" / "mirror"
    folder.mkdir(parents=True)
    with serving(root) as base:
        yield folder, base + "lantern/mirror/"


def test_a_relative_mirror_works_under_a_sub_path_and_names_the_main_site(
    gazette, sub_path_server, settings
):
    main = f"https://{ORIGIN_HOST}/"
    settings.WAGTAILADMIN_BASE_URL = main  # SAMIZDAT_PUBLIC_URL
    folder, base = sub_path_server
    call_command("mirror", "build", "--relative", "--out", str(folder))  # no --base-url

    pages = crawl(base)

    assert sorted(url for url, (status, _t, _b) in pages.items() if status != 200) == []
    assert [url for url in pages if not url.startswith(base)] == []  # nothing escapes
    for path in ("en/news/ferry-strike/", "ru/news/ferry-strike/", "en/feed/rss.xml"):
        assert base + path in pages, f"the crawler never reached {path}"
    article = (folder / "en/news/ferry-strike/index.html").read_text()
    soup = BeautifulSoup(article, "html.parser")
    assert soup.select_one("a.masthead__name")["href"] == "../../"
    stylesheet = soup.select_one("link[rel=stylesheet]")["href"]
    assert stylesheet == "../../../static/samizdat/samizdat.css"
    # Search engines and share cards are sent to the main site, wherever the files are.
    story = main + "en/news/ferry-strike/"
    assert soup.select_one("link[rel=canonical]")["href"] == story
    alternates = {
        link["hreflang"]: link["href"] for link in soup.select("link[rel=alternate][hreflang]")
    }
    assert alternates == {"en": story, "ru": main + "ru/news/ferry-strike/", "x-default": story}
    assert soup.select_one("meta[property='og:url']")["content"] == story
    assert soup.select_one("meta[property='og:image']")["content"].startswith(main + "media/")
    rss = ET.parse(folder / "en/feed/rss.xml").getroot().find("channel")
    assert rss.findtext("link") == main + "en/"
    assert story in {item.findtext("link") for item in rss.findall("item")}
    sitemap = ET.parse(folder / "sitemap.xml").getroot()
    locations = [
        loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert locations and all(loc.startswith(main) for loc in locations)
    assert f"Sitemap: {main}sitemap.xml" in (folder / "robots.txt").read_text()
    root = BeautifulSoup((folder / "index.html").read_text(), "html.parser")
    assert root.select_one("link[rel=canonical]")["href"] == main + "en/"


def test_canonical_and_hreflang_links_point_at_the_mirror(gazette, folder):
    base = "https://mirror.example/lantern/"
    export(folder, base)

    soup = BeautifulSoup((folder / "en/news/ferry-strike/index.html").read_text(), "html.parser")

    assert soup.select_one("link[rel=canonical]")["href"] == base + "en/news/ferry-strike/"
    alternates = {
        link["hreflang"]: link["href"] for link in soup.select("link[rel=alternate][hreflang]")
    }
    assert alternates == {
        "en": base + "en/news/ferry-strike/",
        "ru": base + "ru/news/ferry-strike/",
        "x-default": base + "en/news/ferry-strike/",
    }
    assert soup.select_one("meta[property='og:url']")["content"] == base + "en/news/ferry-strike/"
    assert soup.select_one("meta[property='og:image']")["content"].startswith(base + "media/")
    feeds = [link["href"] for link in soup.select("link[type='application/rss+xml']")]
    assert feeds == [base + "en/feed/rss.xml"]
    root = (folder / "index.html").read_text()
    assert f'content="0; url={base}en/"' in root and f'href="{base}en/"' in root


def test_building_a_mirror_without_collected_static_files_warns_of_nothing(
    gazette, folder, settings, tmp_path
):
    """The export finds static files where the code keeps them; that nobody ran collectstatic
    is no news on the terminal of whoever builds a mirror."""
    settings.STATIC_ROOT = tmp_path / "never-collected"

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        export(folder, "https://mirror.example/")

    assert [str(w.message) for w in caught if "No directory at" in str(w.message)] == []
    assert list((folder / "static").rglob("*.css"))


def test_feeds_are_valid_xml_with_links_to_the_mirror(gazette, folder):
    base = "https://mirror.example/"
    export(folder, base)

    rss = ET.parse(folder / "en/feed/rss.xml").getroot()
    atom = ET.parse(folder / "en/news/feed/atom.xml").getroot()

    channel = rss.find("channel")
    assert channel.findtext("link") == base + "en/"
    self_link = channel.find("{http://www.w3.org/2005/Atom}link")
    assert self_link.get("href") == base + "en/feed/rss.xml"
    items = channel.findall("item")
    assert {item.findtext("link") for item in items} == {
        base + "en/news/ferry-strike/",
        base + f"en/news/{gazette['port'].slug}/",
        base + f"en/culture/{gazette['choir'].slug}/",
    }
    content = next(
        item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
        for item in items
        if item.findtext("link").endswith("ferry-strike/")
    )
    assert f'src="{base}media/images/' in content
    enclosure = next(item.find("enclosure") for item in items if item.find("enclosure") is not None)
    assert enclosure.get("url").startswith(base + "media/images/")
    assert (folder / enclosure.get("url")[len(base) :]).is_file()
    ns = "{http://www.w3.org/2005/Atom}"
    assert [e.findtext(f"{ns}title") for e in atom.findall(f"{ns}entry")] == [
        "Port contracts go to friends",
        "Ferry workers strike",
    ]
    sitemap = ET.parse(folder / "sitemap.xml").getroot()
    locations = [
        loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert locations and all(loc.startswith(base) for loc in locations)
    assert f"Sitemap: {base}sitemap.xml" in (folder / "robots.txt").read_text()


def test_the_donation_form_on_a_mirror_posts_to_the_checkout_origin(gazette, folder):
    export(folder, "https://mirror.example/")

    soup = BeautifulSoup((folder / "en/news/ferry-strike/index.html").read_text(), "html.parser")

    assert soup.select_one(".appeal-letter h3").text == "Enjoying ad-free journalism?"
    assert soup.select_one("form#support-form")["action"] == f"{CHECKOUT}/en/support/checkout/"
    assert soup.select_one("details.remind form")["action"] == f"{CHECKOUT}/en/support/remind/"
    assert soup.select_one("form[role=search]")["action"] == f"{CHECKOUT}/en/search/"
    assert f'"stats": "{CHECKOUT}/en/support/stats/"' in soup.select_one("#support-config").text


def test_giving_safely_is_on_the_mirror_in_every_edition(gazette, folder, settings):
    from samizdat.payments import registry
    from tests.support import fake_coins

    base = "https://mirror.example/"
    export(folder, base)
    english = BeautifulSoup(
        (folder / "en/support/giving-safely/index.html").read_text(), "html.parser"
    )
    russian = BeautifulSoup(
        (folder / "ru/support/giving-safely/index.html").read_text(), "html.parser"
    )
    article = BeautifulSoup((folder / "en/news/ferry-strike/index.html").read_text(), "html.parser")

    assert article.select_one(".gift__safely a")["href"] == base + "en/support/giving-safely/"
    assert [h.text for h in english.select(".safely__method h2")] == ["Card"]
    assert [h.text for h in russian.select(".safely__method h2")] == ["Банковская карта"]
    # Giving itself needs the running site.
    assert english.select_one(".safely__more a.button")["href"] == f"{CHECKOUT}/en/support/"

    # Configuration is not in the pages' revisions: a new provider renders the mirror again.
    fake_coins.configure(settings, stripe=fake_coins.stripe(settings), monero=fake_coins.MONERO)
    try:
        report = export(folder, base)
    finally:
        registry.reset()
    english = BeautifulSoup(
        (folder / "en/support/giving-safely/index.html").read_text(), "html.parser"
    )
    assert report.full
    assert [h.text for h in english.select(".safely__method h2")] == ["Card", "Monero (XMR)"]


def test_mirror_articles_carry_no_view_counter_while_the_site_does(gazette, folder, client):
    export(folder, "https://mirror.example/")

    mirrored = (folder / "en/news/ferry-strike/index.html").read_text()
    live = client.get("/en/news/ferry-strike/").content.decode()

    assert "reach/viewed" in live  # the site counts views of its own pages
    assert "viewed" not in mirrored  # a static host has nothing to count with


def test_without_a_checkout_origin_a_mirror_with_forms_is_refused(gazette, folder, settings):
    from django.core.management.base import CommandError

    settings.SAMIZDAT_CHECKOUT_URL = ""

    with pytest.raises(CommandError, match="SAMIZDAT_CHECKOUT_URL .* or build with --no-forms"):
        call_command("mirror", "build", "--base-url", "https://mirror.example/", "--out", folder)

    assert not folder.exists()


def test_a_mirror_without_forms_says_how_to_give_and_has_no_dead_link(
    ways_in, static_server, settings
):
    from samizdat.payments import registry
    from tests.support import fake_coins

    settings.SAMIZDAT_CHECKOUT_URL = ""
    fake_coins.configure(settings, stripe=fake_coins.stripe(settings), monero=fake_coins.MONERO)
    folder, base = static_server
    try:
        call_command("mirror", "build", "--base-url", base, "--out", folder, "--no-forms")
    finally:
        registry.reset()

    pages = crawl(base)

    assert sorted(url for url, (status, _t, _b) in pages.items() if status != 200) == []
    html = {url: body.decode() for url, (_s, kind, body) in pages.items() if "html" in kind}
    assert len(html) > 15
    assert [url for url, text in html.items() if "<form" in text] == []
    article = BeautifulSoup(html[base + "en/news/ferry-strike/"], "html.parser")
    assert article.select_one(".appeal-letter h3").text == "Enjoying ad-free journalism?"
    note = article.select_one(".appeal-letter .mirror-no-forms")
    assert [a["href"] for a in note.select("li a")] == [
        f"http://{ONION}/en/support/",
        *(f"https://{host}/en/support/" for host in OTHER_HOSTS),
    ]
    assert "Monero (XMR)" in note.get_text()
    assert note.find("a", string="Giving safely")["href"] == base + "en/support/giving-safely/"
    assert note.find("a", string="How to reach us")["href"] == base + "en/how-to-reach-us/"
    assert article.select_one("details.remind") is None
    # "Support us" and "Newsletter" lead to pages that say the same, in the reader's language.
    footer = article.select_one("footer.footer")
    for name in ("Support us", "Newsletter"):
        page = BeautifulSoup(html[footer.find("a", string=name)["href"]], "html.parser")
        assert page.select_one("main .mirror-no-forms") is not None, name
    russian = BeautifulSoup(html[base + "ru/support/"], "html.parser")
    russian_note = russian.select_one(".mirror-no-forms").get_text()
    assert "форм на ней нет" in russian_note and "Monero (XMR)" in russian_note
    assert russian.select_one(".mirror-no-forms").find("a", string="Как жертвовать безопасно")


def mtimes(folder: Path) -> dict[str, int]:
    return {
        path.relative_to(folder).as_posix(): path.stat().st_mtime_ns
        for path in folder.rglob("*")
        if path.is_file() and path.name != MANIFEST_NAME
    }


def test_a_changed_headline_renders_only_the_pages_that_show_it(gazette, folder):
    base = "https://mirror.example/"
    first = export(folder, base)
    assert first.full
    before = mtimes(folder)
    # The sitemap dates stories to the second: publish again in a later second than the first.
    time.sleep(1.01 - time.time() % 1)

    strike = gazette["strike"]
    strike.title = "Ferry workers strike for a second week"
    strike.save_revision().publish()
    second = export(folder, base)

    port = gazette["port"]
    assert not second.full
    assert sorted(second.rendered_keys) == sorted(
        [
            "/en/news/ferry-strike/",  # the story
            "/en/",  # its teaser on the front page
            "/en/news/",  # and in its section
            "/en/tags/ferries/",
            f"/en/authors/{strike.byline[0].slug}/",
            f"/en/news/{port.slug}/",  # "Read more" on the other News story
            "/en/feed/rss/",  # the feeds that carry it
            "/en/feed/atom/",
            "/en/news/feed/rss/",
            "/en/news/feed/atom/",
            "/sitemap.xml",  # its date of publication
            "/sitemap-news.xml",
        ]
    )
    # Not the translation, which names the story only by its address, unchanged.
    assert (second.rendered, second.written, second.unchanged, second.deleted) == (12, 12, 0, 0)
    after = mtimes(folder)
    touched = {path for path in after if after[path] != before.get(path)}
    assert touched == {
        "en/news/ferry-strike/index.html",
        "en/index.html",
        "en/news/index.html",
        "en/tags/ferries/index.html",
        f"en/authors/{strike.byline[0].slug}/index.html",
        f"en/news/{port.slug}/index.html",
        "en/feed/rss.xml",
        "en/feed/atom.xml",
        "en/news/feed/rss.xml",
        "en/news/feed/atom.xml",
        "sitemap.xml",
        "sitemap-news.xml",
        "samizdat-build.json",  # a new build, for `mirror check`
    }
    assert after["ru/index.html"] == before["ru/index.html"]
    assert after["ru/news/ferry-strike/index.html"] == before["ru/news/ferry-strike/index.html"]
    assert after["en/culture/index.html"] == before["en/culture/index.html"]
    assert "Ferry workers strike for a second week" in (folder / "en/index.html").read_text()

    third = export(folder, base)
    assert (third.rendered, third.written, third.deleted) == (0, 0, 0)
    assert mtimes(folder) == after


def test_an_unpublished_story_disappears_from_the_mirror(gazette, folder):
    base = "https://mirror.example/"
    export(folder, base)
    port = gazette["port"]
    assert (folder / f"en/news/{port.slug}/index.html").exists()
    assert (folder / "en/tags/ports/index.html").exists()

    port.unpublish()
    report = export(folder, base)

    assert not (folder / f"en/news/{port.slug}").exists()
    assert not (folder / "en/tags/ports").exists()  # no other story carries the tag
    assert report.deleted == 2
    assert port.title not in (folder / "en/index.html").read_text()
    assert port.title not in (folder / "en/news/index.html").read_text()
    assert port.title not in (folder / "en/news/ferry-strike/index.html").read_text()
    assert port.title not in (folder / "en/feed/rss.xml").read_text()


def test_a_new_story_is_added_to_its_lists_feeds_and_sitemaps(gazette, newsroom, folder):
    base = "https://mirror.example/"
    export(folder, base)
    before = mtimes(folder)

    newsroom.article("Bridge reopens", section="culture", tags=["music"], slug="bridge")
    report = export(folder, base)

    assert not report.full
    assert {
        "/en/culture/bridge/",
        "/en/",
        "/en/culture/",
        "/en/tags/music/",
        "/en/feed/rss/",
        "/en/culture/feed/atom/",
        "/sitemap.xml",
        "/sitemap-news.xml",
    } <= set(report.rendered_keys)
    assert not {"/en/news/", "/ru/", "/en/tags/ferries/"} & set(report.rendered_keys)
    assert "Bridge reopens" in (folder / "en/culture/index.html").read_text()
    assert base + "en/culture/bridge/" in (folder / "sitemap.xml").read_text()
    after = mtimes(folder)
    assert after["ru/news/ferry-strike/index.html"] == before["ru/news/ferry-strike/index.html"]


def test_long_lists_get_a_file_per_page(gazette, folder, settings):
    settings.SAMIZDAT_ARTICLES_PER_PAGE = 1
    export(folder, "https://mirror.example/")

    news = BeautifulSoup((folder / "en/news/index.html").read_text(), "html.parser")

    assert news.select_one("a[rel=next]")["href"] == "https://mirror.example/en/news/page/2/"
    second = BeautifulSoup((folder / "en/news/page/2/index.html").read_text(), "html.parser")
    assert second.select_one("a[rel=prev]")["href"] == "https://mirror.example/en/news/"
    assert not (folder / "en/news/page/3").exists()


def test_the_archive_holds_the_same_files(gazette, tmp_path):
    folder = tmp_path / "mirror"
    archive = tmp_path / "mirror.tar.gz"

    build_mirror(MirrorOptions(base_url="https://mirror.example/", out=folder, archive=archive))

    with tarfile.open(archive) as tar:
        names = {member.name for member in tar.getmembers() if member.isfile()}
        assert tar.extractfile("en/index.html").read() == (folder / "en/index.html").read_bytes()
    assert names == set(mtimes(folder))
    assert "index.html" in names and MANIFEST_NAME not in names


def test_the_command_builds_a_mirror_and_says_what_it_did(gazette, tmp_path, capsys):
    call_command(
        "mirror", "build", "--base-url", "https://mirror.example", "--out", str(tmp_path / "m")
    )

    output = capsys.readouterr().out
    assert "pages rendered" in output and "0 deleted" in output
    assert (tmp_path / "m/en/news/ferry-strike/index.html").is_file()
    assert os.path.getsize(tmp_path / "m/index.html") > 0


def test_a_mirror_is_never_written_over_the_site_itself(gazette, tmp_path, settings):
    with pytest.raises(ValueError, match="own address"):
        export(tmp_path / "m", f"http://{ORIGIN_HOST}/")
    with pytest.raises(ValueError, match="MEDIA_ROOT"):
        export(settings.MEDIA_ROOT.parent, "https://mirror.example/")
    with pytest.raises(ValueError, match="base URL"):
        MirrorOptions(base_url="mirror.example", out=tmp_path)


def test_read_more_chosen_for_the_whole_mirror_at_once_is_the_sites_own(
    gazette, newsroom, folder, client, monkeypatch
):
    from samizdat.newsroom import related
    from samizdat.reach.mirror import builder

    newsroom.article("Ferries run again", tags=["ferries"])
    newsroom.article("Ports reopen", tags=["ports", "ferries"])
    # Every round of articles is chosen in bulk, however few (from 20 otherwise).
    monkeypatch.setattr(builder, "RELATED_IN_BULK_FROM", 1)
    chosen_together = []
    warm = related.warm
    monkeypatch.setattr(related, "warm", lambda ids: chosen_together.append(ids) or warm(ids))

    export(folder, "https://mirror.example/")

    assert chosen_together

    def read_more(html: str) -> list[str]:
        soup = BeautifulSoup(html, "html.parser")
        return [h.get_text(strip=True) for h in soup.select(".read-more .teaser__headline")]

    for story in ("strike", "port", "choir"):
        article = gazette[story]
        on_site = client.get(article.url, HTTP_HOST=ORIGIN_HOST).content.decode()
        mirrored = (folder / article.url.lstrip("/") / "index.html").read_text()
        assert read_more(mirrored) == read_more(on_site)
    assert read_more((folder / "en/news/ferry-strike/index.html").read_text()) == [
        "Ports reopen",
        "Ferries run again",
        "Port contracts go to friends",
    ]


def test_readers_never_get_the_mirrors_copy_of_a_page_from_the_page_cache(
    gazette, folder, client, settings
):
    """The export renders for the mirror (forms to the checkout origin), not for readers."""
    from samizdat.reach.mirror import MirrorBuilder, make_plan

    settings.SAMIZDAT_PAGE_CACHE = True
    strike = gazette["strike"]
    builder = MirrorBuilder(MirrorOptions("https://mirror.example/", folder, checkout_url=CHECKOUT))
    builder._start_client(make_plan())

    def form_action(body: bytes) -> str:
        return BeautifulSoup(body, "html.parser").select_one("form#support-form")["action"]

    for _ in range(2):
        status, body = builder.fetch(strike.url)
        assert (status, form_action(body)) == (200, f"{CHECKOUT}/en/support/checkout/")
    for expected in ("miss", "hit"):
        reader = client.get(strike.url, HTTP_HOST=ORIGIN_HOST)
        assert (reader["X-Cache"], form_action(reader.content)) == (
            expected,
            "/en/support/checkout/",
        )


def test_pages_loaded_in_bulk_are_the_pages_loaded_one_by_one(
    gazette, newsroom, tmp_path, settings, monkeypatch
):
    """A whole-site export loads every page with what it shows beforehand and routes nothing
    (samizdat/newsroom/preload.py): the files are byte for byte those of a page-by-page render,
    from far fewer queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from samizdat.reach.mirror import builder

    for title in ("Ferries run again", "Ports reopen"):  # with a picture in the story
        picture = PhotoFactory(file__width=480, file__height=270)
        body = [("paragraph", "<p>Text.</p>"), ("image", {"image": picture, "caption": ""})]
        newsroom.article(title, tags=["ferries", "ports"], body=body)
    settings.SAMIZDAT_ARTICLES_PER_PAGE = 1  # lists of several pages too
    queries, photo_queries = {}, {}
    for name, bulk_from in (("one by one", 10**9), ("in bulk", 1)):
        for cache_name in ("default", "renditions"):
            caches[cache_name].clear()
        monkeypatch.setattr(builder, "RELATED_IN_BULK_FROM", bulk_from)
        with CaptureQueriesContext(connection) as captured:
            report = export(tmp_path / name, "https://mirror.example/")
        queries[name] = len(captured.captured_queries)
        photo_queries[name] = [
            q["sql"] for q in captured.captured_queries if 'FROM "newsroom_photo"' in q["sql"]
        ]
        assert not report.warnings

    one_by_one, in_bulk = files(tmp_path / "one by one"), files(tmp_path / "in bulk")
    assert sorted(in_bulk) == sorted(one_by_one)
    assert len([name for name in in_bulk if name.endswith("index.html")]) > 15
    different = [name for name in in_bulk if in_bulk[name] != one_by_one[name]]
    assert different in ([], ["samizdat-build.json"])  # which says when it was built
    assert queries["in bulk"] < 0.6 * queries["one by one"]
    # The pictures in stories come with the bulk load, not one query per story.
    assert len(photo_queries["in bulk"]) <= 2 < len(photo_queries["one by one"])


# Committed, not in a test transaction: the rendering processes read with their own connections.
@pytest.mark.django_db(transaction=True)
def test_several_rendering_processes_write_the_same_files_as_one(
    gazette, newsroom, tmp_path, settings, monkeypatch
):
    """--jobs 2: forked processes, each given one language, taking over the other's pages
    when done; the folder is the one a single process writes."""
    from samizdat.reach.mirror import scheduler

    newsroom.article("Ferries run again", tags=["ferries", "ports"])
    forked = []
    stream = scheduler._Renderers.stream
    monkeypatch.setattr(
        scheduler._Renderers,
        "stream",
        lambda self, targets: forked.append(targets) or stream(self, targets),
    )
    settings.SAMIZDAT_ARTICLES_PER_PAGE = 1
    folders = {}
    for jobs in (1, 2):
        for cache_name in ("default", "renditions"):
            caches[cache_name].clear()
        folders[jobs] = tmp_path / f"jobs-{jobs}"
        report = export(folders[jobs], "https://mirror.example/", jobs=jobs)
        assert not report.warnings

    one, two = files(folders[1]), files(folders[2])
    assert sorted(two) == sorted(one)
    assert [name for name in two if two[name] != one[name]] in ([], ["samizdat-build.json"])
    assert any(name.startswith("ru/") for name in two)
    assert sum(len(targets) for targets in forked) > 16


ONION = "lanternnewsxyzabcdefghijklmnopqrstuvwxyz234567abcdefghij.onion"
OTHER_HOSTS = ["lantern-two.example.org", "give.example"]  # the second is the checkout's host
OTHER_MIRROR = "https://fonar.example.net/"


@pytest.fixture
def ways_in(gazette, newsroom, settings):
    """An onion host, two alternate domains (one of them the checkout's) and a "How to reach
    us" page in both languages that lists this mirror's address and another mirror's."""
    from samizdat.reach.models import ReachPage
    from tests.factories import publish

    settings.WAGTAILADMIN_BASE_URL = f"https://{ORIGIN_HOST}"
    settings.SAMIZDAT_ONION_HOST = ONION
    settings.SAMIZDAT_ALTERNATE_HOSTS = OTHER_HOSTS
    english = ReachPage(
        title="How to reach us",
        slug="how-to-reach-us",
        mirrors=[
            ("mirror", {"url": "https://mirror.example/", "note": ""}),
            ("mirror", {"url": OTHER_MIRROR, "note": "updated hourly"}),
        ],
        other_ways=f'<p><a href="https://{OTHER_HOSTS[1]}/en/">the giving address</a></p>',
    )
    newsroom.homes["en"].add_child(instance=english)
    publish(english)
    russian = english.copy_for_translation(newsroom.locale("ru"))
    russian.title = "Как нас читать"
    publish(russian)
    return {"en": english, "ru": russian}


def test_a_mirror_shows_every_other_way_in_as_it_is(ways_in, static_server):
    folder, base = static_server
    export(folder, base)

    for language, slug in (("en", "how-to-reach-us"), ("ru", "how-to-reach-us")):
        page = BeautifulSoup(
            (folder / language / slug / "index.html").read_text(), "html.parser"
        ).select_one("main")
        onion = page.select_one("a.reach__onion")
        assert onion["href"] == onion.get_text() == f"http://{ONION}/{language}/"
        domains = [(a["href"], a.get_text()) for a in page.select(".reach__domains a")]
        assert domains == [(f"https://{host}/{language}/",) * 2 for host in OTHER_HOSTS]
        mirrors = [(a["href"], a.get_text()) for a in page.select(".reach__mirrors a")]
        assert mirrors == [("https://mirror.example/",) * 2, (OTHER_MIRROR,) * 2]
        if language == "en":  # the checkout's host, written by editors
            assert page.find("a", string="the giving address")["href"] == "https://give.example/en/"
        assert base not in page.get_text()
    # The pages themselves still lead around the mirror.
    pages = crawl(base)
    assert sorted(url for url, (status, _t, _b) in pages.items() if status != 200) == []


def test_every_mirror_page_tells_tor_browser_its_onion_address(ways_in, folder):
    export(folder, "https://mirror.example/")

    pages = sorted(folder.rglob("*.html"))
    assert len(pages) > 15
    for path in pages:
        soup = BeautifulSoup(path.read_text(), "html.parser")
        meta = soup.find("meta", attrs={"http-equiv": "onion-location"})
        assert meta is not None, f"{path.relative_to(folder)} has no onion-location"
        assert meta["content"].startswith(f"http://{ONION}/"), path
    article = BeautifulSoup((folder / "ru/news/ferry-strike/index.html").read_text(), "html.parser")
    onion = article.find("meta", attrs={"http-equiv": "onion-location"})["content"]
    assert onion == f"http://{ONION}/ru/news/ferry-strike/"
    missing = BeautifulSoup((folder / "404.html").read_text(), "html.parser")
    onion = missing.find("meta", attrs={"http-equiv": "onion-location"})["content"]
    assert onion == f"http://{ONION}/"  # the onion host's front door, not a page that is not
    listing = (folder / "en/index.html").read_text()
    assert f'<meta http-equiv="onion-location" content="http://{ONION}/en/">' in listing


def test_a_build_that_leaves_pages_out_fails_and_keeps_the_previous_mirror(
    gazette, folder, settings
):
    from django.core.management.base import CommandError

    base = "https://mirror.example/"
    export(folder, base)
    before = files(folder)
    settings.ALLOWED_HOSTS = ["127.0.0.1"]  # a public setting that forgot the site's own host
    gazette["strike"].save_revision().publish()  # something to render

    with pytest.raises(CommandError) as failed:
        call_command("mirror", "build", "--base-url", base, "--out", str(folder), "--full")

    message = str(failed.value)
    assert "pages did not render" in message
    assert "/en/news/ferry-strike/ answered 400" in message
    assert files(folder) == before  # byte for byte, nothing added or taken away
    assert [p.name for p in folder.parent.iterdir() if p.name.startswith(".")] == []

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ORIGIN_HOST]
    report = export(folder, base)
    assert report.rendered and (folder / "en/news/ferry-strike/index.html").is_file()


def test_a_successful_build_replaces_the_folder_whole(gazette, folder):
    """Files are written beside the old build and swapped in: the old files are never
    written into (a host serving them, or a copy of them, sees one build or the other)."""
    base = "https://mirror.example/"
    export(folder, base)
    old_article = folder / "en/news/ferry-strike/index.html"
    kept = os.open(old_article, os.O_RDONLY)  # the previous build's file, as a server has it
    try:
        old_bytes = os.pread(kept, 1_000_000, 0)
        strike = gazette["strike"]
        strike.title = "Ferry workers strike for a second week"
        strike.save_revision().publish()

        export(folder, base)

        assert os.pread(kept, 1_000_000, 0) == old_bytes
    finally:
        os.close(kept)
    assert "second week" in old_article.read_text()
    # The previous build is kept beside it, for the next run to start from, and nothing else.
    assert [p.name for p in folder.parent.iterdir() if p.name.startswith(".")] == [
        ".mirror.building"
    ]
    previous = folder.parent / ".mirror.building/en/news/ferry-strike/index.html"
    assert previous.read_bytes() == old_bytes


def test_the_kept_previous_build_is_brought_up_to_date_whatever_happened_to_it(
    gazette, folder, tmp_path
):
    """The next run starts from the build kept beside the mirror, linking again only the
    files whose inode differs from the mirror's: whatever was changed, added or taken
    away there, the mirror comes out as an export made from nothing."""
    base = "https://mirror.example/"
    export(folder, base)
    strike = gazette["strike"]
    strike.title = "Ferry workers strike for a second week"
    strike.save_revision().publish()
    export(folder, base)
    kept = folder.parent / ".mirror.building"
    article = f"en/news/{strike.slug}/index.html"
    assert b"second week" not in files(kept)[article]
    assert_kept_linked_where_unchanged(kept, folder)
    # Whatever a killed run or a hand could leave there:
    (kept / "en/stray.html").write_text("left over")  # a file the mirror does not have
    (kept / "en/junk").mkdir()
    (kept / "en/junk/page.html").write_text("left over")
    (kept / "en/index.html").unlink()  # a file it lacks
    (kept / "en/news/index.html.tmp").write_text("half")  # a write cut off
    os.replace(kept / "robots.txt", kept / "sitemap.xml")  # one file where another was
    (kept / "en/news/index.html").unlink()
    (kept / "en/news/index.html").write_text("another file of the same name")
    port = gazette["port"]
    port.title = "Port reopens at dawn"
    port.save_revision().publish()

    run = export(folder, base)

    assert not run.full and not run.failures
    assert "second week" in (folder / article).read_text()
    assert export(tmp_path / "whole", base).full
    changed = files(folder).items() ^ files(tmp_path / "whole").items()
    assert {name for name, _bytes in changed} <= {"samizdat-build.json"}
    assert not [path for path in folder.rglob("*") if "stray" in path.name or "junk" in path.name]
    # The build kept now is the one before, linked where it did not change.
    assert "second week" in (kept / article).read_text()
    assert "Port reopens" not in (kept / f"en/news/{port.slug}/index.html").read_text()
    assert_kept_linked_where_unchanged(kept, folder)


def assert_kept_linked_where_unchanged(kept: Path, folder: Path) -> None:
    """The build kept beside the mirror is the one before it: its files are the mirror's own
    (one inode) wherever the last run did not change them."""
    before, now = files(kept), files(folder)
    unchanged = [name for name in now if before.get(name) == now[name]]
    assert len(unchanged) > 20
    for name in unchanged:
        assert (kept / name).stat().st_ino == (folder / name).stat().st_ino, name


def test_every_page_shows_the_same_goal_after_an_incremental_run(gazette, newsroom, folder):
    from samizdat.support.models import Appeal
    from tests.support.factories import CampaignFactory, DonationFactory

    CampaignFactory()  # 10,000 USD a month
    Appeal.objects.update(show_goal=True)
    newsroom.article("Ferries run again", tags=["ferries"])
    base = "https://mirror.example/"
    export(folder, base)
    svg = "{http://www.w3.org/2000/svg}"
    figure = ET.parse(folder / "en/support/goal.svg").getroot()
    assert figure.findtext(f"{svg}title") == "$0 of $10,000 this month"

    DonationFactory(amount_minor=2500)  # a gift…
    gazette["port"].save_revision().publish()  # …and an edit: one run renders a few pages
    report = export(folder, base)

    assert not report.full and 0 < report.rendered < 15
    articles = [*folder.glob("en/news/*/index.html"), *folder.glob("en/culture/*/index.html")]
    assert len(articles) == 4
    for article in articles:
        soup = BeautifulSoup(article.read_text(), "html.parser")
        goal = soup.select_one(".appeal-letter .goal")
        assert [img["src"] for img in goal.select("img")] == [base + "en/support/goal.svg"]
        assert "this month" not in goal.get_text()  # no figure of its own to go stale
    figure = ET.parse(folder / "en/support/goal.svg").getroot()
    assert figure.findtext(f"{svg}title") == "$25 of $10,000 this month"
    russian = ET.parse(folder / "ru/support/goal.svg").getroot()
    assert "из" in russian.findtext(f"{svg}title")


def test_the_site_and_its_mirrors_have_an_icon(gazette, static_server, client):
    site = client.get("/favicon.ico", HTTP_HOST=ORIGIN_HOST)
    assert site.status_code == 200
    icon = b"".join(site.streaming_content) if site.streaming else site.content
    assert icon[:4] == b"\x00\x00\x01\x00"  # an .ico
    folder, base = static_server
    export(folder, base)

    pages = crawl(base)

    assert pages[base + "favicon.ico"][0] == 200  # every page links to it
    assert (folder / "favicon.ico").read_bytes() == icon
    article = BeautifulSoup((folder / "en/news/ferry-strike/index.html").read_text(), "html.parser")
    assert article.select_one("link[rel=icon]")["href"] == base + "favicon.ico"


def test_a_mirror_that_lost_its_record_is_rebuilt_with_every_picture_whole(
    gazette, folder, settings
):
    base = "https://mirror.example/"
    export(folder, base)
    media = Path(settings.MEDIA_ROOT)
    pictures = sorted(path for path in (folder / "media").rglob("*") if path.is_file())
    assert pictures, "the stories show pictures"

    (folder / MANIFEST_NAME).unlink()  # a record lost: the next run starts from nothing
    again = export(folder, base)

    assert again.full and not again.failures
    assert not [path for path in folder.parent.rglob("*.tmp")]
    assert sorted(path for path in (folder / "media").rglob("*") if path.is_file()) == pictures
    for picture in pictures:
        source = media / picture.relative_to(folder / "media")
        assert picture.read_bytes() == source.read_bytes(), picture
    # The mirror's pictures do not depend on the site keeping its own.
    source = media / pictures[0].relative_to(folder / "media")
    expected = source.read_bytes()
    source.unlink()
    assert pictures[0].read_bytes() == expected


def test_a_changed_appeal_or_donation_form_renders_again_only_the_pages_that_show_it(
    gazette, folder, tmp_path
):
    from samizdat.support.models import AppealVariant, DonationForm

    base = "https://mirror.example/"
    export(folder, base)
    articles = {f"/en/news/{gazette[name].slug}/" for name in ("strike", "port")}
    lists_and_feeds = {"/en/", "/en/news/", "/en/feed/rss.xml", "/sitemap.xml"}

    for variant in AppealVariant.objects.all():  # as editors save them
        variant.headline = "Still reading us for free?"
        variant.save()
    appeal_run = export(folder, base)
    for form in DonationForm.objects.all():
        form.amounts_monthly = "7,14,28"
        form.save()
    form_run = export(folder, base)

    for run in (appeal_run, form_run):
        rendered = set(run.rendered_keys)
        assert not run.full and not run.failures
        assert articles <= rendered  # each carries the appeal, its letter and its form
        assert not lists_and_feeds & rendered, sorted(lists_and_feeds & rendered)
    assert appeal_run.written and form_run.written
    strike = (folder / f"en/news/{gazette['strike'].slug}/index.html").read_text()
    assert "Still reading us for free?" in strike and 'value="14"' in strike
    # The same files as an export made from nothing.
    whole = export(tmp_path / "whole", base)
    assert whole.full
    changed = files(folder).items() ^ files(tmp_path / "whole").items()
    assert {name for name, _bytes in changed} <= {"samizdat-build.json"}
