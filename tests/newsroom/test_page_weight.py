"""Reader pages stay small and self-contained: budgets a reader on a slow mirror will notice."""

from urllib.parse import urlparse

from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders

from tests.factories import PhotoFactory

PAGE_BUDGET = 60 * 1024  # HTML + CSS + JS, uncompressed, images excluded
# 13 KB since the appeals' segments and caps are decided in the reader's browser (nothing about
# the reader is sent to us): support.js grew from 6 KB to 8.3 KB and gift.js sets the form from an
# appeal's button. Uncompressed and unminified; about 5 KB gzipped (three files).
JS_BUDGET = 13 * 1024


def long_article(newsroom):
    photo = PhotoFactory()
    authors = [newsroom.author("Anna Kovar"), newsroom.author("Pavel Renn")]
    paragraph = "<p>" + "A sentence of a long investigation, with its facts in order. " * 8 + "</p>"
    body = []
    for n in range(12):
        body += [("paragraph", paragraph), ("subhead", f"Part {n}")]
    body += [
        ("quote", {"text": "We kept the receipts.", "attribution": "A clerk"}),
        ("image", {"image": photo, "caption": "The ledger room"}),
    ]
    for i in range(6):
        newsroom.article(f"Related {i}", tags=["ports"], lead_image=photo)
    return newsroom.article(
        "A long investigation",
        standfirst="Two years of ledgers, read line by line.",
        authors=authors,
        tags=["ports", "courts", "money"],
        lead_image=photo,
        body=body,
    )


def local_asset_size(url: str) -> int:
    path = urlparse(url).path.removeprefix("/static/")
    found = finders.find(path)
    assert found, f"{url} is not one of our static files"
    with open(found, "rb") as handle:
        return len(handle.read())


def test_article_page_fits_the_weight_budget(newsroom, client):
    article = long_article(newsroom)
    response = client.get(article.url)
    html = response.content
    page = BeautifulSoup(html, "html.parser")
    css = sum(local_asset_size(link["href"]) for link in page.select("link[rel=stylesheet]"))
    js = sum(local_asset_size(script["src"]) for script in page.select("script[src]"))
    inline_js = sum(
        len(s.string or "")
        for s in page.select("script")
        if not s.get("src") and s.get("type") != "application/ld+json"
    )
    assert len(html) + css + js <= PAGE_BUDGET, (len(html), css, js)
    assert js + inline_js <= JS_BUDGET


def test_reader_pages_load_nothing_from_other_hosts(newsroom, client):
    article = long_article(newsroom)
    for url in (article.url, "/en/", "/en/news/", "/en/search/?q=ledger"):
        page = BeautifulSoup(client.get(url).content, "html.parser")
        loaded = [tag.get("src") for tag in page.select("script[src], img[src], iframe[src]")]
        loaded += [link["href"] for link in page.select("link[rel=stylesheet], link[rel=preload]")]
        loaded += [
            candidate.split()[0]
            for tag in page.select("[srcset]")
            for candidate in tag["srcset"].split(",")
        ]
        assert loaded, url
        offsite = [src for src in loaded if urlparse(src).netloc]
        assert offsite == [], url
