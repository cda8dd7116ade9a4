"""`load_demo` fills an empty install with a newsroom that looks lived-in, in two languages."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Locale, Page, Revision, Site, WorkflowState

from samizdat.demo.loader import DEMO_PASSWORD
from samizdat.newsroom.models import (
    ArticleAuthor,
    ArticlePage,
    AuthorPage,
    HomePage,
    Photo,
    PhotoRendition,
    SectionPage,
)


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker, demo_media):
    """Load the demo once for this module, and roll it back afterwards.

    Loading takes a while; every test here reads the same newsroom inside its own savepoint.
    """
    out = StringIO()
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=demo_media),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)
    # The rollback sent no signals: forget what Wagtail cached about the demo's sites and pages.
    for alias in ("default", "renditions"):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _isolated_media(settings, demo_media):
    # Overrides the suite-wide fixture: the demo's pictures live in the module's media folder.
    settings.MEDIA_ROOT = demo_media
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def demo(demo_output, db):
    return demo_output


def live_articles(language: str):
    return ArticlePage.objects.live().filter(locale__language_code=language)


def newsroom_counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "live pages": Page.objects.live().count(),
        "revisions": Revision.objects.count(),
        "photos": Photo.objects.count(),
        "bylines": ArticleAuthor.objects.count(),
        "tags": Tag.objects.count(),
        "sites": Site.objects.count(),
        "workflow states": WorkflowState.objects.count(),
        "users": User.objects.count(),
    }


def test_the_demo_has_forty_live_stories_in_four_sections_and_two_languages(demo):
    live = ArticlePage.objects.live()
    assert live.count() >= 40
    for language in ("en", "ru"):
        assert live_articles(language).count() >= 20
        sections = SectionPage.objects.live().filter(locale__language_code=language)
        assert sections.count() >= 4
        for section in sections:
            assert live.child_of(section).exists(), f"{section.title} has no stories"


def test_the_english_home_is_the_default_site_and_the_russian_home_its_translation(demo):
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    assert home.locale.language_code == "en"
    assert site.site_name == "The Lantern"
    russian = home.get_translation(Locale.objects.get(language_code="ru"))
    assert russian.live
    assert russian.title == "Фонарь"
    # The tree Wagtail keeps must be whole, or pages quietly stop being found.
    assert Page.find_problems() == ([], [], [], [], [])


def test_every_russian_article_translates_an_english_one(demo):
    english = {a.translation_key: a for a in ArticlePage.objects.filter(locale__language_code="en")}
    russian = ArticlePage.objects.filter(locale__language_code="ru")
    assert russian.count() == len(english)
    for article in russian:
        original = english[article.translation_key]
        assert article.title != original.title, "the Russian headline is in Russian"
        assert article.live == original.live
        assert article.get_parent().specific.translation_key == (
            original.get_parent().specific.translation_key
        )


def test_stories_keep_their_subheads_quotes_pictures_and_videos_in_both_languages(demo):
    english = {a.translation_key: a for a in ArticlePage.objects.filter(locale__language_code="en")}
    kinds = set()
    for article in ArticlePage.objects.filter(locale__language_code="ru"):
        blocks = [block.block_type for block in article.body]
        assert blocks == [block.block_type for block in english[article.translation_key].body]
        kinds.update(blocks)
        for block in article.body:
            if block.block_type == "image":
                # The Russian picture is described in Russian, and credited.
                photo = block.value["image"]
                assert "(ru," in photo.title and photo.description and photo.credit
            elif block.block_type == "quote":
                assert block.value["text"] and block.value["attribution"]
    assert kinds == {"paragraph", "subhead", "quote", "image", "embed"}


def test_every_live_article_has_a_byline_and_a_credited_lead_photo(demo):
    for article in ArticlePage.objects.live().select_related("lead_image", "locale"):
        bylines = list(article.authors.select_related("author__locale"))
        assert bylines, f"{article.title} has no author"
        # Russian bylines link to the Russian author pages, not to the English ones.
        assert {b.author.locale_id for b in bylines} == {article.locale_id}
        photo = article.lead_image
        assert photo is not None, f"{article.title} has no lead photo"
        assert photo.credit and photo.description and photo.caption
        assert article.tags.exists()


def test_stories_run_over_weeks_and_some_were_updated(demo):
    published = sorted(a.first_published_at for a in ArticlePage.objects.live())
    assert published[-1] <= timezone.now()
    assert (published[-1] - published[0]).days >= 14
    updated = [a for a in ArticlePage.objects.live() if a.was_updated]
    assert updated


def test_some_stories_are_drafts_and_some_wait_for_the_scheduler(demo):
    not_live = ArticlePage.objects.not_live()
    drafts = not_live.filter(go_live_at__isnull=True)
    scheduled = not_live.filter(go_live_at__gt=timezone.now())
    assert drafts.exists()
    assert not drafts.filter(first_published_at__isnull=False).exists(), "drafts never ran"
    assert scheduled.exists()
    for article in scheduled:
        revision = article.latest_revision
        assert revision.approved_go_live_at == article.go_live_at, "approved for the scheduler"
    # One draft is waiting in the editors' review queue.
    assert WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).exists()


def test_each_home_leads_with_its_three_latest_stories(demo):
    for home in HomePage.objects.all():
        top = [item.article for item in home.top_stories.all()]
        latest = list(live_articles(home.locale.language_code).order_by("-first_published_at"))
        assert top == latest[:3]


def test_demo_staff_can_log_in_with_the_printed_password(demo):
    assert "samizdat-demo" in demo
    admin = authenticate(username="admin", password=DEMO_PASSWORD)
    reporter = authenticate(username="reporter", password=DEMO_PASSWORD)
    editor = authenticate(username="editor", password=DEMO_PASSWORD)
    assert admin.is_superuser
    assert list(reporter.groups.values_list("name", flat=True)) == ["Reporters"]
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]


def test_loading_again_changes_nothing(demo):
    before = newsroom_counts()
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert newsroom_counts() == before
    assert "already loaded" in out.getvalue()


def test_the_home_page_and_a_russian_article_render(demo, client):
    response = client.get("/en/")
    assert response.status_code == 200
    assert "The Lantern" in response.content.decode()

    article = live_articles("ru").order_by("-first_published_at").first()
    response = client.get(article.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert article.title in html
    assert article.lead_image.photographer in html


def test_load_demo_made_the_pictures_reader_pages_show(demo, client):
    """The first reader of a fresh demo waits for no picture to be made (it took seconds)."""
    made = PhotoRendition.objects.count()
    article = live_articles("en").order_by("-first_published_at").first()
    pages = ["/en/", "/ru/", article.url, article.section.url, "/en/authors/", "/en/feed/rss/"]
    pages += [author.url for author in AuthorPage.objects.live()[:2]]

    for url in pages:
        assert client.get(url).status_code == 200, url

    assert made > 0 and "Rendered" in demo
    assert PhotoRendition.objects.count() == made  # nothing new was needed
