"""What a reader sees on an article page, and the rules behind it."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.utils import timezone

from samizdat.newsroom.models import HomeTopStory, Photo
from tests.factories import PhotoFactory


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.django_db
def test_photo_credit_names_photographer_and_agency():
    photo = Photo(photographer="Lena Sorvik", agency="Lantern Photo")
    assert photo.credit == "Lena Sorvik / Lantern Photo"
    assert Photo(photographer="", agency="Pool").credit == "Pool"


def test_article_shows_headline_standfirst_byline_and_lead_photo_with_credit(newsroom, client):
    photo = PhotoFactory(
        caption="Ferry at dawn.", photographer="Lena Sorvik", agency="Lantern Photo"
    )
    authors = [newsroom.author("Anna Kovar"), newsroom.author("Pavel Renn")]
    article = newsroom.article(
        "Port bribes exposed",
        standfirst="Ledgers show who paid.",
        authors=authors,
        lead_image=photo,
    )
    page = soup(client.get(article.url))
    assert page.h1.get_text() == "Port bribes exposed"
    assert page.select_one(".story__standfirst").get_text() == "Ledgers show who paid."
    assert [a.get_text() for a in page.select(".byline a")] == ["Anna Kovar", "Pavel Renn"]
    assert "Anna Kovar and Pavel Renn" in page.select_one(".byline").get_text()
    lead = page.select_one(".story__lead")
    assert lead.img["alt"] == photo.description
    assert "Ferry at dawn." in lead.figcaption.get_text()
    assert "Lena Sorvik / Lantern Photo" in lead.figcaption.get_text()


def test_lead_caption_on_the_article_overrides_the_photo_caption(newsroom, client):
    photo = PhotoFactory(caption="Stored caption")
    article = newsroom.article("Caption story", lead_image=photo, lead_caption="Told differently")
    caption = soup(client.get(article.url)).select_one(".story__lead figcaption").get_text()
    assert "Told differently" in caption and "Stored caption" not in caption
    assert photo.credit in caption


def test_lead_photo_is_responsive_with_webp_and_body_images_load_lazily(newsroom, client):
    photo = PhotoFactory()
    body = [("paragraph", "<p>Text.</p>"), ("image", {"image": photo, "caption": ""})]
    article = newsroom.article("Pictures", lead_image=photo, body=body)
    page = soup(client.get(article.url))
    lead = page.select_one(".story__lead picture")
    assert lead.source["type"] == "image/webp"
    assert len(lead.source["srcset"].split(",")) == 3
    assert lead.img.get("loading") != "lazy"  # the lead photo is above the fold
    inline = page.select_one(".inline-image img")
    assert inline["loading"] == "lazy"
    assert photo.credit in page.select_one(".inline-image figcaption").get_text()


def test_body_renders_subheads_quotes_and_embeds_as_plain_link_cards(newsroom, client):
    body = [
        ("paragraph", "<p>First.</p>"),
        ("subhead", "The money trail"),
        ("quote", {"text": "We saw the ledgers.", "attribution": "A clerk"}),
        (
            "embed",
            {
                "url": "https://video.example.org/watch/1",
                "title": "The hearing",
                "source": "Video",
                "description": "",
            },
        ),
    ]
    page = soup(client.get(newsroom.article("Blocks", body=body).url))
    assert page.select_one(".story__body h2.subhead").get_text() == "The money trail"
    assert page.select_one(".pullquote blockquote").get_text(strip=True) == "We saw the ledgers."
    assert page.select_one(".pullquote figcaption").get_text() == "A clerk"
    card = page.select_one(".link-card a")
    assert card["href"] == "https://video.example.org/watch/1"
    # The embed must not load anything from the other site.
    assert not page.select("iframe") and not page.select("script[src*='//']")


def test_the_body_is_exactly_what_wagtails_include_block_renders(newsroom, client):
    """The article template renders the body with its own tag (cheaper for a whole-site
    export): the reader gets the same HTML as from {% include_block %}, internal links
    in paragraphs resolved to the linked page's address."""
    linked = newsroom.article("Earlier story")
    body = [
        ("paragraph", f'<p>See <a linktype="page" id="{linked.pk}">the earlier story</a>.</p>'),
        ("subhead", "What & why"),
        ("quote", {"text": "We <saw> it.", "attribution": ""}),
        ("image", {"image": PhotoFactory(), "caption": "Inline"}),
        ("embed", {"url": "https://x.example/v", "title": "T", "source": "", "description": "D"}),
        ("paragraph", "<ul><li>One</li></ul>"),
    ]
    article = newsroom.article("Blocks in order", body=body).specific
    html = client.get(article.url).content.decode()

    wagtails = Template(
        "{% load wagtailcore_tags %}"
        "{% for block in page.body %}{% include_block block %}{% endfor %}"
    ).render(Context({"page": article}))
    assert f'<div class="story__body">\n    {wagtails}\n  </div>' in html
    assert f'href="{linked.url}"' in wagtails and "&lt;saw&gt;" in wagtails


@pytest.mark.parametrize("zone", ["UTC", "Europe/Vilnius", "America/Caracas"])
def test_machine_readable_times_are_what_the_date_filter_writes(zone):
    """Datelines and share metadata write times with a filter of their own (`iso`): the same
    text as Django's |date:'c', in the site's time zone, to the whole second (HTML's <time>
    takes at most three digits of a fraction)."""
    moment = datetime.datetime(2026, 3, 29, 0, 30, 15, 123456, tzinfo=datetime.UTC)
    template = Template("{% load newsroom_tags %}{{ t|iso }}|{{ t|date:'c' }}|{{ none|iso }}")
    with timezone.override(zone):
        ours, djangos, empty = template.render(Context({"t": moment, "none": None})).split("|")
        assert ours == djangos.replace(".123456", "")
        assert ours == timezone.localtime(moment).replace(microsecond=0).isoformat()
    assert empty == ""


def test_updated_time_shows_only_when_later_than_publication(newsroom, client):
    published = timezone.now() - datetime.timedelta(days=1)
    updated = newsroom.article(
        "Changed", published_at=published, updated_at=published + datetime.timedelta(hours=5)
    )
    unchanged = newsroom.article("Unchanged", published_at=published)
    assert soup(client.get(updated.url)).select_one(".dateline .updated")
    assert not soup(client.get(unchanged.url)).select_one(".dateline .updated")


def test_tags_link_to_tag_pages_listing_the_stories(newsroom, client):
    first = newsroom.article("Flood warning", tags=["river", "weather"])
    newsroom.article("Dry summer", tags=["weather"])
    tag_links = soup(client.get(first.url)).select(".story__tags a")
    assert [a.get_text() for a in tag_links] == ["river", "weather"]
    listing = soup(client.get(tag_links[1]["href"]))
    headlines = [h.get_text(strip=True) for h in listing.select(".teaser__headline")]
    assert headlines == ["Dry summer", "Flood warning"]


def test_unknown_tag_is_not_found(newsroom, client):
    assert client.get("/en/tags/no-such-tag/").status_code == 404


def test_draft_and_scheduled_articles_are_not_served(newsroom, client):
    draft = newsroom.article("Draft story", live=False)
    assert client.get(f"/en/news/{draft.slug}/").status_code == 404
    assert "Draft story" not in client.get("/en/news/").content.decode()


def test_section_lists_its_own_articles_newest_first_and_paginates(newsroom, client, settings):
    settings.SAMIZDAT_ARTICLES_PER_PAGE = 2
    now = timezone.now()
    for hours, title in [(3, "Oldest"), (2, "Middle"), (1, "Newest")]:
        newsroom.article(title, published_at=now - datetime.timedelta(hours=hours))
    newsroom.article("Elsewhere", section="culture")
    first = soup(client.get("/en/news/"))
    assert [h.get_text(strip=True) for h in first.select(".teaser__headline")] == [
        "Newest",
        "Middle",
    ]
    second = soup(client.get(first.select_one("a[rel=next]")["href"]))
    assert [h.get_text(strip=True) for h in second.select(".teaser__headline")] == ["Oldest"]
    assert client.get("/en/news/?page=9").status_code == 404


def test_home_page_shows_top_stories_and_latest_by_section(newsroom, client):
    now = timezone.now()
    pick = newsroom.article("Editors' pick", published_at=now - datetime.timedelta(days=3))
    HomeTopStory.objects.create(page=newsroom.homes["en"], article=pick, sort_order=0)
    newsroom.article("Latest news", published_at=now)
    newsroom.article("Gallery opens", section="culture", published_at=now)
    newsroom.article(
        "Concert review", section="culture", published_at=now - datetime.timedelta(days=5)
    )
    page = soup(client.get("/en/"))
    top = [h.get_text(strip=True) for h in page.select(".top-stories .teaser__headline")]
    assert top[0] == "Editors' pick"
    section_titles = [h.get_text(strip=True) for h in page.select(".home-section__title")]
    assert "Culture" in section_titles
    nav = [a.get_text() for a in page.select("nav.sections a")]
    assert nav == ["News", "Culture"]


def test_author_page_lists_their_stories(newsroom, client):
    author = newsroom.author("Anna Kovar")
    newsroom.article("Her story", authors=[author])
    newsroom.article("Someone else's")
    page = soup(client.get(author.url))
    assert page.h1.get_text() == "Anna Kovar"
    assert [h.get_text(strip=True) for h in page.select(".teaser__headline")] == ["Her story"]


def test_search_finds_live_articles_in_the_readers_language(newsroom, client):
    english = newsroom.article("Ferry strike ends", standfirst="Crews return to the river.")
    newsroom.article("Паромщики вернулись", language="ru", translation_of=english)
    newsroom.article("Unrelated budget", standfirst="Numbers.")
    newsroom.article("Ferry draft", live=False)
    from django.core.management import call_command

    call_command("update_index", verbosity=0)
    results = soup(client.get("/en/search/", {"q": "ferry"}))
    assert [h.get_text(strip=True) for h in results.select(".teaser__headline")] == [
        "Ferry strike ends"
    ]
    assert soup(client.get("/en/search/", {"q": "zzzz"})).select_one(".search-count")


@pytest.mark.parametrize("path", ["/en/no-such-page/", "/en/news/no-such-story/"])
def test_missing_pages_get_the_newsroom_404(newsroom, client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_server_error_shows_a_plain_bilingual_apology(newsroom, client, monkeypatch):
    from samizdat.newsroom.models import ArticlePage

    article = newsroom.article("Broken")

    def explode(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ArticlePage, "get_context", explode)
    client.raise_request_exception = False
    response = client.get(article.url)
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert "Попробуйте ещё раз".encode() in response.content


def test_each_article_letter_form_names_its_own_article_and_shows_current_copy(newsroom, client):
    """The end-of-article letter is rendered once and copied into every article."""
    from django.core.cache import caches

    from tests.support.factories import AppealFactory, DonationFormFactory

    def forget_cached_copies():  # appeals and whole pages are kept for a while; not the point
        for cache in caches.all():
            cache.clear()

    forget_cached_copies()
    DonationFormFactory()
    appeal = AppealFactory(variants=[{"headline": "Dear reader"}])
    first = newsroom.article("First story")
    second = newsroom.article("Second story")

    for article in (first, second):
        letter = soup(client.get(article.url)).select_one("section.appeal-letter")
        assert letter.h3.get_text() == "Dear reader"
        assert letter.select_one("input[name=page]")["value"] == str(article.pk)

    appeal.variants.update(headline="A new letter")
    forget_cached_copies()
    letter = soup(client.get(second.url)).select_one("section.appeal-letter")
    assert letter.h3.get_text() == "A new letter"
    assert letter.select_one("input[name=page]")["value"] == str(second.pk)
